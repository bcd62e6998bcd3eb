import Foundation

/// Errors of the ``Communicator``.
public enum DistributedError: Error, Equatable, LocalizedError, CustomStringConvertible {
    /// The process was not started by `mpirun` (or another MPI launcher).
    case notLaunched
    /// An MPI call failed: `operation` names it, `code` and `message` are MPI's.
    case mpi(operation: String, code: Int32, message: String)
    /// An argument was out of its allowed range.
    case invalidSetting(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .notLaunched:
            return "this process was not started by mpirun; start it as: mpirun -np N <program> … "
                + "(as root add --allow-run-as-root; with more processes than cores add --oversubscribe)"
        case let .mpi(operation, code, message):
            return "\(operation) failed with MPI error \(code): \(message)"
        case let .invalidSetting(name, value, expected):
            return "\(name) is \(value), expected \(expected)"
        }
    }

    public var errorDescription: String? { description }
}
