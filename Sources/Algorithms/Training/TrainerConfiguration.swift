/// How a training run collects data, updates, evaluates and saves; defaults follow the paper's
/// code (CRL-FACTS.md) scaled down for a 2-core CPU where noted.
public struct TrainerConfiguration: Sendable, Equatable, Codable {
    /// Total environment steps to collect (prefill included). Paper: 100 M on a GPU; scaled to
    /// 800 k, enough for point-maze-u in under 10 minutes on 2 cores.
    public var environmentSteps = 800_000
    /// Parallel training environments. Paper: 512; scaled to 128 (JaxGCRL's CPU setting).
    public var environmentCount = 128
    /// Steps collected from every environment per round. Paper: 62.
    public var unrollLength = 62
    /// Steps per environment collected before training. Paper: 1,000.
    public var prefillSteps = 1_000
    /// How the prefill picks actions. Paper's CRL: `.agent`, its untrained actor; changed to
    /// `.uniform` for every agent (CleanRL's choice for SAC and TD3), because on the point mazes the
    /// untrained actor keeps the ball in its start cell for the whole prefill (see ``PrefillActions``).
    public var prefillActions = PrefillActions.uniform
    /// Replay capacity in steps per environment. Paper: 10,000.
    public var replayCapacity = 10_000
    /// Length of the trajectory windows goals are sampled from. Paper: 1,000.
    public var windowLength = 1_000
    /// Samples per gradient step. Paper's code: 256.
    public var batchSize = 256
    /// Gradient steps per round; nil keeps the paper's ratio (800 per round of 512 environments,
    /// one step per ~40 environment steps), capped by what a round's windows can fill.
    public var updatesPerRound: Int? = nil
    /// Discount γ of the geometric goal offset. Paper: 0.99.
    public var discount: Float = 0.99
    /// Evaluations over the run (the last one at the end).
    public var evaluationCount = 10
    /// Fresh episodes per evaluation, run with the deterministic actor. Paper: 128; scaled to 64.
    public var evaluationEpisodes = 64
    /// Environment steps per episode; nil keeps the environment's own (1001 for point mazes).
    public var episodeLength: Int? = nil
    /// Seed of networks, environments and sampling.
    public var seed: UInt64 = 0
    /// Threads for environment stepping and for the gradient steps (see `Parallelism`).
    public var threads = 2

    /// The defaults listed with each setting.
    public init() {}

    /// Gradient steps per round after applying the default ratio and the cap.
    public var effectiveUpdatesPerRound: Int {
        let ratio = updatesPerRound ?? Swift.max(1, (800 * environmentCount + 256) / 512)
        return Swift.min(ratio, maximumUpdatesPerRound)
    }

    /// The most batches one round's windows can fill without reusing samples.
    public var maximumUpdatesPerRound: Int {
        Swift.max(1, environmentCount * (Swift.min(windowLength, replayCapacity) - 1) / Swift.max(batchSize, 1))
    }

    /// Throws, saying what to change, when settings cannot work together.
    public func validate() throws {
        let positive: [(String, Int)] = [
            ("environment-count", environmentCount), ("unroll-length", unrollLength), ("batch-size", batchSize),
            ("evaluation-count", evaluationCount), ("evaluation-episodes", evaluationEpisodes), ("threads", threads),
        ]
        for (name, value) in positive where value < 1 {
            throw AlgorithmsError.invalidConfiguration("\(name) must be at least 1, got \(value)")
        }
        guard windowLength >= 2 else {
            throw AlgorithmsError.invalidConfiguration("window-length must be at least 2, got \(windowLength)")
        }
        guard replayCapacity >= windowLength else {
            throw AlgorithmsError.invalidConfiguration(
                "replay-capacity (\(replayCapacity)) must hold at least one window (window-length \(windowLength))")
        }
        guard prefillSteps >= 2, prefillSteps <= replayCapacity else {
            throw AlgorithmsError.invalidConfiguration(
                "prefill-steps must be between 2 and the replay capacity \(replayCapacity), got \(prefillSteps)")
        }
        guard environmentCount * (windowLength - 1) >= batchSize else {
            throw AlgorithmsError.invalidConfiguration(
                "batch-size \(batchSize) exceeds the \(environmentCount * (windowLength - 1)) samples of one round; lower batch-size or raise environment-count")
        }
        if let updates = updatesPerRound, updates < 1 || updates > maximumUpdatesPerRound {
            throw AlgorithmsError.invalidConfiguration(
                "updates-per-round must be between 1 and \(maximumUpdatesPerRound) for this environment count, window and batch size, got \(updates)")
        }
        guard discount > 0, discount < 1 else {
            throw AlgorithmsError.invalidConfiguration("discount must be in (0, 1), got \(discount)")
        }
        if let length = episodeLength, length < 2 {
            throw AlgorithmsError.invalidConfiguration("episode-length must be at least 2, got \(length)")
        }
        guard environmentSteps >= environmentCount * prefillSteps else {
            throw AlgorithmsError.invalidConfiguration(
                "env-steps \(environmentSteps) does not cover the prefill of \(environmentCount * prefillSteps) steps (\(environmentCount) environments × \(prefillSteps)); raise env-steps or lower prefill-steps")
        }
    }
}
