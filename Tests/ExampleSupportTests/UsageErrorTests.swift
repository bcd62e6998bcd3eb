import ArgumentParser
import ExampleSupport
import Testing
import Algorithms

@Suite struct UsageErrorTests {
    @Test func settingsErrorsAreUsageErrorsAndRunTimeFailuresAreNot() {
        let usage: [any Error] = [
            AlgorithmsError.invalidSetting(name: "batch-size", value: "0", expected: "at least 1"),
            LayersError.invalidSetting(name: "depth", value: "5", expected: "a multiple of 4"),
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
            try sortingUsageErrors { throw AlgorithmsError.invalidSetting(name: "unroll-length", value: "0", expected: "at least 1") }
        }
        #expect(throws: AlgorithmsError.nonFinite(quantity: "actor_loss", step: 3)) {
            try sortingUsageErrors { throw AlgorithmsError.nonFinite(quantity: "actor_loss", step: 3) }
        }
        #expect(try sortingUsageErrors { 42 } == 42)
    }

    /// One error style across products: every library error's `localizedDescription` is its own
    /// message, naming the value and what was expected.
    @Test func everyLibraryErrorDescribesItselfTheSameWayEverywhere() {
        let errors: [any Error & CustomStringConvertible] = [
            AlgorithmsError.invalidSetting(name: "batch-size", value: "0", expected: "at least 1"),
            LayersError.invalidSetting(name: "depth", value: "6", expected: "a positive multiple of 4"),
            EnvironmentError.invalidSetting(name: "cell size", value: "-1.0", expected: "a positive number"),
            ReplayBufferError.invalidSetting(name: "capacity", value: "1", expected: "at least 2"),
            ReplayBufferError.noTransitions,
            SafeTensorsError.fileTooSmall(byteCount: 3),
        ]
        for error in errors {
            #expect(error.localizedDescription == error.description)
        }
        #expect(errors.prefix(4).allSatisfy { $0.description.contains(" is ") && $0.description.contains(", expected ") })
    }

    enum CocoaStyle: Error { case diskFull }
}
