import Algorithms
import Foundation

/// Reading `metrics.jsonl` and drawing learning curves from it.
public enum LearningCurves {
    /// Three stacked charts against environment steps: success rates (`success_any`,
    /// `success_final`), time at goal, and the training losses (`critic_loss`, `actor_loss`,
    /// `alpha_loss` when present, else every loss the agent logged).
    public static func svg(_ records: [MetricsRecord], title: String = "Learning curves") -> SVGDocument {
        let steps = records.map { Double($0.environmentSteps) }
        func series(_ label: String, _ values: [Float]) -> LineChart.Series {
            LineChart.Series(label: label, points: zip(steps, values).map { (x: $0, y: Double($1)) })
        }
        let success = LineChart(
            title: "\(title): success rate", xLabel: "environment steps", yLabel: "share of episodes",
            series: [series("success_any", records.map(\.evaluation.successAny)),
                     series("success_final", records.map(\.evaluation.successFinal))],
            yRange: 0...1)
        let time = LineChart(
            title: "Time at goal (steps per episode within the threshold)", xLabel: "environment steps", yLabel: "steps",
            series: [series("time_at_goal", records.map(\.evaluation.timeAtGoal))])
        let lossNames = Set(records.flatMap(\.training.keys)).filter { $0.hasSuffix("_loss") }.sorted()
        let losses = LineChart(
            title: "Losses (last gradient step before each evaluation)", xLabel: "environment steps", yLabel: "loss",
            series: lossNames.map { name in series(name, records.map { $0.training[name] ?? .nan }) })
        return stacked([success.svg, time.svg, losses.svg])
    }

    /// Success rate (`success_any`) against environment steps, one line per labelled run.
    public static func comparison(_ runs: [(label: String, records: [MetricsRecord])], title: String) -> SVGDocument {
        LineChart(
            title: title, xLabel: "environment steps", yLabel: "success rate (success_any)",
            series: runs.map { run in
                LineChart.Series(label: run.label, points: run.records.map {
                    (x: Double($0.environmentSteps), y: Double($0.evaluation.successAny))
                })
            },
            yRange: 0...1
        ).svg
    }

    /// A CSV table with one row per evaluation of every labelled run: `setting`, `env_steps`,
    /// `gradient_steps`, `wall_seconds`, `success_any`, `time_at_goal`, `success_final`,
    /// `critic_loss`, `actor_loss`.
    public static func csv(_ runs: [(label: String, records: [MetricsRecord])]) -> String {
        var lines = ["setting,env_steps,gradient_steps,wall_seconds,success_any,time_at_goal,success_final,critic_loss,actor_loss"]
        for run in runs {
            let label = run.label.contains(",") || run.label.contains("\"")
                ? "\"" + run.label.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : run.label
            for r in run.records {
                let fields: [String] = [
                    label, "\(r.environmentSteps)", "\(r.gradientSteps)", String(format: "%.1f", r.wallSeconds),
                    "\(r.evaluation.successAny)", "\(r.evaluation.timeAtGoal)", "\(r.evaluation.successFinal)",
                    r.training["critic_loss"].map { "\($0)" } ?? "", r.training["actor_loss"].map { "\($0)" } ?? "",
                ]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// What can go wrong when reading inputs for a picture.
public enum PlotsError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A picture that needs a maze from an environment that has none.
    case noMaze(String)

    /// What was wrong and what was expected.
    public var description: String {
        switch self {
        case .noMaze(let name):
            "environment '\(name)' is not a point maze; maze pictures need a PointMaze (or a subclass)"
        }
    }

    /// The same as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
