@_exported import Environments
@_exported import Layers

/// What the ``Trainer`` needs from a goal-conditioned learner: acting, learning from replayed
/// trajectories, and saving or restoring everything it has learned. ``CRL`` implements it.
public protocol Agent: AnyObject {
    /// A short name for logs and checkpoints (`crl`).
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

    /// Runs `steps` gradient steps on data sampled from `replay` and returns the last step's
    /// metrics under their `metrics.jsonl` names.
    /// - Throws: ``AlgorithmsError/nonFinite(quantity:step:)`` as soon as a loss is NaN or
    ///   infinite (steps are numbered from `firstStep`).
    func train(
        on replay: TrajectoryReplayBuffer, steps: Int, sampling: ReplaySampling, firstStep: Int,
        generator: inout RandomGenerator
    ) throws -> [String: Float]

    /// Every tensor that defines the agent's state (networks, optimizer moments, temperature),
    /// by unique name, for checkpoints.
    func state() -> [String: Tensor]

    /// Restores a state written by ``state()``; throws naming the first mismatch.
    func load(state: [String: Tensor]) throws
}

/// How training data is drawn from the replay buffer.
public struct ReplaySampling: Sendable, Equatable {
    /// Samples per gradient step.
    public var batchSize: Int
    /// Length of the trajectory windows goals come from.
    public var windowLength: Int
    /// Discount of the geometric goal offset.
    public var discount: Float

    /// Creates sampling settings.
    public init(batchSize: Int, windowLength: Int, discount: Float) {
        self.batchSize = batchSize
        self.windowLength = windowLength
        self.discount = discount
    }
}

/// The configuration of any agent, so a run directory can rebuild its agent.
public enum AgentConfiguration: Sendable, Equatable, Codable {
    case crl(CRLConfiguration)

    /// A one-line description for logs.
    public var summary: String {
        switch self {
        case .crl(let c):
            "critic depth \(c.criticDepth), actor depth \(c.actorDepth), width \(c.criticWidth)/\(c.actorWidth), \(c.energy.rawValue) energy, \(c.objective.rawValue)"
        }
    }

    /// A fresh agent with these settings.
    public func makeAgent(stateSize: Int, goalSize: Int, actionSize: Int, seed: UInt64) throws -> any Agent {
        switch self {
        case .crl(let configuration):
            try CRL(stateSize: stateSize, goalSize: goalSize, actionSize: actionSize, configuration: configuration, seed: seed)
        }
    }
}

/// Throws ``AlgorithmsError/nonFinite(quantity:step:)`` for the first NaN or infinite metric.
func requireFinite(_ metrics: [String: Float], step: Int) throws {
    if let (quantity, _) = metrics.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
        throw AlgorithmsError.nonFinite(quantity: quantity, step: step)
    }
}
