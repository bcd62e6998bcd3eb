import Foundation

/// A ring buffer of trajectories for Contrastive RL: one column per parallel environment, a
/// capacity in steps per environment, and an episode id with every stored step.
///
/// Each step holds the state part of an observation (before the action), the action taken and the
/// id of its episode. ``sampleRound(windowLength:discount:batchSize:batchCount:generator:)``
/// builds one round of training data the way the reference does (see `CRL-FACTS.md`, "Data"):
/// a random window of consecutive steps per environment, future-goal relabeling inside each window,
/// one shuffle of all samples, cut into batches.
///
/// Layout: the arrays are slot-major (`slot × environment × element`), so appending a step for
/// every environment is one contiguous copy; sampling gathers rows at random either way.
public struct TrajectoryReplayBuffer: Sendable {
    /// The number of parallel environments (columns).
    public let environmentCount: Int
    /// The number of steps kept per environment; older steps are overwritten.
    public let capacity: Int
    /// The number of state elements per step (the observation without its goal part).
    public let stateSize: Int
    /// The number of action elements per step.
    public let actionSize: Int
    /// The slice of a state that is its achieved goal (a goal is `state_{t'}[goalRange]`).
    public let goalRange: Range<Int>
    /// The number of goal elements, `goalRange.count`.
    public var goalSize: Int { goalRange.count }

    /// The number of steps stored per environment (at most ``capacity``).
    public private(set) var count: Int
    /// The slot the next appended step goes to.
    private var writePosition: Int
    private var states: [Float]
    private(set) var actions: [Float]
    private var episodeIDs: [UInt32]
    /// The id the next appended step of each environment gets.
    private var nextEpisodeIDs: [UInt32]

    /// An empty buffer. Throws ``ReplayBufferError/invalidSetting(name:value:expected:)`` when a
    /// size is below 1 or `goalRange` is empty or does not lie inside `0..<stateSize`.
    public init(environmentCount: Int, capacity: Int, stateSize: Int, actionSize: Int, goalRange: Range<Int>) throws {
        try Self.validate(environmentCount: environmentCount, capacity: capacity, stateSize: stateSize,
                          actionSize: actionSize, goalRange: goalRange)
        let (stateElements, stateOverflow) = capacity.multipliedReportingOverflow(by: environmentCount * stateSize)
        let (actionElements, actionOverflow) = capacity.multipliedReportingOverflow(by: environmentCount * actionSize)
        guard !stateOverflow, !actionOverflow else {
            throw ReplayBufferError.invalidSetting(
                name: "capacity", value: "\(capacity)", expected: "a buffer small enough to address")
        }
        self.environmentCount = environmentCount
        self.capacity = capacity
        self.stateSize = stateSize
        self.actionSize = actionSize
        self.goalRange = goalRange
        count = 0
        writePosition = 0
        states = [Float](repeating: 0, count: stateElements)
        actions = [Float](repeating: 0, count: actionElements)
        episodeIDs = [UInt32](repeating: 0, count: capacity * environmentCount)
        nextEpisodeIDs = [UInt32](repeating: 0, count: environmentCount)
    }

    private static func validate(
        environmentCount: Int, capacity: Int, stateSize: Int, actionSize: Int, goalRange: Range<Int>
    ) throws {
        for (name, value) in [("environmentCount", environmentCount), ("capacity", capacity),
                              ("stateSize", stateSize), ("actionSize", actionSize)] where value < 1 {
            throw ReplayBufferError.invalidSetting(name: name, value: "\(value)", expected: "at least 1")
        }
        guard !goalRange.isEmpty, goalRange.lowerBound >= 0, goalRange.upperBound <= stateSize else {
            throw ReplayBufferError.invalidSetting(
                name: "goalRange", value: "\(goalRange)", expected: "a non-empty range inside 0..<\(stateSize) (the state)")
        }
    }

    // MARK: Appending

