import Foundation
import Testing
@testable import Algorithms

@Suite struct TrainerTests {
    func smallAgent(learningRate: Float = 3e-4, actorAveragingRate: Float? = nil, batchSize: Int = 8) throws -> CRL {
        var c = CRLConfiguration()
        c.actorAveragingRate = actorAveragingRate
        c.criticWidth = 16
        c.actorWidth = 16
        c.representationSize = 8
        c.learningRate = learningRate
        c.windowLength = 20
        c.batchSize = batchSize
        return try CRL(stateSize: 4, goalSize: 2, actionSize: 2, configuration: c, seed: 3)
    }

    func smallConfiguration() -> TrainerConfiguration {
        var c = TrainerConfiguration()
        c.environmentCount = 4
        c.unrollLength = 10
        c.prefillSteps = 20
        c.replayCapacity = 100
        c.updatesPerRound = 2
        c.evaluationCount = 2
        c.evaluationEpisodes = 2
        c.trainingMetricsInterval = 1
        c.episodeLength = 30
        c.environmentSteps = 4 * 20 + 6 * 40
        c.seed = 11
        return c
    }

    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("deepcrl-\(UUID().uuidString)")
    }

    /// The learning-related fields of each metrics line (timings differ between runs).
    func learningMetrics(_ directory: URL) throws -> [[String: Double]] {
        let text = try String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Double]
            for key in ["wall_seconds", "updates_per_second", "env_steps_per_second"] { object[key] = nil }
            return object
        }
    }

    @Test func writesConfigMetricsAndCheckpoint() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: directory)
        var progressCalls = 0
        let records = try trainer.train { _ in progressCalls += 1 }
        #expect(records.count == 2)
        #expect(progressCalls == 7)
        #expect(trainer.environmentSteps == 320 && trainer.gradientSteps == 12)
        let lines = try learningMetrics(directory)
        #expect(lines.count == 2)
        for key in ["env_steps", "gradient_steps", "success_any", "time_at_goal", "success_final", "critic_loss", "actor_loss",
                    "alpha", "categorical_accuracy", "logits_pos", "logits_neg"] {
            #expect(lines[1][key] != nil, "metrics.jsonl lacks \(key)")
        }
        #expect(lines[1]["env_steps"] == 320)
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("config.json"))) as! [String: Any]
        #expect(config["environment"] as? String == "point-maze-u")
        let (tensors, metadata) = try Checkpoint.read(from: directory.appendingPathComponent("checkpoint.safetensors"))
        #expect(metadata["env_steps"] == "320")
        #expect(tensors["agent.log_alpha"]?.shape == [1])

        // The same evaluations as a table, and TensorBoard's event file.
        let table = try String(contentsOf: directory.appendingPathComponent("metrics.csv"), encoding: .utf8).split(separator: "\n")
        #expect(table.count == 3 && table[0].hasPrefix("env_steps,gradient_steps,wall_seconds,success_any"))
        #expect(table[0].contains("critic_loss") && table[2].hasPrefix("320,12,"))
        let eventFiles = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("events.out.tfevents.") }
        #expect(eventFiles.count == 1)
        let events = try TensorBoardTests.readEvents(Data(contentsOf: directory.appendingPathComponent(eventFiles[0])))
        let tagged = events.compactMap { event in event.values.map { (event.step, Set($0.map(\.tag))) } }
        // Every gradient step, 1 to 12, is logged at an interval of 1 (two per round, six rounds).
        #expect(tagged.filter { $0.1.contains("train/critic_loss") && $0.1.contains("rate/updates_per_second") }.map(\.0) == Array(1...12))
        #expect(tagged.filter { $0.1 == ["eval/success_any", "eval/time_at_goal", "eval/success_final"] }.map(\.0) == [200, 320])
    }

    /// A callback stops training cleanly: the checkpoint is written where it stopped, and the run
    /// resumed from it ends where an uninterrupted one ends.
    @Test func aCallbackStopsTrainingAndTheRunResumes() throws {
        let straight = temporaryDirectory(), stopped = temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: stopped)
        }
        let reference = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: straight)
        _ = try reference.train()

        do {  // the first trainer ends here, releasing the run directory as its process would
            let first = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: stopped)
            var seen: [Int] = []
            _ = try first.train(progress: { seen.append($0.environmentSteps) }, stopWhen: { $0.environmentSteps >= 4 * 20 + 4 * 40 })
            #expect(seen == [80, 120, 160, 200, 240])  // the prefill, then rounds 1 to 4
            #expect(first.completedRounds == 4)
        }
        let resumed = try Trainer.resume(from: stopped)
        #expect(resumed.completedRounds == 4)
        _ = try resumed.train()
        #expect(resumed.agent.state() == reference.agent.state())
        #expect(try learningMetrics(stopped) == learningMetrics(straight))
    }

    /// Resuming never deletes a metrics line: those after the checkpoint, and those that are not
    /// records, move as they were to the side file; the kept ones stay byte for byte.
    @Test func resumeSetsAsideMetricsLinesInsteadOfDeletingThem() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let first = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: directory)
            _ = try first.train(stoppingAfterRound: 3)  // the first evaluation and checkpoint at 200 steps
        }
        let metricsURL = directory.appendingPathComponent("metrics.jsonl")
        let written = try String(contentsOf: metricsURL, encoding: .utf8)
        let later = written.replacingOccurrences(of: "\"env_steps\":200", with: "\"env_steps\":240").trimmingCharacters(in: .newlines)
        let strangers = [later, "not a record {", "{\"env_steps\":120,\"note\":\"a field of its own\"}"]
        try (written + strangers.joined(separator: "\n") + "\n").write(to: metricsURL, atomically: true, encoding: .utf8)

        _ = try Trainer.resume(from: directory)
        #expect(try String(contentsOf: metricsURL, encoding: .utf8) == written)
        let aside = try String(contentsOf: directory.appendingPathComponent(Trainer.setAsideMetricsFileName), encoding: .utf8)
        #expect(aside == strangers.joined(separator: "\n") + "\n")
    }

    /// A directory whose run never reached a checkpoint (here: the checkpoint's write failed) takes
    /// a new run, keeping the old metrics aside; one with a checkpoint is refused.
    @Test func aRunWithoutACheckpointCanBeRetried() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: directory).train()
        #expect {
            _ = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: directory)
        } throws: { error in
            "\(error)".contains("already holds a run")
        }
        let old = try String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("checkpoint.safetensors"))
        let retry = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: directory)
        #expect(try String(contentsOf: directory.appendingPathComponent(Trainer.setAsideMetricsFileName), encoding: .utf8) == old)
        #expect(try retry.train().count == 2)
    }

    /// A run whose activations alone could never fit (over 200 GB here) is refused before anything
    /// large is allocated, naming the estimate, the machine's memory and what to change.
    @Test func aRunThatCannotFitInMemoryIsRefusedNamingBothNumbers() throws {
        var agentSettings = CRLConfiguration()
        (agentSettings.criticWidth, agentSettings.actorWidth, agentSettings.representationSize) = (32, 32, 8)
        (agentSettings.criticDepth, agentSettings.actorDepth, agentSettings.batchSize) = (1024, 1024, 1 << 20)
        var run = TrainerConfiguration()
        (run.environmentCount, run.evaluationEpisodes, run.episodeLength) = (1100, 2, 30)
        let probe = try VectorEnvironment(named: "point-maze-u", count: 1)
        #expect {
            _ = try Trainer(agent: try CRL(for: probe, configuration: agentSettings), environmentName: "point-maze-u", configuration: run)
        } throws: { error in
            "\(error)".contains("memory of the run is at least 2") && "\(error)".contains("expected at most this machine's")
                && "\(error)".contains("--recompute true")
        }
    }

    /// A finished run resumed with a larger budget trains on to it, and ends where a run given that
    /// budget from the start ends (evaluations draw from their own generators).
    @Test func aFinishedRunExtendsToALargerBudget() throws {
        let straight = temporaryDirectory(), extended = temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: extended)
        }
        var longer = smallConfiguration()
        longer.environmentSteps = 4 * 20 + 9 * 40
        let reference = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: longer, output: straight)
        _ = try reference.train()

        _ = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: extended).train()
        #expect(throws: AlgorithmsError.self) { _ = try Trainer.resume(from: extended, environmentSteps: 100) }
        #expect(try RunConfiguration(contentsOf: extended).trainer.environmentSteps == smallConfiguration().environmentSteps)
        let resumed = try Trainer.resume(from: extended, environmentSteps: longer.environmentSteps)
        #expect(resumed.completedRounds == 6)
        let records = try resumed.train()
        #expect(resumed.completedRounds == 9 && resumed.environmentSteps == longer.environmentSteps && !records.isEmpty)
        #expect(resumed.agent.state() == reference.agent.state())
        #expect(try RunConfiguration(contentsOf: extended).trainer.environmentSteps == longer.environmentSteps)
    }

    @Test(arguments: [nil, 0.05] as [Float?])
    func resumeContinuesBitIdentically(actorAveragingRate: Float?) throws {
        let straight = temporaryDirectory(), interrupted = temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: interrupted)
        }
        let reference = try Trainer(
            agent: try smallAgent(actorAveragingRate: actorAveragingRate), environmentName: "point-maze-u",
            configuration: smallConfiguration(), output: straight)
        _ = try reference.train()

        let stoppedAt = try {  // the first trainer ends here, as its process would
            let first = try Trainer(agent: try smallAgent(actorAveragingRate: actorAveragingRate), environmentName: "point-maze-u", configuration: smallConfiguration(), output: interrupted)
            _ = try first.train(stoppingAfterRound: 2)
            #expect(first.completedRounds == 2)
            return first.environmentSteps
        }()
        let resumed = try Trainer.resume(from: interrupted)
        #expect(resumed.completedRounds == 2 && resumed.environmentSteps == stoppedAt)
        _ = try resumed.train()

        #expect(resumed.agent.state() == reference.agent.state())
        #expect(try learningMetrics(interrupted) == learningMetrics(straight))
    }

    @Test func aSecondTrainerCannotWriteIntoARunInUse() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var first: Trainer? = try Trainer(
            agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: directory)
        _ = try first?.train(stoppingAfterRound: 1)
        #expect {
            _ = try Trainer.resume(from: directory)
        } throws: { error in
            "\(error)".contains("in use by another training")
        }
        first = nil
        #expect(try Trainer.resume(from: directory).completedRounds == 1)
    }

    @Test func aCollectorTrainsAsARunOfItsOwnWhileTheAgentLearnsFromItsDataAndBothResume() throws {
        let alone = temporaryDirectory(), collected = temporaryDirectory(), interrupted = temporaryDirectory()
        defer { for directory in [alone, collected, interrupted] { try? FileManager.default.removeItem(at: directory) } }
        let collectorSettings = try smallAgent().agentConfiguration
        let probe = try VectorEnvironment(named: "point-maze-u", count: 1)
        let own = try collectorSettings.makeAgent(for: probe, seed: smallConfiguration().seed)  // as a run starts its agent
        _ = try Trainer(agent: own, environmentName: "point-maze-u", configuration: smallConfiguration(), output: alone).train()
        var c = smallConfiguration()
        c.collector = collectorSettings
        // The learner: other settings (a larger learning rate), its own network and sampling.
        let learner = try Trainer(agent: try smallAgent(learningRate: 1e-3), environmentName: "point-maze-u", configuration: c, output: collected)
        let untrained = learner.agent.state()
        _ = try learner.train()
        do {  // the same, stopped after a round and resumed
            _ = try Trainer(agent: try smallAgent(learningRate: 1e-3), environmentName: "point-maze-u", configuration: c, output: interrupted)
                .train(stoppingAfterRound: 1)
        }
        _ = try Trainer.resume(from: interrupted).train()

        func tensors(_ directory: URL, _ prefix: String) throws -> [String: SafeTensor] {
            let file = try SafeTensorsFile(contentsOf: directory.appendingPathComponent("checkpoint.safetensors"))
            return Dictionary(uniqueKeysWithValues: file.tensors.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) })
        }
        // The collector gathered the same data and reached the same weights as the agent of a run of its own.
        #expect(try tensors(collected, "collector.") == tensors(alone, "agent."))
        #expect(try tensors(collected, "replay.") == tensors(alone, "replay."))
        #expect(try !tensors(collected, "replay.").isEmpty)
        // The learner trained (its weights moved) and is not the collector.
        let learned = try tensors(collected, "agent.")
        #expect(try learned != tensors(alone, "agent."))
        let moved = try untrained.filter { name, value in try learned[name]?.floats != value.scalars }
        #expect(!moved.isEmpty)
        // Resumed, the run ends exactly where the uninterrupted one did.
        #expect(try tensors(interrupted, "") == tensors(collected, ""))
        #expect(try TrainingRun(opening: collected).configuration.trainer.collector == collectorSettings)
    }

    @Test func evaluationsRunInTheEvaluationEnvironmentWhichTheRunRecords() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var c = smallConfiguration()
        c.evaluationEnvironment = "point-maze-big-far"
        let trainer = try Trainer(agent: try smallAgent(), environmentName: "point-maze-big-near", configuration: c, output: directory)
        func pairDistance(_ environment: VectorEnvironment) -> ClosedRange<Int>? {
            (environment.environments[0] as? PointMaze)?.configuration.pairDistance
        }
        #expect(pairDistance(trainer.environment) == EnvironmentRegistry.nearPairs)
        #expect(pairDistance(trainer.evaluationEnvironment) == EnvironmentRegistry.farPairs)
        _ = try trainer.train(stoppingAfterRound: 1)
        let run = try TrainingRun(opening: directory)
        #expect(run.configuration.trainer.evaluationEnvironment == "point-maze-big-far")
        #expect(pairDistance(try run.makeEnvironment(count: 1, seed: 0)) == EnvironmentRegistry.farPairs)

        // An evaluation environment of other sizes is refused, naming both.
        let registry = EnvironmentRegistry()
        registry.register("line") { LineTask() }
        c.evaluationEnvironment = "line"
        #expect {
            _ = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: c, registry: registry)
        } throws: { error in
            "\(error)".contains("'line'") && "\(error)".contains("'point-maze-u'")
        }
    }

    @Test func resumeRefusesACheckpointOfAnotherEnvironmentOrWithImpossibleCounters() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: directory)
            .train(stoppingAfterRound: 1)
        let configURL = directory.appendingPathComponent("config.json")
        let original = try Data(contentsOf: configURL)
        var config = try JSONSerialization.jsonObject(with: original) as! [String: Any]
        config["environment"] = "point-maze-big"  // the same sizes: only the recorded name tells them apart
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        #expect {
            _ = try Trainer.resume(from: directory)
        } throws: { error in
            "\(error)".contains("'point-maze-u'") && "\(error)".contains("'point-maze-big'")
        }
        try original.write(to: configURL)

        let checkpointURL = directory.appendingPathComponent("checkpoint.safetensors")
        let good = try SafeTensorsFile(contentsOf: checkpointURL)
        let impossible = [
            ("env_steps", "-5"), ("completed_rounds", "-1"), ("wall_seconds", "inf"), ("gradient_steps", "x"),
            // Values that parse but no run of these settings reaches (Int.max used to trap on overflow).
            ("gradient_steps", "\(Int.max)"), ("completed_rounds", "\(Int.max)"), ("completed_rounds", "2"),
            ("env_steps", "\(Int.max)"), ("env_steps", "1"), ("wall_seconds", "1e20"),
        ]
        for (key, value) in impossible {
            var file = good
            file.metadata[key] = value
            try file.write(to: checkpointURL)
            #expect(throws: AlgorithmsError.self, "\(key) = \(value)") { _ = try Trainer.resume(from: directory) }
        }
        try good.write(to: checkpointURL)
        #expect(try Trainer.resume(from: directory).completedRounds == 1)
    }

    @Test func resumesARunWhoseConfigLacksNewerKeys() throws {
        let straight = temporaryDirectory(), interrupted = temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: interrupted)
        }
        let reference = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: straight)
        _ = try reference.train()
        do {  // the first trainer ends here, as its process would
            let first = try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: smallConfiguration(), output: interrupted)
            _ = try first.train(stoppingAfterRound: 2)
        }

        // Remove two keys, as if an older version had written the file; both hold their defaults.
        let url = interrupted.appendingPathComponent("config.json")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var trainer = config["trainer"] as! [String: Any]
        trainer["discount"] = nil
        config["trainer"] = trainer
        var agent = config["agent"] as! [String: Any]
        agent["logsumexpPenalty"] = nil
        config["agent"] = agent
        try JSONSerialization.data(withJSONObject: config).write(to: url)

        let resumed = try Trainer.resume(from: interrupted)
        _ = try resumed.train()
        #expect(resumed.agent.state() == reference.agent.state())
        #expect(try learningMetrics(interrupted) == learningMetrics(straight))
    }

    @Test func nonFiniteLossStopsWithoutTouchingTheLastCheckpoint() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = try Trainer(
            agent: try smallAgent(learningRate: .greatestFiniteMagnitude), environmentName: "point-maze-u",
            configuration: smallConfiguration(), output: directory)
        let checkpoint = directory.appendingPathComponent("checkpoint.safetensors")
        let previous = Data("last good checkpoint".utf8)
        try previous.write(to: checkpoint)
        #expect {
            _ = try trainer.train()
        } throws: { error in
            guard case AlgorithmsError.nonFinite(let quantity, let step)? = error as? AlgorithmsError else { return false }
            return quantity.hasSuffix("loss") && step >= 1
        }
        #expect(try Data(contentsOf: checkpoint) == previous)
    }

    @Test func impossibleSettingsAreRefusedUpFront() throws {
        #expect(throws: AlgorithmsError.self) {
            try Trainer(agent: try smallAgent(batchSize: 1000), environmentName: "point-maze-u", configuration: smallConfiguration())
        }
        var c = smallConfiguration()
        c.environmentSteps = 10
        #expect(throws: AlgorithmsError.self) { try c.validate() }
        for change in [{ $0.environmentCount = .max }, { $0.evaluationCount = .max }, { $0.evaluationEpisodes = .max },
                       { $0.unrollLength = .max }, { $0.episodeLength = .max }, { $0.threads = .max }] as [(inout TrainerConfiguration) -> Void] {
            c = smallConfiguration()
            change(&c)
            #expect(throws: AlgorithmsError.self) { try c.validate() }
        }
        c = smallConfiguration()
        c.updatesPerRound = 0
        #expect(throws: AlgorithmsError.self) { try c.validate() }
        c.updatesPerRound = 1000
        #expect {
            try Trainer(agent: try smallAgent(), environmentName: "point-maze-u", configuration: c)
        } throws: { error in
            "\(error)".contains("between 1 and 9")  // 4 environments × (window 20 − 1) / batch 8
        }
        #expect(throws: EnvironmentError.self) {
            try Trainer(agent: try smallAgent(), environmentName: "no-such-maze", configuration: smallConfiguration())
        }
    }

    @Test func anyEnvironmentCountAndBatchSizeWork() throws {
        var c = smallConfiguration()
        c.environmentCount = 3
        c.unrollLength = 7
        c.environmentSteps = 3 * 20 + 2 * 21
        c.updatesPerRound = nil
        let trainer = try Trainer(agent: try smallAgent(batchSize: 7), environmentName: "point-maze-u", configuration: c)
        #expect(trainer.updatesPerRound == 5)  // the paper's ratio, (800 · 3 + 256) / 512, under the cap 3 · 19 / 7 = 8
        _ = try trainer.train()
        #expect(trainer.completedRounds == 2)
        #expect(trainer.gradientSteps == 2 * trainer.updatesPerRound)
    }

    @Test func updatesPerRoundFollowThePapersRatioUnderTheAgentsCap() {
        var c = TrainerConfiguration()                                // 128 environments: 800 · 128 / 512 = 200
        #expect(c.effectiveUpdatesPerRound(maximum: .max) == 200)
        #expect(c.effectiveUpdatesPerRound(maximum: 150) == 150)
        c.environmentCount = 1
        #expect(c.effectiveUpdatesPerRound(maximum: .max) == 2)     // (800 + 256) / 512, at least 1
        c.updatesPerRound = 7
        #expect(c.effectiveUpdatesPerRound(maximum: 3) == 7)        // an explicit setting is checked by the Trainer
    }

    @Test func prefillUsesUniformActionsUnlessAskedForTheAgent() throws {
        #expect(TrainerConfiguration().prefillActions == .uniform)
        for choice in [PrefillActions.agent, .uniform] {
            let agent = CountingAgent(try smallAgent())
            var c = smallConfiguration()
            c.prefillActions = choice
            let trainer = try Trainer(agent: agent, environmentName: "point-maze-u", configuration: c)
            _ = try trainer.train(stoppingAfterRound: 0)
            let actions = trainer.replay.actions.prefix(trainer.replay.count * c.environmentCount * 2)
            #expect(actions.count == c.effectivePrefillSteps * c.environmentCount * 2)
            #expect(actions.allSatisfy { (-1...1).contains($0) })
            if choice == .uniform {
                #expect(agent.stochasticActions == 0)
                let mean = actions.reduce(0, +) / Float(actions.count)
                let variance = actions.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(actions.count)
                #expect(abs(mean) < 0.15 && abs(variance - 1 / 3) < 0.08, "mean \(mean), variance \(variance)")
            } else {
                #expect(agent.stochasticActions == c.effectivePrefillSteps)
            }
        }
    }
}

