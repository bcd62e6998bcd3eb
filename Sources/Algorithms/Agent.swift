@_exported import Environments
@_exported import Layers

/// What the ``Trainer`` needs from a goal-conditioned learner: acting, learning from replayed
/// data, and saving or restoring everything it has learned. CRL implements it; SAC and TD3 will.
public protocol Agent: AnyObject {
    /// A short name for logs and checkpoints (`crl`, `sac`, `td3`).
    var name: String { get }

    /// Actions for a batch of observations (`rows × observationSize`, row-major), `rows × actionSize`
    /// out. `deterministic` picks the mean action (evaluation); otherwise actions are sampled.
    func act(observations: [Float], rows: Int, deterministic: Bool, generator: inout RandomGenerator) -> [Float]

    /// Every tensor that defines the agent's state (networks, optimizer moments, temperature),
    /// by unique name, for checkpoints.
    func state() -> [String: Tensor]

    /// Restores a state written by ``state()``; throws naming the first mismatch.
    func load(state: [String: Tensor]) throws
}
