import Algorithms
import ArgumentParser

extension Energy: ExpressibleByArgument {}
extension ContrastiveObjective: ExpressibleByArgument {}
extension PrefillActions: ExpressibleByArgument {}
extension HindsightRelabeling.FutureGoals: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {}
extension BLAS.Precision: ExpressibleByArgument {}

/// The settings of a training run as command-line options, shared by `train`, `sweep` and
/// `custom-environment`: one flag per field of ``TrainerConfiguration`` and of the agents'
/// configurations. An option left out keeps the configuration's default, shown in its help.
public struct TrainingOptions: ParsableArguments {
    public init() {}

    private static let run = TrainerConfiguration()
    private static let crl = CRLConfiguration()
    private static let sac = SACConfiguration()
    private static let td3 = TD3Configuration()

    // MARK: The run

    @Option(help: "Total environment steps, prefill included (default \(run.environmentSteps)).")
    public var envSteps: Int?
    @Option(help: "Parallel training environments (default \(run.environmentCount)).")
    public var numEnvs: Int?
    @Option(help: "Steps collected from every environment per round (default \(run.unrollLength)).")
    public var unrollLength: Int?
    @Option(help: "Steps per environment collected before training (default 1000, or a quarter of the budget when that is less).")
    public var prefillSteps: Int?
    @Option(help: "How the prefill picks actions: uniform in [-1, 1], or the untrained stochastic actor (agent, as the paper's crl) (default \(run.prefillActions.rawValue)).")
    public var prefillActions: PrefillActions?
    @Option(help: "Replay capacity in steps per environment (default \(run.replayCapacity)).")
    public var replayCapacity: Int?
    @Option(help: "Gradient steps per collection round (default: the paper's ratio of one per ~40 environment steps).")
    public var updatesPerRound: Int?
    @Option(help: "Gradient steps between the training metrics written to TensorBoard (default \(run.trainingMetricsInterval)).")
    public var trainingMetricsInterval: Int?
    @Option(help: "Evaluations over the run (default \(run.evaluationCount)).")
    public var evaluations: Int?
    @Option(help: "Episodes per evaluation (default \(run.evaluationEpisodes)).")
    public var evaluationEpisodes: Int?
    @Option(help: "Steps per episode (default: the environment's own).")
    public var episodeLength: Int?
    @Option(name: .customLong("evaluation-env"), help: "Environment the evaluations run in, with the training environment's sizes (default: the training environment).")
    public var evaluationEnvironment: String?
    @Option(help: "Depth of a collector: an agent of the same algorithm and settings at this depth acts and trains in place of the trained one, which learns only from the collector's data (default: none, the trained agent acts).")
    public var collectorDepth: Int?
    @Option(help: "Random seed (default 0).")
    public var seed: UInt64?
    @Option(help: "Threads for environment stepping and matrix products (default: the machine's cores).")
    public var threads: Int?
    @Option(help: "Precision of the matrix products: float32, or bfloat16 on CPUs with AVX512-BF16 (about 1.5× the updates per second; default \(run.matrixPrecision.rawValue)).")
    public var matrixPrecision: BLAS.Precision?

    // MARK: Every agent

    @Option(help: "Depth of actor and critic (Dense layers in residual blocks, a multiple of 4; default \(crl.criticDepth)).")
    public var depth: Int?
    @Option(help: "Critic depth (overrides --depth).")
    public var criticDepth: Int?
    @Option(help: "Actor depth (overrides --depth).")
    public var actorDepth: Int?
    @Option(help: "Hidden width of all networks (default \(crl.criticWidth)).")
    public var width: Int?
    @Option(help: "Critic width (overrides --width).")
    public var criticWidth: Int?
    @Option(help: "Actor width (overrides --width).")
    public var actorWidth: Int?
    @Option(help: "Residual connections in the networks: true or false (default true).")
    public var residual: Bool?
    @Option(help: "LayerNorm in every hidden layer: true or false (default true).")
    public var layerNorm: Bool?
    @Option(help: "Hidden activation (default swish).")
    public var activation: Activation?
    @Option(help: "Recompute block activations in the backward pass instead of keeping them (bounds the memory of deep networks; default false).")
    public var recompute: Bool?
    @Option(help: "Adam learning rate of every network (default \(crl.learningRate)).")
    public var learningRate: Float?
    @Option(help: "Samples per gradient step (default \(crl.batchSize)).")
    public var batchSize: Int?
    @Option(help: "Discount γ: CRL's future-goal offset law; the Bellman discount of sac and td3 (default 0.99).")
    public var discount: Float?

