import Foundation

/// Errors of the MuJoCo environments: models that do not load and models that lack what a task needs.
public enum MuJoCoError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// MuJoCo could not parse or compile a model; `message` is MuJoCo's own error text.
    case modelLoadFailed(source: String, message: String)
    /// A model file that ships with the package is missing from its resource bundle.
    case missingResource(name: String)
    /// A model lacks an element (joint, body, site, actuator) that the task looks up by name.
    case missingElement(kind: String, name: String, model: String)
    /// A model's sizes do not match what the task expects (e.g. a different number of joints).
    case unexpectedModel(model: String, detail: String)
    /// MuJoCo could not allocate the simulation data for a model.
    case dataAllocationFailed(model: String)
    /// A task setting is out of its range.
    case invalidSetting(name: String, value: String, expected: String)

    /// What went wrong, naming the file or setting.
    public var description: String {
        switch self {
        case let .modelLoadFailed(source, message):
            return "MuJoCo could not load \(source): \(message)"
        case let .missingResource(name):
            return "model file \(name) is missing from the MuJoCoEnvironments resource bundle"
        case let .missingElement(kind, name, model):
            return "model \(model) has no \(kind) named \"\(name)\", which the task needs"
        case let .unexpectedModel(model, detail):
            return "model \(model) does not fit its task: \(detail)"
        case let .dataAllocationFailed(model):
            return "MuJoCo could not allocate simulation data (mjData) for model \(model)"
        case let .invalidSetting(name, value, expected):
            return "\(name) must be \(expected), got \(value)"
        }
    }

    /// The same as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
