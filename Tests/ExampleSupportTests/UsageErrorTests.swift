import ArgumentParser
import ExampleSupport
import Testing
import Algorithms

@Suite struct UsageErrorTests {
    @Test func settingsErrorsAreUsageErrorsAndRunTimeFailuresAreNot() {
        let usage: [any Error] = [
            AlgorithmsError.invalidConfiguration("batchSize is 0"), LayersError.invalidArgument("depth 5"),
            EnvironmentError.unknownEnvironment(name: "maze", known: ["point-maze-u"]),
            ReplayBufferError.tooManyBatches(requested: 9, batchSize: 256, maximum: 4),
        ]
        let runTime: [any Error] = [
            AlgorithmsError.nonFinite(quantity: "critic_loss", step: 7), AlgorithmsError.checkpoint("truncated"),
            LayersError.stateMismatch("missing actor.weight"), CocoaStyle.diskFull,
        ]
        #expect(usage.allSatisfy(isUsageError))
        #expect(!runTime.contains(where: isUsageError))
    }

    @Test func sortingTurnsOnlyUsageErrorsIntoValidationErrors() throws {
        #expect(throws: ValidationError.self) {
            try sortingUsageErrors { throw AlgorithmsError.invalidConfiguration("unrollLength is 0") }
        }
        #expect(throws: AlgorithmsError.nonFinite(quantity: "actor_loss", step: 3)) {
            try sortingUsageErrors { throw AlgorithmsError.nonFinite(quantity: "actor_loss", step: 3) }
        }
        #expect(try sortingUsageErrors { 42 } == 42)
    }

    enum CocoaStyle: Error { case diskFull }
}
