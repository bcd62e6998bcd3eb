/// A point mass (a ball) navigating a maze: the fast built-in task, with JaxGCRL's numbers.
///
/// - State (4): position x, y and velocity vx, vy; goal (2): a position, `goalRange = 0..<2`;
///   observation (6): x, y, vx, vy, gx, gy. Action (2): force along x and y in [-1, 1].
/// - Dynamics: force = ``PointMazeConfiguration/forcePerAction`` × action on a ball of
///   ``PointMazeConfiguration/mass``, no damping, no friction, semi-implicit Euler over
///   ``PointMazeConfiguration/substeps`` substeps of ``PointMazeConfiguration/substepDuration``
///   (defaults: 5 N per unit action, 1 kg, 10 × 0.005 s). Walls are swept, not sampled:
///   the ball stops flush against a wall, loses the velocity component into it, and
///   slides along it; it never enters or tunnels through a wall at any speed.
/// - Reset: the ball starts at the exact centre of a random `R` cell with velocity
///   ``PointMazeConfiguration/initialVelocityScale`` · N(0, 1) per component; the goal is the exact
///   centre of a random `G` cell. Every reset samples both afresh.
/// - Reward: 1 when the ball's centre is within ``PointMazeConfiguration/successThreshold`` (0.5)
///   of the goal, else 0. No early termination; truncation after
///   ``PointMazeConfiguration/episodeLength`` (1001) steps.
///
/// Subclass to change the maze or the reward:
/// ```swift
/// final class SpiralMaze: PointMaze {
///     override class var defaultLayout: MazeLayout { spiral }
///     override func computeReward(achieved: [Float], desired: [Float]) -> Float {
///         -goalDistance(achieved: achieved, desired: desired)
///     }
/// }
/// let maze = try SpiralMaze()
/// ```
open class PointMaze: BaseGoalEnvironment {
    /// The maze used when none is passed to the initializer; subclasses override it.
    open class var defaultLayout: MazeLayout { .uMaze }

    /// The maze this environment runs in.
    public final let layout: MazeLayout
    /// The physics and task settings.
    public final let configuration: PointMazeConfiguration

    /// The layout and the configuration's settings, recorded with a run's checkpoint.
    open override var settings: [String: String] {
        Self.settings(of: configuration).merging(["layout": "\(layout)"]) { $1 }
    }
    private final let walls: WallGrid
    /// The start–goal pairs of ``PointMazeConfiguration/pairDistance``; nil when it is not set.
    private final let pairs: [(start: MazeLayout.Position, goal: MazeLayout.Position)]?

    /// Creates a point maze on `layout` (default: the class's ``defaultLayout``). Throws when a
    /// configuration setting is out of range.
    public init(layout: MazeLayout? = nil, configuration: PointMazeConfiguration = PointMazeConfiguration()) throws {
        try configuration.validate()
        let layout = layout ?? Self.defaultLayout
        self.layout = layout
        self.configuration = configuration
        walls = WallGrid(layout: layout, cellSize: configuration.cellSize, radius: configuration.ballRadius)
        pairs = try configuration.pairDistance.map { try Self.pairs(in: layout, distance: $0) }
        super.init(
            stateSize: 4, goalSize: 2, actionSize: 2, goalRange: 0..<2,
            successThreshold: configuration.successThreshold, episodeLength: configuration.episodeLength)
    }

    /// The centre of a cell: x from the row, y from the column.
    public final func centre(of cell: MazeLayout.Position) -> (x: Float, y: Float) {
        (Float(cell.row) * configuration.cellSize, Float(cell.column) * configuration.cellSize)
    }

    /// Places the ball at a random `R` cell centre with a small random velocity, and the goal at
    /// a random `G` cell centre; with ``PointMazeConfiguration/pairDistance`` set, at the cells of
    /// a random pair that far apart.
    open override func resetEpisode(state: inout [Float], goal: inout [Float], generator: inout RandomGenerator) {
        let startCell: MazeLayout.Position, goalCell: MazeLayout.Position
        if let pairs {
            (startCell, goalCell) = pairs[generator.nextIndex(below: pairs.count)]
        } else {
            startCell = layout.startCells[generator.nextIndex(below: layout.startCells.count)]
            goalCell = layout.goalCells[generator.nextIndex(below: layout.goalCells.count)]
        }
        let start = centre(of: startCell), target = centre(of: goalCell)
        let scale = Double(configuration.initialVelocityScale)
        state[0] = start.x
        state[1] = start.y
        state[2] = Float(scale * generator.nextNormal())
        state[3] = Float(scale * generator.nextNormal())
        goal[0] = target.x
        goal[1] = target.y
    }

    /// The pairs of an `R` or `G` start cell and a `G` goal cell `distance` cells apart; throws
    /// when there is none.
    private static func pairs(in layout: MazeLayout, distance: ClosedRange<Int>) throws -> [(start: MazeLayout.Position, goal: MazeLayout.Position)] {
        var pairs: [(start: MazeLayout.Position, goal: MazeLayout.Position)] = []
        var longest = 0
        for start in layout.startCells + layout.goalCells {
            let distances = layout.cellDistances(from: start)
            for goal in layout.goalCells {
                guard let d = distances[goal] else { continue }
                longest = max(longest, d)
                if distance.contains(d) { pairs.append((start, goal)) }
            }
        }
        guard !pairs.isEmpty else {
            throw EnvironmentError.invalidSetting(
                name: "pairDistance", value: "\(distance)", expected: "a range holding some start–goal pair's distance (0...\(longest) in this maze)")
        }
        return pairs
    }

    /// Integrates the ball over one step's substeps with swept wall collisions.
    open override func advance(state: inout [Float], action: [Float]) {
        let substeps = configuration.substeps
        let dt = configuration.substepDuration
        let velocityChangeX = configuration.forcePerAction / configuration.mass * action[0] * dt
        let velocityChangeY = configuration.forcePerAction / configuration.mass * action[1] * dt
        var x = state[0], y = state[1], vx = state[2], vy = state[3]
        // Fast path: |x_k − x_0| = |k·vx·dt + dvx·dt·k(k+1)/2| is at most `reachX` for every
        // substep k, so when the box the ball can reach holds no wall, no sweep is needed.
        // Both paths do the same arithmetic, so the result does not depend on which one runs.
        let ramp = dt * Float(substeps * (substeps + 1) / 2)
        let reachX = abs(vx) * dt * Float(substeps) + abs(velocityChangeX) * ramp + walls.radius
        let reachY = abs(vy) * dt * Float(substeps) + abs(velocityChangeY) * ramp + walls.radius
        if !walls.touchesWall(xLow: x - reachX, xHigh: x + reachX, yLow: y - reachY, yHigh: y + reachY) {
            for _ in 0..<substeps {
                vx += velocityChangeX
                vy += velocityChangeY
                x += vx * dt
                y += vy * dt
            }
        } else {
            for _ in 0..<substeps {
                vx += velocityChangeX
                vy += velocityChangeY
                let moveX = walls.sweep(from: x, by: vx * dt, across: y, alongRows: true)
                x = moveX.position
                if moveX.blocked { vx = 0 }
                let moveY = walls.sweep(from: y, by: vy * dt, across: x, alongRows: false)
                y = moveY.position
                if moveY.blocked { vy = 0 }
            }
        }
        state[0] = x
        state[1] = y
        state[2] = vx
        state[3] = vy
    }
}
