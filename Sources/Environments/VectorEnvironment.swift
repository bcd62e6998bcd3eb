import Foundation

/// N copies of a goal environment stepped together, in parallel across cores, with auto-reset.
///
/// Actions and results are flat row-major batches (row `k` = copy `k`): actions are
/// `count × actionSize` floats, results land in a ``StepBatch`` that the caller allocates once
/// and passes `inout`, so stepping allocates nothing. A copy whose episode ends is reset at once
/// with a freshly sampled start and goal; the finished episode's last observation is reported in
/// ``StepBatch/finalObservations``.
///
/// Each copy owns its random generator, seeded from the vector's seed by
/// ``copySeeds(seed:count:)``, and copies never share state, so results are identical for any
/// ``threads`` setting and equal to stepping the copies one by one.
///
/// ```swift
/// let environment = try VectorEnvironment(named: "point-maze-u", count: 256, seed: 0)
/// var batch = environment.reset()
/// try environment.step(actions: actions, into: &batch)   // actions: 256 × 2 floats
/// ```
public final class VectorEnvironment {
    /// Number of copies.
    public let count: Int
    /// The copies, in row order.
    public let environments: [any GoalEnvironment]
    /// The first copy's ``GoalEnvironment/settings``.
    public var settings: [String: String] { environments.first?.settings ?? [:] }
    /// Elements per state (observation minus desired goal).
    public let stateSize: Int
    /// Elements per goal.
    public let goalSize: Int
    /// Elements per action.
    public let actionSize: Int
    /// Where the achieved goal sits inside the state (and inside each observation row).
    public let goalRange: Range<Int>
    /// The copies' success threshold.
    public let successThreshold: Float
    /// The most parallel chunks a step is split into (at least 1; results do not depend on it).
    public var threads: Int {
        didSet { precondition(threads > 0, "threads must be at least 1, got \(threads)") }
    }

    /// The fewest copies worth handing to another core (at least 1; defaults to the copies' own
    /// ``GoalEnvironment/minimumCopiesPerThread``, 512 for point masses). Waking a worker costs
    /// tens of microseconds, about as long as stepping a few hundred point masses, so smaller
    /// batches run on fewer threads than ``threads``.
    public var minimumCopiesPerThread = 512 {
        didSet { precondition(minimumCopiesPerThread > 0, "minimumCopiesPerThread must be at least 1, got \(minimumCopiesPerThread)") }
    }

    /// Elements per observation row: state followed by desired goal.
    public var observationSize: Int { stateSize + goalSize }

    /// Steps per episode before truncation, set on every copy.
    public var episodeLength: Int {
        get { environments[0].episodeLength }
        set {
            precondition(newValue > 0, "episodeLength must be at least 1, got \(newValue)")
            for environment in environments { environment.episodeLength = newValue }
        }
    }

    private var pendingSeed: UInt64?

    /// Creates `count` copies with `makeEnvironment`, to be seeded from `seed` at the first
    /// ``reset(seed:)``. `threads` defaults to the number of active cores. Throws when `count` or
    /// `threads` is below 1 or the copies disagree on their sizes.
    public init(
        count: Int, seed: UInt64 = 0, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        makeEnvironment: () throws -> any GoalEnvironment
    ) throws {
        guard count > 0 else {
            throw EnvironmentError.invalidSetting(name: "count", value: "\(count)", expected: "at least 1")
        }
        guard threads > 0 else {
            throw EnvironmentError.invalidSetting(name: "threads", value: "\(threads)", expected: "at least 1")
        }
        let environments = try (0..<count).map { _ in try makeEnvironment() }
        let first = environments[0]
        for (copy, environment) in environments.enumerated()
        where environment.stateSize != first.stateSize || environment.goalSize != first.goalSize
            || environment.actionSize != first.actionSize || environment.goalRange != first.goalRange {
            throw EnvironmentError.invalidSetting(
                name: "copy \(copy)", value: "state \(environment.stateSize), goal \(environment.goalSize), action \(environment.actionSize)",
                expected: "the sizes of copy 0 (state \(first.stateSize), goal \(first.goalSize), action \(first.actionSize))")
        }
        self.count = count
        self.environments = environments
        self.threads = threads
        minimumCopiesPerThread = max(1, first.minimumCopiesPerThread)
        stateSize = first.stateSize
        goalSize = first.goalSize
        actionSize = first.actionSize
        goalRange = first.goalRange
        successThreshold = first.successThreshold
        pendingSeed = seed
    }

    /// Creates `count` copies of the environment registered as `name` (see ``EnvironmentRegistry``).
    public convenience init(
        named name: String, count: Int, seed: UInt64 = 0, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        registry: EnvironmentRegistry = .shared
    ) throws {
        try self.init(count: count, seed: seed, threads: threads) { try registry.make(name) }
    }

