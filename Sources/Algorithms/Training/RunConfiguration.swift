import Foundation

/// What a run directory's `config.json` holds: the environment, the agent's settings and the
/// trainer's settings, enough to rebuild the run.
///
/// Reading is lenient about settings added after a file was written: any key of `agent` or
/// `trainer` that the file lacks takes its default, so runs written by older versions of the
/// library still resume and evaluate. A key the file has is never replaced.
public struct RunConfiguration: Sendable, Equatable, Codable {
    /// The name of the environment in the registry.
    public var environment: String
    /// The agent's settings.
    public var agent: AgentConfiguration
    /// The trainer's settings.
    public var trainer: TrainerConfiguration

    /// The file's name inside a run directory.
    public static let fileName = "config.json"

    /// Creates a run configuration.
    public init(environment: String, agent: AgentConfiguration, trainer: TrainerConfiguration) {
        self.environment = environment
        self.agent = agent
        self.trainer = trainer
    }

    /// Reads `config.json` from a run directory; settings it lacks take their defaults.
    public init(contentsOf directory: URL) throws {
        let url = directory.appendingPathComponent(Self.fileName)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AlgorithmsError.checkpoint("cannot read \(url.path): \(error.localizedDescription)")
        }
        do {
            try self.init(json: data)
        } catch {
            throw AlgorithmsError.checkpoint("\(url.path) is not a run configuration: \(error)")
        }
    }

    /// Decodes a configuration from JSON; keys of `agent` and `trainer` that it lacks take their
    /// defaults. Throws a `DecodingError` naming the key when a value is malformed or the
    /// environment or the algorithm is missing.
    public init(json data: Data) throws {
        let stored = try JSONSerialization.jsonObject(with: data)
        let algorithm = ((stored as? [String: Any])?["agent"] as? [String: Any])?.keys.first
        var filled = stored
        if let algorithm, let agent = AgentConfiguration(defaultsOf: algorithm) {
            let defaults = try JSONEncoder().encode(Defaults(agent: agent, trainer: TrainerConfiguration()))
            filled = Self.merge(stored, over: try JSONSerialization.jsonObject(with: defaults))
        }
        self = try JSONDecoder().decode(Self.self, from: JSONSerialization.data(withJSONObject: filled))
    }

    /// Writes `config.json` into `directory` atomically, keys sorted, one per line.
    public func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }

    /// The settings that have defaults (the environment has none).
    private struct Defaults: Encodable {
        var agent: AgentConfiguration
        var trainer: TrainerConfiguration
    }

    /// `stored` with every key of `defaults` it lacks added, recursively through nested objects.
    private static func merge(_ stored: Any, over defaults: Any) -> Any {
        guard let stored = stored as? [String: Any], let defaults = defaults as? [String: Any] else { return stored }
        return defaults.merging(stored) { defaultValue, storedValue in merge(storedValue, over: defaultValue) }
    }
}