    /// Appends one time step for every environment: `states` (`environmentCount × stateSize`, each
    /// row the state part of the observation the action was taken in), `actions`
    /// (`environmentCount × actionSize`) and `episodeEnded[k]`, true when this step ended
    /// environment k's episode (terminated or truncated), so that k's next step starts a new
    /// episode. Overwrites the oldest step once the buffer is full. Throws
    /// ``ReplayBufferError/wrongLength(name:count:expected:)`` before changing anything.
    public mutating func append(states: UnsafeBufferPointer<Float>, actions: UnsafeBufferPointer<Float>, episodeEnded: [Bool]) throws {
        guard states.count == environmentCount * stateSize else {
            throw ReplayBufferError.wrongLength(name: "states", count: states.count, expected: environmentCount * stateSize)
        }
        guard actions.count == environmentCount * actionSize else {
            throw ReplayBufferError.wrongLength(name: "actions", count: actions.count, expected: environmentCount * actionSize)
        }
        guard episodeEnded.count == environmentCount else {
            throw ReplayBufferError.wrongLength(name: "episodeEnded", count: episodeEnded.count, expected: environmentCount)
        }
        let slot = writePosition
        let stateRow = slot * environmentCount * stateSize
        let actionRow = slot * environmentCount * actionSize
        self.states.withUnsafeMutableBufferPointer { stored in
            (stored.baseAddress! + stateRow).update(from: states.baseAddress!, count: states.count)
        }
        self.actions.withUnsafeMutableBufferPointer { stored in
            (stored.baseAddress! + actionRow).update(from: actions.baseAddress!, count: actions.count)
        }
        for environment in 0..<environmentCount {
            episodeIDs[slot * environmentCount + environment] = nextEpisodeIDs[environment]
            if episodeEnded[environment] { nextEpisodeIDs[environment] &+= 1 }
        }
        writePosition = (slot + 1) % capacity
        count = min(count + 1, capacity)
    }

    /// Appends one time step from arrays (see ``append(states:actions:episodeEnded:)-(UnsafeBufferPointer<Float>,_,_)``).
    public mutating func append(states: [Float], actions: [Float], episodeEnded: [Bool]) throws {
        try states.withUnsafeBufferPointer { states in
            try actions.withUnsafeBufferPointer { actions in
                try append(states: states, actions: actions, episodeEnded: episodeEnded)
            }
        }
    }

    // MARK: Sampling

    /// The most batches one round can supply: ⌊environmentCount · (windowLength − 1) / batchSize⌋,
    /// with `windowLength` clamped to the steps stored (0 while fewer than 2 are). To validate a
    /// configuration before any data exists, use
    /// ``maximumBatchCount(environmentCount:windowLength:batchSize:)``.
    public func maximumBatchCount(windowLength: Int, batchSize: Int) -> Int {
        let window = min(windowLength, count)
        guard window >= 2 else { return 0 }
        return Self.maximumBatchCount(environmentCount: environmentCount, windowLength: window, batchSize: batchSize)
    }

    /// ⌊environmentCount · (windowLength − 1) / batchSize⌋: the batches a round of full windows holds.
    public static func maximumBatchCount(environmentCount: Int, windowLength: Int, batchSize: Int) -> Int {
        guard environmentCount >= 1, windowLength >= 2, batchSize >= 1 else { return 0 }
        return environmentCount * (windowLength - 1) / batchSize
    }

    /// One round of CRL training data, built as the reference builds it.
    ///
    /// For every environment, a window of `windowLength` consecutive stored steps (in time order,
    /// across the ring's wrap) starts uniformly at random among the `count − windowLength + 1`
    /// possible starts; a window may straddle episodes. Inside a window, step t takes goal step t'
    /// with probability ∝ γ^(t'−t) for later steps t' of the same episode, plus 1e-5 on t' = t
    /// (see `FutureOffsetSampler`); goals never come from outside the window, and the window's
    /// last step is not a sample. All `environmentCount · (windowLength − 1)` samples are shuffled
    /// and the first `batchCount · batchSize` are cut into batches; only those are materialized.
    ///
    /// `windowLength` is clamped to ``count`` while fewer steps are stored. Throws
    /// ``ReplayBufferError`` when fewer than 2 steps are stored, for `windowLength < 2`,
    /// `batchSize < 1`, `batchCount < 0`, a discount outside (0, 1], and when `batchCount` exceeds
    /// ``maximumBatchCount(windowLength:batchSize:)`` (it is not clamped: fewer gradient steps
    /// than configured would silently change the algorithm).
    public func sampleRound(
        windowLength: Int, discount: Float, batchSize: Int, batchCount: Int, generator: inout RandomGenerator
    ) throws -> [TransitionBatch] {
        guard batchSize >= 1 else {
            throw ReplayBufferError.invalidSetting(name: "batchSize", value: "\(batchSize)", expected: "at least 1")
        }
        guard batchCount >= 0 else {
            throw ReplayBufferError.invalidSetting(name: "batchCount", value: "\(batchCount)", expected: "at least 0")
        }
        let (sampleCount, overflow) = batchSize.multipliedReportingOverflow(by: batchCount)
        if overflow {
            throw ReplayBufferError.tooManyBatches(
                requested: batchCount, batchSize: batchSize, maximum: maximumBatchCount(windowLength: windowLength, batchSize: batchSize))
        }
        let samples = try relabeledSamples(
            windowLength: windowLength, discount: discount, sampleCount: sampleCount, generator: &generator,
            batchSize: batchSize)
        return gather(samples, batchSize: batchSize, batchCount: batchCount)
    }