    // MARK: One agent

    @Option(help: "crl: size of the state-action and goal representations (default \(crl.representationSize)).")
    public var representationSize: Int?
    @Option(help: "crl: energy of the critic (default \(crl.energy.rawValue)).")
    public var energy: Energy?
    @Option(help: "crl: contrastive objective (default \(crl.objective.rawValue)).")
    public var objective: ContrastiveObjective?
    @Option(help: "crl: weight of the logsumexp penalty (default \(crl.logsumexpPenalty)).")
    public var logsumexpPenalty: Float?
    @Option(help: "crl: length of the trajectory windows training goals are sampled from (default \(crl.windowLength)).")
    public var windowLength: Int?
    @Option(help: "crl: evaluate with a Polyak average of the actor's weights at this rate per gradient step, e.g. 0.001 (default: the current actor, as the paper).")
    public var actorAveragingRate: Float?
    @Option(help: "crl, sac: target entropy of the temperature update, e.g. --target-entropy=-2 (default −0.5 × action size).")
    public var targetEntropy: Float?
    @Option(help: "sac, td3: share of goals relabeled with a future achieved goal of the same episode (default \(sac.relabeling.relabelFraction)).")
    public var relabelFraction: Float?
    @Option(help: "sac, td3: how far ahead relabeled goals lie: uniform (HER's future) or geometric (CRL's law, P(Δ) ∝ γ^Δ) (default \(sac.relabeling.futureGoals.rawValue)).")
    public var futureGoals: HindsightRelabeling.FutureGoals?
    @Option(help: "sac, td3: Polyak rate τ of the target networks (default \(sac.targetUpdateRate)).")
    public var targetUpdateRate: Float?
    @Option(help: "sac: entropy temperature α before the first update (default \(sac.initialTemperature)).")
    public var initialTemperature: Float?
    @Option(help: "td3: standard deviation of the Gaussian exploration noise (default \(td3.explorationNoise)).")
    public var explorationNoise: Float?
    @Option(help: "td3: standard deviation of the target policy smoothing noise (default \(td3.targetNoise)).")
    public var targetNoise: Float?
    @Option(help: "td3: the smoothing noise is clipped to ± this (default \(td3.targetNoiseClip)).")
    public var targetNoiseClip: Float?
    @Option(help: "td3: critic steps per actor and target update (default \(td3.policyDelay)).")
    public var policyDelay: Int?
    @Option(help: "td3: weight of the mean squared action in the actor loss, as HER's deterministic actor (1 there; default 0, plain TD3).")
    public var actionPenalty: Float?
    @Option(help: "td3: weight of the mean squared pre-tanh actor output in the actor loss, which keeps tanh from saturating (0 is plain TD3; default \(td3.preactivationPenalty)).")
    public var preactivationPenalty: Float?

    /// The options that only some algorithms read, with those algorithms.
    private var algorithmSpecific: [(option: String, given: Bool, algorithms: [String])] {
        [
            ("--representation-size", representationSize != nil, ["crl"]), ("--energy", energy != nil, ["crl"]),
            ("--objective", objective != nil, ["crl"]), ("--logsumexp-penalty", logsumexpPenalty != nil, ["crl"]),
            ("--window-length", windowLength != nil, ["crl"]), ("--actor-averaging-rate", actorAveragingRate != nil, ["crl"]),
            ("--target-entropy", targetEntropy != nil, ["crl", "sac"]),
            ("--relabel-fraction", relabelFraction != nil, ["sac", "td3"]), ("--future-goals", futureGoals != nil, ["sac", "td3"]),
            ("--target-update-rate", targetUpdateRate != nil, ["sac", "td3"]),
            ("--initial-temperature", initialTemperature != nil, ["sac"]),
            ("--exploration-noise", explorationNoise != nil, ["td3"]), ("--target-noise", targetNoise != nil, ["td3"]),
            ("--target-noise-clip", targetNoiseClip != nil, ["td3"]), ("--policy-delay", policyDelay != nil, ["td3"]),
            ("--action-penalty", actionPenalty != nil, ["td3"]), ("--preactivation-penalty", preactivationPenalty != nil, ["td3"]),
        ]
    }

