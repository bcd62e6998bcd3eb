/// Goal-conditioned TD3 (Fujimoto et al. 2018) with hindsight relabeling, on the same residual
/// networks as ``CRL``.
///
/// Networks: a deterministic actor a = tanh(μ(s, g)), twin Q critics over `concat(s, a, g)`, and
/// Polyak-averaged target copies of both. Each ``update(_:generator:)`` takes a critic step toward
/// y = r + γ (1 − terminal) min Q'(s', ã), with the smoothed target action
/// ã = clip(tanh(μ'(s', g)) + clip(σ ε, −c, c), −1, 1); every ``TD3Configuration/policyDelay``
/// critic steps it also takes an actor step on −mean Q₁(s, tanh(μ(s, g))) (plus the optional
/// penalties on the squared action and on the squared μ) and updates the targets.
/// Exploration adds Gaussian noise of standard deviation ``TD3Configuration/explorationNoise``.
public final class TD3: TemporalDifferenceAgent {
    public let name = "td3"
    public let configuration: TD3Configuration
    public let stateSize: Int
    public let goalSize: Int
    public let actionSize: Int
    public let actor: ResidualMLP
    public let targetActor: ResidualMLP
    public let critic: TwinCritic
    public let targetCritic: TwinCritic
    /// The environment's reward and termination rules, applied to relabeled transitions.
    public let reward: GoalReward
    /// Critic steps taken so far (the delayed updates happen when it is a multiple of the delay).
    public private(set) var criticUpdates = 0
    /// The actor loss of the last delayed update, reported between them.
    public private(set) var lastActorLoss: Float = 0
    let actorOptimizer: Adam
    let criticOptimizer: Adam

    /// Creates an agent for states of `stateSize`, goals of `goalSize`, actions of `actionSize`,
    /// scoring relabeled transitions with `reward`.
    public init(
        stateSize: Int, goalSize: Int, actionSize: Int, reward: GoalReward,
        configuration: TD3Configuration = TD3Configuration(), seed: UInt64 = 0
    ) throws {
        try configuration.validate()
        try requireSizes(stateSize: stateSize, goalSize: goalSize, actionSize: actionSize)
        self.configuration = configuration
        self.stateSize = stateSize
        self.goalSize = goalSize
        self.actionSize = actionSize
        self.reward = reward
        let c = configuration
        var generator = RandomGenerator(seed: seed)
        func makeActor() throws -> ResidualMLP {
            try ResidualMLP(
                inputSize: stateSize + goalSize, width: c.actorWidth, depth: c.actorDepth, outputSize: actionSize,
                options: c.networkOptions, generator: &generator)
        }
        func makeCritic() throws -> TwinCritic {
            try TwinCritic(
                inputSize: stateSize + actionSize + goalSize, width: c.criticWidth, depth: c.criticDepth,
                options: c.networkOptions, generator: &generator)
        }
        actor = try makeActor()
        critic = try makeCritic()
        targetActor = try makeActor()
        targetCritic = try makeCritic()
        copyParameters(into: targetActor, from: actor)
        copyParameters(into: targetCritic, from: critic)
        let adam = Adam.Configuration(learningRate: c.learningRate)
        actorOptimizer = try Adam(for: actor, configuration: adam)
        criticOptimizer = try Adam(for: critic, configuration: adam)
    }

    public var relabeling: HindsightRelabeling { configuration.relabeling }
    public var batchSize: Int { configuration.batchSize }

    public var agentConfiguration: AgentConfiguration { .td3(configuration) }

    public func act(observations: [Float], rows: Int, deterministic: Bool, generator: inout RandomGenerator) -> [Float] {
        let actions = tanh(actor(Tensor(shape: [rows, stateSize + goalSize], scalars: observations)))
        guard !deterministic else { return actions.scalars }
        let noise = Tensor.randomNormal([rows, actionSize], standardDeviation: configuration.explorationNoise, using: &generator)
        return (actions + noise).clamped(to: -1...1).scalars
    }

    /// Target policy smoothing: clip(actions + clip(scale · noise, −clip, clip), −1, 1).
    public static func smoothedTargetActions(_ actions: Tensor, noise: Tensor, scale: Float, clip: Float) -> Tensor {
        (actions + (noise * scale).clamped(to: -clip...clip)).clamped(to: -1...1)
    }

    /// The Bellman targets of `batch` under the target networks, smoothing the target actions with
    /// `noise` (`size × actionSize` standard normals).
    public func targets(for batch: HindsightBatch, noise: Tensor) -> Tensor {
        let n = batch.size
        let nextStates = Tensor(shape: [n, stateSize], scalars: batch.nextStates)
        let goals = Tensor(shape: [n, goalSize], scalars: batch.goals)
        let nextActions = Self.smoothedTargetActions(
            tanh(targetActor(Tensor.concatenatingColumns([nextStates, goals]))), noise: noise,
            scale: configuration.targetNoise, clip: configuration.targetNoiseClip)
        let (q1, q2) = targetCritic(criticInput(states: nextStates, actions: nextActions, goals: goals))
        return bellmanTargets(
            rewards: batch.rewards, terminals: batch.terminals, nextValues: minimum(q1, q2), discount: configuration.discount)
    }

