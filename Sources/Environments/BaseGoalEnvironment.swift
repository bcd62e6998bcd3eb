/// An open base class for goal-conditioned tasks: subclass it, override
/// ``resetEpisode(state:goal:generator:)`` and ``advance(state:action:)``, and optionally
/// ``computeReward(achieved:desired:)`` and ``computeTerminated(achieved:desired:)``.
///
/// The base class does the bookkeeping every task shares: it checks and clips actions, counts
/// steps and truncates at ``episodeLength``, keeps ``achievedGoal`` equal to `state[goalRange]`,
/// computes success and distance, and implements the allocation-free fast path that
/// ``VectorEnvironment`` drives.
///
/// Hooks receive the state (and goal, and random generator) as `inout` parameters: change them
/// there, and do not read ``state`` or ``desiredGoal`` through `self` inside a hook that receives
/// them `inout` (Swift's exclusivity checks would stop the program). Keeping the whole step inside
/// a few accesses is what makes it fast.
open class BaseGoalEnvironment: GoalEnvironment {
    /// Number of state elements (the observation without the desired goal).
    public final let stateSize: Int
    /// Number of goal elements.
    public final let goalSize: Int
    /// Number of action elements; each lies in [-1, 1].
    public final let actionSize: Int
    /// Where the achieved goal sits inside the state.
    public final let goalRange: Range<Int>
    /// Goal distance below which a step counts as a success.
    public final let successThreshold: Float
    /// Number of steps after which an episode is truncated (at least 1).
    public final var episodeLength: Int {
        didSet { precondition(episodeLength > 0, "episodeLength must be at least 1, got \(episodeLength)") }
    }

    /// The fewest copies worth a core of their own in a ``VectorEnvironment``; override for
    /// expensive tasks (a physics engine's step is worth a core on its own).
    open var minimumCopiesPerThread: Int { 512 }
    /// The task's settings, recorded with a run's checkpoint; override to record yours, for
    /// example with ``settings(of:)`` on a configuration struct. None by default.
    open var settings: [String: String] { [:] }

    /// Every stored property of `configuration` (a struct of settings), by its name, as text.
    public static func settings(of configuration: Any) -> [String: String] {
        var settings: [String: String] = [:]
        for child in Mirror(reflecting: configuration).children {
            if let label = child.label { settings[label] = "\(child.value)" }
        }
        return settings
    }
    /// The current state (`stateSize` elements).
    public final internal(set) var state: [Float]
    /// The goal of the current episode (`goalSize` elements).
    public final internal(set) var desiredGoal: [Float]
    /// The goal the current state achieves, `state[goalRange]`.
    public final private(set) var achievedGoal: [Float]
    /// Steps taken in the current episode.
    public final internal(set) var elapsedSteps = 0

    final var generator = RandomGenerator(seed: 0)
    private final var clippedAction: [Float]
    private final var hasReset = false

    /// Creates the bookkeeping for a task with the given sizes; `goalRange` must lie inside the
    /// state and have `goalSize` elements.
    public init(
        stateSize: Int, goalSize: Int, actionSize: Int, goalRange: Range<Int>,
        successThreshold: Float, episodeLength: Int
    ) {
        precondition(stateSize > 0 && goalSize > 0 && actionSize > 0,
                     "sizes must be positive, got state \(stateSize), goal \(goalSize), action \(actionSize)")
        precondition(goalRange.count == goalSize && goalRange.lowerBound >= 0 && goalRange.upperBound <= stateSize,
                     "goalRange \(goalRange) must have \(goalSize) elements inside 0..<\(stateSize)")
        precondition(episodeLength > 0, "episodeLength must be at least 1, got \(episodeLength)")
        self.stateSize = stateSize
        self.goalSize = goalSize
        self.actionSize = actionSize
        self.goalRange = goalRange
        self.successThreshold = successThreshold
        self.episodeLength = episodeLength
        state = Array(repeating: 0, count: stateSize)
        desiredGoal = Array(repeating: 0, count: goalSize)
        achievedGoal = Array(repeating: 0, count: goalSize)
        clippedAction = Array(repeating: 0, count: actionSize)
    }

    // MARK: Hooks for subclasses

    /// Samples the start `state` and the `goal` of a new episode, drawing randomness from
    /// `generator` (so that seeds reproduce episodes). Both arrays keep their sizes.
    open func resetEpisode(state: inout [Float], goal: inout [Float], generator: inout RandomGenerator) {
        preconditionFailure("\(type(of: self)) must override resetEpisode(state:goal:generator:)")
    }

    /// Advances `state` by one step under `action` (`actionSize` elements, already clipped to [-1, 1]).
    open func advance(state: inout [Float], action: [Float]) {
        preconditionFailure("\(type(of: self)) must override advance(state:action:)")
    }

    /// The reward for achieving `achieved` when `desired` was asked for. Default: sparse, 1 when
    /// the Euclidean distance is below ``successThreshold``, else 0.
    open func computeReward(achieved: [Float], desired: [Float]) -> Float {
        goalDistance(achieved: achieved, desired: desired) < successThreshold ? 1 : 0
    }

    /// Whether the episode ends inside the task. Default: never (episodes end by truncation only).
    open func computeTerminated(achieved: [Float], desired: [Float]) -> Bool {
        false
    }

