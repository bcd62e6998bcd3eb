import CMuJoCo
import Environments
import Foundation

/// The arm's tasks: push the cube across the table, or pick it from one bin and place it in another.
public enum ArmTask: String, CaseIterable, Sendable {
    /// Push: the cube starts near (0.4, −0.1) and the goal lies near (0.4, 0.1), each ±0.03 m.
    case pushEasy = "push-easy"
    /// Push: cube and goal anywhere in x 0.25…0.55, y −0.25…0.25, at least 0.15 m apart.
    case pushHard = "push-hard"
    /// Bin-pick: the cube starts at the centre of the left bin, the goal is the centre of the right bin.
    case binPickEasy = "binpick-easy"
    /// Bin-pick: the cube starts anywhere in the left bin with a random yaw, the goal anywhere in
    /// the right bin (±0.04 m of the centres).
    case binPickHard = "binpick-hard"

    /// Whether the task places bins on the table.
    public var usesBins: Bool { self == .binPickEasy || self == .binPickHard }
}

/// Settings of ``Arm`` tasks (ours; JaxGCRL's arm tasks run a different robot on MJX).
public struct ArmConfiguration: Equatable, Sendable {
    /// Physics steps per environment step: 10 × 0.005 s = 0.05 s.
    public var frameSkip: Int = 10
    /// Success when the cube's centre is within this distance of the goal (CRL-FACTS: 0.1).
    public var successThreshold: Float = 0.1
    /// Steps per episode.
    public var episodeLength: Int = 1000

    /// The default arm settings.
    public init() {}
}

/// A SCARA-style arm with a parallel gripper and a cube on a table (`Models/arm.xml`).
///
/// - State (17): cube position (3) and linear velocity (3), gripper point position (3), joint
///   positions (4: shoulder, elbow, lift, finger closure) and velocities (4). Goal (3): cube x, y, z,
///   `goalRange = 0..<3`. Observation 20. Action (4) in [-1, 1]: targets of the shoulder, elbow
///   and lift servos over their joint ranges, and the gripper (−1 open, +1 closed).
/// - One step is 10 physics steps of 0.005 s. No early termination; truncation after 1000
///   steps; success within 0.1 m.
/// - Reset: the arm at its home pose (stretched along +x, lifted, gripper open), the cube and goal
///   placed as ``ArmTask`` says; goals lie on the table (z = cube half size). Bins are two
///   open boxes (inner half size 0.08 m, walls 4 cm high) centred at (0.35, ∓0.3).
open class Arm: MuJoCoGoalEnvironment {
    /// Which task this is.
    public final let task: ArmTask
    /// The task settings.
    public final let configuration: ArmConfiguration

    /// The task and the configuration's settings, recorded with a run's checkpoint.
    open override var settings: [String: String] {
        Self.settings(of: configuration).merging(["task": "\(task)"]) { $1 }
    }

    /// Centre of the bin the cube starts in (bin-pick tasks).
    public static let sourceBin = (x: 0.35, y: -0.3)
    /// Centre of the bin the cube goes to (bin-pick tasks).
    public static let targetBin = (x: 0.35, y: 0.3)
    /// Half the cube's side.
    public static let cubeHalfSize = 0.025

    private final let cubePosition: Int
    private final let cubeVelocity: Int
    private final let gripSite: Int
    private final let jointPositions: [Int]
    private final let jointVelocities: [Int]

    /// Creates an arm task.
    public init(task: ArmTask, configuration: ArmConfiguration = ArmConfiguration()) throws {
        var xml = try MuJoCoModel.bundledXML(named: "arm")
        let fixtures = task.usesBins ? Self.binGeoms() : ""
        xml = try MazeWalls.inserting(fixtures, at: "<!--DEEPCRL-FIXTURES-->", into: xml, source: "Models/arm.xml")
        let source = task.usesBins ? "Models/arm.xml with bins" : "Models/arm.xml"
        let model = try MuJoCoModel.shared(xml: xml, source: source)
        guard model.actuatorCount == 5 else {
            throw MuJoCoError.unexpectedModel(model: source, detail: "nu \(model.actuatorCount), expected 5")
        }
        let joints = try ["shoulder", "elbow", "lift", "left_finger", "cube"].map { try model.id(of: mjOBJ_JOINT, named: $0) }
        let jointAddress = model.pointer.pointee.jnt_qposadr!, velocityAddress = model.pointer.pointee.jnt_dofadr!
        cubePosition = Int(jointAddress[joints[4]])
        cubeVelocity = Int(velocityAddress[joints[4]])
        jointPositions = joints[0..<4].map { Int(jointAddress[$0]) }
        jointVelocities = joints[0..<4].map { Int(velocityAddress[$0]) }
        gripSite = try model.id(of: mjOBJ_SITE, named: "grip")
        self.task = task
        self.configuration = configuration
        try super.init(
            model: model, frameSkip: configuration.frameSkip, stateSize: 17, goalSize: 3, actionSize: 4,
            goalRange: 0..<3, successThreshold: configuration.successThreshold, episodeLength: configuration.episodeLength)
    }

