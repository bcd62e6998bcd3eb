import Algorithms
import Foundation
import Plots

/// A study's reports from its runs' results: `results.csv`, `summary.md` and pictures.
public struct StudyReport {
    /// The study.
    public var study: Study
    /// The results of its finished runs.
    public var results: [StudyResult]

    /// A report of `results` of `study`.
    public init(study: Study, results: [StudyResult]) {
        self.study = study
        self.results = results
    }

    /// One row per run: `setting`, the study's value columns, `seed`, `success_any`,
    /// `time_at_goal` (the mean of the last three evaluations), `wall_seconds`, `parameters`,
    /// `peak_memory_mb`, `machine` (CPU model and matrix-product kernel).
    public var csv: String {
        let header = ["setting"] + study.columns
            + ["seed", "success_any", "time_at_goal", "wall_seconds", "parameters", "peak_memory_mb", "machine"]
        let rows = results.map { r in
            [Self.quoted(r.run.setting)] + study.columns.map { Self.quoted(r.run.values[$0] ?? "") }
                + ["\(r.run.seed)", "\(r.successAny)", String(format: "%.1f", r.timeAtGoal), String(format: "%.1f", r.wallSeconds),
                   "\(r.parameterCount)", String(format: "%.0f", Double(r.peakMemoryBytes) / 1e6), Self.quoted(r.machine)]
        }
        return ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// The settings in the study's order, each with its results.
    var bySetting: [(setting: String, results: [StudyResult])] {
        var order: [String] = []
        for run in study.runs where !order.contains(run.setting) { order.append(run.setting) }
        return order.map { setting in (setting, results.filter { $0.run.setting == setting }) }.filter { !$0.results.isEmpty }
    }

    /// Per setting, across seeds: the interquartile mean of `success_any` and of `time_at_goal`
    /// with their 95 % bootstrap confidence intervals, as rliable reports RL results.
    public var summary: String {
        var lines = [
            "# Study `\(study.name)`", "",
            "Interquartile mean across seeds [95 % bootstrap confidence interval]; time at goal is the mean of each run's last three evaluations.",
            "",
            "| setting | seeds | success_any | time_at_goal | parameters | wall seconds (mean) |",
            "|---|---|---|---|---|---|",
        ]
        for (setting, results) in bySetting {
            func cell(_ values: [Double], _ format: String) -> String {
                let iqm = StudyStatistics.interquartileMean(values)
                let interval = StudyStatistics.bootstrapInterval(values)
                return String(format: "\(format) [\(format), \(format)]", iqm, interval.lower, interval.upper)
            }
            let wall = results.map(\.wallSeconds).reduce(0, +) / Double(results.count)
            lines.append(
                "| \(setting) | \(results.count) | \(cell(results.map(\.successAny), "%.2f")) | \(cell(results.map(\.timeAtGoal), "%.0f")) | "
                    + "\(results[0].parameterCount) | \(String(format: "%.0f", wall)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `success_any` against environment steps, one line per setting: the interquartile mean
    /// across seeds with a band from the lowest to the highest seed.
    public var curves: SVGDocument {
        LineChart(
            title: "Study \(study.name) on \(study.runs.first?.environment ?? ""): success_any across seeds",
            xLabel: "environment steps", yLabel: "success_any",
            series: bySetting.map { setting, results in
                let steps = results.map { $0.records.map(\.environmentSteps) }.min { $0.count < $1.count } ?? []
                var points: [(x: Double, y: Double)] = [], band: [(x: Double, lower: Double, upper: Double)] = []
                for (index, step) in steps.enumerated() {
                    let values = results.map { Double($0.records[index].evaluation.successAny) }
                    points.append((Double(step), StudyStatistics.interquartileMean(values)))
                    band.append((Double(step), values.min() ?? .nan, values.max() ?? .nan))
                }
                return LineChart.Series(label: setting, points: points, band: band)
            },
            yRange: 0...1
        ).svg
    }

    /// The final `time_at_goal` of every setting against its parameter count, with the
    /// bootstrap interval as a band (settings in the study's order).
    public var finalValues: SVGDocument {
        var points: [(x: Double, y: Double)] = [], band: [(x: Double, lower: Double, upper: Double)] = []
        for (_, results) in bySetting {
            let values = results.map(\.timeAtGoal), x = Double(results[0].parameterCount)
            let interval = StudyStatistics.bootstrapInterval(values)
            points.append((x, StudyStatistics.interquartileMean(values)))
            band.append((x, interval.lower, interval.upper))
        }
        return LineChart(
            title: "Study \(study.name): time at goal at the end vs parameters", xLabel: "parameters", yLabel: "time_at_goal",
            series: [LineChart.Series(label: "interquartile mean, 95 % interval", points: points, band: band)]
        ).svg
    }

    /// Writes `results.csv`, `summary.md`, `curves.svg` and `final.svg` into `directory`.
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(csv.utf8).write(to: directory.appendingPathComponent("results.csv"), options: .atomic)
        try Data(summary.utf8).write(to: directory.appendingPathComponent("summary.md"), options: .atomic)
        try curves.write(to: directory.appendingPathComponent("curves.svg"))
        try finalValues.write(to: directory.appendingPathComponent("final.svg"))
    }

    private static func quoted(_ field: String) -> String {
        field.contains(",") || field.contains("\"") ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
