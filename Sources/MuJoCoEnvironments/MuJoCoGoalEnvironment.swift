import CMuJoCo
import Environments

/// An open base class for goal-conditioned tasks simulated by MuJoCo: a shared ``MuJoCoModel``
/// and one `mjData` per environment copy.
///
/// A step writes the action into the controls (``applyAction(_:)``), runs ``frameSkip`` physics
/// steps (`mj_step`) and writes the task's state vector (``writeState(into:)``). A reset calls
/// `mj_resetData`, lets the task place the bodies (``placeInitialState(generator:)``), runs
/// `mj_forward` and samples the goal (``sampleGoal(_:generator:)``). Subclasses override those
/// four hooks; `BaseGoalEnvironment` does clipping, time limits, rewards and the fast path.
///
/// When the physics diverges (MuJoCo reports NaN or huge positions, velocities or accelerations
/// and resets the data itself), the episode terminates.
///
/// Snapshots (`BaseGoalEnvironment.snapshot()`) hold the state vector, not the full `mjData`
/// (a Float32 copy of it): restoring one cannot reproduce the physics bit for bit.
///
/// Quantities MuJoCo derives from positions (`xpos`, `site_xpos`, `cinert`, `cvel`) are those of
/// the start of the last substep after a step, as in Gym's MuJoCo environments; `qpos`, `qvel`
/// are current.
open class MuJoCoGoalEnvironment: BaseGoalEnvironment {
    /// The compiled model, shared with the other copies.
    public final let model: MuJoCoModel
    /// This copy's simulation data. Only this copy touches it.
    public final let data: UnsafeMutablePointer<mjData>
    /// Physics steps per environment step; one step lasts `frameSkip × model.timestep` seconds.
    public final let frameSkip: Int
    /// Whether the physics diverged during the current episode.
    public final private(set) var diverged = false

    /// One: a physics step is worth a core of its own.
    open override var minimumCopiesPerThread: Int { 1 }

    /// Creates the simulation data for `model` and the bookkeeping for the given sizes.
    public init(
        model: MuJoCoModel, frameSkip: Int, stateSize: Int, goalSize: Int, actionSize: Int,
        goalRange: Range<Int>, successThreshold: Float, episodeLength: Int
    ) throws {
        guard frameSkip > 0 else {
            throw MuJoCoError.unexpectedModel(model: model.source, detail: "frame skip is \(frameSkip), expected at least 1")
        }
        guard let data = mj_makeData(model.pointer) else {
            throw MuJoCoError.dataAllocationFailed(model: model.source)
        }
        self.model = model
        self.data = data
        self.frameSkip = frameSkip
        super.init(
            stateSize: stateSize, goalSize: goalSize, actionSize: actionSize, goalRange: goalRange,
            successThreshold: successThreshold, episodeLength: episodeLength)
    }

    deinit {
        mj_deleteData(data)
    }

    /// Seconds of simulated time per environment step.
    public final var stepDuration: Double { Double(frameSkip) * model.timestep }

    /// `qpos` (``MuJoCoModel/positionCount`` elements), valid for the environment's lifetime.
    public final var positions: UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: data.pointee.qpos, count: model.positionCount)
    }

    /// `qvel` (``MuJoCoModel/velocityCount`` elements), valid for the environment's lifetime.
    public final var velocities: UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: data.pointee.qvel, count: model.velocityCount)
    }

    /// `ctrl` (``MuJoCoModel/actuatorCount`` elements), valid for the environment's lifetime.
    public final var controls: UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: data.pointee.ctrl, count: model.actuatorCount)
    }

    // MARK: Hooks for subclasses

    /// Sets `qpos`/`qvel` for a new episode; the data was just reset to the model's `qpos0` and
    /// zero velocities. Default: leaves them there.
    open func placeInitialState(generator: inout RandomGenerator) {}

    /// Samples the goal of a new episode (called after `mj_forward` on the initial state).
    open func sampleGoal(_ goal: inout [Float], generator: inout RandomGenerator) {
        preconditionFailure("\(type(of: self)) must override sampleGoal(_:generator:)")
    }

    /// Writes an action (clipped to [-1, 1]) into the controls. Default: one action element per
    /// actuator, mapped linearly from [-1, 1] onto the actuator's control range.
    open func applyAction(_ action: [Float]) {
        let model = model.pointer
        let controls = data.pointee.ctrl!
        let ranges = model.pointee.actuator_ctrlrange!
        for index in 0..<Int(model.pointee.nu) {
            let low = ranges[2 * index], high = ranges[2 * index + 1]
            controls[index] = low + (Double(action[index]) + 1) * 0.5 * (high - low)
        }
    }

    /// Writes the task's state vector (`stateSize` elements) from the simulation data.
    open func writeState(into state: UnsafeMutableBufferPointer<Float>) {
        preconditionFailure("\(type(of: self)) must override writeState(into:)")
    }

    /// Ends the episode when the physics diverged; subclasses add their own conditions.
    open override func computeTerminated(achieved: [Float], desired: [Float]) -> Bool {
        diverged
    }

    // MARK: BaseGoalEnvironment hooks

    /// Resets the physics, calls ``placeInitialState(generator:)``, `mj_forward` and ``sampleGoal(_:generator:)``, and writes the state.
    public final override func resetEpisode(state: inout [Float], goal: inout [Float], generator: inout RandomGenerator) {
        mj_resetData(model.pointer, data)
        diverged = false
        placeInitialState(generator: &generator)
        mj_forward(model.pointer, data)
        sampleGoal(&goal, generator: &generator)
        state.withUnsafeMutableBufferPointer { writeState(into: $0) }
    }

    /// Applies the action, runs ``frameSkip`` physics steps and writes the state; flags divergence.
    public final override func advance(state: inout [Float], action: [Float]) {
        applyAction(action)
        let model = model.pointer, data = data
        for _ in 0..<frameSkip { mj_step(model, data) }
        // mj_step counts NaN/huge qpos, qvel and qacc in `warning` (mjWARN_BADQPOS = 4, BADQVEL = 5,
        // BADQACC = 6) and resets the data when it sees them.
        let warnings = data.pointee.warning
        if warnings.4.number > 0 || warnings.5.number > 0 || warnings.6.number > 0 {
            diverged = true
        }
        state.withUnsafeMutableBufferPointer { writeState(into: $0) }
    }
}

extension MuJoCoGoalEnvironment {
    /// Copies `count` doubles from `source` into `state` starting at `offset`, as Float; returns
    /// the offset after them.
    @inline(__always)
    static func copy(
        _ source: UnsafePointer<Double>, count: Int, into state: UnsafeMutableBufferPointer<Float>, at offset: Int
    ) -> Int {
        for index in 0..<count { state[offset + index] = Float(source[index]) }
        return offset + count
    }
}
