import Foundation

/// Trains a ``CRL`` agent: prefill the replay with the untrained stochastic actor, then rounds of
/// (collect `unrollLength` steps from every environment, then gradient steps on relabeled
/// windows), evaluating the deterministic actor on fresh episodes `evaluationCount` times.
///
/// With an output directory it writes `config.json`, appends one JSON object per evaluation to
/// `metrics.jsonl`, and saves `checkpoint.safetensors` (networks, optimizer moments, counters)
/// atomically after each evaluation. A NaN or infinite loss stops training with
/// ``AlgorithmsError/nonFinite(quantity:step:)`` before anything is saved.
public final class Trainer {
    /// A snapshot passed to the progress callback.
    public struct Progress: Sendable {
        public var environmentSteps: Int
        public var totalEnvironmentSteps: Int
        public var gradientSteps: Int
        public var wallSeconds: Double
        /// The latest evaluation, if any.
        public var lastEvaluation: MetricsRecord?
    }

    public let agent: CRL
    public let environment: VectorEnvironment
    public let evaluationEnvironment: VectorEnvironment
    public let configuration: TrainerConfiguration
    public let output: URL?
    public private(set) var environmentSteps = 0
    public private(set) var gradientSteps = 0
    private var replay: TrajectoryReplayBuffer
    private var generator: RandomGenerator

    /// Prepares a run of `agent` on copies of the environment registered as `environmentName`.
    public init(
        agent: CRL, environmentName: String, configuration: TrainerConfiguration = TrainerConfiguration(),
        output: URL? = nil, registry: EnvironmentRegistry = .shared
    ) throws {
        try configuration.validate()
        let c = configuration
        environment = try VectorEnvironment(
            named: environmentName, count: c.environmentCount, seed: c.seed, threads: c.threads, registry: registry)
        evaluationEnvironment = try VectorEnvironment(
            named: environmentName, count: c.evaluationEpisodes, seed: c.seed ^ 0xE7A1, threads: c.threads, registry: registry)
        if let length = c.episodeLength {
            environment.episodeLength = length
            evaluationEnvironment.episodeLength = length
        }
        guard agent.stateSize == environment.stateSize, agent.goalSize == environment.goalSize,
              agent.actionSize == environment.actionSize
        else {
            throw AlgorithmsError.invalidConfiguration(
                "agent sizes (state \(agent.stateSize), goal \(agent.goalSize), action \(agent.actionSize)) do not match '\(environmentName)' (state \(environment.stateSize), goal \(environment.goalSize), action \(environment.actionSize))")
        }
        self.agent = agent
        self.configuration = c
        self.output = output
        replay = try TrajectoryReplayBuffer(
            environmentCount: c.environmentCount, capacity: c.replayCapacity, stateSize: environment.stateSize,
            actionSize: environment.actionSize, goalRange: environment.goalRange)
        generator = RandomGenerator(seed: c.seed ^ 0x5EED)
        if let output {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let record = RunConfiguration(environment: environmentName, agent: agent.configuration, trainer: c)
            try encoder.encode(record).write(to: output.appendingPathComponent("config.json"), options: .atomic)
        }
    }

