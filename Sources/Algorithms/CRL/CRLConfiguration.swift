/// The energy that scores a (state-action, goal) pair from their representations.
public enum Energy: String, Sendable, Codable, CaseIterable {
    /// −‖φ − ψ‖₂, the paper's choice.
    case negativeL2 = "l2"
    /// −‖φ − ψ‖₂².
    case negativeSquaredL2 = "squared-l2"
    /// φ · ψ.
    case dot
    /// φ · ψ / (‖φ‖ ‖ψ‖), normalized per row.
    case cosine
}

/// The contrastive objective over the batch's logits matrix (row i's positive is column i).
public enum ContrastiveObjective: String, Sendable, Codable, CaseIterable {
    /// Softmax over each row's goals, the paper's choice.
    case forwardInfoNCE = "forward-infonce"
    /// Softmax over each column's state-actions.
    case backwardInfoNCE = "backward-infonce"
    /// The sum of forward and backward InfoNCE.
    case symmetricInfoNCE = "symmetric-infonce"
    /// Sigmoid cross-entropy: diagonal positive, off-diagonal negative.
    case binaryNCE = "binary-nce"
}

/// Every hyper-parameter of the CRL agent, defaults from the paper's code (CRL-FACTS.md).
public struct CRLConfiguration: Sendable, Equatable, Codable {
    /// Dense layers inside the critic's residual blocks (a multiple of 4).
    public var criticDepth = 4
    /// Dense layers inside the actor's residual blocks (a multiple of 4).
    public var actorDepth = 4
    /// Hidden width of both critic encoders.
    public var criticWidth = 256
    /// Hidden width of the actor.
    public var actorWidth = 256
    /// Size of the state-action and goal representations.
    public var representationSize = 64
    /// Residual connections, LayerNorm, activation and recomputation of all three networks.
    public var networkOptions = ResidualMLP.Options()
    /// The critic's energy.
    public var energy = Energy.negativeL2
    /// The critic's objective.
    public var objective = ContrastiveObjective.forwardInfoNCE
    /// Weight of the logsumexp² regularizer.
    public var logsumexpPenalty: Float = 0.1
    /// Adam learning rate of actor, critic and temperature.
    public var learningRate: Float = 3e-4
    /// Samples per gradient step. Paper's code: 256.
    public var batchSize = 256
    /// Length of the trajectory windows training goals are sampled from (see
    /// `TrajectoryReplayBuffer.sampleRound`). Paper: 1,000.
    public var windowLength = 1_000
    /// Discount γ of the geometric future-goal offset, P(Δ) ∝ γ^Δ. Paper: 0.99.
    public var discount: Float = 0.99
    /// Target entropy of the temperature update; nil means −0.5 · action size.
    public var targetEntropy: Float? = nil
    /// Rate τ of a Polyak average of the actor's weights, updated after every gradient step, that
    /// deterministic (evaluation) actions come from; nil, the paper's choice, acts with the current
    /// actor. Training and exploration always use the current actor. The average starts as a
    /// plain mean of the actor's weights so far (rate 1/(n+1) after n steps) until that falls to τ.
    public var actorAveragingRate: Float? = nil

    /// The paper's defaults.
    public init() {}

    /// Throws when a setting is out of range, saying what to change.
    public func validate() throws {
        try validateNetworks()
        guard representationSize >= 1 else {
            throw AlgorithmsError.invalidSetting(name: "representation size", value: "\(representationSize)", expected: "at least 1")
        }
        if let rate = actorAveragingRate, !(rate > 0 && rate <= 1) {
            throw AlgorithmsError.invalidSetting(name: "actor averaging rate", value: "\(rate)", expected: "in (0, 1]")
        }
        guard logsumexpPenalty >= 0 else {
            throw AlgorithmsError.invalidSetting(name: "logsumexp penalty", value: "\(logsumexpPenalty)", expected: "≥ 0")
        }
        guard (2...100_000_000).contains(windowLength) else {
            throw AlgorithmsError.invalidSetting(name: "window-length", value: "\(windowLength)", expected: "between 2 and 100000000")
        }
        guard discount > 0, discount < 1 else {
            throw AlgorithmsError.invalidSetting(name: "discount", value: "\(discount)", expected: "in (0, 1)")
        }
    }
}
