@_exported import Random

/// The goal-conditioned environment contract (Gymnasium-Robotics' `GoalEnv`, in Swift).
///
/// A state is a vector of `stateSize` numbers; the goal the agent has *achieved* is the slice
/// `state[goalRange]`, and the policy sees the observation `state ⊕ desiredGoal`
/// (`observationSize = stateSize + goalSize`). Actions have `actionSize` elements in [-1, 1]:
/// larger values are clipped, NaN or infinite values and wrong lengths throw.
/// Rewards come from `computeReward(achieved:desired:)`, so relabeled goals can be rewarded
/// exactly as the environment would have.
///
/// Subclass ``BaseGoalEnvironment`` (or ``PointMaze``) rather than conforming from scratch: it
/// implements validation, clipping, time limits and the fast path that ``VectorEnvironment`` uses.
public protocol GoalEnvironment: AnyObject {
    /// Number of state elements (the observation without the desired goal).
    var stateSize: Int { get }
    /// Number of goal elements.
    var goalSize: Int { get }
    /// Number of action elements; each lies in [-1, 1].
    var actionSize: Int { get }
    /// Where the achieved goal sits inside the state: `achievedGoal == state[goalRange]`.
    var goalRange: Range<Int> { get }
    /// Distance (Euclidean, between achieved and desired goal) below which the goal counts as reached.
    var successThreshold: Float { get }
    /// Number of steps after which an episode is truncated.
    var episodeLength: Int { get set }
    /// The fewest copies worth stepping on a core of their own (see
    /// ``VectorEnvironment/minimumCopiesPerThread``): hundreds for cheap tasks, 1 for physics engines.
    var minimumCopiesPerThread: Int { get }
    /// The task's settings, by name, as text: what a run records with its checkpoint so that
    /// resuming or evaluating it on a task that has changed since is refused (empty: none recorded).
    var settings: [String: String] { get }

    /// Starts a new episode and returns its first observation. With a seed, the environment's
    /// random generator is re-seeded first; without one, it continues its sequence.
    @discardableResult
    func reset(seed: UInt64?) -> GoalObservation

    /// Advances one step. Throws ``EnvironmentError`` for actions of the wrong length or with
    /// NaN/Inf elements (and before the first reset); clips other actions to [-1, 1].
    func step(action: [Float]) throws -> GoalStep

    /// The reward for having achieved `achieved` when `desired` was asked for (sparse by default:
    /// 1 within the success threshold, else 0).
    func computeReward(achieved: [Float], desired: [Float]) -> Float

    /// Fast path for ``VectorEnvironment``: resets and writes the observation (`observationSize`
    /// elements) and achieved goal (`goalSize` elements) into the given rows.
    func reset(
        seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>,
        achievedGoal: UnsafeMutableBufferPointer<Float>)

    /// Fast path for ``VectorEnvironment``: steps with an action that was already checked (right
    /// length, finite) and writes the observation and achieved goal into the given rows.
    func step(
        checkedAction: UnsafeBufferPointer<Float>, observation: UnsafeMutableBufferPointer<Float>,
        achievedGoal: UnsafeMutableBufferPointer<Float>) -> StepOutcome
}

extension GoalEnvironment {
    /// Number of observation elements: the state followed by the desired goal.
    public var observationSize: Int { stateSize + goalSize }

    /// 512: about as many point-mass steps as it takes to wake another core.
    public var minimumCopiesPerThread: Int { 512 }

    /// None: a task that records no settings is never refused.
    public var settings: [String: String] { [:] }

    /// The default fast path, built on the array API (allocates; ``BaseGoalEnvironment`` overrides it).
    public func reset(
        seed: UInt64?, observation: UnsafeMutableBufferPointer<Float>,
        achievedGoal: UnsafeMutableBufferPointer<Float>
    ) {
        let first = reset(seed: seed)
        _ = observation.update(fromContentsOf: first.observation)
        _ = achievedGoal.update(fromContentsOf: first.achievedGoal)
    }

    /// The default fast path, built on the array API (allocates; ``BaseGoalEnvironment`` overrides it).
    public func step(
        checkedAction: UnsafeBufferPointer<Float>, observation: UnsafeMutableBufferPointer<Float>,
        achievedGoal: UnsafeMutableBufferPointer<Float>
    ) -> StepOutcome {
        let result: GoalStep
        do {
            result = try step(action: Array(checkedAction))
        } catch {
            preconditionFailure("step(checkedAction:) received an action that step(action:) rejects: \(error)")
        }
        _ = observation.update(fromContentsOf: result.observation)
        _ = achievedGoal.update(fromContentsOf: result.achievedGoal)
        return StepOutcome(
            reward: result.reward, terminated: result.terminated, truncated: result.truncated, info: result.info)
    }
}

/// Checks an action: the right length and every element finite; names the offending element.
func checkAction(_ action: UnsafeBufferPointer<Float>, expected: Int, copy: Int? = nil) throws {
    guard action.count == expected else {
        throw EnvironmentError.wrongActionLength(count: action.count, expected: expected, copies: nil)
    }
    for index in action.indices where !action[index].isFinite {
        throw EnvironmentError.nonFiniteAction(value: action[index], index: index, copy: copy)
    }
}
