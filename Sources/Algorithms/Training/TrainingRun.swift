import Foundation

/// A run directory opened from code: its settings, its metrics and its trained agent, to evaluate,
/// predict with or resume.
///
/// ```swift
/// let run = try TrainingRun(opening: URL(fileURLWithPath: "runs/crl-point-maze-u"))
/// print(run.configuration.agent.summary, try run.metrics().last?.evaluation.successAny ?? 0)
/// let action = try run.agent.predict(observation)        // the deterministic action
/// let result = try run.evaluate(episodes: 16)
/// ```
///
/// The environment is rebuilt by the name `config.json` records, from `registry`: register a
/// custom environment there under the name it trained with. Opening reads only; it loads the
/// agent, not the replay or the environments (``resume(environmentSteps:)`` does).
public struct TrainingRun {
    /// The run directory.
    public let directory: URL
    /// The run's settings (`config.json`).
    public let configuration: RunConfiguration
    /// The agent with the checkpoint's parameters.
    public let agent: any Agent
    /// Where the run's environment is made.
    public let registry: EnvironmentRegistry
    /// Whether the checkpoint's tensors were checked against checksums it records; false for a
    /// checkpoint written before they were recorded, which loads unchecked.
    public let checksumsVerified: Bool

    /// The name of the environment the run trained on.
    public var environmentName: String { configuration.environment }

    /// Opens the run in `directory`; throws ``AlgorithmsError/checkpoint(_:)`` naming what is
    /// missing or inconsistent (no checkpoint yet, a checkpoint of another environment or agent).
    public init(opening directory: URL, registry: EnvironmentRegistry = .shared) throws {
        let configuration = try RunConfiguration(contentsOf: directory)
        try configuration.trainer.validate()
        let probe = try VectorEnvironment(named: configuration.environment, count: 1, registry: registry)
        let agent = try configuration.agent.makeAgent(for: probe, seed: configuration.trainer.seed)
        let checkpointURL = directory.appendingPathComponent(TrainingCheckpoint.fileName)
        guard FileManager.default.fileExists(atPath: checkpointURL.path) else {
            throw AlgorithmsError.checkpoint(
                "no \(TrainingCheckpoint.fileName) in \(directory.path) (has the run finished its first evaluation?)")
        }
        let file = try SafeTensorsFile(contentsOf: checkpointURL)
        try TrainingCheckpoint.requireIdentity(
            file.metadata, agentName: agent.name, environmentName: configuration.environment,
            environmentSettings: probe.settings, of: checkpointURL)
        checksumsVerified = try TrainingCheckpoint.verifyChecksums(of: file, at: checkpointURL)
        try agent.load(state: TrainingCheckpoint.agentState(in: file))
        self.directory = directory
        self.configuration = configuration
        self.agent = agent
        self.registry = registry
    }

    /// The run's `metrics.jsonl` records, one per evaluation (empty when there is none yet).
    public func metrics() throws -> [MetricsRecord] {
        let url = directory.appendingPathComponent("metrics.jsonl")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try MetricsRecord.read(from: url)
    }

    /// `count` copies of the environment the run evaluates in (its training environment unless
    /// ``TrainerConfiguration/evaluationEnvironment`` names another), with its episode length.
    public func makeEnvironment(count: Int, seed: UInt64) throws -> VectorEnvironment {
        let name = configuration.trainer.evaluationEnvironment ?? environmentName
        let environment = try VectorEnvironment(named: name, count: count, seed: seed, registry: registry)
        if let length = configuration.trainer.episodeLength { environment.episodeLength = length }
        return environment
    }

    /// Runs the deterministic actor on `episodes` fresh episodes, as the trainer's evaluations do.
    public func evaluate(episodes: Int = 64, seed: UInt64 = 1) throws -> EvaluationResult {
        guard episodes >= 1 else {
            throw AlgorithmsError.invalidSetting(name: "episodes", value: "\(episodes)", expected: "at least 1")
        }
        return try Algorithms.evaluate(agent, in: makeEnvironment(count: episodes, seed: seed), seed: seed)
    }

    /// A trainer that continues this run (see ``Trainer/resume(from:environmentSteps:registry:group:)``),
    /// to `environmentSteps` when given.
    public func resume(environmentSteps: Int? = nil) throws -> Trainer {
        try Trainer.resume(from: directory, environmentSteps: environmentSteps, registry: registry)
    }
}
