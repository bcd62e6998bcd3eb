/// The physics and task settings of a ``PointMaze``. Defaults are JaxGCRL's point-mass mazes
/// (`simple_u_maze` etc.), so results compare side by side with JaxGCRL's.
public struct PointMazeConfiguration: Equatable, Sendable {
    /// Side of a grid cell in metres; cell (i, j) is centred at (i·cellSize, j·cellSize). Default 4.
    public var cellSize: Float = 4
    /// Radius of the ball in metres. Default 0.25.
    public var ballRadius: Float = 0.25
    /// Force per unit of action (the motor gear): action 1 pushes with this many newtons. Default 5.
    public var forcePerAction: Float = 5
    /// Mass of the ball in kilograms. Default 1.
    public var mass: Float = 1
    /// Duration of one physics substep in seconds. Default 0.005.
    public var substepDuration: Float = 0.005
    /// Physics substeps per environment step (default 10, so one step lasts 0.05 s).
    public var substeps: Int = 10
    /// Standard deviation of each initial velocity component (m/s). Default 0.1.
    public var initialVelocityScale: Float = 0.1
    /// Distance to the goal below which the episode counts as a success (reward 1). Default 0.5.
    public var successThreshold: Float = 0.5
    /// Steps per episode before truncation. Default 1001 (JaxGCRL's run default).
    public var episodeLength: Int = 1001
    /// Which start–goal pairs episodes use, by the pair's distance in cells (steps between
    /// edge-sharing free cells, around walls; ``MazeLayout/cellDistances(from:)``). `nil`, the
    /// default: starts at `R` cells, goals at `G` cells, as JaxGCRL. Set: each episode takes a
    /// random pair of an `R` or `G` start cell and a `G` goal cell whose distance lies in the range,
    /// so that a run can train on near pairs and be evaluated on far ones (stitching).
    public var pairDistance: ClosedRange<Int>?

    /// The JaxGCRL defaults.
    public init() {}

    /// Throws ``EnvironmentError/invalidSetting(name:value:expected:)`` for a setting out of range.
    public func validate() throws {
        func require(_ condition: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !condition {
                throw EnvironmentError.invalidSetting(name: name, value: "\(value)", expected: expected)
            }
        }
        try require(cellSize.isFinite && cellSize > 0, "cellSize", cellSize, "a positive number")
        try require(ballRadius > 0 && 2 * ballRadius < cellSize, "ballRadius", ballRadius,
                    "positive and less than half the cell size (\(cellSize / 2))")
        try require(forcePerAction.isFinite && forcePerAction >= 0, "forcePerAction", forcePerAction, "a non-negative number")
        try require(mass.isFinite && mass > 0, "mass", mass, "a positive number")
        try require(substepDuration.isFinite && substepDuration > 0, "substepDuration", substepDuration, "a positive number")
        try require(substeps > 0, "substeps", substeps, "at least 1")
        try require(initialVelocityScale.isFinite && initialVelocityScale >= 0, "initialVelocityScale",
                    initialVelocityScale, "a non-negative number")
        try require(successThreshold.isFinite && successThreshold > 0, "successThreshold", successThreshold, "a positive number")
        try require(episodeLength > 0, "episodeLength", episodeLength, "at least 1")
        if let pairDistance {
            try require(pairDistance.lowerBound >= 0, "pairDistance", pairDistance, "a range of non-negative cell counts")
        }
    }
}
