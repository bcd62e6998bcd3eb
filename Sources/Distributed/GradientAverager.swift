import Layers

/// Averages every gradient over the job's processes before the optimizer applies it: set it as
/// `gradientReducer` of each `Adam` optimizer on every process, and each process's step on
/// its own batch becomes the step on all of them (for losses that are means over samples, the
/// step on the union of the batches).
///
/// An MPI failure here cannot be thrown through the optimizer: it ends the whole job with the
/// rank and the error (``Communicator/abort(_:code:)``) instead of leaving the other ranks waiting.
public final class GradientAverager: GradientReducer, @unchecked Sendable {
    // `@unchecked Sendable`: holds only the communicator, which serializes its calls.

    /// The processes whose gradients are averaged.
    public let communicator: Communicator

    /// Averages over `communicator`'s processes.
    public init(_ communicator: Communicator) {
        self.communicator = communicator
    }

    public func reduce(_ gradient: inout [Float]) {
        do {
            try communicator.allreduceAverage(&gradient)
        } catch {
            communicator.abort("averaging gradients failed: \(error)")
        }
    }
}
