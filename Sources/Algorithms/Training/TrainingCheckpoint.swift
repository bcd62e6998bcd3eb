import Foundation

/// Everything a ``Trainer`` needs to continue a run exactly: the agent, the replay buffer, every
/// environment copy, the sampling generator and the counters, in one safetensors file.
struct TrainingCheckpoint {
    var agent: [String: Tensor]
    var replay: TrajectoryReplayBuffer.Storage
    var environments: [EnvironmentSnapshot]
    var counters: Counters

    /// Counters and generator state, stored as exact decimal strings in the file's metadata.
    struct Counters: Equatable {
        var environmentSteps = 0
        var gradientSteps = 0
        var completedRounds = 0
        var generator: UInt64 = 0
        var wallSeconds = 0.0
    }

    static let fileName = "checkpoint.safetensors"

    func write(to url: URL, agentName: String) throws {
        var tensors: [String: SafeTensor] = [:]
        for (name, value) in agent { tensors["agent.\(name)"] = try SafeTensor(shape: value.shape, scalars: value.scalars) }
        tensors["replay.states"] = try SafeTensor(shape: [replay.states.count], scalars: replay.states)
        tensors["replay.actions"] = try SafeTensor(shape: [replay.actions.count], scalars: replay.actions)
        tensors["replay.episode_ids"] = try SafeTensor(shape: [replay.episodeIDs.count], scalars: replay.episodeIDs)
        tensors["replay.next_episode_ids"] = try SafeTensor(shape: [replay.nextEpisodeIDs.count], scalars: replay.nextEpisodeIDs)
        tensors["environment.states"] = try SafeTensor(shape: [environments.count, environments.first?.state.count ?? 0], scalars: environments.flatMap(\.state))
        tensors["environment.goals"] = try SafeTensor(shape: [environments.count, environments.first?.desiredGoal.count ?? 0], scalars: environments.flatMap(\.desiredGoal))
        tensors["environment.elapsed_steps"] = try SafeTensor(shape: [environments.count], scalars: environments.map { Int64($0.elapsedSteps) })
        tensors["environment.generators"] = try SafeTensor(shape: [environments.count], scalars: environments.map(\.generator.state))
        let metadata = [
            "agent": agentName, "env_steps": "\(counters.environmentSteps)", "gradient_steps": "\(counters.gradientSteps)",
            "completed_rounds": "\(counters.completedRounds)", "generator": "\(counters.generator)",
            "wall_seconds": "\(counters.wallSeconds)", "replay_count": "\(replay.count)",
            "replay_write_position": "\(replay.writePosition)",
        ]
        try SafeTensorsFile(tensors: tensors, metadata: metadata).write(to: url)
    }

    /// Reads a checkpoint written for a run with `replay`'s sizes and `environmentCount` copies.
    static func read(from url: URL, replayLike template: TrajectoryReplayBuffer.Storage, environmentCount: Int) throws -> TrainingCheckpoint {
        let file = try SafeTensorsFile(contentsOf: url)
        func number<T: LosslessStringConvertible>(_ key: String, as _: T.Type = T.self) throws -> T {
            guard let text = file.metadata[key], let value = T(text) else {
                throw AlgorithmsError.checkpoint("metadata '\(key)' is missing or malformed in \(url.path)")
            }
            return value
        }
        var agent: [String: Tensor] = [:]
        for name in file.names where name.hasPrefix("agent.") {
            let entry = try file.tensor(named: name)
            guard entry.shape.count <= 4 else { throw AlgorithmsError.checkpoint("tensor '\(name)' has rank \(entry.shape.count), at most 4 expected") }
            agent[String(name.dropFirst(6))] = Tensor(shape: entry.shape, scalars: try file.floats(named: name, shape: entry.shape))
        }
        let slots = template.capacity * template.environmentCount
        var replay = template
        replay.states = try file.floats(named: "replay.states", shape: [slots * template.stateSize])
        replay.actions = try file.floats(named: "replay.actions", shape: [slots * template.actionSize])
        replay.episodeIDs = try exact(file, "replay.episode_ids", shape: [slots], as: UInt32.self)
        replay.nextEpisodeIDs = try exact(file, "replay.next_episode_ids", shape: [template.environmentCount], as: UInt32.self)
        replay.count = try number("replay_count")
        replay.writePosition = try number("replay_write_position")
        let stateSize = template.stateSize, goalSize = template.goalRange.count
        let states = try file.floats(named: "environment.states", shape: [environmentCount, stateSize])
        let goals = try file.floats(named: "environment.goals", shape: [environmentCount, goalSize])
        let elapsed = try exact(file, "environment.elapsed_steps", shape: [environmentCount], as: Int64.self)
        let generators = try exact(file, "environment.generators", shape: [environmentCount], as: UInt64.self)
        let environments = (0..<environmentCount).map { k in
            EnvironmentSnapshot(
                state: Array(states[k * stateSize..<(k + 1) * stateSize]), desiredGoal: Array(goals[k * goalSize..<(k + 1) * goalSize]),
                elapsedSteps: Int(elapsed[k]), generator: SplitMix64(seed: generators[k]))
        }
        let counters = Counters(
            environmentSteps: try number("env_steps"), gradientSteps: try number("gradient_steps"),
            completedRounds: try number("completed_rounds"), generator: try number("generator"), wallSeconds: try number("wall_seconds"))
        return TrainingCheckpoint(agent: agent, replay: replay, environments: environments, counters: counters)
    }

    private static func exact<T: SafeTensorScalar>(_ file: SafeTensorsFile, _ name: String, shape: [Int], as type: T.Type) throws -> [T] {
        let entry = try file.tensor(named: name)
        guard entry.shape == shape else {
            throw AlgorithmsError.checkpoint("tensor '\(name)' has shape \(entry.shape), expected \(shape)")
        }
        return try entry.scalars(as: type)
    }
}
