/// One batch of relabeled transitions, row-major.
public struct TransitionBatch: Sendable, Equatable {
    /// The number of rows.
    public var size: Int
    /// `size × stateSize`: the state each action was taken in.
    public var states: [Float]
    /// `size × actionSize`.
    public var actions: [Float]
    /// `size × goalSize`: `state_{t'}[goalRange]` of the relabeled future step t'.
    public var goals: [Float]

    /// Creates a batch of `size` rows.
    public init(size: Int, states: [Float], actions: [Float], goals: [Float]) {
        self.size = size
        self.states = states
        self.actions = actions
        self.goals = goals
    }
}
