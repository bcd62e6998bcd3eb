import Foundation
import Layers

/// Averages every gradient over the job's processes before the optimizer applies it: set one as
/// `gradientReducer` of each `Adam` optimizer on every process, and each process's step on its
/// own batch becomes the step on all of them (for losses that are means over samples, the step
/// on the union of the batches).
///
/// Each averager has its own duplicate of the communicator, so two optimizers stepping on two
/// threads never match each other's collectives. By default a gradient is averaged on the
/// thread that hands it over. With `overlapping`, a thread of the averager's own averages the
/// gradients in the order they arrive while the backward pass that produced them goes on; that
/// pays where the transfer leaves the cores free (a network, spare cores), not where every core
/// computes and communication is the cores' own copying (see the article's measurements).
///
/// An MPI failure here cannot be thrown through the optimizer: it ends the whole job with the
/// rank and the error (``Communicator/abort(_:code:)``) instead of leaving the other ranks waiting.
public final class GradientAverager: GradientReducer, @unchecked Sendable {
    // `@unchecked Sendable`: the queue locks itself; `waited` is guarded by `lock`.

    /// The averager's own channel among the processes (a duplicate of the one it was given).
    public let communicator: Communicator
    private let queue: Queue?
    private let lock = NSLock()
    private var waited = 0.0

    /// Seconds the optimizers spent waiting for this averager's reductions: the part of its
    /// communication that computation did not hide (all of it without `overlapping`).
    public var waitingSeconds: Double { lock.withLock { waited } }

    /// Averages over `communicator`'s processes; with `overlapping`, on a thread of its own.
    /// Every process must create its averagers in the same order (each duplicates the
    /// communicator).
    public init(_ communicator: Communicator, overlapping: Bool = false) throws {
        self.communicator = try communicator.duplicate()
        guard overlapping else {
            queue = nil
            return
        }
        let (queue, channel) = (Queue(), self.communicator)
        self.queue = queue
        let worker = Thread {
            while let (gradient, pending) = queue.next() {
                pending.complete(with: Self.average(gradient, over: channel))
            }
        }
        worker.name = "GradientAverager"
        worker.start()
    }

    deinit { queue?.close() }

    private static func average(_ gradient: [Float], over channel: Communicator) -> [Float] {
        var average = gradient
        do {
            try channel.allreduceAverage(&average)
        } catch {
            channel.abort("averaging gradients failed: \(error)")
        }
        return average
    }

    private func addWaiting(_ seconds: Double) { lock.withLock { waited += seconds } }

    public func startReducing(_ gradient: [Float]) -> PendingReduction {
        guard let queue else {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { addWaiting(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
            return PendingReduction(completed: Self.average(gradient, over: communicator))
        }
        let pending = PendingReduction { [weak self] seconds in self?.addWaiting(seconds) }
        queue.append((gradient, pending))
        return pending
    }

    public func reduce(_ gradient: inout [Float]) {
        gradient = startReducing(gradient).wait()
    }

    /// The reductions waiting for the averager's thread, first in first out.
    private final class Queue: @unchecked Sendable {
        // `@unchecked Sendable`: every field is read and written holding `condition`.
        private let condition = NSCondition()
        private var jobs: [(gradient: [Float], pending: PendingReduction)] = []
        private var first = 0
        private var closed = false

        func append(_ job: (gradient: [Float], pending: PendingReduction)) {
            condition.withLock {
                jobs.append(job)
                condition.signal()
            }
        }

        /// The next job, waiting for one; nil once closed and drained.
        func next() -> (gradient: [Float], pending: PendingReduction)? {
            condition.lock()
            defer { condition.unlock() }
            while first == jobs.count && !closed { condition.wait() }
            guard first < jobs.count else { return nil }
            let job = jobs[first]
            first += 1
            if first == jobs.count { (jobs, first) = ([], 0) }
            return job
        }

        func close() {
            condition.withLock {
                closed = true
                condition.signal()
            }
        }
    }
}
