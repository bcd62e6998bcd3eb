/// Every hyper-parameter of the goal-conditioned SAC baseline. Defaults: the (τ = 0.005,
/// γ = 0.99, Adam 3e-4, the paper's networks), CRL's where both have one (target entropy).
/// JaxGCRL's own SAC differs: discount 0.9, learning rate 1e-4 (CRL-FACTS.md, "Known pitfalls").
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
    /// Polyak rate τ of the target critics: θ' ← (1 − τ) θ' + τ θ after every step.
    public var targetUpdateRate: Float = 0.005
    /// Target entropy of the temperature update; nil means −0.5 · action size (as CRL and Brax's SAC).
    public var targetEntropy: Float? = nil
    /// The entropy temperature α before the first update; nil means 1 (log α = 0, as CRL).
    public var initialTemperature: Float? = nil
    /// Which goals replayed transitions are trained for.
    public var relabeling = HindsightRelabeling()

    public init() {}

    /// Throws when a setting is out of range, saying what to change.
    public func validate() throws {
        try validateShared()
        try relabeling.validate()
        if let initialTemperature, !(initialTemperature > 0 && initialTemperature.isFinite) {
            throw AlgorithmsError.invalidSetting(name: "initial temperature", value: "\(initialTemperature)", expected: "positive")
        }
    }
}
