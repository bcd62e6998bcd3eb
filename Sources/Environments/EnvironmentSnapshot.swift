/// Everything that decides how an episode of a ``BaseGoalEnvironment`` continues: the state, the
/// desired goal, the steps taken and the random generator. Checkpoints store it so a training run
/// can resume exactly. (A subclass that keeps state of its own outside `state` is not covered.)
public struct EnvironmentSnapshot: Equatable, Sendable {
    /// The state vector.
    public var state: [Float]
    /// The goal of the current episode.
    public var desiredGoal: [Float]
    /// Steps taken in the current episode.
    public var elapsedSteps: Int
    /// The environment's random generator, which decides the next resets.
    public var generator: RandomGenerator

    /// Creates a snapshot.
    public init(state: [Float], desiredGoal: [Float], elapsedSteps: Int, generator: RandomGenerator) {
        self.state = state
        self.desiredGoal = desiredGoal
        self.elapsedSteps = elapsedSteps
        self.generator = generator
    }
}

extension VectorEnvironment {
    /// The snapshot of every copy, in row order.
    /// - Throws: ``EnvironmentError/invalidSetting(name:value:expected:)`` when a copy is not a
    ///   ``BaseGoalEnvironment`` (only those expose their full state).
    public func snapshot() throws -> [EnvironmentSnapshot] {
        try environments.enumerated().map { copy, environment in
            guard let base = environment as? BaseGoalEnvironment else {
                throw EnvironmentError.invalidSetting(
                    name: "copy \(copy)", value: "\(type(of: environment))", expected: "a BaseGoalEnvironment subclass to take a snapshot")
            }
            return base.snapshot()
        }
    }

    /// Puts every copy back into a snapshot and writes the matching observations into `batch`.
    /// Throws, changing nothing, when the count or any size does not match.
    public func restore(_ snapshots: [EnvironmentSnapshot], into batch: inout StepBatch) throws {
        guard snapshots.count == count else {
            throw EnvironmentError.invalidSetting(name: "snapshots", value: "\(snapshots.count)", expected: "\(count), one per copy")
        }
        let bases = try environments.enumerated().map { copy, environment in
            guard let base = environment as? BaseGoalEnvironment else {
                throw EnvironmentError.invalidSetting(
                    name: "copy \(copy)", value: "\(type(of: environment))", expected: "a BaseGoalEnvironment subclass to restore a snapshot")
            }
            try base.validate(snapshots[copy])
            return base
        }
        batch = StepBatch(count: count, observationSize: observationSize, goalSize: goalSize)
        for (copy, base) in bases.enumerated() {
            base.restore(snapshots[copy])
            let row = base.state + base.desiredGoal
            batch.observations.replaceSubrange(copy * observationSize..<(copy + 1) * observationSize, with: row)
            batch.achievedGoals.replaceSubrange(copy * goalSize..<(copy + 1) * goalSize, with: base.achievedGoal)
        }
        markReset()
    }
}

extension BaseGoalEnvironment {
    /// The current episode's snapshot.
    public final func snapshot() -> EnvironmentSnapshot {
        EnvironmentSnapshot(state: state, desiredGoal: desiredGoal, elapsedSteps: elapsedSteps, generator: generator)
    }

    /// Throws when `snapshot` does not fit this environment's sizes.
    public final func validate(_ snapshot: EnvironmentSnapshot) throws {
        guard snapshot.state.count == stateSize, snapshot.desiredGoal.count == goalSize,
              snapshot.elapsedSteps >= 0, snapshot.elapsedSteps < episodeLength
        else {
            throw EnvironmentError.invalidSetting(
                name: "snapshot", value: "state \(snapshot.state.count), goal \(snapshot.desiredGoal.count), step \(snapshot.elapsedSteps)",
                expected: "state \(stateSize), goal \(goalSize), step in 0..<\(episodeLength)")
        }
    }
}
