/// What one gradient step measured, under the names `metrics.jsonl` uses.
public protocol UpdateMetrics: Sendable {
    /// The metrics under their `metrics.jsonl` names.
    var named: [String: Float] { get }
}

/// An off-policy temporal-difference learner on hindsight-relabeled transitions (``SAC``,
/// ``TD3``): each gradient step draws an independent batch of `batchSize` one-step transitions
/// whose goals follow `relabeling` and whose rewards follow `reward`.
///
/// Conforming supplies ``update(_:generator:)``; training on a replay and the round limit come
/// from this protocol.
public protocol TemporalDifferenceAgent: Agent {
    associatedtype Metrics: UpdateMetrics
    associatedtype Configuration: TemporalDifferenceSettings
    /// Creates an agent for states of `stateSize`, goals of `goalSize`, actions of `actionSize`,
    /// scoring relabeled transitions with `reward`.
    init(stateSize: Int, goalSize: Int, actionSize: Int, reward: GoalReward, configuration: Configuration, seed: UInt64) throws
    /// Which goals replayed transitions are trained for.
    var relabeling: HindsightRelabeling { get }
    /// Transitions per gradient step.
    var batchSize: Int { get }
    /// The environment's reward and termination rules, applied to relabeled transitions.
    var reward: GoalReward { get }
    /// One gradient step on `batch`.
    func update(_ batch: HindsightBatch, generator: inout RandomGenerator) -> Metrics
}

extension TemporalDifferenceAgent {
    /// Creates an agent sized for `environment`, rewarding relabeled transitions as it does.
    public init(for environment: VectorEnvironment, configuration: Configuration = Configuration(), seed: UInt64 = 0) throws {
        try self.init(
            stateSize: environment.stateSize, goalSize: environment.goalSize, actionSize: environment.actionSize,
            reward: GoalReward(for: environment), configuration: configuration, seed: seed)
    }

    public func train(
        on replay: TrajectoryReplayBuffer, steps: Int, firstStep: Int, generator: inout RandomGenerator
    ) throws -> [[String: Float]] {
        let sampler = try replay.hindsightSampler(relabeling: relabeling, reward: reward)
        return try runUpdates(steps, firstStep: firstStep) { _ in
            update(sampler.sample(size: batchSize, generator: &generator), generator: &generator).named
        }
    }

    /// `Int.max`: transitions are drawn independently, so a round sets no limit.
    public func maximumUpdatesPerRound(environmentCount: Int, storedSteps: Int) throws -> Int { .max }
}