    /// Euclidean distance between two goals.
    public final func goalDistance(achieved: [Float], desired: [Float]) -> Float {
        precondition(achieved.count == desired.count,
                     "goalDistance needs goals of equal size, got \(achieved.count) and \(desired.count)")
        var sum: Float = 0
        for index in achieved.indices {
            let difference = achieved[index] - desired[index]
            sum += difference * difference
        }
        return sum.squareRoot()
    }

    // MARK: The contract

    @discardableResult
    /// Starts a new episode (re-seeding first when `seed` is given) and returns its first observation.
    public final func reset(seed: UInt64?) -> GoalObservation {
        startEpisode(seed: seed)
        return GoalObservation(observation: state + desiredGoal, achievedGoal: achievedGoal, desiredGoal: desiredGoal)
    }

    /// Checks and clips `action`, advances one step and scores it.
    public final func step(action: [Float]) throws -> GoalStep {
        try action.withUnsafeBufferPointer { try checkAction($0, expected: actionSize) }
        guard hasReset else { throw EnvironmentError.stepBeforeReset }
        let outcome = action.withUnsafeBufferPointer { advanceAndScore(action: $0) }
        return GoalStep(
            observation: state + desiredGoal, achievedGoal: achievedGoal, desiredGoal: desiredGoal,
            reward: outcome.reward, terminated: outcome.terminated, truncated: outcome.truncated, info: outcome.info)
    }

    /// The fast path of ``reset(seed:)``: writes the first observation and achieved goal into the given rows.
    public final func reset(
        seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>,
        achievedGoal: UnsafeMutableBufferPointer<Float>
    ) {
        startEpisode(seed: seed)
        write(state: state, desired: desiredGoal, achieved: self.achievedGoal, observation: observation, achievedGoal: achievedGoal)
    }

    /// The fast path of ``step(action:)`` for an action already checked: writes the observation and
    /// achieved goal into the given rows and returns reward, termination and success.
    public final func step(
        checkedAction: UnsafeBufferPointer<Float>, observation: UnsafeMutableBufferPointer<Float>,
        achievedGoal: UnsafeMutableBufferPointer<Float>
    ) -> StepOutcome {
        precondition(hasReset, "step(checkedAction:) before the first reset")
        return advanceAndScore(action: checkedAction, observation: observation, achievedGoal: achievedGoal)
    }

    // MARK: Bookkeeping

    private final func startEpisode(seed: UInt64?) {
        if let seed { generator = RandomGenerator(seed: seed) }
        elapsedSteps = 0
        hasReset = true
        resetEpisode(state: &state, goal: &desiredGoal, generator: &generator)
        precondition(state.count == stateSize && desiredGoal.count == goalSize,
                     "resetEpisode must keep state at \(stateSize) and goal at \(goalSize) elements")
        refreshAchievedGoal(from: state)
    }

    /// Clips the action into the reusable buffer, advances, scores the new state, and writes the
    /// observation and achieved goal if asked to. Each class-property access costs a runtime
    /// exclusivity check and a retain, so this function reads every array once.
    private final func advanceAndScore(
        action: UnsafeBufferPointer<Float>,
        observation: UnsafeMutableBufferPointer<Float>? = nil, achievedGoal goalRow: UnsafeMutableBufferPointer<Float>? = nil
    ) -> StepOutcome {
        clippedAction.withUnsafeMutableBufferPointer { clipped in
            for index in clipped.indices { clipped[index] = min(max(action[index], -1), 1) }
        }
        advance(state: &state, action: clippedAction)
        let state = state
        precondition(state.count == stateSize, "advance must keep state at \(stateSize) elements")
        elapsedSteps += 1
        let truncated = elapsedSteps >= episodeLength
        let achieved = refreshAchievedGoal(from: state)
        let desired = desiredGoal
        let distance = goalDistance(achieved: achieved, desired: desired)
        if let observation, let goalRow {
            write(state: state, desired: desired, achieved: achieved, observation: observation, achievedGoal: goalRow)
        }
        return StepOutcome(
            reward: computeReward(achieved: achieved, desired: desired),
            terminated: computeTerminated(achieved: achieved, desired: desired),
            truncated: truncated,
            info: StepInfo(success: distance < successThreshold, distance: distance))
    }

    /// Continues from `snapshot` (checked by ``validate(_:)``).
    final func restore(_ snapshot: EnvironmentSnapshot) {
        state = snapshot.state
        desiredGoal = snapshot.desiredGoal
        elapsedSteps = snapshot.elapsedSteps
        generator = snapshot.generator
        hasReset = true
        refreshAchievedGoal(from: snapshot.state)
    }

    /// Copies `state[goalRange]` into ``achievedGoal`` and returns it.
    @discardableResult
    private final func refreshAchievedGoal(from state: [Float]) -> [Float] {
        let start = goalRange.lowerBound
        achievedGoal.withUnsafeMutableBufferPointer { achieved in
            for index in achieved.indices { achieved[index] = state[start + index] }
        }
        return achievedGoal
    }

    private final func write(
        state: [Float], desired: [Float], achieved: [Float],
        observation: UnsafeMutableBufferPointer<Float>, achievedGoal goalRow: UnsafeMutableBufferPointer<Float>
    ) {
        for index in state.indices { observation[index] = state[index] }
        for index in desired.indices { observation[state.count + index] = desired[index] }
        for index in achieved.indices { goalRow[index] = achieved[index] }
    }
}
