import Environments

/// Evaluation episodes grouped by the maze cell their goal lies in: which goals an agent reaches,
/// and how close it comes to the others.
public struct GoalCellSummary: Sendable, Equatable {
    /// The cell holding the goals.
    public var cell: MazeLayout.Position
    /// Episodes whose goal lies in this cell.
    public var episodes: Int
    /// Those of them that came within the success threshold at some step.
    public var reached: Int
    /// The median over these episodes of the closest distance between achieved and desired goal,
    /// in metres: just above the threshold means the agent stops short, far above means it is lost.
    public var medianClosestDistance: Double

    /// Groups `paths` (as ``TrajectoryRecorder/record(_:in:seed:)`` returns them) by goal cell, in
    /// row-major cell order; cells of a `cellSize`-metre grid are centred at (row, column) · cellSize.
    public static func summarize(_ paths: [MazePicture.Path], cellSize: Double) -> [GoalCellSummary] {
        var byCell: [MazeLayout.Position: [MazePicture.Path]] = [:]
        for path in paths {
            let cell = MazeLayout.Position(
                row: Int((path.goal.x / cellSize).rounded()), column: Int((path.goal.y / cellSize).rounded()))
            byCell[cell, default: []].append(path)
        }
        return byCell.keys.sorted { ($0.row, $0.column) < ($1.row, $1.column) }.map { cell in
            let group = byCell[cell]!
            return GoalCellSummary(
                cell: cell, episodes: group.count, reached: group.filter(\.reachedGoal).count,
                medianClosestDistance: median(group.map(\.closestDistance)))
        }
    }
}
