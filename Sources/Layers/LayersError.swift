import Foundation

/// What building, loading or optimizing networks rejects; each message names the offending value
/// and what was expected.
public enum LayersError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A size or optimizer setting was out of its allowed range.
    case invalidSetting(name: String, value: String, expected: String)
    /// A saved state does not match the network or optimizer it is loaded into.
    case stateMismatch(String)

    /// What was wrong and what was expected.
    public var description: String {
        switch self {
        case let .invalidSetting(name, value, expected): "\(name) is \(value), expected \(expected)"
        case let .stateMismatch(message): "state mismatch: \(message)"
        }
    }

    /// The same as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}

func requirePositive(_ value: Int, _ name: String) throws {
    guard value >= 1 else { throw LayersError.invalidSetting(name: name, value: "\(value)", expected: "at least 1") }
}
