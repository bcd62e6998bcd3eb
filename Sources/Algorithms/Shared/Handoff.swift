import Dispatch

/// One value passed between two threads: ``put(_:)`` once, ``take()`` waits until then.
///
/// `@unchecked Sendable`: `value` is written once before the semaphore is signalled and read only
/// after waiting on it, which orders the write before every read.
final class Handoff<Value>: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private var value: Value?

    /// Stores `value` and wakes the taker.
    func put(_ value: Value) {
        self.value = value
        ready.signal()
    }

    /// The value, waiting for ``put(_:)`` if it has not happened yet.
    func take() -> Value {
        ready.wait()
        defer { ready.signal() }
        return value!
    }
}