    /// The two bins as MJCF boxes: four walls each, 1 cm thick, 4 cm high.
    static func binGeoms() -> String {
        var lines: [String] = []
        for (name, centre) in [("source", sourceBin), ("target", targetBin)] {
            let inner = 0.08, thickness = 0.01, height = 0.04
            let offset = inner + thickness
            let walls: [(String, Double, Double, Double, Double)] = [
                ("x_low", centre.x - offset, centre.y, thickness, offset + thickness),
                ("x_high", centre.x + offset, centre.y, thickness, offset + thickness),
                ("y_low", centre.x, centre.y - offset, inner, thickness),
                ("y_high", centre.x, centre.y + offset, inner, thickness),
            ]
            for (side, x, y, halfX, halfY) in walls {
                lines.append(
                    "<geom name=\"\(name)_bin_\(side)\" type=\"box\" pos=\"\(x) \(y) \(height / 2)\" "
                        + "size=\"\(halfX) \(halfY) \(height / 2)\" rgba=\"0.3 0.5 0.7 1\"/>")
            }
        }
        return lines.joined(separator: "\n    ")
    }

    /// Places the arm and the cube for a new episode.
    open override func placeInitialState(generator: inout RandomGenerator) {
        let positions = positions
        // Home pose: qpos0 is shoulder 0, elbow 0, lift 0, fingers open.
        let cube: (x: Double, y: Double)
        var yaw = 0.0
        switch task {
        case .pushEasy:
            cube = (0.4 + Self.uniform(0.03, &generator), -0.1 + Self.uniform(0.03, &generator))
        case .pushHard:
            cube = (0.4 + Self.uniform(0.15, &generator), Self.uniform(0.25, &generator))
        case .binPickEasy:
            cube = Self.sourceBin
        case .binPickHard:
            cube = (Self.sourceBin.x + Self.uniform(0.04, &generator), Self.sourceBin.y + Self.uniform(0.04, &generator))
            yaw = Self.uniform(Double.pi / 4, &generator)
        }
        positions[cubePosition] = cube.x
        positions[cubePosition + 1] = cube.y
        positions[cubePosition + 2] = Self.cubeHalfSize
        positions[cubePosition + 3] = cos(yaw / 2)
        positions[cubePosition + 4] = 0
        positions[cubePosition + 5] = 0
        positions[cubePosition + 6] = sin(yaw / 2)
    }

    /// Picks the cube's target position for the task.
    open override func sampleGoal(_ goal: inout [Float], generator: inout RandomGenerator) {
        let target: (x: Double, y: Double)
        switch task {
        case .pushEasy:
            target = (0.4 + Self.uniform(0.03, &generator), 0.1 + Self.uniform(0.03, &generator))
        case .pushHard:
            let cubeX = positions[cubePosition], cubeY = positions[cubePosition + 1]
            var candidate = (x: 0.4, y: 0.0)
            for _ in 0..<100 {
                candidate = (0.4 + Self.uniform(0.15, &generator), Self.uniform(0.25, &generator))
                let dx = candidate.x - cubeX, dy = candidate.y - cubeY
                if (dx * dx + dy * dy).squareRoot() >= 0.15 { break }
            }
            target = candidate
        case .binPickEasy:
            target = Self.targetBin
        case .binPickHard:
            target = (Self.targetBin.x + Self.uniform(0.04, &generator), Self.targetBin.y + Self.uniform(0.04, &generator))
        }
        goal[0] = Float(target.x)
        goal[1] = Float(target.y)
        goal[2] = Float(Self.cubeHalfSize)
    }

    /// Servo targets over the joint ranges; the gripper action drives both fingers.
    open override func applyAction(_ action: [Float]) {
        let ranges = model.pointer.pointee.actuator_ctrlrange!
        let controls = controls
        for actuator in 0..<5 {
            let value = Double(action[min(actuator, 3)])
            let low = ranges[2 * actuator], high = ranges[2 * actuator + 1]
            controls[actuator] = low + (value + 1) * 0.5 * (high - low)
        }
    }

    /// Writes the 17 state numbers, the cube's position among them.
    open override func writeState(into state: UnsafeMutableBufferPointer<Float>) {
        let data = data
        var offset = Self.copy(data.pointee.qpos + cubePosition, count: 3, into: state, at: 0)
        offset = Self.copy(data.pointee.qvel + cubeVelocity, count: 3, into: state, at: offset)
        offset = Self.copy(data.pointee.site_xpos + 3 * gripSite, count: 3, into: state, at: offset)
        for address in jointPositions {
            state[offset] = Float(data.pointee.qpos[address])
            offset += 1
        }
        for address in jointVelocities {
            state[offset] = Float(data.pointee.qvel[address])
            offset += 1
        }
    }

    private static func uniform(_ halfWidth: Double, _ generator: inout RandomGenerator) -> Double {
        halfWidth * (2 * generator.nextUniform() - 1)
    }
}
