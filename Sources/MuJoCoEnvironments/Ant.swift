import CMuJoCo
import Environments
import Foundation

/// Settings of ``Ant`` tasks. Defaults follow JaxGCRL's ant and ant mazes (CRL-FACTS).
public struct AntConfiguration: Equatable, Sendable {
    /// Maze cell size in metres (JaxGCRL: 4).
    public var cellSize: Double = 4
    /// Height of maze walls in metres (ours; the ant cannot climb them).
    public var wallHeight: Double = 2
    /// How the ant's bodies move: as Brax's spring backend moves JaxGCRL's ant (the paper's
    /// physics, the default) or as Gymnasium's MuJoCo ant.
    public var dynamics: AntDynamics = .brax
    /// Success when the torso's x, y is within this distance of the goal.
    public var successThreshold: Float = 0.5
    /// Steps per episode.
    public var episodeLength: Int = 1000
    /// The episode terminates when the torso's height leaves this range (Brax's healthy range).
    public var healthyHeight: ClosedRange<Double> = 0.2...1.0
    /// Uniform noise ±this on every position coordinate at reset.
    public var positionNoise: Double = 0.1
    /// Velocities at reset are this × N(0, 1).
    public var velocityNoise: Double = 0.1
    /// Open ant: distance of the goal from the origin, at a uniformly random angle (JaxGCRL: 10).
    public var goalDistance: Double = 10
    /// Torque of each hip and ankle motor per unit of action, in N·m (the model file's gear,
    /// JaxGCRL's).
    public var motorGear: Double = 150
    /// Whether a reset raises the torso until no foot is inside the floor. The standing pose plus
    /// its noise puts a foot up to 0.3 m deep; Brax's spring contacts push it out gently (no start
    /// of 512 leaves the healthy height under zero torques), MuJoCo's stiff ones throw the ant
    /// above the healthy height within 6 steps (34 starts of 512 under zero torques, about 1 in 7
    /// under a trained actor; see "Starting on the floor" in the MuJoCoEnvironments article).
    /// `false`: JaxGCRL's starts as they are.
    public var liftsFeetOutOfTheFloor = true

    /// JaxGCRL's ant settings.
    public init() {}
}

/// The mass distribution and time step of the ant's physics.
///
/// JaxGCRL's ant runs on Brax's spring backend, whose settings in that model (`spring_mass_scale`
/// and `spring_inertia_scale` of 1) give every body a mass of 1 kg and a unit inertia. Under
/// Gymnasium's masses (from the geometry, a torso of 0.5 kg) the same motors throw the ant out of its
/// healthy height within a few dozen steps of random play; under Brax's it stays upright about as
/// long as JaxGCRL's (see "Dynamics" in the MuJoCoEnvironments article).
public enum AntDynamics: String, CaseIterable, Sendable {
    /// Brax's spring backend: every body 1 kg with unit inertia, no armature, 10 steps of 0.005 s
    /// per environment step.
    case brax
    /// Gymnasium's MuJoCo ant: masses and inertias from the geometry (density 5), armature 1,
    /// 5 steps of 0.01 s per environment step.
    case gym

    /// Physics steps per environment step of 0.05 s.
    public var frameSkip: Int {
        switch self {
        case .brax: 10
        case .gym: 5
        }
    }

