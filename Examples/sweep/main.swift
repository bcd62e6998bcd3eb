import Algorithms
import ArgumentParser
import ExampleSupport
import Foundation
import Plots

/// Trains CRL at several depths or widths and compares their learning curves.
@main
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train CRL at several depths (or widths) one after another; write sweep.csv and sweep.svg (success vs environment steps per setting).",
        discussion: exitStatusHelp)

    @Option(help: "Comma-separated depths of actor and critic (multiples of 4).")
    var depths = "4,8,16"
    @Option(help: "Comma-separated widths; when given, the sweep runs over widths at --depth instead of over depths.")
    var widths: String?
    @Option(help: "Environment name.")
    var env = "point-maze-u"
    @OptionGroup(title: "Run and agent settings (--depth is a width sweep's depth, --width a depth sweep's width; env-steps default 400000 and evaluations 8 here)")
    var training: TrainingOptions
    @Option(help: "Output directory: one run directory per setting, sweep.csv and sweep.svg.")
    var output = "runs/sweep"

    func validate() throws {
        try training.validate(for: "crl")
    }

    func run() throws {
        let values = try parse(widths ?? depths, name: widths == nil ? "--depths" : "--widths")
        let overWidths = widths != nil
        var runSettings = training.trainerConfiguration(defaultThreads: ProcessInfo.processInfo.activeProcessorCount)
        runSettings.environmentSteps = training.envSteps ?? 400_000
        runSettings.evaluationCount = training.evaluations ?? 8
        BLAS.threadCount = runSettings.threads
        let root = URL(fileURLWithPath: output)
        var runs: [(label: String, records: [MetricsRecord])] = []
        try sortingUsageErrors {
            for value in values {
                var agentSettings = training.crlConfiguration()
                if overWidths {
                    (agentSettings.criticWidth, agentSettings.actorWidth) = (value, value)
                } else {
                    (agentSettings.criticDepth, agentSettings.actorDepth) = (value, value)
                }
                let label = overWidths ? "width \(value)" : "depth \(value)"
                let directory = root.appendingPathComponent(overWidths ? "width\(value)" : "depth\(value)")
                let probe = try VectorEnvironment(named: env, count: 1)
                let agent = try CRL(for: probe, configuration: agentSettings, seed: runSettings.seed)
                let trainer = try Trainer(agent: agent, environmentName: env, configuration: runSettings, output: directory)
                print("\(label): training on \(env) for \(runSettings.environmentSteps) environment steps → \(directory.path)")
                let display = ProgressDisplay(interactive: false)
                let records = try trainer.train(progress: display.show)
                runs.append((label, records))
            }
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let csv = root.appendingPathComponent("sweep.csv"), svg = root.appendingPathComponent("sweep.svg")
        try Data(LearningCurves.csv(runs).utf8).write(to: csv, options: .atomic)
        try LearningCurves.comparison(runs, title: "CRL on \(env): success vs environment steps").write(to: svg)
        print("Table: \(csv.path)\nPlot: \(svg.path)")
    }

    func parse(_ list: String, name: String) throws -> [Int] {
        let values = list.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("\(name) must be a comma-separated list of positive integers, got '\(list)'")
        }
        return values.compactMap { $0 }
    }
}
