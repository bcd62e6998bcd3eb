/// How a training run collects data, updates, evaluates and saves; defaults follow the paper's
/// code (CRL-FACTS.md) scaled down for a 2-core CPU where noted.
public struct TrainerConfiguration: Sendable, Equatable, Codable {
    /// Total environment steps to collect (prefill included). Paper: 100 M on a GPU; scaled to
    /// 800 k, enough for point-maze-u in under 10 minutes on 2 cores. At most 10¹².
    public var environmentSteps = 800_000
    /// Parallel training environments. Paper: 512; scaled to 128 (JaxGCRL's CPU setting).
    public var environmentCount = 128
    /// Steps collected from every environment per round. Paper: 62.
    public var unrollLength = 62
    /// Steps per environment collected before training. Paper: 1,000. nil derives it from the
    /// budget (``derivedPrefillSteps``), so short runs work without tuning; the ``Trainer`` fixes
    /// the derived value when the run starts and records it in `config.json`.
    public var prefillSteps: Int? = nil
    /// How the prefill picks actions. Paper's CRL: `.agent`, its untrained actor; changed to
    /// `.uniform` for every agent (CleanRL's choice for SAC and TD3), because on the point mazes the
    /// untrained actor keeps the ball in its start cell for the whole prefill (see ``PrefillActions``).
    public var prefillActions = PrefillActions.uniform
    /// Replay capacity in steps per environment. Paper: 10,000.
    public var replayCapacity = 10_000
    /// Gradient steps per round; nil keeps the paper's ratio (800 per round of 512 environments,
    /// one step per ~40 environment steps), capped by what a round can feed the agent
    /// (`Agent.maximumUpdatesPerRound(environmentCount:storedSteps:)` at the replay capacity). Batch size and sampling
    /// belong to the agent's configuration.
    public var updatesPerRound: Int? = nil
    /// Gradient steps between the training metrics (losses, temperature, accuracy) written to
    /// the run's TensorBoard file, under `train/` tags at their gradient step.
    public var trainingMetricsInterval = 100
    /// Evaluations over the run (the last one at the end).
    public var evaluationCount = 10
    /// Fresh episodes per evaluation, run with the deterministic actor. Paper: 128; scaled to 64.
    public var evaluationEpisodes = 64
    /// Environment steps per episode; nil keeps the environment's own (1001 for point mazes).
    public var episodeLength: Int? = nil
    /// The registered name of the environment evaluations run in; nil: the training environment.
    /// Its sizes must be the training environment's (the stitching study trains on
    /// `point-maze-big-near` and evaluates on `point-maze-big-far`).
    public var evaluationEnvironment: String? = nil
    /// The settings of a collector: an agent that acts in the training environments in place of
    /// the trained one and trains on the same replay, so that the trained agent learns only from
    /// data it did not gather (the exploration study). nil, the default: the trained agent acts.
    /// The collector starts from ``seed`` and uses the sampling stream a run without a collector
    /// gives its agent, so it trains exactly as a run of its own settings would.
    public var collector: AgentConfiguration? = nil
    /// Seed of networks, environments and sampling.
    public var seed: UInt64 = 0
    /// Threads for environment stepping and for the gradient steps (see `Parallelism`).
    public var threads = 2
    /// The precision of every matrix product of the process while the run trains (the trainer
    /// sets `BLAS.setPrecision(_:)` for the time of `train`, and refuses to train in bfloat16 on a
    /// CPU without AVX512-BF16): float32, or bfloat16, about 1.5× the updates per second at depths
    /// 16 and 64 (Tensor's "Matrix products" article). Opening or evaluating a run needs neither.
    public var matrixPrecision = BLAS.Precision.float32

    /// The defaults listed with each setting.
    public init() {}

    /// The prefill a nil ``prefillSteps`` stands for: the paper's 1,000 steps per environment, or a
    /// quarter of the budget when that is less (at least 2, at most the replay capacity), so that
    /// any budget from about 10 k steps leaves most of it for training.
    public var derivedPrefillSteps: Int {
        Swift.min(1_000, replayCapacity, Swift.max(2, environmentSteps / Swift.max(1, 4 * environmentCount)))
    }

    /// The prefill this run collects: ``prefillSteps``, or ``derivedPrefillSteps`` when nil.
    public var effectivePrefillSteps: Int { prefillSteps ?? derivedPrefillSteps }

    /// Gradient steps per round for an agent that can take at most `maximum` per round: the
    /// setting, or the paper's ratio capped at `maximum`.
    public func effectiveUpdatesPerRound(maximum: Int) -> Int {
        updatesPerRound ?? Swift.min(Swift.max(1, (800 * environmentCount + 256) / 512), maximum)
    }

    /// Throws, saying what to change, when settings cannot work together.
    public func validate() throws {
        let positive: [(String, Int)] = [
            ("environment-count", environmentCount), ("unroll-length", unrollLength),
            ("evaluation-count", evaluationCount), ("evaluation-episodes", evaluationEpisodes), ("threads", threads),
            ("training-metrics-interval", trainingMetricsInterval),
        ]
        for (name, value) in positive where value < 1 {
            throw AlgorithmsError.invalidSetting(name: name, value: "\(value)", expected: "at least 1")
        }
        let bounded: [(String, Int, Int)] = [
            ("environment-count", environmentCount, 65_536), ("evaluation-episodes", evaluationEpisodes, 65_536),
            ("unroll-length", unrollLength, 1_000_000), ("evaluation-count", evaluationCount, 1_000_000),
            ("replay-capacity", replayCapacity, 100_000_000), ("threads", threads, 1_024),
            ("env-steps", environmentSteps, 1_000_000_000_000),
        ]
        for (name, value, maximum) in bounded where value > maximum {
            throw AlgorithmsError.invalidSetting(name: name, value: "\(value)", expected: "at most \(maximum)")
        }
        let prefillSteps = effectivePrefillSteps
        guard prefillSteps >= 2, prefillSteps <= replayCapacity else {
            throw AlgorithmsError.invalidSetting(
                name: "prefill-steps", value: "\(prefillSteps)", expected: "between 2 and the replay capacity \(replayCapacity)")
        }
        if let updates = updatesPerRound, updates < 1 {
            throw AlgorithmsError.invalidSetting(name: "updates-per-round", value: "\(updates)", expected: "at least 1")
        }
        if let length = episodeLength, !(2...100_000_000).contains(length) {
            throw AlgorithmsError.invalidSetting(name: "episode-length", value: "\(length)", expected: "between 2 and 100000000")
        }
        guard environmentSteps >= environmentCount * prefillSteps else {
            throw AlgorithmsError.invalidSetting(
                name: "env-steps", value: "\(environmentSteps)",
                expected: "at least the prefill of \(environmentCount * prefillSteps) steps (\(environmentCount) environments × \(prefillSteps)); "
                    + (self.prefillSteps == nil ? "raise env-steps or lower environment-count" : "raise env-steps or lower prefill-steps"))
        }
    }
}
