import Algorithms
import Foundation

/// The learned critic's score of every free position of a maze for one goal: the picture of
/// "the deep critic learns the maze's topology".
///
/// For each sample position s = (x, y) with zero velocity, the action a is the actor's
/// deterministic action tanh(mean) for (s, g), and the value is the agent's energy between
/// φ(s, a) and ψ(g): −‖φ(s, a) − ψ(g)‖₂ for the paper's L2 energy (higher = closer in the
/// critic's eyes). A critic that has learned the maze ranks cells by the distance along the
/// corridors, not by the straight-line distance through walls.
public struct CriticDistanceMap: Sendable {
    /// The goal every position is scored against.
    public var goal: (x: Double, y: Double)
    /// Sample positions and their critic values, row-major over the maze.
    public var samples: [(x: Double, y: Double, value: Double)]
    /// Side of the square each sample stands for, in metres.
    public var squareSize: Double
    /// The energy the values were computed with.
    public var energy: Energy

    /// Scores `samplesPerCellSide`² evenly spaced positions inside every non-wall cell of `maze`
    /// (1: the cell centres) against `goal` (two numbers, world x and y).
    public init(agent: CRL, maze: PointMaze, goal: [Float], samplesPerCellSide: Int = 1) {
        precondition(goal.count == agent.goalSize, "goal must have \(agent.goalSize) elements, got \(goal.count)")
        precondition(samplesPerCellSide >= 1, "samplesPerCellSide must be at least 1, got \(samplesPerCellSide)")
        let layout = maze.layout, cellSize = maze.configuration.cellSize
        let step = cellSize / Float(samplesPerCellSide)
        var positions: [(Float, Float)] = []
        for row in 0..<layout.rows {
            for column in 0..<layout.columns where layout[row, column] != .wall {
                let centre = maze.centre(of: MazeLayout.Position(row: row, column: column))
                for i in 0..<samplesPerCellSide {
                    for j in 0..<samplesPerCellSide {
                        positions.append((centre.x - cellSize / 2 + (Float(i) + 0.5) * step,
                                          centre.y - cellSize / 2 + (Float(j) + 0.5) * step))
                    }
                }
            }
        }
        let n = positions.count, stateSize = agent.stateSize, goalSize = agent.goalSize
        var states = [Float](repeating: 0, count: n * stateSize)
        var observations = [Float](repeating: 0, count: n * (stateSize + goalSize))
        for (k, position) in positions.enumerated() {
            states[k * stateSize] = position.0
            states[k * stateSize + 1] = position.1
            observations[k * (stateSize + goalSize)] = position.0
            observations[k * (stateSize + goalSize) + 1] = position.1
            for g in 0..<goalSize { observations[k * (stateSize + goalSize) + stateSize + g] = goal[g] }
        }
        var generator = RandomGenerator(seed: 0)
        let actions = agent.act(observations: observations, rows: n, deterministic: true, generator: &generator)
        let goals = (0..<n).flatMap { _ in goal }
        let values = agent.criticScores(states: states, actions: actions, goals: goals, rows: n)
        let energy = agent.configuration.energy
        self.goal = (Double(goal[0]), Double(goal[1]))
        self.samples = zip(positions, values).map { (x: Double($0.0), y: Double($0.1), value: $1) }
        self.squareSize = Double(step)
        self.energy = energy
    }

    /// A label for the colour bar naming the energy.
    public var valueLabel: String {
        switch energy {
        case .negativeL2: "critic: −‖φ(s, π(s, g)) − ψ(g)‖"
        case .negativeSquaredL2: "critic: −‖φ(s, π(s, g)) − ψ(g)‖²"
        case .dot: "critic: φ(s, π(s, g)) · ψ(g)"
        case .cosine: "critic: cos(φ(s, π(s, g)), ψ(g))"
        }
    }

    /// The map drawn over `maze` with the goal marked.
    public func picture(of maze: PointMaze, title: String) -> MazePicture {
        var picture = MazePicture(maze: maze, title: title)
        picture.heat = MazePicture.Heat(samples: samples, squareSize: squareSize, label: valueLabel)
        picture.markedGoals = [goal]
        return picture
    }
}
