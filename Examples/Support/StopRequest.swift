import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What SIGINT and SIGTERM do to a training tool, for its `--help`.
public let stoppingHelp = "Interrupted (Ctrl-C, or kill's SIGTERM), it ends the round it is in, saves the run's checkpoint and exits with 130 (SIGINT) or 143 (SIGTERM); the run resumes exactly from there. A second signal stops it at once, losing what the run did since its last checkpoint."

/// How a long-running tool stops cleanly when interrupted: the first SIGINT or SIGTERM sets
/// ``signalNumber``, so that a trainer asked through its `stopWhen` ends its round, writes its
/// checkpoint and returns (the run resumes exactly); a second signal ends the process at once.
///
/// The signals are blocked in the process's threads and awaited on a thread of its own, so no code
/// runs inside a signal handler. Threads that were running before ``shared`` was first used keep
/// the signals unblocked; use it first thing in `main`, before anything starts a thread.
public final class StopRequest: @unchecked Sendable {  // `received` is guarded by `lock`
    /// The process's request, listening for SIGINT and SIGTERM from its first use.
    public static let shared = StopRequest()

    private let lock = NSLock()
    private var received: Int32?

    /// The signal that asked to stop; nil while none has.
    public var signalNumber: Int32? { lock.withLock { received } }

    /// Whether a signal has asked to stop.
    public var isRequested: Bool { signalNumber != nil }

    /// The exit status of a tool that stopped on request: 128 plus the signal's number, as a shell
    /// reports a process a signal ended.
    public var exitStatus: Int32 { 128 + (signalNumber ?? 0) }

    private init() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)  // inherited by every thread started from now on
        let waiter = Thread { [self, signals] in
            var signals = signals, number: Int32 = 0
            while sigwait(&signals, &number) == 0 {
                let first = lock.withLock {
                    defer { received = received ?? number }
                    return received == nil
                }
                guard first else { _exit(128 + number) }
                FileHandle.standardError.write(Data(
                    "\nStopping at the end of this round, with a checkpoint (signal again to stop at once).\n".utf8))
            }
        }
        waiter.name = "stop-request"
        waiter.start()
    }
}
