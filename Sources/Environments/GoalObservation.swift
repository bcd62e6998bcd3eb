/// What an environment shows after a reset: the observation and both goals.
public struct GoalObservation: Equatable, Sendable {
    /// The state followed by the desired goal (`observationSize` elements).
    public var observation: [Float]
    /// The goal the current state achieves: `state[goalRange]`.
    public var achievedGoal: [Float]
    /// The goal the agent is asked to reach.
    public var desiredGoal: [Float]

    /// Creates an observation record.
    public init(observation: [Float], achievedGoal: [Float], desiredGoal: [Float]) {
        self.observation = observation
        self.achievedGoal = achievedGoal
        self.desiredGoal = desiredGoal
    }
}
