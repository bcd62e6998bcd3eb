import Foundation

/// What a ``TrajectoryReplayBuffer`` rejects; each message says what was wrong and what to change.
public enum ReplayBufferError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A size or sampling setting was out of its allowed range.
    case invalidSetting(name: String, value: String, expected: String)
    /// An appended or restored array had the wrong number of elements.
    case wrongLength(name: String, count: Int, expected: Int)
    /// Sampling needs more stored steps per environment than there are.
    case notEnoughSteps(stored: Int, needed: Int)
    /// No two consecutive stored steps belong to one episode, so there is no transition to sample.
    case noTransitions
    /// A round was asked for more batches than its windows hold.
    case tooManyBatches(requested: Int, batchSize: Int, maximum: Int)

    /// A message naming the offending value and what was expected.
    public var description: String {
        switch self {
        case let .invalidSetting(name, value, expected):
            return "\(name) is \(value), expected \(expected)"
        case let .wrongLength(name, count, expected):
            return "\(name) has \(count) elements, expected \(expected)"
        case let .notEnoughSteps(stored, needed):
            return "the replay buffer holds \(stored) steps per environment, sampling needs at least \(needed); collect more first"
        case .noTransitions:
            return "the replay buffer holds no two consecutive steps of one episode, expected at least one transition; "
                + "collect more steps or lengthen episodes"
        case let .tooManyBatches(requested, batchSize, maximum):
            return "a round was asked for \(requested) batches of \(batchSize), but its windows hold only \(maximum) "
                + "(environments × (window length − 1) / batch size); use fewer gradient steps per round, "
                + "a smaller batch, more environments or a longer window"
        }
    }

    /// The same message, for `localizedDescription`.
    public var errorDescription: String? { description }
}
