@_exported import Environments
@_exported import Layers

/// What the ``Trainer`` needs from a goal-conditioned learner: acting, learning from replayed
/// trajectories, and saving or restoring everything it has learned. ``CRL``, ``SAC`` and ``TD3``
/// implement it.
public protocol Agent: AnyObject {
    /// A short name for logs and checkpoints (`crl`, `sac`, `td3`).
    var name: String { get }
    /// Elements per state (observation minus goal).
    var stateSize: Int { get }
    /// Elements per goal.
    var goalSize: Int { get }
    /// Elements per action.
    var actionSize: Int { get }
    /// The settings that rebuild this agent (saved in `config.json` for resuming).
    var agentConfiguration: AgentConfiguration { get }

    /// Actions for a batch of observations (`rows × observationSize`, row-major), `rows × actionSize`
    /// out. `deterministic` picks the mean action (evaluation); otherwise actions are sampled.
    func act(observations: [Float], rows: Int, deterministic: Bool, generator: inout RandomGenerator) -> [Float]

    /// Runs `steps` gradient steps on data sampled from `replay` (batch size and sampling as the
    /// agent's configuration says) and returns every step's metrics, in order, under their
    /// `metrics.jsonl` names.
    /// - Throws: ``AlgorithmsError/nonFinite(quantity:step:)`` as soon as a loss is NaN or
    ///   infinite (steps are numbered from `firstStep`).
    func train(
        on replay: TrajectoryReplayBuffer, steps: Int, firstStep: Int, generator: inout RandomGenerator
    ) throws -> [[String: Float]]

    /// The most gradient steps one collection round can feed from `environmentCount`
    /// environments with `storedSteps` steps stored per environment (`Int.max` when sampling sets
    /// no limit; possibly 0 while few steps are stored). Throws, saying what to change, when the
    /// agent's sampling cannot work with `environmentCount` environments at all.
    func maximumUpdatesPerRound(environmentCount: Int, storedSteps: Int) throws -> Int

    /// Every tensor that defines the agent's state (networks, optimizer moments, temperature),
    /// by unique name, for checkpoints.
    func state() -> [String: Tensor]

    /// Restores a state written by ``state()``; throws naming the first mismatch.
    func load(state: [String: Tensor]) throws

    /// The optimizers of every network the agent trains (a data-parallel ``Trainer`` sets their
    /// `Adam.gradientReducer` to average gradients across processes).
    var optimizers: [Adam] { get }
}

extension Agent {
    /// The deterministic action (the actor's mean, as evaluation uses it) for one observation of
    /// `stateSize + goalSize` elements: the state, then the goal. Throws
    /// ``AlgorithmsError/invalidSetting(name:value:expected:)`` naming the length when it is wrong.
    public func predict(_ observation: [Float]) throws -> [Float] {
        try predict([observation])[0]
    }

    /// Deterministic actions for a batch of observations, one action per observation in order.
    public func predict(_ observations: [[Float]]) throws -> [[Float]] {
        let size = stateSize + goalSize
        if let (row, observation) = observations.enumerated().first(where: { $0.element.count != size }) {
            throw AlgorithmsError.invalidSetting(
                name: "observation \(row) length", value: "\(observation.count)",
                expected: "\(size) (state \(stateSize), then goal \(goalSize))")
        }
        guard !observations.isEmpty else { return [] }
        var unused = RandomGenerator(seed: 0)  // deterministic actions draw nothing
        let actions = act(observations: observations.flatMap { $0 }, rows: observations.count, deterministic: true, generator: &unused)
        return (0..<observations.count).map { Array(actions[$0 * actionSize..<($0 + 1) * actionSize]) }
    }
}

/// How actions are chosen while the replay is prefilled, before the first gradient step.
public enum PrefillActions: String, Sendable, Equatable, Codable, CaseIterable {
    /// The untrained agent's stochastic actor (the paper's CRL). Its actions barely vary: on
    /// `point-maze-u` 94–100 % of such prefill steps stay in the start cell.
    case agent
    /// Independent uniform actions in [-1, 1] (CleanRL's SAC and TD3 before `learning_starts`),
    /// the default. On `point-maze-u` 38 % of such prefill episodes reach the farthest goal cell,
    /// so the replay holds routes around the walls from the start.
    case uniform
}

/// The configuration of any agent, so a run directory can rebuild its agent.
///
/// Encoded as one flat object: `"algorithm"` (`crl`, `sac` or `td3`) beside the algorithm's own
/// settings, as in `{"algorithm": "crl", "criticDepth": 4, …}`.
public enum AgentConfiguration: Sendable, Equatable, Codable {
    case crl(CRLConfiguration)
    case sac(SACConfiguration)
    case td3(TD3Configuration)

    private enum CodingKeys: String, CodingKey { case algorithm }