    /// Throws a usage error for an option that `algorithm` does not read.
    public func validate(for algorithm: String) throws {
        for (option, given, algorithms) in algorithmSpecific where given && !algorithms.contains(algorithm) {
            throw ValidationError("\(option) applies to --algorithm \(algorithms.joined(separator: " and ")) only, not \(algorithm)"
                + (algorithm == "crl" && ["--relabel-fraction", "--future-goals"].contains(option)
                    ? " (CRL relabels every goal with a future state at a geometric offset, see --discount)" : ""))
        }
    }

    /// The run's settings: the defaults with every given option applied; a collector, if asked
    /// for, has `algorithm`'s settings at ``collectorDepth``.
    public func trainerConfiguration(defaultThreads: Int, algorithm: String = "crl") -> TrainerConfiguration {
        var c = TrainerConfiguration()
        set(&c.environmentSteps, envSteps)
        set(&c.environmentCount, numEnvs)
        set(&c.unrollLength, unrollLength)
        c.prefillSteps = prefillSteps
        set(&c.prefillActions, prefillActions)
        set(&c.replayCapacity, replayCapacity)
        c.updatesPerRound = updatesPerRound
        set(&c.trainingMetricsInterval, trainingMetricsInterval)
        set(&c.evaluationCount, evaluations)
        set(&c.evaluationEpisodes, evaluationEpisodes)
        c.episodeLength = episodeLength
        c.evaluationEnvironment = evaluationEnvironment
        c.collector = collectorDepth.flatMap { agentConfiguration(algorithm: algorithm)?.withDepth($0) }
        set(&c.seed, seed)
        c.threads = threads ?? defaultThreads
        set(&c.matrixPrecision, matrixPrecision)
        return c
    }

    /// The settings of `algorithm` (`crl`, `sac` or `td3`): its defaults with every given option
    /// applied; nil for another name.
    public func agentConfiguration(algorithm: String) -> AgentConfiguration? {
        switch algorithm {
        case "crl": .crl(crlConfiguration())
        case "sac": .sac(sacConfiguration())
        case "td3": .td3(td3Configuration())
        default: nil
        }
    }

    /// CRL's defaults with every given option applied.
    public func crlConfiguration() -> CRLConfiguration {
        var c = CRLConfiguration()
        applyShared(to: &c)
        set(&c.representationSize, representationSize)
        set(&c.energy, energy)
        set(&c.objective, objective)
        set(&c.logsumexpPenalty, logsumexpPenalty)
        set(&c.windowLength, windowLength)
        c.actorAveragingRate = actorAveragingRate ?? c.actorAveragingRate
        c.targetEntropy = targetEntropy ?? c.targetEntropy
        return c
    }

    /// SAC's defaults with every given option applied.
    public func sacConfiguration() -> SACConfiguration {
        var c = SACConfiguration()
        applyTemporalDifference(to: &c)
        c.initialTemperature = initialTemperature ?? c.initialTemperature
        c.targetEntropy = targetEntropy ?? c.targetEntropy
        return c
    }

    /// TD3's defaults with every given option applied.
    public func td3Configuration() -> TD3Configuration {
        var c = TD3Configuration()
        applyTemporalDifference(to: &c)
        set(&c.explorationNoise, explorationNoise)
        set(&c.targetNoise, targetNoise)
        set(&c.targetNoiseClip, targetNoiseClip)
        set(&c.policyDelay, policyDelay)
        set(&c.actionPenalty, actionPenalty)
        set(&c.preactivationPenalty, preactivationPenalty)
        return c
    }

    private func applyShared(to c: inout some AgentSettings) {
        set(&c.criticDepth, criticDepth ?? depth)
        set(&c.actorDepth, actorDepth ?? depth)
        set(&c.criticWidth, criticWidth ?? width)
        set(&c.actorWidth, actorWidth ?? width)
        set(&c.networkOptions.residual, residual)
        set(&c.networkOptions.layerNorm, layerNorm)
        set(&c.networkOptions.activation, activation)
        set(&c.networkOptions.recomputesActivations, recompute)
        set(&c.learningRate, learningRate)
        set(&c.batchSize, batchSize)
        set(&c.discount, discount)
    }

    private func applyTemporalDifference(to c: inout some TemporalDifferenceSettings) {
        applyShared(to: &c)
        set(&c.targetUpdateRate, targetUpdateRate)
        set(&c.relabeling.relabelFraction, relabelFraction)
        set(&c.relabeling.futureGoals, futureGoals)
        set(&c.relabeling.futureDiscount, discount)
    }
}

/// Sets `value` to `option` when the option was given.
private func set<Value>(_ value: inout Value, _ option: Value?) {
    if let option { value = option }
}