    /// One critic step on `batch`; every `policyDelay`-th call also an actor step and the target updates.
    public func update(_ batch: HindsightBatch, generator: inout RandomGenerator) -> TD3UpdateMetrics {
        let n = batch.size
        let states = Tensor(shape: [n, stateSize], scalars: batch.states)
        let goals = Tensor(shape: [n, goalSize], scalars: batch.goals)
        let actions = Tensor(shape: [n, actionSize], scalars: batch.actions)

        let targets = targets(for: batch, noise: Tensor.randomNormal([n, actionSize], using: &generator))
        let (criticLoss, qMean) = critic.step(
            on: criticInput(states: states, actions: actions, goals: goals), toward: targets, optimizer: criticOptimizer)
        criticUpdates += 1

        if criticUpdates % configuration.policyDelay == 0 {
            let actorTape = Tape()
            actorTape.freeze(critic.parameters)
            let actorLoss = self.actorLoss(states: actorTape.constant(states), goals: actorTape.constant(goals))
            Adam.minimize(actorLoss, with: [actorOptimizer])
            lastActorLoss = actorLoss.value.scalar
            polyakUpdate(target: targetActor, toward: actor, rate: configuration.targetUpdateRate)
            polyakUpdate(target: targetCritic, toward: critic, rate: configuration.targetUpdateRate)
        }
        return TD3UpdateMetrics(
            criticLoss: criticLoss, actorLoss: lastActorLoss, qMean: qMean,
            targetMean: targets.mean().scalar, rewardMean: Tensor(batch.rewards).mean().scalar)
    }

    /// The actor loss −mean Q₁(s, a, g) + λ · mean(a²) + ρ · mean(μ²) with a = tanh(μ(s, g)), λ the
    /// ``TD3Configuration/actionPenalty`` and ρ the ``TD3Configuration/preactivationPenalty``,
    /// recorded on the tape of `states` (freeze the critics there to train the actor alone).
    func actorLoss(states: Variable, goals: Variable) -> Variable {
        let preactivation = actor(Variable.concatenatingColumns([states, goals]))
        let action = tanh(preactivation)
        var loss = -critic.first(Variable.concatenatingColumns([states, action, goals])).mean()
        if configuration.actionPenalty > 0 { loss = loss + (action * action).mean() * configuration.actionPenalty }
        if configuration.preactivationPenalty > 0 {
            loss = loss + (preactivation * preactivation).mean() * configuration.preactivationPenalty
        }
        return loss
    }

    public func state() -> [String: Tensor] {
        var result: [String: Tensor] = [
            "critic_updates": [String: Tensor].counter(criticUpdates), "last_actor_loss": Tensor([lastActorLoss]),
        ]
        result.insert(actor.stateDictionary(), under: "actor")
        result.insert(targetActor.stateDictionary(), under: "target_actor")
        result.insert(critic.stateDictionary(), under: "critic")
        result.insert(targetCritic.stateDictionary(), under: "target_critic")
        result.insert(actorOptimizer.state(), under: "optimizer.actor")
        result.insert(criticOptimizer.state(), under: "optimizer.critic")
        return result
    }

    public var optimizers: [Adam] { [actorOptimizer, criticOptimizer] }

    public func load(state: [String: Tensor]) throws {
        let updates = try state.counter(named: "critic_updates")
        let actorLoss = try state.scalarParameter(named: "last_actor_loss")
        try actor.load(state.entries(under: "actor"))
        try targetActor.load(state.entries(under: "target_actor"))
        try critic.load(state.entries(under: "critic"))
        try targetCritic.load(state.entries(under: "target_critic"))
        try actorOptimizer.load(state: state.entries(under: "optimizer.actor"))
        try criticOptimizer.load(state: state.entries(under: "optimizer.critic"))
        criticUpdates = updates
        lastActorLoss = actorLoss.scalars[0]
    }
}

/// What one TD3 gradient step measured.
public struct TD3UpdateMetrics: UpdateMetrics, Equatable {
    public var criticLoss: Float
    /// The actor loss of the latest delayed update.
    public var actorLoss: Float
    /// Mean of the first critic's Q over the batch.
    public var qMean: Float
    /// Mean Bellman target.
    public var targetMean: Float
    /// Mean relabeled reward (the share of rewarded transitions for sparse tasks).
    public var rewardMean: Float

    public var named: [String: Float] {
        [
            "critic_loss": criticLoss, "actor_loss": actorLoss, "q_mean": qMean, "target_q_mean": targetMean,
            "reward_mean": rewardMean,
        ]
    }
}