    /// Decodes the flat form; throws a `DecodingError` for a missing or unknown `algorithm`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let algorithm = try container.decode(String.self, forKey: .algorithm)
        switch algorithm {
        case "crl": self = .crl(try CRLConfiguration(from: decoder))
        case "sac": self = .sac(try SACConfiguration(from: decoder))
        case "td3": self = .td3(try TD3Configuration(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .algorithm, in: container, debugDescription: "algorithm must be crl, sac or td3, got '\(algorithm)'")
        }
    }

    /// Encodes the flat form: `algorithm` and the algorithm's settings in one object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(algorithm, forKey: .algorithm)
        switch self {
        case .crl(let configuration): try configuration.encode(to: encoder)
        case .sac(let configuration): try configuration.encode(to: encoder)
        case .td3(let configuration): try configuration.encode(to: encoder)
        }
    }

    /// The default settings of the algorithm named `algorithm` (`crl`, `sac` or `td3`); nil for
    /// any other name.
    public init?(defaultsOf algorithm: String) {
        switch algorithm {
        case "crl": self = .crl(CRLConfiguration())
        case "sac": self = .sac(SACConfiguration())
        case "td3": self = .td3(TD3Configuration())
        default: return nil
        }
    }

    /// The agent's short name (`crl`, `sac`, `td3`).
    public var algorithm: String {
        switch self {
        case .crl: "crl"
        case .sac: "sac"
        case .td3: "td3"
        }
    }

    /// A one-line description for logs.
    public var summary: String {
        switch self {
        case .crl(let c):
            "critic depth \(c.criticDepth), actor depth \(c.actorDepth), width \(c.criticWidth)/\(c.actorWidth), \(c.energy.rawValue) energy, \(c.objective.rawValue)"
        case .sac(let c):
            "critic depth \(c.criticDepth), actor depth \(c.actorDepth), width \(c.criticWidth)/\(c.actorWidth), γ \(c.discount), τ \(c.targetUpdateRate), relabel fraction \(c.relabeling.relabelFraction) (\(c.relabeling.futureGoals.rawValue) future goals)"
        case .td3(let c):
            "critic depth \(c.criticDepth), actor depth \(c.actorDepth), width \(c.criticWidth)/\(c.actorWidth), γ \(c.discount), τ \(c.targetUpdateRate), exploration noise \(c.explorationNoise), action penalty \(c.actionPenalty), preactivation penalty \(c.preactivationPenalty), policy delay \(c.policyDelay), relabel fraction \(c.relabeling.relabelFraction) (\(c.relabeling.futureGoals.rawValue) future goals)"
        }
    }

    /// A fresh agent with these settings, sized for `environment`; SAC and TD3 score relabeled
    /// transitions with its reward and termination rules (``GoalReward/init(for:)``).
    public func makeAgent(for environment: VectorEnvironment, seed: UInt64) throws -> any Agent {
        switch self {
        case .crl(let configuration): try CRL(for: environment, configuration: configuration, seed: seed)
        case .sac(let configuration): try SAC(for: environment, configuration: configuration, seed: seed)
        case .td3(let configuration): try TD3(for: environment, configuration: configuration, seed: seed)
        }
    }

    /// A fresh agent from sizes alone. Only CRL can be built this way: SAC and TD3 need the
    /// environment's reward rules, so they throw; use ``makeAgent(for:seed:)``.
    public func makeAgent(stateSize: Int, goalSize: Int, actionSize: Int, seed: UInt64) throws -> any Agent {
        switch self {
        case .crl(let configuration):
            try CRL(stateSize: stateSize, goalSize: goalSize, actionSize: actionSize, configuration: configuration, seed: seed)
        case .sac, .td3:
            throw AlgorithmsError.invalidSetting(
                name: "algorithm", value: algorithm,
                expected: "crl: sac and td3 need the environment's reward rules, so build them with makeAgent(for:seed:)")
        }
    }
}

/// Runs `steps` gradient steps (`update(i)` does step `i` and returns its metrics), stopping with
/// ``AlgorithmsError/nonFinite(quantity:step:)`` at the first NaN or infinite metric; returns
/// every step's metrics. Steps are numbered from `firstStep` in errors.
func runUpdates(_ steps: Int, firstStep: Int, _ update: (Int) throws -> [String: Float]) throws -> [[String: Float]] {
    var all: [[String: Float]] = []
    all.reserveCapacity(steps)
    for index in 0..<steps {
        let metrics = try update(index)
        try requireFinite(metrics, step: firstStep + index)
        all.append(metrics)
    }
    return all
}

/// Throws ``AlgorithmsError/nonFinite(quantity:step:)`` for the first NaN or infinite metric.
func requireFinite(_ metrics: [String: Float], step: Int) throws {
    if let (quantity, _) = metrics.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
        throw AlgorithmsError.nonFinite(quantity: quantity, step: step)
    }
}
