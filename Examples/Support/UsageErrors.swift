import Algorithms
import ArgumentParser

/// The exit statuses of the command-line examples, for their `--help`.
public let exitStatusHelp = "Exit status: 0 on success, 1 when something fails while running (the message says what), 64 for a usage error (with the usage text)."

/// Runs a tool's work and sorts what it throws the way command-line users expect: an error that
/// says a setting was wrong becomes a usage error (its message and the usage text, exit 64); any
/// other error (NaN during training, an unreadable or corrupt file, a full disk) stays a failure
/// at run time (its own message, exit 1).
public func sortingUsageErrors<Result>(_ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error where isUsageError(error) {
        throw ValidationError(String(describing: error))
    }
}

/// Whether `error` says that a setting given to the tool was wrong, rather than that something
/// failed while it ran.
public func isUsageError(_ error: any Error) -> Bool {
    switch error {
    case AlgorithmsError.invalidSetting, LayersError.invalidSetting,
         EnvironmentError.unknownEnvironment, EnvironmentError.invalidSetting,
         ReplayBufferError.invalidSetting, ReplayBufferError.tooManyBatches:
        true
    default:
        false
    }
}
