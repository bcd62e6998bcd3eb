import Foundation

/// What a run directory's `config.json` holds: the environment, the agent's settings and the
/// trainer's settings, enough to rebuild the run.
///
/// The file reads as a person would write it:
///
/// ```json
/// {"formatVersion": 2, "environment": "point-maze-u",
///  "agent": {"algorithm": "crl", "batchSize": 256, "criticDepth": 4, …}, "trainer": {"seed": 0, …}}
/// ```
///
/// Reading is lenient about settings added after a file was written: any key of `agent` or
/// `trainer` that the file lacks takes its default, so runs written by older versions of the
/// library still resume and evaluate. A key the file has is never replaced. Files of format 1
/// (no `formatVersion`; the agent stored as `{"crl": {"_0": {…}}}`, batch size, window length and
/// CRL's discount with the trainer) read to the same settings.
public struct RunConfiguration: Sendable, Equatable, Codable {
    /// The name of the environment in the registry.
    public var environment: String
    /// The agent's settings.
    public var agent: AgentConfiguration
    /// The trainer's settings.
    public var trainer: TrainerConfiguration

    /// The file's name inside a run directory.
    public static let fileName = "config.json"

    /// The format this library writes; it reads this one and every earlier one. Format 4 added
    /// the trainer's `matrixPrecision` (float32 before), so that a library that predates it
    /// refuses a run it would resume in another precision.
    public static let formatVersion = 4

    private enum CodingKeys: String, CodingKey { case formatVersion, environment, agent, trainer }

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
    /// defaults. Throws a `DecodingError` naming the key when a value is malformed, the
    /// environment or the algorithm is missing, or the format is newer than ``formatVersion``.
    public init(json data: Data) throws {
        let parsed = try JSONSerialization.jsonObject(with: data)
        let version = ((parsed as? [String: Any])?["formatVersion"] as? Int) ?? 1
        let stored = Self.upgradingFormat1(parsed)
        let algorithm = ((stored as? [String: Any])?["agent"] as? [String: Any])?["algorithm"] as? String
        var filled = stored
        if let algorithm, let defaults = Self.defaults(of: algorithm, formatVersion: version) {
            filled = Self.merge(stored, over: try JSONSerialization.jsonObject(with: JSONEncoder().encode(defaults)))
        }
        self = try JSONDecoder().decode(Self.self, from: JSONSerialization.data(withJSONObject: filled))
    }

    /// Decodes the fields; an absent `formatVersion` is format 1.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decodeIfPresent(Int.self, forKey: .formatVersion) ?? 1
        guard version <= Self.formatVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .formatVersion, in: container,
                debugDescription: "format \(version) is newer than the \(Self.formatVersion) this library reads; update DeepCRL")
        }
        environment = try container.decode(String.self, forKey: .environment)
        agent = try container.decode(AgentConfiguration.self, forKey: .agent)
        trainer = try container.decode(TrainerConfiguration.self, forKey: .trainer)
    }

    /// Encodes the fields with the current ``formatVersion``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.formatVersion, forKey: .formatVersion)
        try container.encode(environment, forKey: .environment)
        try container.encode(agent, forKey: .agent)
        try container.encode(trainer, forKey: .trainer)
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

    /// The defaults a file of `formatVersion` was written under, for the keys it lacks. Format 3
    /// changed SAC's and TD3's (τ 0.005 → 0.05; SAC's first α 1 → 0.1; TD3's pre-tanh penalty
    /// 0 → 0.01) and derives the prefill from the budget (1000 steps before).
    private static func defaults(of algorithm: String, formatVersion: Int) -> Defaults? {
        guard var agent = AgentConfiguration(defaultsOf: algorithm) else { return nil }
        var trainer = TrainerConfiguration()
        if formatVersion < 3 {
            trainer.prefillSteps = 1_000
            switch agent {
            case .crl: break
            case .sac(var c):
                (c.targetUpdateRate, c.initialTemperature) = (0.005, 1)
                agent = .sac(c)
            case .td3(var c):
                (c.targetUpdateRate, c.preactivationPenalty) = (0.005, 0)
                agent = .td3(c)
            }
        }
        return Defaults(agent: agent, trainer: trainer)
    }

    /// A format-1 file in format 2: the agent `{"crl": {"_0": {…}}}` as the flat
    /// `{"algorithm": "crl", …}`, and the sampling settings format 1 kept with the trainer moved
    /// to the agent that reads them (`batchSize` for every agent; `windowLength` and the goal
    /// offset's `discount` for CRL). Anything else is returned unchanged.
    private static func upgradingFormat1(_ stored: Any) -> Any {
        guard var file = stored as? [String: Any], file["formatVersion"] == nil,
              let wrapped = file["agent"] as? [String: Any], wrapped.count == 1, wrapped["algorithm"] == nil,
              let (algorithm, value) = wrapped.first, var agent = (value as? [String: Any])?["_0"] as? [String: Any]
        else { return stored }
        agent["algorithm"] = algorithm
        var trainer = file["trainer"] as? [String: Any] ?? [:]
        let moved = algorithm == "crl" ? ["batchSize", "windowLength", "discount"] : ["batchSize"]
        for key in moved where agent[key] == nil { agent[key] = trainer[key] }
        for key in ["batchSize", "windowLength", "discount"] { trainer[key] = nil }
        file["agent"] = agent
        if file["trainer"] != nil { file["trainer"] = trainer }
        return file
    }

    /// `stored` with every key of `defaults` it lacks added, recursively through nested objects.
    private static func merge(_ stored: Any, over defaults: Any) -> Any {
        guard let stored = stored as? [String: Any], let defaults = defaults as? [String: Any] else { return stored }
        return defaults.merging(stored) { defaultValue, storedValue in merge(storedValue, over: defaultValue) }
    }
}
