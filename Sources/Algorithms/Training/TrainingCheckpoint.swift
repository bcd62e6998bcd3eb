import Foundation

/// Everything a ``Trainer`` needs to continue a run exactly: the agent, the replay buffer, every
/// environment copy, the sampling generator and the counters, in one safetensors file.
struct TrainingCheckpoint {
    var agent: [String: Tensor]
    /// The collector's tensors (``TrainerConfiguration/collector``); empty without one.
    var collector: [String: Tensor] = [:]
    var replay: TrajectoryReplayBuffer.Storage
    var environments: [EnvironmentSnapshot]
    var counters: Counters
    /// The processes of the run (``Trainer/group``); 1 alone.
    var processes = 1

    /// Counters and generator state, stored as exact decimal strings in the file's metadata.
    struct Counters: Equatable {
        var environmentSteps = 0
        var gradientSteps = 0
        var completedRounds = 0
        var generator: UInt64 = 0
        var wallSeconds = 0.0
        /// The trained agent's sampling stream when a collector acts; nil without one.
        var learnerGenerator: UInt64?

        /// Throws unless the counters are those of a run that collected `prefillSteps` steps and
        /// then whole rounds of `stepsPerRound` steps and at most `updatesPerRound` gradient steps
        /// each, no more than `maximumRounds` of them, in at most 10¹² seconds (no counter read from
        /// a file can then overflow the trainer's arithmetic).
        func requireConsistent(prefillSteps: Int, stepsPerRound: Int, updatesPerRound: Int, maximumRounds: Int, in url: URL) throws {
            func refuse(_ what: String, expected: String) -> AlgorithmsError {
                .checkpoint("metadata \(what) in \(url.path), expected \(expected)")
            }
            guard completedRounds <= maximumRounds else {
                throw refuse("'completed_rounds' is \(completedRounds)", expected: "at most the \(maximumRounds) rounds of the run's budget")
            }
            let steps = prefillSteps + completedRounds * stepsPerRound
            guard environmentSteps == steps else {
                throw refuse("'env_steps' is \(environmentSteps)",
                             expected: "\(steps): a prefill of \(prefillSteps) and \(completedRounds) rounds of \(stepsPerRound) steps")
            }
            let (updates, overflow) = completedRounds.multipliedReportingOverflow(by: updatesPerRound)
            guard overflow || gradientSteps <= updates else {
                throw refuse("'gradient_steps' is \(gradientSteps)",
                             expected: "at most \(updates): \(updatesPerRound) for each of \(completedRounds) rounds")
            }
            guard wallSeconds <= 1e12 else { throw refuse("'wall_seconds' is \(wallSeconds)", expected: "at most 1e12") }
        }
    }

    static let fileName = "checkpoint.safetensors"

    /// The checkpoint file of `rank` in a run of several processes: rank 0's is ``fileName``
    /// (what ``TrainingRun`` opens), each other rank's `checkpoint.rank-<rank>.safetensors`.
    static func fileName(rank: Int) -> String {
        rank == 0 ? fileName : "checkpoint.rank-\(rank).safetensors"
    }

    /// Writes the checkpoint; its metadata also names the agent and the environment it trained on,
    /// holds the environment's settings (`environment_setting.<name>`, ``GoalEnvironment/settings``)
    /// and the CRC-32C of every tensor's bytes (`crc32c.<tensor>`).
    func write(to url: URL, agentName: String, environmentName: String, environmentSettings: [String: String]) throws {
        var tensors: [String: SafeTensor] = [:]
        for (name, value) in agent { tensors["agent.\(name)"] = try SafeTensor(shape: value.shape, scalars: value.scalars) }
        for (name, value) in collector { tensors["collector.\(name)"] = try SafeTensor(shape: value.shape, scalars: value.scalars) }
        tensors["replay.states"] = try SafeTensor(shape: [replay.states.count], scalars: replay.states)
        tensors["replay.actions"] = try SafeTensor(shape: [replay.actions.count], scalars: replay.actions)
        tensors["replay.episode_ids"] = try SafeTensor(shape: [replay.episodeIDs.count], scalars: replay.episodeIDs)
        tensors["replay.next_episode_ids"] = try SafeTensor(shape: [replay.nextEpisodeIDs.count], scalars: replay.nextEpisodeIDs)
        tensors["environment.states"] = try SafeTensor(shape: [environments.count, environments.first?.state.count ?? 0], scalars: environments.flatMap(\.state))
        tensors["environment.goals"] = try SafeTensor(shape: [environments.count, environments.first?.desiredGoal.count ?? 0], scalars: environments.flatMap(\.desiredGoal))
        tensors["environment.elapsed_steps"] = try SafeTensor(shape: [environments.count], scalars: environments.map { Int64($0.elapsedSteps) })
        tensors["environment.generators"] = try SafeTensor(shape: [environments.count], scalars: environments.map(\.generator.state))
        var metadata = [
            "agent": agentName, "environment": environmentName, "env_steps": "\(counters.environmentSteps)", "gradient_steps": "\(counters.gradientSteps)",
            "completed_rounds": "\(counters.completedRounds)", "generator": "\(counters.generator)",
            "wall_seconds": "\(counters.wallSeconds)", "replay_count": "\(replay.count)",
            "replay_write_position": "\(replay.writePosition)",
        ]
        if let learnerGenerator = counters.learnerGenerator { metadata["learner_generator"] = "\(learnerGenerator)" }
        if processes > 1 { metadata["processes"] = "\(processes)" }
        for (name, value) in environmentSettings { metadata[Self.settingKey + name] = value }
        for (name, tensor) in tensors { metadata[Self.checksumKey(of: name)] = String(CRC32C.checksum(tensor.bytes), radix: 16) }
        try SafeTensorsFile(tensors: tensors, metadata: metadata).write(to: url)
    }

