import Algorithms
import Foundation

/// A finished or interrupted training run read back from its directory for evaluation and
/// pictures: `config.json` rebuilds the agent, `checkpoint.safetensors` restores its networks.
///
/// Unlike `Trainer.resume(from:environmentSteps:registry:)` this reads only, and loads only the
/// agent (not the replay buffer or the environments).
public struct SavedRun {
    /// The run directory.
    public let directory: URL
    /// The name of the environment the run trained on.
    public let environmentName: String
    /// The agent, with the checkpoint's parameters.
    public let agent: any Agent
    /// The run's trainer settings.
    public let trainerConfiguration: TrainerConfiguration

    /// Loads the run in `directory`, making its environment from `registry` to size the agent.
    public init(directory: URL, registry: EnvironmentRegistry = .shared) throws {
        let configuration: RunConfiguration
        do {
            configuration = try RunConfiguration(contentsOf: directory)
        } catch {
            throw PlotsError.unreadableRun(directory, "\(error)")
        }
        if let length = configuration.trainer.episodeLength, length < 2 {
            throw PlotsError.unreadableRun(directory, "config.json's trainer.episodeLength is \(length), expected at least 2")
        }
        let probe = try VectorEnvironment(named: configuration.environment, count: 1, registry: registry)
        let agent = try configuration.agent.makeAgent(for: probe, seed: configuration.trainer.seed)
        let checkpointURL = directory.appendingPathComponent("checkpoint.safetensors")
        guard FileManager.default.fileExists(atPath: checkpointURL.path) else {
            throw PlotsError.unreadableRun(directory, "no checkpoint.safetensors (has the run finished its first evaluation?)")
        }
        let (tensors, metadata) = try Checkpoint.read(from: checkpointURL)
        if let trainedOn = metadata["environment"], trainedOn != configuration.environment {
            throw PlotsError.unreadableRun(
                directory, "checkpoint.safetensors was trained on '\(trainedOn)', but config.json names '\(configuration.environment)'")
        }
        var state: [String: Tensor] = [:]
        for (name, value) in tensors where name.hasPrefix("agent.") { state[String(name.dropFirst(6))] = value }
        try agent.load(state: state)
        self.directory = directory
        environmentName = configuration.environment
        self.agent = agent
        trainerConfiguration = configuration.trainer
    }

    /// The run's `metrics.jsonl` records (empty when there is none yet).
    public func metrics() throws -> [MetricsRecord] {
        let url = directory.appendingPathComponent("metrics.jsonl")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try LearningCurves.read(from: url)
    }
}
