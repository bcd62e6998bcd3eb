/// The settings every agent's configuration has: its networks, optimizer, batch and discount
/// (``CRLConfiguration``, ``SACConfiguration``, ``TD3Configuration``), for code that sets them
/// alike for any agent.
public protocol AgentSettings {
    /// Dense layers inside each critic's residual blocks (a multiple of 4).
    var criticDepth: Int { get set }
    /// Dense layers inside the actor's residual blocks (a multiple of 4).
    var actorDepth: Int { get set }
    /// Hidden width of the critic networks.
    var criticWidth: Int { get set }
    /// Hidden width of the actor.
    var actorWidth: Int { get set }
    /// Residual connections, LayerNorm, activation and recomputation of all networks.
    var networkOptions: ResidualMLP.Options { get set }
    /// Adam learning rate.
    var learningRate: Float { get set }
    /// Samples per gradient step.
    var batchSize: Int { get set }
    /// The discount γ.
    var discount: Float { get set }
}

/// The settings the temporal-difference baselines share besides ``AgentSettings``.
public protocol TemporalDifferenceSettings: AgentSettings {
    /// The defaults.
    init()
    /// Polyak rate τ of the target networks.
    var targetUpdateRate: Float { get set }
    /// Which goals replayed transitions are trained for.
    var relabeling: HindsightRelabeling { get set }
}

extension CRLConfiguration: AgentSettings {}
extension SACConfiguration: TemporalDifferenceSettings {}
extension TD3Configuration: TemporalDifferenceSettings {}

extension AgentSettings {
    /// The checks every agent shares: network sizes, learning rate and batch size.
    func validateNetworks() throws {
        for (name, depth) in [("critic depth", criticDepth), ("actor depth", actorDepth)] where depth < 4 || depth % 4 != 0 {
            throw AlgorithmsError.invalidSetting(name: name, value: "\(depth)", expected: "a positive multiple of 4")
        }
        for (name, size) in [("critic width", criticWidth), ("actor width", actorWidth)] where size < 1 {
            throw AlgorithmsError.invalidSetting(name: name, value: "\(size)", expected: "at least 1")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw AlgorithmsError.invalidSetting(name: "learning rate", value: "\(learningRate)", expected: "positive")
        }
        guard (1...1_048_576).contains(batchSize) else {
            throw AlgorithmsError.invalidSetting(name: "batch-size", value: "\(batchSize)", expected: "between 1 and 1048576")
        }
    }
}

extension TemporalDifferenceSettings {
    /// The checks SAC and TD3 share.
    func validateShared() throws {
        try validateNetworks()
        guard discount >= 0, discount < 1 else {
            throw AlgorithmsError.invalidSetting(name: "discount", value: "\(discount)", expected: "in [0, 1)")
        }
        guard targetUpdateRate > 0, targetUpdateRate <= 1 else {
            throw AlgorithmsError.invalidSetting(name: "target update rate τ", value: "\(targetUpdateRate)", expected: "in (0, 1]")
        }
    }
}

extension AgentSettings {
    /// A lower bound on the bytes one gradient step's activations take: every hidden layer's
    /// output of the actor and one critic network for a batch, kept for the backward pass (block
    /// inputs and one block's layers when activations are recomputed). Doubles: no overflow for
    /// any setting.
    var activationBytesLowerBound: Double {
        func layers(_ depth: Int) -> Double {
            networkOptions.recomputesActivations ? Double(depth / 4 + 4) : Double(depth + 2)
        }
        return Double(batchSize) * (Double(criticWidth) * layers(criticDepth) + Double(actorWidth) * layers(actorDepth)) * 4
    }
}

extension AgentSettings {
    /// A lower bound on the bytes the networks take: the hidden weights of the actor and one
    /// critic network (every agent has at least these), each with its gradient and Adam's two
    /// moments. Doubles: no overflow for any setting.
    var networkBytesLowerBound: Double {
        let weights = Double(criticDepth) * Double(criticWidth) * Double(criticWidth) + Double(actorDepth) * Double(actorWidth) * Double(actorWidth)
        return weights * 4 * 4
    }
}

extension AgentConfiguration {
    /// These settings with actor and critic `depth` deep (a positive multiple of 4, checked when
    /// the agent is made).
    public func withDepth(_ depth: Int) -> AgentConfiguration {
        switch self {
        case .crl(var c):
            (c.criticDepth, c.actorDepth) = (depth, depth)
            return .crl(c)
        case .sac(var c):
            (c.criticDepth, c.actorDepth) = (depth, depth)
            return .sac(c)
        case .td3(var c):
            (c.criticDepth, c.actorDepth) = (depth, depth)
            return .td3(c)
        }
    }

    /// The settings every agent has.
    var settings: any AgentSettings {
        switch self {
        case .crl(let c): c
        case .sac(let c): c
        case .td3(let c): c
        }
    }
}
