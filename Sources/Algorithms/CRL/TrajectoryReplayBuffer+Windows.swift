import Foundation

// CRL's training data: a window of consecutive steps per environment, future goals inside it.

extension TrajectoryReplayBuffer {
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
            windowStarts[environment] = uniformIndex(below: count - window + 1, using: &generator)
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
            let other = index + uniformIndex(below: available - index, using: &generator)
            order.swapAt(index, other)
        }
        let offsets = FutureOffsetSampler(discount: discount, maximumOffset: perWindow)
        return [RelabeledSample](unsafeUninitializedCapacity: sampleCount) { buffer, initialized in
            for index in 0..<sampleCount {
                let position = Int(order[index])
                let environment = position / perWindow
                let t = position - environment * perWindow
                let left = Int(remaining[position])
                let offset = left == 0 ? 0 : offsets.offset(uniform: uniformUnit(using: &generator), available: left)
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
}

/// One sample of a round, by index: the environment column, the start of its window, its step and
/// its goal's step (steps are logical: 0 = the oldest stored step).
struct RelabeledSample: Equatable, Sendable {
    var environment: Int
    var windowStart: Int
    var step: Int
    var goalStep: Int
}
