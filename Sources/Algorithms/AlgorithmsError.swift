/// Errors of agents and training runs; each message says what was wrong and what to change.
public enum AlgorithmsError: Error, Equatable, CustomStringConvertible {
    /// A configuration value is out of range or inconsistent with another.
    case invalidConfiguration(String)
    /// A loss or metric became NaN or infinite.
    case nonFinite(quantity: String, step: Int)
    /// A checkpoint or run directory is unusable.
    case checkpoint(String)

    /// A message naming the problem and what to change.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message): "invalid configuration: \(message)"
        case .nonFinite(let quantity, let step): "\(quantity) became NaN or infinite at gradient step \(step); training stopped, the last good checkpoint is kept"
        case .checkpoint(let message): "checkpoint: \(message)"
        }
    }
}
