import Foundation

/// Goal-conditioned soft actor-critic (Haarnoja et al. 2018) with hindsight relabeling, on the
/// same residual networks as ``CRL``: the temporal-difference baseline of the paper's comparison.
///
/// Networks: the tanh-Gaussian actor π(a | s, g) of CRL and twin Q critics over
/// `concat(s, a, g)` with Polyak-averaged target copies. Each ``update(_:generator:)`` does, on
/// one batch of relabeled transitions: the critic step toward
/// y = r + γ (1 − terminal) (min Q'(s', a') − α log π(a' | s', g)), a' ~ π(· | s', g); then the
/// actor step on mean(α log π − min Q) and the temperature step on
/// α · mean(−log π − target entropy); then the Polyak update of the target critics.
public final class SAC: TemporalDifferenceAgent {
    public let name = "sac"
    public let configuration: SACConfiguration
    public let stateSize: Int
    public let goalSize: Int
    public let actionSize: Int
    public let actor: ResidualMLP
    public let critic: TwinCritic
    public let targetCritic: TwinCritic
    /// log of the entropy temperature α, starting at log of the configuration's initial temperature.
    public let logAlpha: Parameter
    /// The environment's reward and termination rules, applied to relabeled transitions.
    public let reward: GoalReward
    let actorOptimizer: Adam
    let criticOptimizer: Adam
    let alphaOptimizer: Adam

    /// The target entropy of the temperature update.
    public var targetEntropy: Float { configuration.targetEntropy ?? -0.5 * Float(actionSize) }

    /// The entropy temperature α = exp(logAlpha).
    public var alpha: Float { Foundation.exp(logAlpha.value.scalars[0]) }

    /// Creates an agent for states of `stateSize`, goals of `goalSize`, actions of `actionSize`,
    /// scoring relabeled transitions with `reward`.
    public init(
        stateSize: Int, goalSize: Int, actionSize: Int, reward: GoalReward,
        configuration: SACConfiguration = SACConfiguration(), seed: UInt64 = 0
    ) throws {
        try configuration.validate()
        try requireSizes(stateSize: stateSize, goalSize: goalSize, actionSize: actionSize)
        self.configuration = configuration
        self.stateSize = stateSize
        self.goalSize = goalSize
        self.actionSize = actionSize
        self.reward = reward
        let c = configuration
        logAlpha = Parameter(Tensor([Foundation.log(c.initialTemperature)]))
        var generator = RandomGenerator(seed: seed)
        actor = try ResidualMLP(
            inputSize: stateSize + goalSize, width: c.actorWidth, depth: c.actorDepth, outputSize: 2 * actionSize,
            options: c.networkOptions, generator: &generator)
        critic = try TwinCritic(
            inputSize: stateSize + actionSize + goalSize, width: c.criticWidth, depth: c.criticDepth,
            options: c.networkOptions, generator: &generator)
        targetCritic = try TwinCritic(
            inputSize: stateSize + actionSize + goalSize, width: c.criticWidth, depth: c.criticDepth,
            options: c.networkOptions, generator: &generator)
        copyParameters(into: targetCritic, from: critic)
        let adam = Adam.Configuration(learningRate: c.learningRate)
        actorOptimizer = try Adam(for: actor, configuration: adam)
        criticOptimizer = try Adam(for: critic, configuration: adam)
        alphaOptimizer = try Adam(namedParameters: [("log_alpha", logAlpha)], configuration: adam)
    }

    public var relabeling: HindsightRelabeling { configuration.relabeling }
    public var batchSize: Int { configuration.batchSize }

    public var agentConfiguration: AgentConfiguration { .sac(configuration) }

    public func act(observations: [Float], rows: Int, deterministic: Bool, generator: inout RandomGenerator) -> [Float] {
        let output = actor(Tensor(shape: [rows, stateSize + goalSize], scalars: observations))
        let noise = deterministic ? nil : Tensor.randomNormal([rows, actionSize], using: &generator)
        return TanhGaussianPolicy.act(output, actionSize: actionSize, noise: noise).scalars
    }

    /// The Bellman targets of `batch` under the target critics, with next actions drawn from the
    /// actor with `noise` (`size × actionSize` standard normals).
    public func targets(for batch: HindsightBatch, noise: Tensor) -> Tensor {
        let n = batch.size
        let nextStates = Tensor(shape: [n, stateSize], scalars: batch.nextStates)
        let goals = Tensor(shape: [n, goalSize], scalars: batch.goals)
        let scratch = Tape()
        let output = scratch.constant(actor(Tensor.concatenatingColumns([nextStates, goals])))
        let (mean, logStd) = TanhGaussianPolicy.heads(output, actionSize: actionSize)
        let (nextActions, nextLogProbability) = TanhGaussianPolicy.sample(mean: mean, logStd: logStd, noise: noise)
        let (q1, q2) = targetCritic(criticInput(states: nextStates, actions: nextActions.value, goals: goals))
        let nextValues = minimum(q1, q2) - alpha * nextLogProbability.value
        return bellmanTargets(
            rewards: batch.rewards, terminals: batch.terminals, nextValues: nextValues, discount: configuration.discount)
    }

