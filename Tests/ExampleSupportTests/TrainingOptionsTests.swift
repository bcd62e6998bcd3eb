import ArgumentParser
import ExampleSupport
import Testing
import Algorithms

/// The shared command-line settings map one to one onto the configuration types.
@Suite struct TrainingOptionsTests {
    @Test func noOptionsGiveTheLibraryDefaults() throws {
        let options = try TrainingOptions.parse([])
        var expected = TrainerConfiguration()
        expected.threads = 3
        #expect(options.trainerConfiguration(defaultThreads: 3) == expected)
        #expect(options.agentConfiguration(algorithm: "crl") == .crl(CRLConfiguration()))
        #expect(options.agentConfiguration(algorithm: "sac") == .sac(SACConfiguration()))
        #expect(options.agentConfiguration(algorithm: "td3") == .td3(TD3Configuration()))
        #expect(options.agentConfiguration(algorithm: "ppo") == nil)
    }

    @Test func everyRunOptionSetsItsField() throws {
        let options = try TrainingOptions.parse([
            "--env-steps", "1000", "--num-envs", "3", "--unroll-length", "7", "--prefill-steps", "5", "--prefill-actions", "agent",
            "--replay-capacity", "99", "--updates-per-round", "4", "--evaluations", "2", "--evaluation-episodes", "6",
            "--episode-length", "40", "--seed", "9", "--threads", "1", "--training-metrics-interval", "10",
            "--evaluation-env", "point-maze-big-far", "--collector-depth", "8", "--matrix-precision", "bfloat16",
        ])
        var expected = TrainerConfiguration()
        (expected.environmentSteps, expected.environmentCount, expected.unrollLength, expected.prefillSteps) = (1000, 3, 7, 5)
        (expected.prefillActions, expected.replayCapacity, expected.updatesPerRound) = (.agent, 99, 4)
        expected.trainingMetricsInterval = 10
        expected.matrixPrecision = .bfloat16
        expected.evaluationEnvironment = "point-maze-big-far"
        var collector = CRLConfiguration()
        (collector.criticDepth, collector.actorDepth) = (8, 8)
        expected.collector = .crl(collector)
        (expected.evaluationCount, expected.evaluationEpisodes, expected.episodeLength, expected.seed, expected.threads) = (2, 6, 40, 9, 1)
        #expect(options.trainerConfiguration(defaultThreads: 2) == expected)
        #expect(options.trainerConfiguration(defaultThreads: 2, algorithm: "td3").collector == AgentConfiguration.td3(TD3Configuration()).withDepth(8))
    }

    @Test func everyAgentOptionSetsItsField() throws {
        let shared = ["--critic-depth", "8", "--actor-depth", "12", "--critic-width", "32", "--actor-width", "16", "--residual", "false",
                      "--layer-norm", "false", "--activation", "relu", "--recompute", "true", "--learning-rate", "0.001",
                      "--batch-size", "64", "--discount", "0.9"]
        func withShared<C>(_ c: inout C, _ depth: WritableKeyPath<C, Int>, _ actorDepth: WritableKeyPath<C, Int>,
                           _ width: WritableKeyPath<C, Int>, _ actorWidth: WritableKeyPath<C, Int>,
                           _ network: WritableKeyPath<C, ResidualMLP.Options>, _ rate: WritableKeyPath<C, Float>,
                           _ batch: WritableKeyPath<C, Int>, _ discount: WritableKeyPath<C, Float>) {
            (c[keyPath: depth], c[keyPath: actorDepth], c[keyPath: width], c[keyPath: actorWidth]) = (8, 12, 32, 16)
            c[keyPath: network] = ResidualMLP.Options(residual: false, layerNorm: false, activation: .relu, recomputesActivations: true)
            (c[keyPath: rate], c[keyPath: batch], c[keyPath: discount]) = (0.001, 64, 0.9)
        }

        var crl = CRLConfiguration()
        withShared(&crl, \.criticDepth, \.actorDepth, \.criticWidth, \.actorWidth, \.networkOptions, \.learningRate, \.batchSize, \.discount)
        (crl.representationSize, crl.energy, crl.objective, crl.logsumexpPenalty) = (16, .dot, .binaryNCE, 0.5)
        (crl.windowLength, crl.actorAveragingRate, crl.targetEntropy) = (50, 0.01, -1)
        let crlOptions = try TrainingOptions.parse(shared + [
            "--representation-size", "16", "--energy", "dot", "--objective", "binary-nce", "--logsumexp-penalty", "0.5",
            "--window-length", "50", "--actor-averaging-rate", "0.01", "--target-entropy=-1"])
        #expect(crlOptions.agentConfiguration(algorithm: "crl") == .crl(crl))

        var sac = SACConfiguration()
        withShared(&sac, \.criticDepth, \.actorDepth, \.criticWidth, \.actorWidth, \.networkOptions, \.learningRate, \.batchSize, \.discount)
        (sac.relabeling.relabelFraction, sac.relabeling.futureGoals, sac.relabeling.futureDiscount) = (0.5, .geometric, 0.9)
        (sac.targetUpdateRate, sac.initialTemperature, sac.targetEntropy) = (0.2, 0.5, -2)
        let sacOptions = try TrainingOptions.parse(shared + [
            "--relabel-fraction", "0.5", "--future-goals", "geometric", "--target-update-rate", "0.2",
            "--initial-temperature", "0.5", "--target-entropy=-2"])
        #expect(sacOptions.agentConfiguration(algorithm: "sac") == .sac(sac))

        var td3 = TD3Configuration()
        withShared(&td3, \.criticDepth, \.actorDepth, \.criticWidth, \.actorWidth, \.networkOptions, \.learningRate, \.batchSize, \.discount)
        td3.relabeling.futureDiscount = 0.9
        (td3.explorationNoise, td3.targetNoise, td3.targetNoiseClip, td3.policyDelay) = (0.3, 0.1, 0.2, 3)
        (td3.actionPenalty, td3.preactivationPenalty) = (1, 0.02)
        let td3Options = try TrainingOptions.parse(shared + [
            "--exploration-noise", "0.3", "--target-noise", "0.1", "--target-noise-clip", "0.2", "--policy-delay", "3",
            "--action-penalty", "1", "--preactivation-penalty", "0.02"])
        #expect(td3Options.agentConfiguration(algorithm: "td3") == .td3(td3))
    }

