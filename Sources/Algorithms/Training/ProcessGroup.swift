/// The processes of a data-parallel run, as a ``Trainer`` uses them: every process steps its own
/// environments into its own replay and takes gradient steps on its own batches, and the
/// gradients are averaged across processes before every optimizer step, so all processes keep the
/// same networks. The `Distributed` product's `Communicator` is one, over MPI.
public protocol ProcessGroup: AnyObject {
    /// This process's rank, 0 ..< ``size``; rank 0 writes the run's records.
    var rank: Int { get }
    /// The number of processes.
    var size: Int { get }
    /// Copies `root`'s `buffer` into every other process's buffer of the same size.
    func broadcast(_ buffer: inout [Float], from root: Int) throws
    /// Replaces `buffer` on every process by the element-wise mean over all processes.
    func allreduceAverage(_ buffer: inout [Float]) throws
    /// A reducer that averages each gradient over the processes (set on every optimizer).
    func gradientAverager() throws -> any GradientReducer
}
