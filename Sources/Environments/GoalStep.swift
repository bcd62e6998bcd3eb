/// Diagnostics of one step, as Gymnasium-Robotics' `info` dictionary.
public struct StepInfo: Equatable, Sendable {
    /// Whether the achieved goal is within the success threshold of the desired goal.
    public var success: Bool
    /// Euclidean distance between the achieved and the desired goal.
    public var distance: Float

    /// Creates an info record.
    public init(success: Bool, distance: Float) {
        self.success = success
        self.distance = distance
    }
}

/// The scalar results of one step (what ``GoalStep`` holds besides the vectors).
public struct StepOutcome: Equatable, Sendable {
    /// The reward for this step, from `computeReward(achieved:desired:)`.
    public var reward: Float
    /// The episode ended inside the task (never for the point mazes).
    public var terminated: Bool
    /// The episode hit its time limit (`episodeLength` steps).
    public var truncated: Bool
    /// Success and distance to the goal.
    public var info: StepInfo

    /// Creates an outcome record.
    public init(reward: Float, terminated: Bool, truncated: Bool, info: StepInfo) {
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }
}

/// Everything one step of a single environment returns.
public struct GoalStep: Equatable, Sendable {
    /// The new state followed by the desired goal.
    public var observation: [Float]
    /// The goal the new state achieves: `state[goalRange]`.
    public var achievedGoal: [Float]
    /// The goal the agent is asked to reach.
    public var desiredGoal: [Float]
    /// The reward for this step, from `computeReward(achieved:desired:)`.
    public var reward: Float
    /// The episode ended inside the task.
    public var terminated: Bool
    /// The episode hit its time limit.
    public var truncated: Bool
    /// Success and distance to the goal.
    public var info: StepInfo

    /// Creates a step record.
    public init(
        observation: [Float], achievedGoal: [Float], desiredGoal: [Float], reward: Float,
        terminated: Bool, truncated: Bool, info: StepInfo
    ) {
        self.observation = observation
        self.achievedGoal = achievedGoal
        self.desiredGoal = desiredGoal
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }
}
