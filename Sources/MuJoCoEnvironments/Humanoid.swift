import CMuJoCo
import Environments
import Foundation

/// Settings of ``Humanoid`` tasks. Defaults follow JaxGCRL's humanoid and humanoid mazes where known.
public struct HumanoidConfiguration: Equatable, Sendable {
    /// Maze cell size in metres (JaxGCRL: 2).
    public var cellSize: Double = 2
    /// Height of maze walls in metres (ours).
    public var wallHeight: Double = 2
    /// Physics steps per environment step: 5 × 0.003 s = 0.015 s, as in Gym and Brax.
    public var frameSkip: Int = 5
    /// Success when the torso's x, y, z is within this distance of the goal (measured in 3-D).
    public var successThreshold: Float = 0.5
    /// Steps per episode.
    public var episodeLength: Int = 1000
    /// The episode terminates when the torso's height leaves this range (Brax's healthy range).
    public var healthyHeight: ClosedRange<Double> = 1.0...2.0
    /// Height of every goal: JaxGCRL's `TARGET_Z_COORD`, close to a standing torso's height.
    public var goalHeight: Double = 1.25
    /// Open humanoid: the goal's distance from the origin is uniform in this range, at a
    /// uniformly random angle (ours).
    public var goalDistance: ClosedRange<Double> = 1...5

    /// JaxGCRL's humanoid settings.
    public init() {}
}

/// The humanoid (`Models/humanoid.xml`: 13 bodies, 17 hinge motors), in the open or in a maze.
///
/// - State (278): `qpos` (24: torso x, y, z, quaternion, 17 joint angles), `qvel` (23),
///   `cinert` of the 13 bodies (130), `cvel` of the 13 bodies (78), `qfrc_actuator` (23) — the
///   Gym/Brax humanoid observation with x, y kept (JaxGCRL reports 268 for its variant).
///   Goal (3): torso x, y, z, `goalRange = 0..<3`. Observation 281. Action (17) in [-1, 1], mapped
///   onto the motors' control range ±0.4.
/// - One step is 5 physics steps of 0.003 s. The episode terminates when the torso's height leaves
///   1.0…2.0 (Brax), truncates after 1000 steps; success within 0.5 m in 3-D.
/// - Reset without noise (JaxGCRL's humanoid uses none): standing at the origin (open) or at the
///   centre of a random `R` cell (maze). Goals: z = 1.25; x, y at a random distance 1…5 m and
///   angle (open, ours) or the exact centre of a random `G` cell (maze, cell size 2).
open class Humanoid: MuJoCoGoalEnvironment, TerminationExplaining {
    /// The maze, or `nil` for the open humanoid.
    public final let layout: MazeLayout?
    /// The task settings.
    public final let configuration: HumanoidConfiguration

    /// The layout (or `open`) and the configuration's settings, recorded with a run's checkpoint.
    open override var settings: [String: String] {
        Self.settings(of: configuration).merging(["layout": layout.map { "\($0)" } ?? "open"]) { $1 }
    }

    /// Creates a humanoid task, in the open (`layout == nil`) or in a maze.
    public init(layout: MazeLayout? = nil, configuration: HumanoidConfiguration = HumanoidConfiguration()) throws {
        let (model, source) = try MazeWalls.model(
            bundled: "humanoid", layout: layout, cellSize: configuration.cellSize, wallHeight: configuration.wallHeight)
        guard model.positionCount == 24, model.velocityCount == 23, model.actuatorCount == 17, model.bodyCount == 14 else {
            throw MuJoCoError.unexpectedModel(
                model: source,
                detail: "nq \(model.positionCount), nv \(model.velocityCount), nu \(model.actuatorCount), nbody \(model.bodyCount); expected 24, 23, 17, 14")
        }
        self.layout = layout
        self.configuration = configuration
        try super.init(
            model: model, frameSkip: configuration.frameSkip, stateSize: 278, goalSize: 3, actionSize: 17,
            goalRange: 0..<3, successThreshold: configuration.successThreshold, episodeLength: configuration.episodeLength)
    }

    /// The centre (x, y) of a maze cell.
    public final func centre(of cell: MazeLayout.Position) -> (x: Double, y: Double) {
        (Double(cell.row) * configuration.cellSize, Double(cell.column) * configuration.cellSize)
    }

    /// Places the humanoid at a random start cell (or the origin).
    open override func placeInitialState(generator: inout RandomGenerator) {
        guard let layout else { return }
        let start = centre(of: layout.startCells[generator.nextIndex(below: layout.startCells.count)])
        positions[0] = start.x
        positions[1] = start.y
    }

    /// Picks a goal cell centre in a maze, or a random point in the open.
    open override func sampleGoal(_ goal: inout [Float], generator: inout RandomGenerator) {
        if let layout {
            let target = centre(of: layout.goalCells[generator.nextIndex(below: layout.goalCells.count)])
            goal[0] = Float(target.x)
            goal[1] = Float(target.y)
        } else {
            let range = configuration.goalDistance
            let distance = range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUniform()
            let angle = 2 * Double.pi * generator.nextUniform()
            goal[0] = Float(distance * cos(angle))
            goal[1] = Float(distance * sin(angle))
        }
        goal[2] = Float(configuration.goalHeight)
    }

    /// Writes the 278 state numbers (`qpos`, `qvel`, body inertias and velocities, actuator forces), torso x, y, z first.
    open override func writeState(into state: UnsafeMutableBufferPointer<Float>) {
        let data = data
        var offset = Self.copy(data.pointee.qpos, count: 24, into: state, at: 0)
        offset = Self.copy(data.pointee.qvel, count: 23, into: state, at: offset)
        offset = Self.copy(data.pointee.cinert + 10, count: 130, into: state, at: offset)  // bodies 1…13 (not the world)
        offset = Self.copy(data.pointee.cvel + 6, count: 78, into: state, at: offset)
        _ = Self.copy(data.pointee.qfrc_actuator, count: 23, into: state, at: offset)
    }

    /// Terminates when the torso's height leaves ``HumanoidConfiguration/healthyHeight`` (or the physics diverged).
    open override func computeTerminated(achieved: [Float], desired: [Float]) -> Bool {
        !configuration.healthyHeight.contains(data.pointee.qpos[2]) || super.computeTerminated(achieved: achieved, desired: desired)
    }

    /// "torso above …", "torso below …" (the healthy height) or "physics diverged", from the torso height (state element 2).
    open func terminationCause(lastObservation: ArraySlice<Float>) -> String {
        heightTerminationCause(torsoHeight: lastObservation[lastObservation.startIndex + 2], healthy: configuration.healthyHeight)
    }
}
