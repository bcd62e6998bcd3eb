import Algorithms
import Foundation
import Plots

extension StudyReport {
    /// For every CRL setting on a point maze, the critic's map of the maze for a goal in `goalCell`
    /// (the maze's last goal cell when nil), from the setting's first finished seed: how shallow
    /// and deep critics see the maze's distances. Settings of other agents or environments have none.
    public func criticMaps(
        runner: StudyRunner, goalCell: MazeLayout.Position? = nil, samplesPerCellSide: Int = 4
    ) throws -> [(setting: String, picture: SVGDocument)] {
        try bySetting.compactMap { setting, results in
            let run = try TrainingRun(opening: runner.directory(of: results[0].run), registry: runner.registry)
            guard let agent = run.agent as? CRL,
                  let maze = try run.makeEnvironment(count: 1, seed: 0).environments[0] as? PointMaze
            else { return nil }
            let cell = goalCell ?? maze.layout.goalCells[maze.layout.goalCells.count - 1]
            let goal = maze.centre(of: cell)
            let map = CriticDistanceMap(agent: agent, maze: maze, goal: [goal.x, goal.y], samplesPerCellSide: samplesPerCellSide)
            let title = "\(setting), seed \(results[0].run.seed): critic for the goal in cell (\(cell.row), \(cell.column))"
            return (setting, map.picture(of: maze, title: title).svg)
        }
    }

    /// For every finished CRL run, its ``PathScore`` over `episodes` episodes (reset with
    /// `seed`) in the environment it evaluates in, and the same as CSV (`setting`, the study's
    /// columns, `seed`, `critic_path_score`, `straight_line_path_score`, `episodes`, `steps`).
    public func pathScores(runner: StudyRunner, episodes: Int = 64, seed: UInt64 = 1) throws -> (scores: [(run: StudyRun, score: PathScore)], csv: String) {
        var scores: [(run: StudyRun, score: PathScore)] = []
        for result in results {
            let run = try TrainingRun(opening: runner.directory(of: result.run), registry: runner.registry)
            guard let agent = run.agent as? CRL else { continue }
            scores.append((result.run, try PathScore(agent: agent, environment: run.makeEnvironment(count: episodes, seed: seed), seed: seed)))
        }
        var csv = (["setting"] + study.columns + ["seed", "critic_path_score", "straight_line_path_score", "episodes", "steps"])
            .joined(separator: ",") + "\n"
        for (run, score) in scores {
            let fields = [run.setting] + study.columns.map { run.values[$0] ?? "" }
                + ["\(run.seed)", String(format: "%.4f", score.critic), String(format: "%.4f", score.straightLine), "\(score.episodes)", "\(score.steps)"]
            csv += fields.joined(separator: ",") + "\n"
        }
        return (scores, csv)
    }
}
