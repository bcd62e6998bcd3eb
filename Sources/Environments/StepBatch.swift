/// The results of resetting or stepping a ``VectorEnvironment``: flat row-major batches, row `k`
/// belonging to copy `k`.
///
/// Allocate it once (``VectorEnvironment/reset(seed:)``) and pass it `inout` to every
/// ``VectorEnvironment/step(actions:into:)-([Float],_)``: the arrays are overwritten in place, so stepping
/// allocates nothing. When copy `k`'s episode ended in a step (`terminated[k] || truncated[k]`),
/// the copy was reset automatically: `observations` row `k` is already the first observation of
/// the next episode, and the last observation of the finished one is in `finalObservations`
/// row `k` (with its achieved goal in `finalAchievedGoals`). `rewards`, `successes` and
/// `distances` always describe the step just taken.
public struct StepBatch: Equatable, Sendable {
    /// Number of copies (rows).
    public let count: Int
    /// Elements per observation row.
    public let observationSize: Int
    /// Elements per goal row.
    public let goalSize: Int

    /// `count × observationSize`: each copy's state followed by its desired goal.
    public internal(set) var observations: [Float]
    /// `count × goalSize`: the goal each copy's state achieves.
    public internal(set) var achievedGoals: [Float]
    /// `count`: the reward of the step just taken (0 after a reset).
    public internal(set) var rewards: [Float]
    /// `count`: whether the episode ended inside the task in this step.
    public internal(set) var terminated: [Bool]
    /// `count`: whether the episode hit its time limit in this step.
    public internal(set) var truncated: [Bool]
    /// `count`: whether the achieved goal was within the success threshold after this step.
    public internal(set) var successes: [Bool]
    /// `count`: distance between achieved and desired goal after this step.
    public internal(set) var distances: [Float]
    /// `count × observationSize`: the last observation of each episode that ended in this step;
    /// rows of copies that did not finish are left as they were.
    public internal(set) var finalObservations: [Float]
    /// `count × goalSize`: the achieved goal matching `finalObservations`.
    public internal(set) var finalAchievedGoals: [Float]

    /// Creates a zeroed batch for `count` copies.
    public init(count: Int, observationSize: Int, goalSize: Int) {
        self.count = count
        self.observationSize = observationSize
        self.goalSize = goalSize
        observations = Array(repeating: 0, count: count * observationSize)
        achievedGoals = Array(repeating: 0, count: count * goalSize)
        rewards = Array(repeating: 0, count: count)
        terminated = Array(repeating: false, count: count)
        truncated = Array(repeating: false, count: count)
        successes = Array(repeating: false, count: count)
        distances = Array(repeating: 0, count: count)
        finalObservations = Array(repeating: 0, count: count * observationSize)
        finalAchievedGoals = Array(repeating: 0, count: count * goalSize)
    }

    /// Whether copy `copy`'s episode ended in the last step (and the copy was reset).
    public func isDone(_ copy: Int) -> Bool { terminated[copy] || truncated[copy] }

    /// A copy of row `copy` of ``observations`` (for inspection; hot loops read the flat array).
    public func observation(_ copy: Int) -> [Float] {
        Array(observations[copy * observationSize..<(copy + 1) * observationSize])
    }

    /// A copy of row `copy` of ``achievedGoals``.
    public func achievedGoal(_ copy: Int) -> [Float] {
        Array(achievedGoals[copy * goalSize..<(copy + 1) * goalSize])
    }

    /// A copy of row `copy` of ``finalObservations`` (meaningful when `isDone(copy)`).
    public func finalObservation(_ copy: Int) -> [Float] {
        Array(finalObservations[copy * observationSize..<(copy + 1) * observationSize])
    }

    /// Runs `body` with raw pointers to every array, for the parallel writers in ``VectorEnvironment``.
    mutating func withPointers<Result>(_ body: (StepBatchPointers) throws -> Result) rethrows -> Result {
        try observations.withUnsafeMutableBufferPointer { observations in
            try achievedGoals.withUnsafeMutableBufferPointer { achievedGoals in
                try rewards.withUnsafeMutableBufferPointer { rewards in
                    try terminated.withUnsafeMutableBufferPointer { terminated in
                        try truncated.withUnsafeMutableBufferPointer { truncated in
                            try successes.withUnsafeMutableBufferPointer { successes in
                                try distances.withUnsafeMutableBufferPointer { distances in
                                    try finalObservations.withUnsafeMutableBufferPointer { finalObservations in
                                        try finalAchievedGoals.withUnsafeMutableBufferPointer { finalAchievedGoals in
                                            try body(StepBatchPointers(
                                                observationSize: observationSize, goalSize: goalSize,
                                                observations: observations, achievedGoals: achievedGoals,
                                                rewards: rewards, terminated: terminated, truncated: truncated,
                                                successes: successes, distances: distances,
                                                finalObservations: finalObservations,
                                                finalAchievedGoals: finalAchievedGoals))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Raw views of a ``StepBatch``'s arrays, valid only inside `StepBatch.withPointers`.
///
/// `@unchecked Sendable`: the parallel chunks of a vectorized step each write only the rows of
/// their own copies (disjoint index ranges), and the pointers do not outlive the call.
struct StepBatchPointers: @unchecked Sendable {
    let observationSize: Int
    let goalSize: Int
    let observations: UnsafeMutableBufferPointer<Float>
    let achievedGoals: UnsafeMutableBufferPointer<Float>
    let rewards: UnsafeMutableBufferPointer<Float>
    let terminated: UnsafeMutableBufferPointer<Bool>
    let truncated: UnsafeMutableBufferPointer<Bool>
    let successes: UnsafeMutableBufferPointer<Bool>
    let distances: UnsafeMutableBufferPointer<Float>
    let finalObservations: UnsafeMutableBufferPointer<Float>
    let finalAchievedGoals: UnsafeMutableBufferPointer<Float>

    /// Copy `copy`'s observation row.
    func observation(_ copy: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: observations[copy * observationSize..<(copy + 1) * observationSize])
    }

    /// Copy `copy`'s achieved-goal row.
    func achievedGoal(_ copy: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: achievedGoals[copy * goalSize..<(copy + 1) * goalSize])
    }

    /// Copies copy `copy`'s current observation and achieved goal into its final rows.
    func keepFinal(_ copy: Int) {
        for index in 0..<observationSize {
            finalObservations[copy * observationSize + index] = observations[copy * observationSize + index]
        }
        for index in 0..<goalSize {
            finalAchievedGoals[copy * goalSize + index] = achievedGoals[copy * goalSize + index]
        }
    }
}
