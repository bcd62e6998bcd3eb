/// Every hyper-parameter of the goal-conditioned SAC baseline. Defaults: γ = 0.99, Adam 3e-4 and
/// the paper's networks, CRL's target entropy, and the two settings that solve `point-maze-u` at
/// 800 k steps (the article "Training the SAC and TD3 baselines"): τ = 0.05 and α = 0.1 at the
/// start. Run directories of `config.json` format 2 and earlier that lack them keep the former
/// defaults, τ = 0.005 and α = 1. JaxGCRL's own SAC differs: discount 0.9, learning rate 1e-4
/// (CRL-FACTS.md, "Known pitfalls").
public struct SACConfiguration: Sendable, Equatable, Codable {
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
    /// Adam learning rate of actor, critics and temperature.
    public var learningRate: Float = 3e-4
    /// Transitions per gradient step.
    public var batchSize = 256
    /// Discount γ of the Bellman target.
    public var discount: Float = 0.99
    /// Polyak rate τ of the target critics: θ' ← (1 − τ) θ' + τ θ after every step. 0.005, the
    /// usual value, propagates the sparse reward too slowly for an 800 k-step budget.
    public var targetUpdateRate: Float = 0.05
    /// Target entropy of the temperature update; nil means −0.5 · action size (as CRL and Brax's SAC).
    public var targetEntropy: Float? = nil
    /// The entropy temperature α before the first update (CRL starts at 1).
    public var initialTemperature: Float = 0.1
    /// Which goals replayed transitions are trained for.
    public var relabeling = HindsightRelabeling()

    public init() {}

    /// Throws when a setting is out of range, saying what to change.
    public func validate() throws {
        try validateShared()
        try relabeling.validate()
        if !(initialTemperature > 0 && initialTemperature.isFinite) {
            throw AlgorithmsError.invalidSetting(name: "initial temperature", value: "\(initialTemperature)", expected: "positive")
        }
    }
}
