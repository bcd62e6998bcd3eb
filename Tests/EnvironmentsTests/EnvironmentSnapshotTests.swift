import Testing
@testable import Environments

@Suite struct EnvironmentSnapshotTests {
    func steps(_ environment: VectorEnvironment, _ batch: inout StepBatch, count: Int) throws -> [[Float]] {
        var generator = RandomGenerator(seed: 9)
        var observed: [[Float]] = []
        for _ in 0..<count {
            let actions = (0..<(environment.count * environment.actionSize)).map { _ in Float(generator.nextUniform() * 2 - 1) }
            try environment.step(actions: actions, into: &batch)
            observed.append(batch.observations)
        }
        return observed
    }

    @Test func restoringASnapshotContinuesIdentically() throws {
        let original = try VectorEnvironment(named: "point-maze-u", count: 3, seed: 5)
        original.episodeLength = 7
        var batch = original.reset()
        _ = try steps(original, &batch, count: 10)
        let snapshot = try original.snapshot()
        let expected = try steps(original, &batch, count: 20)

        let copy = try VectorEnvironment(named: "point-maze-u", count: 3, seed: 99)
        copy.episodeLength = 7
        var restoredBatch = copy.reset()
        try copy.restore(snapshot, into: &restoredBatch)
        #expect(try steps(copy, &restoredBatch, count: 20) == expected)
    }

    @Test func mismatchedSnapshotsAreRefused() throws {
        let environment = try VectorEnvironment(named: "point-maze-u", count: 2, seed: 1)
        var batch = environment.reset()
        let snapshot = try environment.snapshot()
        #expect(throws: EnvironmentError.self) { try environment.restore(Array(snapshot.prefix(1)), into: &batch) }
        var wrong = snapshot
        wrong[1].state = [0, 0]
        #expect(throws: EnvironmentError.self) { try environment.restore(wrong, into: &batch) }
        #expect(batch.observations == environment.reset(seed: 1).observations)
    }
}
