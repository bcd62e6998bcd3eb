import Foundation

/// Contrastive RL (Eysenbach et al. 2022) with the deep residual networks of Wang et al. (2025).
///
/// Three networks: the actor π(a | s, g), the state-action encoder φ(s, a) and the goal encoder
/// ψ(g). The critic learns `energy(φ(s, a), ψ(g))` with InfoNCE, positives being future states of
/// the same trajectory; the actor maximizes it with an entropy bonus whose temperature is tuned
/// automatically. Each ``update(_:generator:)`` does the actor and temperature step first, then
/// the critic step, on the same batch, as the reference does.
public final class CRL: Agent {
    /// The agent's name in logs and checkpoints.
    public let name = "crl"
    /// The hyper-parameters this agent was built with.
    public let configuration: CRLConfiguration
    /// Elements per state (observation minus goal).
    public let stateSize: Int
    /// Elements per goal.
    public let goalSize: Int
    /// Elements per action.
    public let actionSize: Int
    /// π(a | s, g): maps concat(state, goal) to the mean and raw log-std of the action.
    public let actor: ResidualMLP
    /// φ(s, a): maps concat(state, action) to a representation.
    public let stateActionEncoder: ResidualMLP
    /// ψ(g): maps a goal to a representation.
    public let goalEncoder: ResidualMLP
    /// The Polyak-averaged actor that deterministic actions come from, when
    /// ``CRLConfiguration/actorAveragingRate`` is set.
    public let averagedActor: ResidualMLP?
    /// Gradient steps averaged into ``averagedActor`` so far.
    public private(set) var averagedSteps = 0
    /// log of the entropy temperature α, starting at 0.
    public let logAlpha = Parameter(Tensor([0]))
    let actorOptimizer: Adam
    let criticOptimizer: Adam
    let alphaOptimizer: Adam

    /// The target entropy of the temperature update.
    public var targetEntropy: Float { configuration.targetEntropy ?? -0.5 * Float(actionSize) }

    /// Creates an agent for states of `stateSize`, goals of `goalSize`, actions of `actionSize`.
    public init(stateSize: Int, goalSize: Int, actionSize: Int, configuration: CRLConfiguration = CRLConfiguration(), seed: UInt64 = 0) throws {
        try configuration.validate()
        for (label, size) in [("state size", stateSize), ("goal size", goalSize), ("action size", actionSize)] where size < 1 {
            throw AlgorithmsError.invalidSetting(name: label, value: "\(size)", expected: "at least 1")
        }
        self.configuration = configuration
        self.stateSize = stateSize
        self.goalSize = goalSize
        self.actionSize = actionSize
        var generator = RandomGenerator(seed: seed)
        let c = configuration
        func makeActor(_ generator: inout RandomGenerator) throws -> ResidualMLP {
            try ResidualMLP(
                inputSize: stateSize + goalSize, width: c.actorWidth, depth: c.actorDepth, outputSize: 2 * actionSize,
                options: c.networkOptions, generator: &generator)
        }
        actor = try makeActor(&generator)
        stateActionEncoder = try ResidualMLP(
            inputSize: stateSize + actionSize, width: c.criticWidth, depth: c.criticDepth,
            outputSize: c.representationSize, options: c.networkOptions, generator: &generator)
        goalEncoder = try ResidualMLP(
            inputSize: goalSize, width: c.criticWidth, depth: c.criticDepth, outputSize: c.representationSize,
            options: c.networkOptions, generator: &generator)
        // The average starts as a copy of the actor; its own draws are overwritten (and do not
        // disturb `generator`, so runs with and without averaging train alike).
        var scratch = RandomGenerator(seed: 0)
        averagedActor = c.actorAveragingRate == nil ? nil : try makeActor(&scratch)
        if let averagedActor { copyParameters(into: averagedActor, from: actor) }
        let adam = Adam.Configuration(learningRate: c.learningRate)
        actorOptimizer = try Adam(for: actor, configuration: adam)
        criticOptimizer = try Adam(
            namedParameters: CRL.criticParameters(stateActionEncoder, goalEncoder), configuration: adam)
        alphaOptimizer = try Adam(namedParameters: [("log_alpha", logAlpha)], configuration: adam)
    }

    /// Creates an agent sized for `environment`.
    public convenience init(for environment: VectorEnvironment, configuration: CRLConfiguration = CRLConfiguration(), seed: UInt64 = 0) throws {
        try self.init(
            stateSize: environment.stateSize, goalSize: environment.goalSize, actionSize: environment.actionSize,
            configuration: configuration, seed: seed)
    }

    static func criticParameters(_ stateAction: Module, _ goal: Module) -> [(name: String, parameter: Parameter)] {
        stateAction.namedParameters.map { ("sa_encoder.\($0.name)", $0.parameter) }
            + goal.namedParameters.map { ("g_encoder.\($0.name)", $0.parameter) }
    }