    /// The stored slot of logical step `step` (0 = the oldest stored step).
    @inline(__always)
    func slot(ofStep step: Int) -> Int {
        let oldest = writePosition - count
        let slot = oldest + step
        return slot < 0 ? slot + capacity : (slot >= capacity ? slot - capacity : slot)
    }

    /// The indices of the first `sampleCount` shuffled samples of a round: environment, window
    /// start, step and goal step (steps are logical: 0 = oldest stored step).
    func relabeledSamples(
        windowLength: Int, discount: Float, sampleCount: Int, generator: inout RandomGenerator, batchSize: Int? = nil
    ) throws -> [RelabeledSample] {
        guard windowLength >= 2 else {
            throw ReplayBufferError.invalidSetting(name: "windowLength", value: "\(windowLength)", expected: "at least 2")
        }
        guard discount > 0 && discount <= 1 else {
            throw ReplayBufferError.invalidSetting(name: "discount", value: "\(discount)", expected: "in (0, 1]")
        }
        guard count >= 2 else { throw ReplayBufferError.notEnoughSteps(stored: count, needed: 2) }
        let window = min(windowLength, count)
        let perWindow = window - 1
        let available = environmentCount * perWindow
        guard sampleCount <= available else {
            let size = batchSize ?? 1
            throw ReplayBufferError.tooManyBatches(
                requested: sampleCount / size, batchSize: size, maximum: available / size)
        }
        guard sampleCount > 0 else { return [] }

        // Window starts, one draw per environment in environment order.
        var windowStarts = [Int](repeating: 0, count: environmentCount)
        for environment in 0..<environmentCount {
            windowStarts[environment] = Self.uniformIndex(below: count - window + 1, using: &generator)
        }
        // Steps left in the episode inside the window, for every sample position: the last step of
        // a run of equal ids, minus t.
        var remaining = [Int32](repeating: 0, count: available)
        episodeIDs.withUnsafeBufferPointer { ids in
            for environment in 0..<environmentCount {
                let start = windowStarts[environment]
                let base = environment * perWindow
                var nextID = ids[slot(ofStep: start + perWindow) * environmentCount + environment]
                var left: Int32 = 1  // steps of the run after t, counting the window's last step
                for t in stride(from: perWindow - 1, through: 0, by: -1) {
                    let id = ids[slot(ofStep: start + t) * environmentCount + environment]
                    if id != nextID { left = 0 }
                    remaining[base + t] = left
                    left += 1
                    nextID = id
                }
            }
        }
        // Partial Fisher–Yates: the first `sampleCount` entries are a uniformly shuffled prefix.
        var order = [Int32](unsafeUninitializedCapacity: available) { buffer, initialized in
            for index in 0..<available { buffer[index] = Int32(index) }
            initialized = available
        }
        for index in 0..<sampleCount {
            let other = index + Self.uniformIndex(below: available - index, using: &generator)
            order.swapAt(index, other)
        }
        let offsets = FutureOffsetSampler(discount: discount, maximumOffset: perWindow)
        return [RelabeledSample](unsafeUninitializedCapacity: sampleCount) { buffer, initialized in
            for index in 0..<sampleCount {
                let position = Int(order[index])
                let environment = position / perWindow
                let t = position - environment * perWindow
                let left = Int(remaining[position])
                let offset = left == 0 ? 0 : offsets.offset(uniform: Self.uniformUnit(using: &generator), available: left)
                let start = windowStarts[environment]
                buffer[index] = RelabeledSample(
                    environment: environment, windowStart: start, step: start + t, goalStep: start + t + offset)
            }
            initialized = sampleCount
        }
    }

