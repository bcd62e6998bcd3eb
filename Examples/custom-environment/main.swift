import Algorithms
import ArgumentParser
import ExampleSupport
import Foundation
import Plots

/// A maze of our own: subclass PointMaze and override its layout. Everything else (physics,
/// goals at G cells, sparse reward, auto-reset) comes from PointMaze.
final class ZigzagMaze: PointMaze {
    override class var defaultLayout: MazeLayout {
        // The constant is checked at start-up: a typo in the grid stops the program with the
        // parser's message (row, column, character).
        zigzag
    }
}

/// A task written from scratch on BaseGoalEnvironment: a point in an open 10 m × 10 m field
/// with velocity control (no walls), reaching random goals. Only the two hooks are needed.
final class OpenField: BaseGoalEnvironment {
    init() {
        super.init(stateSize: 2, goalSize: 2, actionSize: 2, goalRange: 0..<2, successThreshold: 0.5, episodeLength: 200)
    }

    override func resetEpisode(state: inout [Float], goal: inout [Float], generator: inout RandomGenerator) {
        state[0] = 5
        state[1] = 5
        goal[0] = Float(generator.nextUniform() * 10)
        goal[1] = Float(generator.nextUniform() * 10)
    }

    override func advance(state: inout [Float], action: [Float]) {
        // Move at up to 0.25 m per step, staying inside the field.
        state[0] = min(max(state[0] + 0.25 * action[0], 0), 10)
        state[1] = min(max(state[1] + 0.25 * action[1], 0), 10)
    }
}

let zigzag: MazeLayout = {
    do {
        return try MazeLayout(grid: """
            1 1 1 1 1 1 1
            1 R G G G G 1
            1 1 1 1 1 G 1
            1 G G G G G 1
            1 G 1 1 1 1 1
            1 G G G G G 1
            1 1 1 1 1 1 1
            """)
    } catch {
        fatalError("the zigzag maze is invalid: \(error)")
    }
}()

/// Registers the custom tasks and trains CRL on one of them, or evaluates a run of one.
@main
struct CustomEnvironment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train CRL briefly on a user-defined environment (a PointMaze subclass with its own maze, or an open field built on BaseGoalEnvironment), and evaluate the runs of these environments.",
        discussion: exitStatusHelp,
        subcommands: [Train.self, Evaluate.self],
        defaultSubcommand: Train.self)

    /// Makes the example's environments known by name, so that runs of them can be trained,
    /// opened, evaluated and resumed.
    static func registerEnvironments() {
        EnvironmentRegistry.shared.register("zigzag-maze") { try ZigzagMaze() }
        EnvironmentRegistry.shared.register("open-field") { OpenField() }
    }
}

extension CustomEnvironment {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train CRL on zigzag-maze or open-field (the default subcommand).",
            discussion: "Writes the run (config.json, metrics.jsonl, checkpoint.safetensors), learning-curves.svg and, for the maze, trajectories.svg and critic.svg to --output.\n\n\(exitStatusHelp)")

        @Option(help: "zigzag-maze (a PointMaze subclass) or open-field (a BaseGoalEnvironment subclass).")
        var env = "zigzag-maze"
        @OptionGroup(title: "Run and agent settings (CRL; env-steps default 300000 and evaluations 5 here)")
        var training: TrainingOptions
        @Option(help: "Run directory (must not hold a run yet).")
        var output = "runs/custom-environment"

        func validate() throws {
            try training.validate(for: "crl")
        }

        func run() throws {
            CustomEnvironment.registerEnvironments()
            guard ["zigzag-maze", "open-field"].contains(env) else {
                throw ValidationError("--env must be zigzag-maze or open-field, got '\(env)'")
            }
            var runSettings = training.trainerConfiguration(defaultThreads: ProcessInfo.processInfo.activeProcessorCount)
            runSettings.environmentSteps = training.envSteps ?? 300_000
            runSettings.evaluationCount = training.evaluations ?? 5
            BLAS.threadCount = runSettings.threads
            let directory = URL(fileURLWithPath: output)
            try sortingUsageErrors {
                // Check the new task keeps the environment contract before spending time on it.
                let report = try EnvironmentCheck.run { try EnvironmentRegistry.shared.make(env) }
                print("Environment check of \(env): \(report.passed.count) checks passed")
                for warning in report.warnings { print("  warning: \(warning)") }
                let agentSettings = training.crlConfiguration()
                let probe = try VectorEnvironment(named: env, count: 1)
                let agent = try CRL(for: probe, configuration: agentSettings, seed: runSettings.seed)
                let trainer = try Trainer(agent: agent, environmentName: env, configuration: runSettings, output: directory)
                print("Training CRL on \(env) for \(runSettings.environmentSteps) environment steps → \(directory.path)")
                let display = ProgressDisplay(interactive: false)
                let records = try trainer.train(progress: display.show)
                try LearningCurves.svg(records, title: env).write(to: directory.appendingPathComponent("learning-curves.svg"))
                guard let maze = trainer.evaluationEnvironment.environments[0] as? PointMaze else { return }
                var picture = MazePicture(maze: maze, title: "\(env): CRL depth \(agentSettings.actorDepth), deterministic actor")
                picture.paths = Array(try TrajectoryRecorder.record(agent, in: trainer.evaluationEnvironment, seed: runSettings.seed &+ 1).paths.prefix(12))
                try picture.svg.write(to: directory.appendingPathComponent("trajectories.svg"))
                let goal = maze.centre(of: maze.layout.goalCells[maze.layout.goalCells.count - 1])
                let map = CriticDistanceMap(agent: agent, maze: maze, goal: [goal.x, goal.y], samplesPerCellSide: 4)
                try map.picture(of: maze, title: "\(env): critic for the last goal cell").svg.write(to: directory.appendingPathComponent("critic.svg"))
                print("Pictures: \(directory.path)/{learning-curves,trajectories,critic}.svg")
            }
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a run of zigzag-maze or open-field as the evaluate example does a run of a built-in environment.",
            discussion: exitStatusHelp)

        @OptionGroup(title: "Evaluation")
        var evaluation: EvaluationOptions

        func run() throws {
            CustomEnvironment.registerEnvironments()
            try sortingUsageErrors {
                try evaluation.evaluate()
            }
        }
    }
}
