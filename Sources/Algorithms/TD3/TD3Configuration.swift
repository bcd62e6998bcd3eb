/// Every hyper-parameter of the goal-conditioned TD3 baseline (Fujimoto et al. 2018). Defaults:
/// γ = 0.99, Adam 3e-4 and the paper's residual networks, and the two settings that solve
/// `point-maze-u` at 800 k steps (the article "Training the SAC and TD3 baselines"): τ = 0.05 and
/// a pre-tanh penalty ρ = 0.01. Run directories of `config.json` format 2 and earlier that lack
/// them keep the former defaults, τ = 0.005 and ρ = 0 (plain TD3). JaxGCRL's own TD3 uses
/// discount 0.9 (CRL-FACTS.md, "Known pitfalls").
public struct TD3Configuration: Sendable, Equatable, Codable {
    /// Dense layers inside each critic's residual blocks (a multiple of 4).
    public var criticDepth = 4
    /// Dense layers inside the actor's residual blocks (a multiple of 4).
    public var actorDepth = 4
    /// Hidden width of both critics.
    public var criticWidth = 256
    /// Hidden width of the actor.
    public var actorWidth = 256
    /// Residual connections, LayerNorm, activation and recomputation of all networks.
    public var networkOptions = ResidualMLP.Options()
    /// Adam learning rate of actor and critics.
    public var learningRate: Float = 3e-4
    /// Transitions per gradient step.
    public var batchSize = 256
    /// Discount γ of the Bellman target.
    public var discount: Float = 0.99
    /// Polyak rate τ of the target actor and critics, applied at each delayed update.
    public var targetUpdateRate: Float = 0.05
    /// Standard deviation of the Gaussian noise added to collected actions.
    public var explorationNoise: Float = 0.1
    /// Standard deviation of the target policy smoothing noise.
    public var targetNoise: Float = 0.2
    /// The smoothing noise is clipped to ±this before it is added.
    public var targetNoiseClip: Float = 0.5
    /// Critic steps per actor and target update.
    public var policyDelay = 2
    /// Weight λ of the mean squared action added to the actor loss, −mean Q₁ + λ · mean(a²):
    /// the regularizer of the HER paper's deterministic actor (λ = 1 there), which pulls actions
    /// toward zero but cannot free a saturated actor (see ``preactivationPenalty``). 0, the
    /// default, is plain TD3.
    public var actionPenalty: Float = 0
    /// Weight ρ of the mean squared pre-tanh output μ(s, g) added to the actor loss. Without it,
    /// Adam drives μ ever further out while the critic favours a bound, tanh saturates, and the
    /// actor's gradient (scaled by 1 − tanh² μ) vanishes: the policy freezes, often on a wrong
    /// corner. Unlike ``actionPenalty``, whose gradient vanishes with the actor's, this one holds
    /// μ where the critic's pull balances 2ρμ. 0 is plain TD3.
    public var preactivationPenalty: Float = 0.01
    /// Which goals replayed transitions are trained for.
    public var relabeling = HindsightRelabeling()

    public init() {}

    /// Throws when a setting is out of range, saying what to change.
    public func validate() throws {
        try validateShared()
        let settings = [
            ("exploration noise", explorationNoise), ("target noise", targetNoise),
            ("target noise clip", targetNoiseClip), ("action penalty", actionPenalty),
            ("preactivation penalty", preactivationPenalty),
        ]
        for (name, value) in settings where !(value >= 0 && value.isFinite) {
            throw AlgorithmsError.invalidSetting(name: name, value: "\(value)", expected: "≥ 0")
        }
        guard policyDelay >= 1 else {
            throw AlgorithmsError.invalidSetting(name: "policy delay", value: "\(policyDelay)", expected: "at least 1")
        }
        try relabeling.validate()
    }
}