    /// Changes from the model file (written for ``brax``) to these dynamics.
    var modelEdits: [(marker: String, text: String)] {
        switch self {
        case .brax: []
        case .gym: [
            (marker: #" boundmass="1" boundinertia="1""#, text: ""),
            (marker: #"armature="0""#, text: #"armature="1""#),
            (marker: #"timestep="0.005""#, text: #"timestep="0.01""#),
        ]
        }
    }
}

/// The ant: a torso with four two-segment legs and 8 hinge motors (`Models/ant.xml`), in the
/// open or in a maze.
///
/// - State (29): `qpos` (15: torso x, y, z, orientation quaternion w, x, y, z, 8 joint angles) and
///   `qvel` (14: torso linear and angular velocity, 8 joint velocities) — JaxGCRL's 29 numbers.
///   Goal (2): torso x, y, `goalRange = 0..<2`. Observation 31. Action (8): motor torques in [-1, 1]
///   (``AntConfiguration/motorGear`` N·m per unit of action).
/// - One step is 0.05 s of physics (``AntConfiguration/dynamics``). The episode terminates when the
///   torso's height leaves 0.2…1.0 (Brax), truncates after 1000 steps; success within 0.5 m.
/// - Contacts: only the feet touch the floor (a flipped ant sinks and terminates); torso, hips and
///   feet touch maze walls. Reset: from ``standingPose``, every position coordinate gets uniform
///   ±0.1 noise (the quaternion is normalized after),
///   velocities 0.1·N(0, 1); then the torso is raised until no foot is inside the floor
///   (``AntConfiguration/liftsFeetOutOfTheFloor``). Open: the torso starts at the origin, the
///   goal lies 10 m away at a uniformly random angle. Maze: the torso starts at a random `R` cell centre (plus the noise),
///   the goal is the exact centre of a random `G` cell; walls are boxes on the wall cells.
open class Ant: MuJoCoGoalEnvironment, TerminationExplaining {
    /// The maze, or `nil` for the open ant.
    public final let layout: MazeLayout?
    /// The task settings.
    public final let configuration: AntConfiguration

    /// The foot spheres: their geom indices and radii.
    private let feet: [(geom: Int, radius: Double)]

    /// The layout (or `open`) and the configuration's settings, recorded with a run's checkpoint.
    /// ``AntConfiguration/liftsFeetOutOfTheFloor`` is recorded only when on, so that the runs from
    /// before it existed, which started as drawn, match an ant with it off.
    open override var settings: [String: String] {
        var settings = Self.settings(of: configuration).merging(["layout": layout.map { "\($0)" } ?? "open"]) { $1 }
        if !configuration.liftsFeetOutOfTheFloor { settings["liftsFeetOutOfTheFloor"] = nil }
        return settings
    }

    /// Creates an ant task, in the open (`layout == nil`) or in a maze.
    public init(layout: MazeLayout? = nil, configuration: AntConfiguration = AntConfiguration()) throws {
        guard configuration.motorGear > 0, configuration.motorGear.isFinite else {
            throw MuJoCoError.invalidSetting(name: "AntConfiguration.motorGear", value: "\(configuration.motorGear)", expected: "a positive number of N·m")
        }
        let (model, source) = try MazeWalls.model(
            bundled: "ant", layout: layout, cellSize: configuration.cellSize, wallHeight: configuration.wallHeight,
            replacing: [(marker: #"gear="150""#, text: #"gear="\#(configuration.motorGear)""#)] + configuration.dynamics.modelEdits)
        guard model.positionCount == 15, model.velocityCount == 14, model.actuatorCount == 8 else {
            throw MuJoCoError.unexpectedModel(
                model: source, detail: "nq \(model.positionCount), nv \(model.velocityCount), nu \(model.actuatorCount); expected 15, 14, 8")
        }
        self.layout = layout
        self.configuration = configuration
        feet = try ["front_left_foot", "front_right_foot", "back_left_foot", "back_right_foot"].map { name in
            let geom = try model.id(of: mjOBJ_GEOM, named: name)
            return (geom, model.pointer.pointee.geom_size[3 * geom])
        }
        try super.init(
            model: model, frameSkip: configuration.dynamics.frameSkip, stateSize: 29, goalSize: 2, actionSize: 8,
            goalRange: 0..<2, successThreshold: configuration.successThreshold, episodeLength: configuration.episodeLength)
    }

    /// The centre (x, y) of a maze cell.
    public final func centre(of cell: MazeLayout.Position) -> (x: Double, y: Double) {
        (Double(cell.row) * configuration.cellSize, Double(cell.column) * configuration.cellSize)
    }

    /// The standing pose every reset starts from, before its noise: Brax's `init_qpos` of
    /// JaxGCRL's ant (torso at 0.55 m, upright, hips at 0, ankles bent ±1 rad into their ranges).
    public static let standingPose: [Double] = [0, 0, 0.55, 1, 0, 0, 0, 0, 1, 0, -1, 0, -1, 0, 1]

    /// Places the torso at a random start cell (or the origin) in ``standingPose`` with noisy joint
    /// positions and velocities.
    open override func placeInitialState(generator: inout RandomGenerator) {
        let positions = positions, velocities = velocities
        for (index, value) in Self.standingPose.enumerated() { positions[index] = value }
        if let layout {
            let start = centre(of: layout.startCells[generator.nextIndex(below: layout.startCells.count)])
            positions[0] = start.x
            positions[1] = start.y
        }
        let noise = configuration.positionNoise
        for index in positions.indices {
            positions[index] += noise * (2 * generator.nextUniform() - 1)
        }
        normalizeQuaternion(positions, at: 3)
        for index in velocities.indices {
            velocities[index] = configuration.velocityNoise * generator.nextNormal()
        }
        if configuration.liftsFeetOutOfTheFloor { positions[2] += depthOfTheLowestFoot() }
    }

    /// How far the lowest foot reaches below the floor (0 when none does), from the current positions.
    private func depthOfTheLowestFoot() -> Double {
        mj_kinematics(model.pointer, data)
        let lowest = feet.map { data.pointee.geom_xpos[3 * $0.geom + 2] - $0.radius }.min() ?? 0
        return max(0, -lowest)
    }

    /// Picks a goal cell centre in a maze, or a point at ``AntConfiguration/goalDistance`` in the open.
    open override func sampleGoal(_ goal: inout [Float], generator: inout RandomGenerator) {
        if let layout {
            let target = centre(of: layout.goalCells[generator.nextIndex(below: layout.goalCells.count)])
            goal[0] = Float(target.x)
            goal[1] = Float(target.y)
        } else {
            let angle = 2 * Double.pi * generator.nextUniform()
            goal[0] = Float(configuration.goalDistance * cos(angle))
            goal[1] = Float(configuration.goalDistance * sin(angle))
        }
    }

    /// Writes the 29 state numbers: `qpos` (torso x, y, z, orientation, joints) and `qvel`.
    open override func writeState(into state: UnsafeMutableBufferPointer<Float>) {
        let offset = Self.copy(data.pointee.qpos, count: 15, into: state, at: 0)
        _ = Self.copy(data.pointee.qvel, count: 14, into: state, at: offset)
    }

    /// Terminates when the torso's height leaves ``AntConfiguration/healthyHeight`` (or the physics diverged).
    open override func computeTerminated(achieved: [Float], desired: [Float]) -> Bool {
        !configuration.healthyHeight.contains(data.pointee.qpos[2]) || super.computeTerminated(achieved: achieved, desired: desired)
    }

    /// "torso above …", "torso below …" (the healthy height) or "physics diverged", from the torso height (state element 2).
    open func terminationCause(lastObservation: ArraySlice<Float>) -> String {
        heightTerminationCause(torsoHeight: lastObservation[lastObservation.startIndex + 2], healthy: configuration.healthyHeight)
    }
}

/// Normalizes the quaternion at `positions[offset..<offset + 4]` (leaves a zero quaternion alone).
func normalizeQuaternion(_ positions: UnsafeMutableBufferPointer<Double>, at offset: Int) {
    var norm = 0.0
    for index in offset..<offset + 4 { norm += positions[index] * positions[index] }
    norm = norm.squareRoot()
    guard norm > 0 else { return }
    for index in offset..<offset + 4 { positions[index] /= norm }
}