    /// Runs the whole configured budget and returns every evaluation.
    public func train(progress: (Progress) -> Void = { _ in }) throws -> [MetricsRecord] {
        let c = configuration
        let start = Date()
        var batch = environment.reset()
        var records: [MetricsRecord] = []
        var lastUpdate: CRLUpdateMetrics?
        let stepsPerRound = c.environmentCount * c.unrollLength
        let trainingSteps = c.environmentSteps - c.environmentCount * c.prefillSteps
        let rounds = Swift.max(1, trainingSteps / stepsPerRound)
        let evaluationRounds = Set((1...c.evaluationCount).map { $0 * rounds / c.evaluationCount })
        var timing = (updates: 0.0, updateCount: 0, collection: 0.0, collected: 0)

        func report(_ evaluation: MetricsRecord?) {
            progress(Progress(
                environmentSteps: environmentSteps, totalEnvironmentSteps: c.environmentCount * c.prefillSteps + rounds * stepsPerRound,
                gradientSteps: gradientSteps, wallSeconds: Date().timeIntervalSince(start), lastEvaluation: evaluation ?? records.last))
        }

        let collectStart = Date()
        try collect(steps: c.prefillSteps, into: &batch)
        timing.collection += Date().timeIntervalSince(collectStart)
        timing.collected += c.prefillSteps * c.environmentCount
        report(nil)
        for round in 1...rounds {
            let roundStart = Date()
            try collect(steps: c.unrollLength, into: &batch)
            let updateStart = Date()
            timing.collection += updateStart.timeIntervalSince(roundStart)
            timing.collected += stepsPerRound
            let batches = try replay.sampleRound(
                windowLength: c.windowLength, discount: c.discount, batchSize: c.batchSize,
                batchCount: c.effectiveUpdatesPerRound, generator: &generator)
            for transitions in batches {
                let metrics = agent.update(transitions, generator: &generator)
                gradientSteps += 1
                for (quantity, value) in [("critic loss", metrics.criticLoss), ("actor loss", metrics.actorLoss), ("alpha loss", metrics.alphaLoss)]
                where !value.isFinite {
                    throw AlgorithmsError.nonFinite(quantity: quantity, step: gradientSteps)
                }
                lastUpdate = metrics
            }
            timing.updates += Date().timeIntervalSince(updateStart)
            timing.updateCount += batches.count
            if evaluationRounds.contains(round) {
                let evaluation = try evaluate(agent, in: evaluationEnvironment, seed: c.seed &+ UInt64(round))
                let record = MetricsRecord(
                    environmentSteps: environmentSteps, gradientSteps: gradientSteps,
                    wallSeconds: Date().timeIntervalSince(start), evaluation: evaluation, update: lastUpdate,
                    updatesPerSecond: Double(timing.updateCount) / Swift.max(timing.updates, 1e-9),
                    environmentStepsPerSecond: Double(timing.collected) / Swift.max(timing.collection, 1e-9))
                records.append(record)
                try save(record)
                report(record)
            } else {
                report(nil)
            }
        }
        return records
    }

    /// Steps every environment `steps` times with the stochastic actor and stores the transitions.
    private func collect(steps: Int, into batch: inout StepBatch) throws {
        let (rows, stateSize, observationSize) = (environment.count, environment.stateSize, environment.observationSize)
        var states = [Float](repeating: 0, count: rows * stateSize)
        var ended = [Bool](repeating: false, count: rows)
        for _ in 0..<steps {
            let actions = agent.act(observations: batch.observations, rows: rows, deterministic: false, generator: &generator)
            for k in 0..<rows {
                for j in 0..<stateSize { states[k * stateSize + j] = batch.observations[k * observationSize + j] }
            }
            try environment.step(actions: actions, into: &batch)
            for k in 0..<rows { ended[k] = batch.terminated[k] || batch.truncated[k] }
            try replay.append(states: states, actions: actions, episodeEnded: ended)
            environmentSteps += rows
        }
    }

    /// Appends `record` to metrics.jsonl and writes the checkpoint.
    private func save(_ record: MetricsRecord) throws {
        guard let output else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(record)
        line.append(0x0A)
        let metricsURL = output.appendingPathComponent("metrics.jsonl")
        if !FileManager.default.fileExists(atPath: metricsURL.path) {
            FileManager.default.createFile(atPath: metricsURL.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: metricsURL)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        try Checkpoint.write(
            agent.state(), metadata: ["env_steps": "\(environmentSteps)", "gradient_steps": "\(gradientSteps)", "agent": agent.name],
            to: output.appendingPathComponent("checkpoint.safetensors"))
    }
}

/// What `config.json` holds.
struct RunConfiguration: Codable {
    var environment: String
    var agent: CRLConfiguration
    var trainer: TrainerConfiguration
}
