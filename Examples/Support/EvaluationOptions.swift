import Algorithms
import ArgumentParser
import Environments
import Foundation
import Plots
import Tensor

/// The options of evaluating a run directory, shared by `evaluate` and by the examples that
/// define environments of their own (`custom-environment evaluate`).
public struct EvaluationOptions: ParsableArguments {
    @Argument(help: "Run directory (holding config.json and checkpoint.safetensors).")
    public var runDirectory: String
    @Option(help: "Episodes to run (one per environment copy).")
    public var episodes = 64
    @Option(help: "Episodes to draw (the first ones).")
    public var draw = 12
    @Option(help: "Seed of the evaluation episodes.")
    public var seed: UInt64 = 1
    @Option(help: "Goal cell of the critic picture as row,column (default: the maze's last goal cell).")
    public var goalCell: String?
    @Option(help: "Critic samples per cell side (1: cell centres only).")
    public var samplesPerCell = 4
    @Option(help: "Directory for the pictures (default: the run directory).")
    public var output: String?
    @Option(help: "BLAS threads (default: the CPU count).")
    public var threads: Int?

    public init() {}

    public func validate() throws {
        for (name, value) in [("--episodes", episodes), ("--samples-per-cell", samplesPerCell)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        guard episodes <= 1 << 16 else { throw ValidationError("--episodes must be at most 65536, got \(episodes)") }
        guard samplesPerCell <= 64 else { throw ValidationError("--samples-per-cell must be at most 64, got \(samplesPerCell)") }
        guard draw >= 0 else { throw ValidationError("--draw must be at least 0, got \(draw)") }
        if let threads, !(1...1024).contains(threads) {
            throw ValidationError("--threads must be between 1 and 1024, got \(threads)")
        }
    }

    /// Loads the run in ``runDirectory``, rebuilding its environment from `registry`, runs the
    /// episodes with the deterministic actor and prints their success and how they ended
    /// (``EpisodeOutcomes``); for point mazes prints
    /// success per goal cell and draws `trajectories.svg` and, for CRL, `critic.svg`.
    public func evaluate(registry: EnvironmentRegistry = .shared) throws {
        let directory = URL(fileURLWithPath: runDirectory)
        BLAS.threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let pictures = URL(fileURLWithPath: output ?? directory.path)
        let saved = try TrainingRun(opening: directory, registry: registry)
        if !saved.checksumsVerified {
            print("Note: \(directory.path)'s checkpoint predates checksums; its tensors were loaded unchecked.")
        }
        let environment = try saved.makeEnvironment(count: episodes, seed: seed)
        let (result, paths) = try TrajectoryRecorder.record(saved.agent, in: environment, seed: seed)
        print(String(format: "%@ on %@, %d episodes: success_any %.2f, time_at_goal %.1f, success_final %.2f",
                     saved.agent.name, saved.environmentName, episodes, result.successAny, result.timeAtGoal, result.successFinal))
        print(EpisodeOutcomes(paths, episodeLength: environment.episodeLength).description)

        guard let maze = environment.environments[0] as? PointMaze else {
            print("No pictures: \(saved.environmentName) is not a point maze.")
            return
        }
        try FileManager.default.createDirectory(at: pictures, withIntermediateDirectories: true)
        var picture = MazePicture(maze: maze, title: "\(saved.environmentName): \(saved.agent.name), deterministic actor")
        print("goal cell   episodes   reached   median closest distance (m)")
        for summary in GoalCellSummary.summarize(paths, cellSize: Double(maze.configuration.cellSize)) {
            print(String(format: "(%2d, %2d)   %8d   %7d   %.2f", summary.cell.row, summary.cell.column,
                         summary.episodes, summary.reached, summary.medianClosestDistance))
        }
        picture.paths = Array(paths.prefix(draw))
        let trajectories = pictures.appendingPathComponent("trajectories.svg")
        try picture.svg.write(to: trajectories)
        print("Trajectories: \(trajectories.path)")

        guard let crl = saved.agent as? CRL else { return }
        let cell = try goalPosition(in: maze.layout)
        let target = maze.centre(of: cell)
        let map = CriticDistanceMap(agent: crl, maze: maze, goal: [target.x, target.y], samplesPerCellSide: samplesPerCell)
        let critic = pictures.appendingPathComponent("critic.svg")
        try map.picture(of: maze, title: "Critic for the goal in cell (\(cell.row), \(cell.column))").svg.write(to: critic)
        print("Critic map: \(critic.path)")
    }

    func goalPosition(in layout: MazeLayout) throws -> MazeLayout.Position {
        guard let goalCell else { return layout.goalCells[layout.goalCells.count - 1] }
        let parts = goalCell.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, layout[parts[0], parts[1]] != .wall else {
            throw ValidationError("--goal-cell must be row,column of a free cell inside the \(layout.rows)×\(layout.columns) maze, got '\(goalCell)'")
        }
        return MazeLayout.Position(row: parts[0], column: parts[1])
    }
}