    /// The entropy temperature α = exp(logAlpha).
    /// The temperature used in this step.
    public var alpha: Float { Foundation.exp(logAlpha.value.scalars[0]) }

    public func act(observations: [Float], rows: Int, deterministic: Bool, generator: inout RandomGenerator) -> [Float] {
        let network = deterministic ? averagedActor ?? actor : actor
        let output = network(Tensor(shape: [rows, stateSize + goalSize], scalars: observations))
        let noise = deterministic ? nil : Tensor.randomNormal([rows, actionSize], using: &generator)
        return TanhGaussianPolicy.act(output, actionSize: actionSize, noise: noise).scalars
    }

    public var agentConfiguration: AgentConfiguration { .crl(configuration) }

    public func train(
        on replay: TrajectoryReplayBuffer, steps: Int, firstStep: Int, generator: inout RandomGenerator
    ) throws -> [[String: Float]] {
        let batches = try replay.sampleRound(
            windowLength: configuration.windowLength, discount: configuration.discount,
            batchSize: configuration.batchSize, batchCount: steps, generator: &generator)
        return try runUpdates(batches.count, firstStep: firstStep) { update(batches[$0], generator: &generator).named }
    }

    /// ⌊environmentCount · (window − 1) / batch size⌋ with the window cut to the stored steps, as
    /// the sampler cuts it: the samples one round of windows holds, each used once.
    public func maximumUpdatesPerRound(environmentCount: Int, storedSteps: Int) throws -> Int {
        let c = configuration
        guard environmentCount * (c.windowLength - 1) >= c.batchSize else {
            throw AlgorithmsError.invalidSetting(
                name: "batch-size", value: "\(c.batchSize)",
                expected: "at most the \(environmentCount * (c.windowLength - 1)) samples of one round; lower batch-size or raise environment-count")
        }
        return TrajectoryReplayBuffer.maximumBatchCount(
            environmentCount: environmentCount, windowLength: Swift.min(c.windowLength, storedSteps), batchSize: c.batchSize)
    }

    /// One gradient step of actor, temperature and critic on `batch`: the critic's contrastive
    /// gradients, the actor and temperature step against the critic as it was, then the critic's
    /// update (the reference's actor-then-critic order, bit for bit).
    ///
    /// The critic's gradients and the actor step run at once when two threads are available
    /// (`Parallelism.concurrently`), one after the other otherwise; either way the actor takes the
    /// goal representations ψ(g) from the critic's forward pass instead of computing them again.
    public func update(_ batch: TransitionBatch, generator: inout RandomGenerator) -> CRLUpdateMetrics {
        let size = batch.size
        let states = Tensor(shape: [size, stateSize], scalars: batch.states)
        let goals = Tensor(shape: [size, goalSize], scalars: batch.goals)
        let actions = Tensor(shape: [size, actionSize], scalars: batch.actions)
        let noise = Tensor.randomNormal([size, actionSize], using: &generator)
        let currentAlpha = alpha
        let goalRepresentations = Handoff<Tensor>()
        var criticResult: (loss: Float, metrics: ContrastiveMetrics, gradients: Adam.IncomingGradients)?
        var actorResult: (loss: Float, alphaLoss: Float, entropy: Float)?
        Parallelism.concurrently(
            {
                criticResult = self.criticGradients(
                    states: states, actions: actions, goals: goals, sharing: goalRepresentations.put)
            },
            {
                actorResult = self.actorStep(
                    states: states, goalRepresentations: goalRepresentations.take, noise: noise, goals: goals,
                    alpha: currentAlpha)
            })
        criticOptimizer.update(criticResult!.gradients)
        averageActor()
        let (actor, critic) = (actorResult!, criticResult!)
        return CRLUpdateMetrics(
            criticLoss: critic.loss, actorLoss: actor.loss, alphaLoss: actor.alphaLoss, alpha: currentAlpha,
            entropy: actor.entropy, contrastive: critic.metrics)
    }

    /// Moves ``averagedActor`` toward the actor: the mean of the weights so far, then an
    /// exponential average at the configured rate.
    private func averageActor() {
        guard let averagedActor, let rate = configuration.actorAveragingRate else { return }
        averagedSteps += 1
        polyakUpdate(target: averagedActor, toward: actor, rate: Swift.max(rate, 1 / Float(averagedSteps + 1)))
    }

