import Testing
@testable import Environments

/// Random actions for `steps` vector steps of `count` copies, some out of range.
private func randomActions(count: Int, steps: Int, seed: UInt64) -> [[Float]] {
    var generator = RandomGenerator(seed: seed)
    return (0..<steps).map { _ in (0..<count * 2).map { _ in Float(generator.nextUniform() * 3 - 1.5) } }
}

@Suite struct VectorEnvironmentTests {
    @Test func sizesComeFromTheCopies() throws {
        let vector = try VectorEnvironment(named: "point-maze-u", count: 4, seed: 0)
        #expect(vector.stateSize == 4 && vector.goalSize == 2 && vector.actionSize == 2)
        #expect(vector.observationSize == 6 && vector.goalRange == 0..<2)
        #expect(vector.successThreshold == 0.5 && vector.episodeLength == 1001)
        let batch = vector.reset()
        #expect(batch.observations.count == 24 && batch.achievedGoals.count == 8)
        #expect(batch.finalObservations.count == 24 && batch.rewards.count == 4)
    }

    @Test func vectorizedEqualsSequentialStepping() throws {
        let count = 5, episodeLength = 7
        let vector = try VectorEnvironment(named: "point-maze-big", count: count, seed: 42, threads: 2)
        vector.episodeLength = episodeLength
        vector.minimumCopiesPerThread = 1
        let copies = try (0..<count).map { _ in try PointMaze(layout: .bigMaze) }
        let seeds = VectorEnvironment.copySeeds(seed: 42, count: count)
        var observations = copies.indices.map { copies[$0].reset(seed: seeds[$0]).observation }
        for copy in copies { copy.episodeLength = episodeLength }

        var batch = vector.reset()
        #expect(batch.observations == observations.flatMap { $0 })
        var sawReset = false
        for actions in randomActions(count: count, steps: 30, seed: 3) {
            try vector.step(actions: actions, into: &batch)
            for (index, copy) in copies.enumerated() {
                let step = try copy.step(action: Array(actions[index * 2..<index * 2 + 2]))
                #expect(batch.rewards[index] == step.reward)
                #expect(batch.successes[index] == step.info.success)
                #expect(batch.distances[index] == step.info.distance)
                #expect(batch.truncated[index] == step.truncated)
                #expect(batch.terminated[index] == step.terminated)
                observations[index] = step.observation
                if step.truncated {
                    sawReset = true
                    #expect(batch.finalObservation(index) == step.observation)
                    #expect(Array(batch.finalAchievedGoals[index * 2..<index * 2 + 2]) == step.achievedGoal)
                    observations[index] = copy.reset(seed: nil).observation
                }
                #expect(batch.observation(index) == observations[index])
                #expect(batch.achievedGoal(index) == Array(observations[index][0..<2]))
            }
        }
        #expect(sawReset)
    }

    @Test(arguments: [2, 3, 8])
    func resultsDoNotDependOnTheThreadCount(threads: Int) throws {
        let count = 7
        let single = try VectorEnvironment(named: "point-maze-hardest", count: count, seed: 9, threads: 1)
        let parallel = try VectorEnvironment(named: "point-maze-hardest", count: count, seed: 9, threads: threads)
        single.episodeLength = 11
        parallel.episodeLength = 11
        parallel.minimumCopiesPerThread = 1
        var singleBatch = single.reset()
        var parallelBatch = parallel.reset()
        #expect(singleBatch == parallelBatch)
        for actions in randomActions(count: count, steps: 40, seed: 1) {
            try single.step(actions: actions, into: &singleBatch)
            try parallel.step(actions: actions, into: &parallelBatch)
            #expect(singleBatch == parallelBatch)
        }
    }

