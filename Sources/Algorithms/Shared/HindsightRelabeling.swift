import Foundation

/// Hindsight experience replay (Andrychowicz et al. 2017) for the temporal-difference agents:
/// which goal a replayed transition is trained for.
///
/// A share ``relabelFraction`` of the samples takes, as its goal, the achieved goal of a later
/// step of the same episode (HER's "future" strategy); the rest take the achieved goal of a step
/// drawn uniformly from the whole buffer (HER's "random" strategy, standing in for the commanded
/// goal, which the trajectory buffer does not store). Rewards and terminations are then recomputed
/// for the chosen goal with the environment's own rules (``GoalReward``).
public struct HindsightRelabeling: Sendable, Equatable, Codable {
    /// How the future step of a relabeled goal is drawn.
    public enum FutureGoals: String, Sendable, Equatable, Codable, CaseIterable {
        /// Uniformly among the later steps of the episode (HER's "future").
        case uniform
        /// Offset Δ ≥ 1 with P(Δ) ∝ γ^Δ, γ = ``HindsightRelabeling/futureDiscount`` (CRL's law).
        case geometric
    }

    /// Share of samples whose goal is a future achieved goal of the same episode. HER: 0.8.
    public var relabelFraction: Float = 0.8
    /// How far ahead future goals lie.
    public var futureGoals = FutureGoals.uniform
    /// The discount of ``FutureGoals/geometric`` offsets.
    public var futureDiscount: Float = 0.99

    public init(relabelFraction: Float = 0.8, futureGoals: FutureGoals = .uniform, futureDiscount: Float = 0.99) {
        self.relabelFraction = relabelFraction
        self.futureGoals = futureGoals
        self.futureDiscount = futureDiscount
    }

    /// Throws when a setting is out of range, saying what to change.
    public func validate() throws {
        guard relabelFraction >= 0, relabelFraction <= 1 else {
            throw AlgorithmsError.invalidSetting(name: "relabel fraction", value: "\(relabelFraction)", expected: "in [0, 1]")
        }
        guard futureDiscount > 0, futureDiscount <= 1 else {
            throw AlgorithmsError.invalidSetting(name: "future-goal discount", value: "\(futureDiscount)", expected: "in (0, 1]")
        }
    }
}

/// The environment's rules for scoring a transition against any goal (Gymnasium-Robotics'
/// `compute_reward` and `compute_terminated`), so that relabeled transitions are rewarded and
/// terminated exactly as the environment would have done for that goal.
public struct GoalReward {
    /// The reward for reaching `achieved` (the next state's achieved goal) when `desired` was asked.
    public var reward: (_ achieved: [Float], _ desired: [Float]) -> Float
    /// Whether reaching `achieved` ends the episode inside the task for goal `desired` (no
    /// bootstrapping past it). Time-limit truncation is never a termination.
    public var terminated: (_ achieved: [Float], _ desired: [Float]) -> Bool

    public init(
        reward: @escaping (_ achieved: [Float], _ desired: [Float]) -> Float,
        terminated: @escaping (_ achieved: [Float], _ desired: [Float]) -> Bool = { _, _ in false }
    ) {
        self.reward = reward
        self.terminated = terminated
    }

    /// The rules of `environment`: its `computeReward(achieved:desired:)` and, for subclasses of
    /// `BaseGoalEnvironment`, its `computeTerminated(achieved:desired:)` (other environments
    /// end episodes by truncation only).
    public init(for environment: VectorEnvironment) {
        let first = environment.environments[0]
        reward = { first.computeReward(achieved: $0, desired: $1) }
        if let base = first as? BaseGoalEnvironment {
            terminated = { base.computeTerminated(achieved: $0, desired: $1) }
        } else {
            terminated = { _, _ in false }
        }
    }

    /// The sparse reward of every built-in task: 1 within `threshold` (Euclidean) of the goal, else 0.
    public static func sparse(threshold: Float) -> GoalReward {
        GoalReward(reward: { achieved, desired in
            var sum: Float = 0
            for index in achieved.indices { sum += (achieved[index] - desired[index]) * (achieved[index] - desired[index]) }
            return sum.squareRoot() < threshold ? 1 : 0
        })
    }
}

/// One batch of relabeled one-step transitions (s, a, r, s', g, terminal), row-major.
public struct HindsightBatch: Sendable, Equatable {
    /// The number of rows.
    public var size: Int
    /// `size × stateSize`: the state each action was taken in.
    public var states: [Float]
    /// `size × actionSize`.
    public var actions: [Float]
    /// `size × stateSize`: the state the action led to (same episode).
    public var nextStates: [Float]
    /// `size × goalSize`: the goal the transition is trained for.
    public var goals: [Float]
    /// `size`: the environment's reward for the next state's achieved goal against `goals`.
    public var rewards: [Float]
    /// `size`: 1 where the next state ends the episode inside the task for this goal (no
    /// bootstrap), else 0. Truncation by the time limit is never terminal.
    public var terminals: [Float]
    /// `size`: whether the row's goal is a future achieved goal of its own episode.
    public var isFutureGoal: [Bool]

    public init(
        size: Int, states: [Float], actions: [Float], nextStates: [Float], goals: [Float], rewards: [Float],
        terminals: [Float], isFutureGoal: [Bool]? = nil
    ) {
        self.size = size
        self.states = states
        self.actions = actions
        self.nextStates = nextStates
        self.goals = goals
        self.rewards = rewards
        self.terminals = terminals
        self.isFutureGoal = isFutureGoal ?? [Bool](repeating: true, count: size)
    }
}
