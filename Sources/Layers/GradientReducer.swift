/// Combines a gradient across the processes of a data-parallel job before an optimizer applies
/// it (the `Distributed` product's `GradientAverager` averages it over MPI). Every process calls
/// it for the same parameters in the same order.
public protocol GradientReducer: AnyObject {
    /// Replaces `gradient` by its combination across processes (for example their mean).
    func reduce(_ gradient: inout [Float])
}