    @Test func everyEpisodeGetsAFreshStartAndGoal() throws {
        // Several R and G cells; one-step episodes, so every step auto-resets every copy.
        let layout = try MazeLayout(grid: "111111/1RGGR1/1G00G1/1RGGR1/111111")
        let vector = try VectorEnvironment(count: 2, seed: 0, threads: 2) { try PointMaze(layout: layout) }
        vector.episodeLength = 1
        var batch = vector.reset()
        let startCentres = Set(layout.startCells.map { [Float($0.row) * 4, Float($0.column) * 4] })
        var goals: [[Float]] = [], starts: [[Float]] = []
        for _ in 0..<40 {
            let previousGoals = (0..<2).map { Array(batch.observation($0)[4..<6]) }
            try vector.step(actions: [0.3, -0.2, 1, 1], into: &batch)
            for copy in 0..<2 {
                #expect(batch.isDone(copy) && batch.truncated[copy])
                // The final observation belongs to the finished episode ...
                #expect(Array(batch.finalObservation(copy)[4..<6]) == previousGoals[copy])
                #expect(!startCentres.contains(Array(batch.finalObservation(copy)[0..<2])))
                // ... and the new one starts afresh at an R cell centre.
                let start = Array(batch.observation(copy)[0..<2])
                #expect(startCentres.contains(start))
                starts.append(start)
                goals.append(Array(batch.observation(copy)[4..<6]))
            }
        }
        #expect(Set(goals).count == layout.goalCells.count)
        #expect(Set(starts).count == layout.startCells.count)
    }

    @Test func goalsChangeAcrossEpisodesOfEachCopy() throws {
        let vector = try VectorEnvironment(named: "point-maze-u", count: 3, seed: 2, threads: 2)
        vector.episodeLength = 5
        var batch = vector.reset()
        var goalsPerCopy: [Set<[Float]>] = (0..<3).map { Set([Array(batch.observation($0)[4..<6])]) }
        for _ in 0..<100 {
            try vector.step(actions: [Float](repeating: 0, count: 6), into: &batch)
            for copy in 0..<3 where batch.isDone(copy) {
                goalsPerCopy[copy].insert(Array(batch.observation(copy)[4..<6]))
            }
        }
        for goals in goalsPerCopy { #expect(goals.count > 1) }
    }

    @Test func resetWithASeedReproducesTheRun() throws {
        let vector = try VectorEnvironment(named: "point-arena", count: 4, seed: 0, threads: 2)
        let actions = randomActions(count: 4, steps: 10, seed: 8)
        func run() throws -> StepBatch {
            var batch = vector.reset(seed: 77)
            for row in actions { try vector.step(actions: row, into: &batch) }
            return batch
        }
        #expect(try run() == run())
        let other = try VectorEnvironment(named: "point-arena", count: 4, seed: 77, threads: 1)
        #expect(other.reset() == vector.reset(seed: 77))
    }

    @Test func badActionBatchesThrowBeforeAnyCopyMoves() throws {
        let vector = try VectorEnvironment(named: "point-maze-u", count: 3, seed: 0)
        var batch = StepBatch(count: 3, observationSize: 6, goalSize: 2)
        #expect(throws: EnvironmentError.stepBeforeReset) { try vector.step(actions: [Float](repeating: 0, count: 6), into: &batch) }
        batch = vector.reset()
        let before = batch
        #expect(throws: EnvironmentError.wrongActionLength(count: 5, expected: 2, copies: 3)) {
            try vector.step(actions: [Float](repeating: 0, count: 5), into: &batch)
        }
        #expect(throws: EnvironmentError.nonFiniteAction(value: -.infinity, index: 1, copy: 2)) {
            try vector.step(actions: [0, 0, 0, 0, 0, -.infinity], into: &batch)
        }
        #expect(batch == before)
        let message = EnvironmentError.wrongActionLength(count: 5, expected: 2, copies: 3).description
        #expect(message.contains("5 elements") && message.contains("expected 6"))
    }

    @Test func badSettingsThrow() {
        #expect(throws: EnvironmentError.self) { try VectorEnvironment(named: "point-maze-u", count: 0) }
        #expect(throws: EnvironmentError.self) { try VectorEnvironment(named: "point-maze-u", count: 2, threads: 0) }
        #expect(throws: EnvironmentError.self) { try VectorEnvironment(named: "no-such-maze", count: 2) }
    }
}