    /// Reads a checkpoint written for a run of `agentName` on `environmentName` (whose settings are
    /// now `environmentSettings`) with `replay`'s sizes and `environmentCount` copies; see
    /// ``requireIdentity(_:agentName:environmentName:environmentSettings:of:)`` for what is refused.
    static func read(
        from url: URL, agentName: String, environmentName: String, environmentSettings: [String: String],
        replayLike template: TrajectoryReplayBuffer.Storage, environmentCount: Int
    ) throws -> TrainingCheckpoint {
        let file = try SafeTensorsFile(contentsOf: url)
        try requireIdentity(
            file.metadata, agentName: agentName, environmentName: environmentName, environmentSettings: environmentSettings, of: url)
        try verifyChecksums(of: file, at: url)
        func number<T: LosslessStringConvertible & Comparable>(_ key: String, as _: T.Type = T.self, atLeast minimum: T) throws -> T {
            guard let text = file.metadata[key], let value = T(text), value >= minimum else {
                throw AlgorithmsError.checkpoint("metadata '\(key)' is missing, malformed or below \(minimum) in \(url.path)")
            }
            return value
        }
        let agent = try agentState(in: file)
        let collector = try agentState(in: file, prefix: "collector.")
        let slots = template.capacity * template.environmentCount
        var replay = template
        replay.states = try file.floats(named: "replay.states", shape: [slots * template.stateSize])
        replay.actions = try file.floats(named: "replay.actions", shape: [slots * template.actionSize])
        replay.episodeIDs = try exact(file, "replay.episode_ids", shape: [slots], as: UInt32.self)
        replay.nextEpisodeIDs = try exact(file, "replay.next_episode_ids", shape: [template.environmentCount], as: UInt32.self)
        replay.count = try number("replay_count", atLeast: 0)
        replay.writePosition = try number("replay_write_position", atLeast: 0)
        let stateSize = template.stateSize, goalSize = template.goalRange.count
        let states = try file.floats(named: "environment.states", shape: [environmentCount, stateSize])
        let goals = try file.floats(named: "environment.goals", shape: [environmentCount, goalSize])
        let elapsed = try exact(file, "environment.elapsed_steps", shape: [environmentCount], as: Int64.self)
        let generators = try exact(file, "environment.generators", shape: [environmentCount], as: UInt64.self)
        let environments = (0..<environmentCount).map { k in
            EnvironmentSnapshot(
                state: Array(states[k * stateSize..<(k + 1) * stateSize]), desiredGoal: Array(goals[k * goalSize..<(k + 1) * goalSize]),
                elapsedSteps: Int(elapsed[k]), generator: RandomGenerator(seed: generators[k]))
        }
        let wallSeconds = try number("wall_seconds", as: Double.self, atLeast: 0)
        guard wallSeconds.isFinite else { throw AlgorithmsError.checkpoint("metadata 'wall_seconds' is not finite in \(url.path)") }
        let counters = Counters(
            environmentSteps: try number("env_steps", atLeast: 0), gradientSteps: try number("gradient_steps", atLeast: 0),
            completedRounds: try number("completed_rounds", atLeast: 0), generator: try number("generator", atLeast: 0),
            wallSeconds: wallSeconds,
            learnerGenerator: file.metadata["learner_generator"] == nil ? nil : try number("learner_generator", as: UInt64.self, atLeast: 0))
        let processes = file.metadata["processes"] == nil ? 1 : try number("processes", atLeast: 1)
        return TrainingCheckpoint(
            agent: agent, collector: collector, replay: replay, environments: environments, counters: counters, processes: processes)
    }