    @Test func depthAndWidthApplyToBothNetworksUnlessOverridden() throws {
        let c = try TrainingOptions.parse(["--depth", "16", "--actor-depth", "8", "--width", "64"]).crlConfiguration()
        #expect((c.criticDepth, c.actorDepth, c.criticWidth, c.actorWidth) == (16, 8, 64, 64))
    }

    @Test(arguments: [["--energy", "l3"], ["--depth", "four"], ["--residual", "maybe"], ["--future-goals", "past"], ["--seed", "-1"],
                           ["--matrix-precision", "fp8"]])
    func malformedValuesAreUsageErrors(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try TrainingOptions.parse(arguments) }
    }

    @Test func optionsOfAnotherAlgorithmAreRefusedNamingThem() throws {
        let options = try TrainingOptions.parse(["--policy-delay", "3"])
        #expect(throws: Never.self) { try options.validate(for: "td3") }
        #expect {
            try options.validate(for: "crl")
        } throws: { error in
            "\(error)".contains("--policy-delay applies to --algorithm td3 only, not crl")
        }
    }
}

/// Random command lines through the shared options: parsing and validating any of them either
/// works or throws; none traps (a trap would end the test process).
@Suite struct TrainingOptionsFuzzTests {
    @Test func randomCommandLinesParseOrThrow() {
        let flags = ["--env-steps", "--num-envs", "--unroll-length", "--prefill-steps", "--replay-capacity", "--updates-per-round",
                     "--evaluations", "--evaluation-episodes", "--episode-length", "--seed", "--threads", "--training-metrics-interval",
                     "--depth", "--width", "--batch-size", "--learning-rate", "--discount", "--window-length", "--representation-size",
                     "--energy", "--objective", "--policy-delay", "--target-update-rate", "--recompute", "--residual", "--activation"]
        let values = ["0", "-1", "1", "3", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1e300",
                      "nan", "inf", "-0", "0.5", "dot", "relu", "true", "", "🙂", "--depth"]
        var generator = RandomGenerator(seed: 11)
        var parsed = 0
        for _ in 0..<120 {
            var arguments: [String] = []
            for _ in 0..<(1 + generator.nextIndex(below: 4)) {
                let flag = flags[generator.nextIndex(below: flags.count)], value = values[generator.nextIndex(below: values.count)]
                arguments += generator.nextIndex(below: 2) == 0 ? [flag, value] : ["\(flag)=\(value)"]
            }
            guard let options = try? TrainingOptions.parse(arguments) else { continue }
            parsed += 1
            for algorithm in ["crl", "sac", "td3"] {
                _ = try? options.validate(for: algorithm)
                _ = try? options.trainerConfiguration(defaultThreads: 2).validate()
                switch options.agentConfiguration(algorithm: algorithm) {
                case .crl(let c): _ = try? c.validate()
                case .sac(let c): _ = try? c.validate()
                case .td3(let c): _ = try? c.validate()
                case nil: Issue.record("no configuration for \(algorithm)")
                }
            }
        }
        #expect(parsed > 8)
    }
}