    /// One gradient step of critics, actor and temperature on `batch`, then the target update.
    public func update(_ batch: HindsightBatch, generator: inout RandomGenerator) -> SACUpdateMetrics {
        let n = batch.size
        let states = Tensor(shape: [n, stateSize], scalars: batch.states)
        let goals = Tensor(shape: [n, goalSize], scalars: batch.goals)
        let actions = Tensor(shape: [n, actionSize], scalars: batch.actions)
        let currentAlpha = alpha

        // Critics.
        let targets = targets(for: batch, noise: Tensor.randomNormal([n, actionSize], using: &generator))
        let (criticLoss, qMean) = critic.step(
            on: criticInput(states: states, actions: actions, goals: goals), toward: targets, optimizer: criticOptimizer)

        // Actor and temperature, critics frozen.
        let actorTape = Tape()
        actorTape.freeze(critic.parameters)
        let noise = Tensor.randomNormal([n, actionSize], using: &generator)
        let (actorLoss, alphaLoss, logProbability) = policyLosses(
            states: actorTape.constant(states), goals: actorTape.constant(goals), noise: noise)
        Adam.minimize(actorLoss + alphaLoss, with: [actorOptimizer, alphaOptimizer])

        polyakUpdate(target: targetCritic, toward: critic, rate: configuration.targetUpdateRate)
        return SACUpdateMetrics(
            criticLoss: criticLoss, actorLoss: actorLoss.value.scalar, alphaLoss: alphaLoss.value.scalar,
            alpha: currentAlpha, entropy: -logProbability.value.mean().scalar, qMean: qMean,
            targetMean: targets.mean().scalar, rewardMean: Tensor(batch.rewards).mean().scalar)
    }

    /// The actor loss mean(α log π(a | s, g) − min(Q₁, Q₂)(s, a, g)) with a = the reparameterized
    /// sample for `noise`, and the temperature loss α · mean(−log π − target entropy), recorded on
    /// the tape of `states` (freeze the critics there to train the actor alone).
    func policyLosses(states: Variable, goals: Variable, noise: Tensor) -> (actor: Variable, alpha: Variable, logProbability: Variable) {
        let tape = states.tape
        let (mean, logStd) = TanhGaussianPolicy.heads(actor(Variable.concatenatingColumns([states, goals])), actionSize: actionSize)
        let (action, logProbability) = TanhGaussianPolicy.sample(mean: mean, logStd: logStd, noise: noise)
        let (q1, q2) = critic(Variable.concatenatingColumns([states, action, goals]))
        let actorLoss = (logProbability * alpha - minimum(q1, q2)).mean()
        let entropyGap = tape.constant(-logProbability.value - targetEntropy).mean()
        let alphaLoss = exp(tape.variable(logAlpha)) * entropyGap
        return (actorLoss, alphaLoss, logProbability)
    }

    public func state() -> [String: Tensor] {
        var result: [String: Tensor] = ["log_alpha": logAlpha.value]
        result.insert(actor.stateDictionary(), under: "actor")
        result.insert(critic.stateDictionary(), under: "critic")
        result.insert(targetCritic.stateDictionary(), under: "target_critic")
        result.insert(actorOptimizer.state(), under: "optimizer.actor")
        result.insert(criticOptimizer.state(), under: "optimizer.critic")
        result.insert(alphaOptimizer.state(), under: "optimizer.alpha")
        return result
    }

    public var optimizers: [Adam] { [actorOptimizer, criticOptimizer, alphaOptimizer] }

    public func load(state: [String: Tensor]) throws {
        let alphaValue = try state.scalarParameter(named: "log_alpha")
        try actor.load(state.entries(under: "actor"))
        try critic.load(state.entries(under: "critic"))
        try targetCritic.load(state.entries(under: "target_critic"))
        try actorOptimizer.load(state: state.entries(under: "optimizer.actor"))
        try criticOptimizer.load(state: state.entries(under: "optimizer.critic"))
        try alphaOptimizer.load(state: state.entries(under: "optimizer.alpha"))
        logAlpha.value = alphaValue
    }
}

/// What one SAC gradient step measured.
public struct SACUpdateMetrics: UpdateMetrics, Equatable {
    public var criticLoss: Float
    public var actorLoss: Float
    public var alphaLoss: Float
    public var alpha: Float
    public var entropy: Float
    /// Mean of the first critic's Q over the batch.
    public var qMean: Float
    /// Mean Bellman target.
    public var targetMean: Float
    /// Mean relabeled reward (the share of rewarded transitions for sparse tasks).
    public var rewardMean: Float

    public var named: [String: Float] {
        [
            "critic_loss": criticLoss, "actor_loss": actorLoss, "alpha_loss": alphaLoss, "alpha": alpha,
            "entropy": entropy, "q_mean": qMean, "target_q_mean": targetMean, "reward_mean": rewardMean,
        ]
    }
}

/// Throws for a state, goal or action size below 1.
func requireSizes(stateSize: Int, goalSize: Int, actionSize: Int) throws {
    for (label, size) in [("state size", stateSize), ("goal size", goalSize), ("action size", actionSize)] where size < 1 {
        throw AlgorithmsError.invalidSetting(name: label, value: "\(size)", expected: "at least 1")
    }
}
