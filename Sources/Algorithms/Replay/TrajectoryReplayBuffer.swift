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
    private(set) var writePosition: Int
    private(set) var states: [Float]
    private(set) var actions: [Float]
    private(set) var episodeIDs: [UInt32]
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

    /// The stored slot of logical step `step` (0 = the oldest stored step).
    @inline(__always)
    func slot(ofStep step: Int) -> Int {
        let oldest = writePosition - count
        let slot = oldest + step
        return slot < 0 ? slot + capacity : (slot >= capacity ? slot - capacity : slot)
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
