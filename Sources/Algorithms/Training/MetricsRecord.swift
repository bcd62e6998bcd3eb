import Foundation

/// One line of `metrics.jsonl`: the state of a run at one evaluation.
///
/// Encoded as one flat JSON object: `env_steps`, `gradient_steps`, `wall_seconds`, `success_any`,
/// `time_at_goal`, `success_final`, `updates_per_second`, `env_steps_per_second`, and the agent's
/// last update metrics under their own names (CRL: `critic_loss`, `actor_loss`, `alpha`,
/// `categorical_accuracy`, `logits_pos`, `logits_neg`, …).
public struct MetricsRecord: Sendable, Equatable, Codable {
    /// Environment steps collected so far (`env_steps`).
    public var environmentSteps: Int
    /// Gradient steps taken so far (`gradient_steps`).
    public var gradientSteps: Int
    /// Seconds since the run started, resumed parts included (`wall_seconds`).
    public var wallSeconds: Double
    /// Success figures of this evaluation.
    public var evaluation: EvaluationResult
    /// Gradient steps per second of update time (`updates_per_second`).
    public var updatesPerSecond: Double
    /// Environment steps per second of collection time (`env_steps_per_second`).
    public var environmentStepsPerSecond: Double
    /// The agent's metrics of its last gradient step.
    public var training: [String: Float]

    /// Creates a record from its parts.
    public init(
        environmentSteps: Int, gradientSteps: Int, wallSeconds: Double, evaluation: EvaluationResult,
        updatesPerSecond: Double, environmentStepsPerSecond: Double, training: [String: Float]
    ) {
        self.environmentSteps = environmentSteps
        self.gradientSteps = gradientSteps
        self.wallSeconds = wallSeconds
        self.evaluation = evaluation
        self.updatesPerSecond = updatesPerSecond
        self.environmentStepsPerSecond = environmentStepsPerSecond
        self.training = training
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let fixedKeys: Set<String> = [
        "env_steps", "gradient_steps", "wall_seconds", "success_any", "time_at_goal", "success_final",
        "updates_per_second", "env_steps_per_second",
    ]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        func key(_ name: String) -> Key { Key(stringValue: name) }
        environmentSteps = try c.decode(Int.self, forKey: key("env_steps"))
        gradientSteps = try c.decode(Int.self, forKey: key("gradient_steps"))
        wallSeconds = try c.decode(Double.self, forKey: key("wall_seconds"))
        evaluation = EvaluationResult(
            successAny: try c.decode(Float.self, forKey: key("success_any")),
            timeAtGoal: try c.decode(Float.self, forKey: key("time_at_goal")),
            successFinal: try c.decode(Float.self, forKey: key("success_final")))
        updatesPerSecond = try c.decode(Double.self, forKey: key("updates_per_second"))
        environmentStepsPerSecond = try c.decode(Double.self, forKey: key("env_steps_per_second"))
        training = [:]
        for k in c.allKeys where !Self.fixedKeys.contains(k.stringValue) {
            training[k.stringValue] = try c.decode(Float.self, forKey: k)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        func key(_ name: String) -> Key { Key(stringValue: name) }
        try c.encode(environmentSteps, forKey: key("env_steps"))
        try c.encode(gradientSteps, forKey: key("gradient_steps"))
        try c.encode(wallSeconds, forKey: key("wall_seconds"))
        try c.encode(evaluation.successAny, forKey: key("success_any"))
        try c.encode(evaluation.timeAtGoal, forKey: key("time_at_goal"))
        try c.encode(evaluation.successFinal, forKey: key("success_final"))
        try c.encode(updatesPerSecond, forKey: key("updates_per_second"))
        try c.encode(environmentStepsPerSecond, forKey: key("env_steps_per_second"))
        for (name, value) in training where !Self.fixedKeys.contains(name) { try c.encode(value, forKey: key(name)) }
    }
}

extension MetricsRecord {
    /// The records of a `metrics.jsonl` file, one per non-empty line. Throws
    /// ``AlgorithmsError/unreadableMetrics(path:line:reason:)`` naming the first line that is not a
    /// metrics record.
    public static func read(from url: URL) throws -> [MetricsRecord] {
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        var records: [MetricsRecord] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                records.append(try decoder.decode(MetricsRecord.self, from: Data(line.utf8)))
            } catch {
                throw AlgorithmsError.unreadableMetrics(path: url.path, line: index + 1, reason: "\(error)")
            }
        }
        return records
    }
}

extension MetricsRecord {
    /// The records as CSV, one row per record: the fixed columns (`env_steps`, `gradient_steps`,
    /// `wall_seconds`, `success_any`, `time_at_goal`, `success_final`, `updates_per_second`,
    /// `env_steps_per_second`), then every training metric any record has, sorted by name; a
    /// record without one leaves its cell empty.
    public static func csv(_ records: [MetricsRecord]) -> String {
        let trainingNames = Set(records.flatMap(\.training.keys)).subtracting(fixedKeys).sorted()
        var lines = [(["env_steps", "gradient_steps", "wall_seconds", "success_any", "time_at_goal", "success_final",
                       "updates_per_second", "env_steps_per_second"] + trainingNames).joined(separator: ",")]
        for r in records {
            let fixed = ["\(r.environmentSteps)", "\(r.gradientSteps)", "\(r.wallSeconds)", "\(r.evaluation.successAny)",
                         "\(r.evaluation.timeAtGoal)", "\(r.evaluation.successFinal)", "\(r.updatesPerSecond)",
                         "\(r.environmentStepsPerSecond)"]
            lines.append((fixed + trainingNames.map { r.training[$0].map { "\($0)" } ?? "" }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