    /// The actor and temperature step with the critic frozen; updates both. `goalRepresentations`
    /// gives ψ(goals), called when the actor loss needs it.
    private func actorStep(
        states: Tensor, goalRepresentations: () -> Tensor, noise: Tensor, goals: Tensor, alpha: Float
    ) -> (loss: Float, alphaLoss: Float, entropy: Float) {
        let tape = Tape()
        tape.freeze(stateActionEncoder.parameters)
        let s = tape.constant(states), g = tape.constant(goals)
        let (mean, logStd) = TanhGaussianPolicy.heads(actor(Variable.concatenatingColumns([s, g])), actionSize: actionSize)
        let (action, logProbability) = TanhGaussianPolicy.sample(mean: mean, logStd: logStd, noise: noise)
        let phi = stateActionEncoder(Variable.concatenatingColumns([s, action]))
        let q = pairedEnergy(phi, tape.constant(goalRepresentations()), energy: configuration.energy)
        let actorLoss = (logProbability * alpha - q).mean()
        let entropyGap = tape.constant(-logProbability.value - targetEntropy).mean()
        let alphaLoss = exp(tape.variable(logAlpha)) * entropyGap
        Adam.minimize(actorLoss + alphaLoss, with: [actorOptimizer, alphaOptimizer])
        return (actorLoss.value.scalar, alphaLoss.value.scalar, -logProbability.value.mean().scalar)
    }

    /// The critic's contrastive loss, metrics and gradients (not applied; their averaging across
    /// processes, when there is one, starts during the backward pass). Hands ψ(goals) to
    /// `sharing` as soon as it is computed.
    private func criticGradients(
        states: Tensor, actions: Tensor, goals: Tensor, sharing: (Tensor) -> Void
    ) -> (loss: Float, metrics: ContrastiveMetrics, gradients: Adam.IncomingGradients) {
        let tape = Tape()
        let psi = goalEncoder(tape.constant(goals))
        sharing(psi.value)
        let phi = stateActionEncoder(tape.constant(Tensor.concatenatingColumns([states, actions])))
        let logits = energyLogits(phi, psi, energy: configuration.energy)
        let (loss, metrics) = contrastiveLoss(logits, objective: configuration.objective, penalty: configuration.logsumexpPenalty)
        return (loss.value.scalar, metrics, criticOptimizer.gradients(of: loss))
    }

    public func state() -> [String: Tensor] {
        var result = ["log_alpha": logAlpha.value]
        result.insert(actor.stateDictionary(), under: "actor")
        result.insert(stateActionEncoder.stateDictionary(), under: "sa_encoder")
        result.insert(goalEncoder.stateDictionary(), under: "g_encoder")
        result.insert(actorOptimizer.state(), under: "optimizer.actor")
        result.insert(criticOptimizer.state(), under: "optimizer.critic")
        result.insert(alphaOptimizer.state(), under: "optimizer.alpha")
        if let averagedActor {
            result.insert(averagedActor.stateDictionary(), under: "averaged_actor")
            result["averaged_steps"] = [String: Tensor].counter(averagedSteps)
        }
        return result
    }

    public var optimizers: [Adam] { [actorOptimizer, criticOptimizer, alphaOptimizer] }

    public func load(state: [String: Tensor]) throws {
        let alphaValue = try state.scalarParameter(named: "log_alpha")
        let steps = averagedActor == nil ? 0 : try state.counter(named: "averaged_steps")
        try actor.load(state.entries(under: "actor"))
        try stateActionEncoder.load(state.entries(under: "sa_encoder"))
        try goalEncoder.load(state.entries(under: "g_encoder"))
        try averagedActor?.load(state.entries(under: "averaged_actor"))
        try actorOptimizer.load(state: state.entries(under: "optimizer.actor"))
        try criticOptimizer.load(state: state.entries(under: "optimizer.critic"))
        try alphaOptimizer.load(state: state.entries(under: "optimizer.alpha"))
        logAlpha.value = alphaValue
        averagedSteps = steps
    }
}

/// What one CRL gradient step measured.
public struct CRLUpdateMetrics: UpdateMetrics, Equatable {
    /// The contrastive critic loss, regularizer included.
    public var criticLoss: Float
    /// mean(α · log π − Q).
    public var actorLoss: Float
    /// The temperature loss α · mean(−log π − target entropy).
    public var alphaLoss: Float
    public var alpha: Float
    /// The policy entropy estimate −mean(log π).
    public var entropy: Float
    /// Accuracy and logit statistics of the critic.
    public var contrastive: ContrastiveMetrics

    public var named: [String: Float] {
        [
            "critic_loss": criticLoss, "actor_loss": actorLoss, "alpha_loss": alphaLoss, "alpha": alpha, "entropy": entropy,
            "categorical_accuracy": contrastive.categoricalAccuracy, "logits_pos": contrastive.logitsPositive,
            "logits_neg": contrastive.logitsNegative, "logsumexp": contrastive.logsumexp,
        ]
    }
}
