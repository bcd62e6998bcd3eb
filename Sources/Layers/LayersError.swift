/// Errors thrown when building, loading or optimizing networks.
public enum LayersError: Error, Equatable, CustomStringConvertible {
    /// A size argument was out of range.
    case invalidArgument(String)
    /// A saved state does not match the network or optimizer it is loaded into.
    case stateMismatch(String)

    /// What was wrong, in one sentence.
    public var description: String {
        switch self {
        case .invalidArgument(let message): "invalid argument: \(message)"
        case .stateMismatch(let message): "state mismatch: \(message)"
        }
    }
}

func requirePositive(_ value: Int, _ name: String) throws {
    guard value >= 1 else { throw LayersError.invalidArgument("\(name) must be at least 1, got \(value)") }
}
