import Foundation

/// Combines a gradient across the processes of a data-parallel job before an optimizer applies
/// it (the `Distributed` product's `GradientAverager` averages it over MPI). Every process calls
/// it for the same parameters in the same order.
public protocol GradientReducer: AnyObject {
    /// Replaces `gradient` by its combination across processes (for example their mean).
    func reduce(_ gradient: inout [Float])

    /// Starts combining `gradient` and returns at once, so the caller can go on (with the rest
    /// of a backward pass, say) while it travels; ``PendingReduction/wait()`` gives the result.
    /// The default combines it before returning.
    func startReducing(_ gradient: [Float]) -> PendingReduction
}

extension GradientReducer {
    public func startReducing(_ gradient: [Float]) -> PendingReduction {
        var combined = gradient
        reduce(&combined)
        return PendingReduction(completed: combined)
    }
}

/// A gradient being combined across processes: a reducer calls ``complete(with:)`` once, and
/// ``wait()`` returns the combination, blocking until then.
public final class PendingReduction: @unchecked Sendable {
    // `@unchecked Sendable`: `result` is read and written only holding `condition`.
    private let condition = NSCondition()
    private var result: [Float]?
    private let reportWait: (@Sendable (Double) -> Void)?

    /// A reduction still in progress; `reportWait`, when given, receives the seconds each
    /// ``wait()`` blocked (the communication the caller could not hide).
    public init(reportingWaits reportWait: (@Sendable (Double) -> Void)? = nil) {
        self.reportWait = reportWait
    }

    /// A reduction that is already done.
    public init(completed gradient: [Float]) {
        result = gradient
        reportWait = nil
    }

    /// Whether the combined gradient is ready (``wait()`` would not block).
    public var isComplete: Bool { condition.withLock { result != nil } }

    /// Hands over the combined gradient and wakes the waiters.
    public func complete(with gradient: [Float]) {
        condition.withLock {
            result = gradient
            condition.broadcast()
        }
    }

    /// The combined gradient, once ready.
    public func wait() -> [Float] {
        condition.lock()
        defer { condition.unlock() }
        if let result { return result }
        let start = DispatchTime.now().uptimeNanoseconds
        while result == nil { condition.wait() }
        reportWait?(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        return result!
    }
}
