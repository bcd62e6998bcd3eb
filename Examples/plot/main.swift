import Algorithms
import ArgumentParser
import ExampleSupport
import Foundation
import Plots

/// Draws learning curves from a run's metrics.jsonl.
@main
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw learning curves (success rate, time at goal, losses vs environment steps) from metrics.jsonl as SVG.",
        discussion: exitStatusHelp)

    @Argument(help: "A run directory or a metrics.jsonl file.")
    var input: String
    @Option(help: "Where to write the SVG (default: learning-curves.svg beside the metrics).")
    var output: String?
    @Option(help: "Title of the charts (default: the run directory's name).")
    var title: String?

    func run() throws {
        var url = URL(fileURLWithPath: input)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            url = url.appendingPathComponent("metrics.jsonl")
        }
        let records = try MetricsRecord.read(from: url)
        guard !records.isEmpty else { throw ValidationError("\(url.path) holds no evaluations yet") }
        let destination = URL(fileURLWithPath: output ?? url.deletingLastPathComponent().appendingPathComponent("learning-curves.svg").path)
        let name = title ?? url.deletingLastPathComponent().lastPathComponent
        try LearningCurves.svg(records, title: name).write(to: destination)
        print("\(records.count) evaluations → \(destination.path)")
    }
}