    /// The seeds the copies get from `seed`: a `RandomGenerator` seeded with `seed`, split once per copy.
    /// Resetting copy `k` alone with `reset(seed: copySeeds(seed: s, count: n)[k])` reproduces it.
    public static func copySeeds(seed: UInt64, count: Int) -> [UInt64] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in generator.next() }
    }

    /// The reward any copy gives for achieving `achieved` when `desired` was asked for.
    public func computeReward(achieved: [Float], desired: [Float]) -> Float {
        environments[0].computeReward(achieved: achieved, desired: desired)
    }

    /// Resets every copy and returns a new batch holding the first observations.
    /// With a seed, copy `k` is re-seeded with `copySeeds(seed:count:)[k]`; without one, the first
    /// reset uses the initializer's seed and later resets continue each copy's sequence.
    public func reset(seed: UInt64? = nil) -> StepBatch {
        var batch = StepBatch(count: count, observationSize: observationSize, goalSize: goalSize)
        reset(seed: seed, into: &batch)
        return batch
    }

    /// Resets every copy into an existing batch (see ``reset(seed:)``).
    public func reset(seed: UInt64? = nil, into batch: inout StepBatch) {
        checkShape(of: batch)
        let seeds = (seed ?? pendingSeed).map { Self.copySeeds(seed: $0, count: count) }
        pendingSeed = nil
        let environments = CopyList(environments: environments)
        batch.withPointers { batch in
            inParallel { copies in
                for copy in copies {
                    environments[copy].reset(
                        seed: seeds?[copy], observation: batch.observation(copy), achievedGoal: batch.achievedGoal(copy))
                    batch.rewards[copy] = 0
                    batch.terminated[copy] = false
                    batch.truncated[copy] = false
                    batch.successes[copy] = false
                    batch.distances[copy] = 0
                }
            }
        }
    }

    /// Steps every copy with its row of `actions` (`count × actionSize`, row-major) and writes the
    /// results into `batch`; finished copies are reset (see ``StepBatch``). Throws, before any copy
    /// moves, when `actions` has the wrong length or a NaN/Inf element; clips other actions to [-1, 1].
    public func step(actions: [Float], into batch: inout StepBatch) throws {
        try actions.withUnsafeBufferPointer { try step(actions: $0, into: &batch) }
    }

    /// Steps every copy from a raw action buffer (see the array form of `step(actions:into:)`).
    public func step(actions: UnsafeBufferPointer<Float>, into batch: inout StepBatch) throws {
        guard actions.count == count * actionSize else {
            throw EnvironmentError.wrongActionLength(count: actions.count, expected: actionSize, copies: count)
        }
        for index in actions.indices where !actions[index].isFinite {
            throw EnvironmentError.nonFiniteAction(
                value: actions[index], index: index % actionSize, copy: index / actionSize)
        }
        guard pendingSeed == nil else { throw EnvironmentError.stepBeforeReset }
        checkShape(of: batch)
        let environments = CopyList(environments: environments)
        let actionSize = actionSize
        let actionRows = UncheckedActionRows(actions: actions)
        batch.withPointers { batch in
            inParallel { copies in
                for copy in copies {
                    let environment = environments[copy]
                    let action = UnsafeBufferPointer(rebasing: actionRows.actions[copy * actionSize..<(copy + 1) * actionSize])
                    let outcome = environment.step(
                        checkedAction: action, observation: batch.observation(copy), achievedGoal: batch.achievedGoal(copy))
                    batch.rewards[copy] = outcome.reward
                    batch.terminated[copy] = outcome.terminated
                    batch.truncated[copy] = outcome.truncated
                    batch.successes[copy] = outcome.info.success
                    batch.distances[copy] = outcome.info.distance
                    if outcome.terminated || outcome.truncated {
                        batch.keepFinal(copy)
                        environment.reset(seed: nil, observation: batch.observation(copy), achievedGoal: batch.achievedGoal(copy))
                    }
                }
            }
        }
    }

    /// Records that every copy holds an episode (after a restore), so stepping may begin.
    func markReset() { pendingSeed = nil }

    private func checkShape(of batch: StepBatch) {
        precondition(batch.count == count && batch.observationSize == observationSize && batch.goalSize == goalSize,
                     "StepBatch of \(batch.count) × \(batch.observationSize) does not fit a VectorEnvironment of \(count) × \(observationSize); make it with reset(seed:)")
    }

    /// Splits `0..<count` into at most `threads` contiguous chunks and runs them concurrently.
    private func inParallel(_ body: @Sendable (Range<Int>) -> Void) {
        let chunks = max(1, min(threads, count / minimumCopiesPerThread))
        if chunks == 1 {
            body(0..<count)
            return
        }
        let count = count
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body(chunk * count / chunks..<(chunk + 1) * count / chunks)
        }
    }
}

/// The copies, handed to the parallel chunks of one step.
///
/// `@unchecked Sendable`: the copies are not `Sendable`, but during a step each copy is used by
/// exactly one chunk (chunks own disjoint index ranges) and the step waits for all chunks, so no
/// copy is ever touched by two threads at once. Copies must not share mutable state with each other.
private struct CopyList: @unchecked Sendable {
    let environments: [any GoalEnvironment]

    subscript(copy: Int) -> any GoalEnvironment { environments[copy] }
}

/// The caller's action buffer, shared read-only by the parallel chunks of one step.
/// `@unchecked Sendable`: nothing writes it during the step and it does not outlive the call.
private struct UncheckedActionRows: @unchecked Sendable {
    let actions: UnsafeBufferPointer<Float>
}