/// Forwards to an agent and counts its stochastic `act` calls.
final class CountingAgent: Agent {
    let base: any Agent
    var stochasticActions = 0
    init(_ base: any Agent) { self.base = base }
    var name: String { base.name }
    var stateSize: Int { base.stateSize }
    var goalSize: Int { base.goalSize }
    var actionSize: Int { base.actionSize }
    var agentConfiguration: AgentConfiguration { base.agentConfiguration }
    func act(observations: [Float], rows: Int, deterministic: Bool, generator: inout RandomGenerator) -> [Float] {
        if !deterministic { stochasticActions += 1 }
        return base.act(observations: observations, rows: rows, deterministic: deterministic, generator: &generator)
    }
    func train(on replay: TrajectoryReplayBuffer, steps: Int, firstStep: Int, generator: inout RandomGenerator) throws -> [[String: Float]] {
        try base.train(on: replay, steps: steps, firstStep: firstStep, generator: &generator)
    }
    func maximumUpdatesPerRound(environmentCount: Int, storedSteps: Int) throws -> Int {
        try base.maximumUpdatesPerRound(environmentCount: environmentCount, storedSteps: storedSteps)
    }
    func state() -> [String: Tensor] { base.state() }
    func load(state: [String: Tensor]) throws { try base.load(state: state) }
    var optimizers: [Adam] { base.optimizers }
}

/// A one-dimensional task, for sizes unlike a point maze's.
final class LineTask: BaseGoalEnvironment {
    init() { super.init(stateSize: 1, goalSize: 1, actionSize: 1, goalRange: 0..<1, successThreshold: 0.1, episodeLength: 10) }
    override func advance(state: inout [Float], action: [Float]) { state[0] += 0.1 * action[0] }
}
