import Foundation

/// What the algorithms reject or stop for; each message names the offending value and what was
/// expected (the style of every error in the library).
public enum AlgorithmsError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A setting was out of its allowed range or inconsistent with another.
    case invalidSetting(name: String, value: String, expected: String)
    /// A loss or metric became NaN or infinite.
    case nonFinite(quantity: String, step: Int)
    /// A checkpoint or run directory is unusable; the message names the file and what was wrong.
    case checkpoint(String)
    /// A `metrics.jsonl` line that is not a metrics record.
    case unreadableMetrics(path: String, line: Int, reason: String)

    /// What was wrong and what was expected.
    public var description: String {
        switch self {
        case let .invalidSetting(name, value, expected): "\(name) is \(value), expected \(expected)"
        case let .nonFinite(quantity, step): "\(quantity) became NaN or infinite at gradient step \(step); training stopped, the last good checkpoint is kept"
        case let .checkpoint(message): "checkpoint: \(message)"
        case let .unreadableMetrics(path, line, reason): "\(path), line \(line): not a metrics record (\(reason))"
        }
    }

    /// The same as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