    /// Copies the samples' states, actions and goals into batches.
    private func gather(_ samples: [RelabeledSample], batchSize: Int, batchCount: Int) -> [TransitionBatch] {
        let stateSize = stateSize, actionSize = actionSize, goalSize = goalSize
        let goalStart = goalRange.lowerBound
        let environmentCount = environmentCount
        return states.withUnsafeBufferPointer { states in
            actions.withUnsafeBufferPointer { actions in
                let states = states.baseAddress!, actions = actions.baseAddress!
                return (0..<batchCount).map { batch in
                    let rows = samples[batch * batchSize..<(batch + 1) * batchSize]
                    let batchStates = [Float](unsafeUninitializedCapacity: batchSize * stateSize) { out, initialized in
                        for (row, sample) in rows.enumerated() {
                            let source = slot(ofStep: sample.step) * environmentCount + sample.environment
                            (out.baseAddress! + row * stateSize).update(from: states + source * stateSize, count: stateSize)
                        }
                        initialized = batchSize * stateSize
                    }
                    let batchActions = [Float](unsafeUninitializedCapacity: batchSize * actionSize) { out, initialized in
                        for (row, sample) in rows.enumerated() {
                            let source = slot(ofStep: sample.step) * environmentCount + sample.environment
                            (out.baseAddress! + row * actionSize).update(from: actions + source * actionSize, count: actionSize)
                        }
                        initialized = batchSize * actionSize
                    }
                    let batchGoals = [Float](unsafeUninitializedCapacity: batchSize * goalSize) { out, initialized in
                        for (row, sample) in rows.enumerated() {
                            let source = slot(ofStep: sample.goalStep) * environmentCount + sample.environment
                            (out.baseAddress! + row * goalSize).update(
                                from: states + source * stateSize + goalStart, count: goalSize)
                        }
                        initialized = batchSize * goalSize
                    }
                    return TransitionBatch(size: batchSize, states: batchStates, actions: batchActions, goals: batchGoals)
                }
            }
        }
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection, so unbiased and
    /// fixed by the generator's sequence alone).
    @inline(__always)
    private static func uniformIndex(below bound: Int, using generator: inout RandomGenerator) -> Int {
        let bound = UInt64(bound)
        var product = generator.next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = generator.next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// A uniform `Double` in [0, 1) with 53 random bits.
    @inline(__always)
    private static func uniformUnit(using generator: inout RandomGenerator) -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }

    // MARK: Checkpoints

    /// Everything a buffer holds, for checkpoints: sizes, the raw slot-major arrays, the write
    /// position and the episode ids. Ids are only ever compared for equality within one
    /// environment's column.
    public struct Storage: Sendable, Equatable {
        /// Parallel environments (columns).
        public var environmentCount: Int
        /// Steps per environment the ring holds.
        public var capacity: Int
        /// Elements per state.
        public var stateSize: Int
        /// Elements per action.
        public var actionSize: Int
        /// Where the goal sits inside a state.
        public var goalRange: Range<Int>
        /// Steps stored per environment.
        public var count: Int
        /// The slot (0..<capacity) the next step goes to; the oldest stored step is at
        /// `(writePosition − count) mod capacity`.
        public var writePosition: Int
        /// `capacity × environmentCount × stateSize`, slot-major.
        public var states: [Float]
        /// `capacity × environmentCount × actionSize`, slot-major.
        public var actions: [Float]
        /// `capacity × environmentCount`: the episode id of every stored step.
        public var episodeIDs: [UInt32]
        /// `environmentCount`: the id the next appended step of each environment gets.
        public var nextEpisodeIDs: [UInt32]

        /// Creates storage from its parts; ``TrajectoryReplayBuffer/init(storage:)`` validates it.
        public init(
            environmentCount: Int, capacity: Int, stateSize: Int, actionSize: Int, goalRange: Range<Int>,
            count: Int, writePosition: Int, states: [Float], actions: [Float],
            episodeIDs: [UInt32], nextEpisodeIDs: [UInt32]
        ) {
            self.environmentCount = environmentCount
            self.capacity = capacity
            self.stateSize = stateSize
            self.actionSize = actionSize
            self.goalRange = goalRange
            self.count = count
            self.writePosition = writePosition
            self.states = states
            self.actions = actions
            self.episodeIDs = episodeIDs
            self.nextEpisodeIDs = nextEpisodeIDs
        }
    }

    /// The buffer's complete contents; ``init(storage:)`` restores an identical buffer.
    public var storage: Storage {
        Storage(environmentCount: environmentCount, capacity: capacity, stateSize: stateSize, actionSize: actionSize,
                goalRange: goalRange, count: count, writePosition: writePosition, states: states, actions: actions,
                episodeIDs: episodeIDs, nextEpisodeIDs: nextEpisodeIDs)
    }

    /// Restores a buffer from ``storage``. Throws ``ReplayBufferError`` for invalid sizes, a count
    /// or write position out of range, or arrays of the wrong length.
    public init(storage: Storage) throws {
        try self.init(environmentCount: storage.environmentCount, capacity: storage.capacity,
                      stateSize: storage.stateSize, actionSize: storage.actionSize, goalRange: storage.goalRange)
        guard (0...capacity).contains(storage.count) else {
            throw ReplayBufferError.invalidSetting(name: "count", value: "\(storage.count)", expected: "in 0...\(capacity)")
        }
        guard (0..<capacity).contains(storage.writePosition) else {
            throw ReplayBufferError.invalidSetting(
                name: "writePosition", value: "\(storage.writePosition)", expected: "in 0..<\(capacity)")
        }
        let lengths = [("states", storage.states.count, states.count), ("actions", storage.actions.count, actions.count),
                       ("episodeIDs", storage.episodeIDs.count, episodeIDs.count),
                       ("nextEpisodeIDs", storage.nextEpisodeIDs.count, nextEpisodeIDs.count)]
        for (name, count, expected) in lengths where count != expected {
            throw ReplayBufferError.wrongLength(name: name, count: count, expected: expected)
        }
        count = storage.count
        writePosition = storage.writePosition
        states = storage.states
        actions = storage.actions
        episodeIDs = storage.episodeIDs
        nextEpisodeIDs = storage.nextEpisodeIDs
    }
}

/// One sample of a round, by index: the environment column, the start of its window, its step and
/// its goal's step (steps are logical: 0 = the oldest stored step).
struct RelabeledSample: Equatable, Sendable {
    var environment: Int
    var windowStart: Int
    var step: Int
    var goalStep: Int
}

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

/// What a ``TrajectoryReplayBuffer`` rejects; each message says what was wrong and what to change.
public enum ReplayBufferError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A size or sampling setting was out of its allowed range.
    case invalidSetting(name: String, value: String, expected: String)
    /// An appended or restored array had the wrong number of elements.
    case wrongLength(name: String, count: Int, expected: Int)
    /// Sampling needs more stored steps per environment than there are.
    case notEnoughSteps(stored: Int, needed: Int)
    /// A round was asked for more batches than its windows hold.
    case tooManyBatches(requested: Int, batchSize: Int, maximum: Int)

    /// A message naming the offending value and what was expected.
    public var description: String {
        switch self {
        case let .invalidSetting(name, value, expected):
            return "\(name) is \(value), expected \(expected)"
        case let .wrongLength(name, count, expected):
            return "\(name) has \(count) elements, expected \(expected)"
        case let .notEnoughSteps(stored, needed):
            return "the replay buffer holds \(stored) steps per environment, sampling needs at least \(needed); collect more first"
        case let .tooManyBatches(requested, batchSize, maximum):
            return "a round was asked for \(requested) batches of \(batchSize), but its windows hold only \(maximum) "
                + "(environments × (window length − 1) / batch size); use fewer gradient steps per round, "
                + "a smaller batch, more environments or a longer window"
        }
    }

    /// The same message, for `localizedDescription`.
    public var errorDescription: String? { description }
}
