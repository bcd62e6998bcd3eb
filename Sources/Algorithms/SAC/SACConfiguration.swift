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
        try validateTemporalDifference(
            criticDepth: criticDepth, actorDepth: actorDepth, criticWidth: criticWidth, actorWidth: actorWidth,
            learningRate: learningRate, batchSize: batchSize, discount: discount, targetUpdateRate: targetUpdateRate)
        try relabeling.validate()
        if let initialTemperature, !(initialTemperature > 0 && initialTemperature.isFinite) {
            throw AlgorithmsError.invalidSetting(name: "initial temperature", value: "\(initialTemperature)", expected: "positive")
        }
    }
}

/// The checks SAC and TD3 share.
func validateTemporalDifference(
    criticDepth: Int, actorDepth: Int, criticWidth: Int, actorWidth: Int, learningRate: Float, batchSize: Int,
    discount: Float, targetUpdateRate: Float
) throws {
    guard batchSize >= 1 else { throw AlgorithmsError.invalidSetting(name: "batch-size", value: "\(batchSize)", expected: "at least 1") }
    for (name, depth) in [("critic depth", criticDepth), ("actor depth", actorDepth)] where depth < 4 || depth % 4 != 0 {
        throw AlgorithmsError.invalidSetting(name: name, value: "\(depth)", expected: "a positive multiple of 4")
    }
    for (name, size) in [("critic width", criticWidth), ("actor width", actorWidth)] where size < 1 {
        throw AlgorithmsError.invalidSetting(name: name, value: "\(size)", expected: "at least 1")
    }
    guard learningRate > 0, learningRate.isFinite else {
        throw AlgorithmsError.invalidSetting(name: "learning rate", value: "\(learningRate)", expected: "positive")
    }
    guard discount >= 0, discount < 1 else {
        throw AlgorithmsError.invalidSetting(name: "discount", value: "\(discount)", expected: "in [0, 1)")
    }
    guard targetUpdateRate > 0, targetUpdateRate <= 1 else {
        throw AlgorithmsError.invalidSetting(name: "target update rate τ", value: "\(targetUpdateRate)", expected: "in (0, 1]")
    }
}
