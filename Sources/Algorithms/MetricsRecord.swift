/// One line of `metrics.jsonl`: the state of a run at one evaluation.
public struct MetricsRecord: Sendable, Equatable, Codable {
    public var environmentSteps: Int
    public var gradientSteps: Int
    public var wallSeconds: Double
    public var evaluation: EvaluationResult
    public var criticLoss: Float
    public var actorLoss: Float
    public var alpha: Float
    public var entropy: Float
    public var categoricalAccuracy: Float
    public var logitsPositive: Float
    public var logitsNegative: Float
    public var logsumexp: Float
    public var updatesPerSecond: Double
    public var environmentStepsPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case environmentSteps = "env_steps", gradientSteps = "gradient_steps", wallSeconds = "wall_seconds"
        case successAny = "success_any", timeAtGoal = "time_at_goal", successFinal = "success_final"
        case criticLoss = "critic_loss", actorLoss = "actor_loss", alpha, entropy
        case categoricalAccuracy = "categorical_accuracy", logitsPositive = "logits_pos", logitsNegative = "logits_neg"
        case logsumexp, updatesPerSecond = "updates_per_second", environmentStepsPerSecond = "env_steps_per_second"
    }

    public init(
        environmentSteps: Int, gradientSteps: Int, wallSeconds: Double, evaluation: EvaluationResult,
        update: CRLUpdateMetrics?, updatesPerSecond: Double, environmentStepsPerSecond: Double
    ) {
        self.environmentSteps = environmentSteps
        self.gradientSteps = gradientSteps
        self.wallSeconds = wallSeconds
        self.evaluation = evaluation
        criticLoss = update?.criticLoss ?? 0
        actorLoss = update?.actorLoss ?? 0
        alpha = update?.alpha ?? 1
        entropy = update?.entropy ?? 0
        categoricalAccuracy = update?.contrastive.categoricalAccuracy ?? 0
        logitsPositive = update?.contrastive.logitsPositive ?? 0
        logitsNegative = update?.contrastive.logitsNegative ?? 0
        logsumexp = update?.contrastive.logsumexp ?? 0
        self.updatesPerSecond = updatesPerSecond
        self.environmentStepsPerSecond = environmentStepsPerSecond
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        environmentSteps = try c.decode(Int.self, forKey: .environmentSteps)
        gradientSteps = try c.decode(Int.self, forKey: .gradientSteps)
        wallSeconds = try c.decode(Double.self, forKey: .wallSeconds)
        evaluation = EvaluationResult(
            successAny: try c.decode(Float.self, forKey: .successAny), timeAtGoal: try c.decode(Float.self, forKey: .timeAtGoal),
            successFinal: try c.decode(Float.self, forKey: .successFinal))
        criticLoss = try c.decode(Float.self, forKey: .criticLoss)
        actorLoss = try c.decode(Float.self, forKey: .actorLoss)
        alpha = try c.decode(Float.self, forKey: .alpha)
        entropy = try c.decode(Float.self, forKey: .entropy)
        categoricalAccuracy = try c.decode(Float.self, forKey: .categoricalAccuracy)
        logitsPositive = try c.decode(Float.self, forKey: .logitsPositive)
        logitsNegative = try c.decode(Float.self, forKey: .logitsNegative)
        logsumexp = try c.decode(Float.self, forKey: .logsumexp)
        updatesPerSecond = try c.decode(Double.self, forKey: .updatesPerSecond)
        environmentStepsPerSecond = try c.decode(Double.self, forKey: .environmentStepsPerSecond)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(environmentSteps, forKey: .environmentSteps)
        try c.encode(gradientSteps, forKey: .gradientSteps)
        try c.encode(wallSeconds, forKey: .wallSeconds)
        try c.encode(evaluation.successAny, forKey: .successAny)
        try c.encode(evaluation.timeAtGoal, forKey: .timeAtGoal)
        try c.encode(evaluation.successFinal, forKey: .successFinal)
        try c.encode(criticLoss, forKey: .criticLoss)
        try c.encode(actorLoss, forKey: .actorLoss)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(entropy, forKey: .entropy)
        try c.encode(categoricalAccuracy, forKey: .categoricalAccuracy)
        try c.encode(logitsPositive, forKey: .logitsPositive)
        try c.encode(logitsNegative, forKey: .logitsNegative)
        try c.encode(logsumexp, forKey: .logsumexp)
        try c.encode(updatesPerSecond, forKey: .updatesPerSecond)
        try c.encode(environmentStepsPerSecond, forKey: .environmentStepsPerSecond)
    }
}