    /// The agent's tensors (`agent.…`, or the collector's under `collector.`), by their names in
    /// ``Agent/state()``; throws for a tensor holding NaN or infinity (training stops before it
    /// would save one).
    static func agentState(in file: SafeTensorsFile, prefix: String = "agent.") throws -> [String: Tensor] {
        var agent: [String: Tensor] = [:]
        for name in file.names where name.hasPrefix(prefix) {
            let entry = try file.tensor(named: name)
            guard entry.shape.count <= 4 else { throw AlgorithmsError.checkpoint("tensor '\(name)' has rank \(entry.shape.count), at most 4 expected") }
            let scalars = try file.floats(named: name, shape: entry.shape)
            if let index = scalars.firstIndex(where: { !$0.isFinite }) {
                throw AlgorithmsError.checkpoint("tensor '\(name)' holds \(scalars[index]) at element \(index), expected finite numbers")
            }
            agent[String(name.dropFirst(prefix.count))] = Tensor(shape: entry.shape, scalars: scalars)
        }
        return agent
    }

    private static func checksumKey(of tensor: String) -> String { "crc32c.\(tensor)" }

    /// Checks every tensor's bytes against the CRC-32C its metadata records, throwing for the first
    /// that differs, naming it; returns false for a file written before checksums were recorded
    /// (nothing to check), true otherwise.
    @discardableResult
    static func verifyChecksums(of file: SafeTensorsFile, at url: URL) throws -> Bool {
        guard file.metadata.keys.contains(where: { $0.hasPrefix("crc32c.") }) else { return false }
        for name in file.names {
            let entry = try file.tensor(named: name)
            guard let recorded = file.metadata[checksumKey(of: name)] else {
                throw AlgorithmsError.checkpoint("tensor '\(name)' in \(url.path) has no checksum, though the others have")
            }
            let actual = String(CRC32C.checksum(entry.bytes), radix: 16)
            guard actual == recorded else {
                throw AlgorithmsError.checkpoint(
                    "tensor '\(name)' in \(url.path) is corrupt: its bytes have CRC-32C \(actual), the checkpoint recorded \(recorded)")
            }
        }
        return true
    }

    /// Throws when `metadata` names an agent or environment other than the expected ones, or
    /// records environment settings that differ from the environment's `environmentSettings` now
    /// (a task changed since the run: its physics, goals or layout). Files written before these
    /// were recorded name no agent or environment and hold no settings, and pass.
    static func requireIdentity(
        _ metadata: [String: String], agentName: String, environmentName: String, environmentSettings: [String: String], of url: URL
    ) throws {
        for (key, expected) in [("agent", agentName), ("environment", environmentName)] {
            if let recorded = metadata[key], recorded != expected {
                throw AlgorithmsError.checkpoint(
                    "\(url.path) was trained with \(key) '\(recorded)', but config.json names '\(expected)'")
            }
        }
        var recorded: [String: String] = [:]
        for (key, value) in metadata where key.hasPrefix(settingKey) { recorded[String(key.dropFirst(settingKey.count))] = value }
        guard !recorded.isEmpty else { return }
        for name in Set(recorded.keys).union(environmentSettings.keys).sorted() where recorded[name] != environmentSettings[name] {
            throw AlgorithmsError.checkpoint(
                "\(url.path) was trained on '\(environmentName)' with \(name) = \(recorded[name] ?? "(not set)"), but "
                    + "'\(environmentName)' now has \(name) = \(environmentSettings[name] ?? "(not set)"); "
                    + "register an environment with the run's settings, or train anew")
        }
    }

    /// The metadata key prefix of the environment's settings.
    private static let settingKey = "environment_setting."

    private static func exact<T: SafeTensorScalar>(_ file: SafeTensorsFile, _ name: String, shape: [Int], as type: T.Type) throws -> [T] {
        let entry = try file.tensor(named: name)
        guard entry.shape == shape else {
            throw AlgorithmsError.checkpoint("tensor '\(name)' has shape \(entry.shape), expected \(shape)")
        }
        return try entry.scalars(as: type)
    }
}
