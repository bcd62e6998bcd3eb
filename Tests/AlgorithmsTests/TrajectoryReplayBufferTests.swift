import Testing
@testable import Algorithms

/// A buffer whose states record where they came from: state = [time, environment, episode], action =
/// [−time], so every sampled row and goal can be traced back. `episodeLengths(environment)` gives
/// the lengths of that environment's successive episodes (repeated).
private func tracedBuffer(
    environments: Int, capacity: Int, steps: Int, goalRange: Range<Int> = 0..<3,
    episodeLengths: (Int) -> [Int] = { _ in [Int.max] }
) throws -> TrajectoryReplayBuffer {
    var buffer = try TrajectoryReplayBuffer(
        environmentCount: environments, capacity: capacity, stateSize: 3, actionSize: 1, goalRange: goalRange)
    var episode = [Int](repeating: 0, count: environments)
    var stepInEpisode = [Int](repeating: 0, count: environments)
    for time in 0..<steps {
        var states: [Float] = []
        var actions: [Float] = []
        var ended: [Bool] = []
        for environment in 0..<environments {
            states += [Float(time), Float(environment), Float(episode[environment])]
            actions.append(-Float(time))
            let lengths = episodeLengths(environment)
            let length = lengths[episode[environment] % lengths.count]
            stepInEpisode[environment] += 1
            let ends = stepInEpisode[environment] == length
            ended.append(ends)
            if ends {
                episode[environment] += 1
                stepInEpisode[environment] = 0
            }
        }
        try buffer.append(states: states, actions: actions, episodeEnded: ended)
    }
    return buffer
}

/// Every row of every batch as (state, action, goal).
private func rows(of batches: [TransitionBatch], stateSize: Int = 3, goalSize: Int = 3) -> [(state: ArraySlice<Float>, action: Float, goal: ArraySlice<Float>)] {
    batches.flatMap { batch in
        (0..<batch.size).map { row in
            (batch.states[row * stateSize..<(row + 1) * stateSize], batch.actions[row],
             batch.goals[row * goalSize..<(row + 1) * goalSize])
        }
    }
}

@Suite("TrajectoryReplayBuffer")
struct TrajectoryReplayBufferTests {
    @Test("the offset sampler's inverse CDF gives 1e-5 / W to Δ = 0 and then Δ = 1, 2, … in order")
    func offsetSamplerInverseCDF() {
        let sampler = FutureOffsetSampler(discount: 0.9, maximumOffset: 50)
        #expect(sampler.offset(uniform: 0.7, available: 0) == 0)
        let available = 20
        let gamma = Double(Float(0.9))
        let total = 1e-5 + (1...available).reduce(0.0) { $0 + pow(gamma, Double($1)) }
        let selfShare = 1e-5 / total
        #expect(sampler.offset(uniform: 0, available: available) == 0)
        #expect(sampler.offset(uniform: selfShare * 0.999, available: available) == 0)
        #expect(sampler.offset(uniform: selfShare * 1.001, available: available) == 1)
        let throughOne = (1e-5 + gamma) / total
        #expect(sampler.offset(uniform: throughOne * 0.9999, available: available) == 1)
        #expect(sampler.offset(uniform: throughOne * 1.0001, available: available) == 2)
        #expect(sampler.offset(uniform: 1 - 0x1p-53, available: available) == available)
        #expect(abs(sampler.probability(ofOffset: 0, available: available) - selfShare) < 1e-15)
        let sum = (0...available).reduce(0.0) { $0 + sampler.probability(ofOffset: $1, available: available) }
        #expect(abs(sum - 1) < 1e-12)
        #expect(sampler.probability(ofOffset: available + 1, available: available) == 0)
    }

    @Test("offsets Δ ≥ 1 follow P(Δ) ∝ γ^Δ truncated at the window's end")
    func offsetsFollowTheGeometricLaw() throws {
        // One endless episode per environment and count == window, so every window starts at 0 and
        // step t has exactly window − 1 − t later steps to choose from.
        let window = 200, environments = 8, discount: Float = 0.9
        let buffer = try tracedBuffer(environments: environments, capacity: window, steps: window)
        let sampler = FutureOffsetSampler(discount: discount, maximumOffset: window - 1)
        var generator = RandomGenerator(seed: 7)
        let bins = 12
        var observed = [Double](repeating: 0, count: bins + 1)
        var expected = [Double](repeating: 0, count: bins + 1)
        var observedMean = 0.0, expectedMean = 0.0, samples = 0.0
        var farFromTheEnd = [Double](repeating: 0, count: 3), farMean = 0.0, farSamples = 0.0
        for _ in 0..<60 {
            let batches = try buffer.sampleRound(
                windowLength: window, discount: discount, batchSize: 199, batchCount: environments, generator: &generator)
            for row in rows(of: batches) {
                let t = Int(row.state[row.state.startIndex])
                let offset = Int(row.goal[row.goal.startIndex]) - t
                let available = window - 1 - t
                #expect(offset >= 0 && offset <= available)
                observed[min(offset, bins)] += 1
                if available >= 100 {
                    // Truncation changes these probabilities by less than γ^100 ≈ 3e-5.
                    if offset <= 2 { farFromTheEnd[offset] += 1 }
                    farMean += Double(offset)
                    farSamples += 1
                }
                observedMean += Double(offset)
                for d in 0..<bins { expected[d] += sampler.probability(ofOffset: d, available: available) }
                var mean = 0.0
                for d in 1...available { mean += Double(d) * sampler.probability(ofOffset: d, available: available) }
                expectedMean += mean
                samples += 1
            }
        }
        expected[bins] = samples - expected[..<bins].reduce(0, +)
        for d in 1...bins {
            // Five standard deviations of a binomial count.
            let tolerance = 5 * (expected[d] * (1 - expected[d] / samples)).squareRoot() + 1
            #expect(abs(observed[d] - expected[d]) <= tolerance, "Δ = \(d): \(observed[d]) vs \(expected[d])")
        }
        // The law's own shape: P(1) / P(2) = 1 / γ, far from what a uniform or off-by-one law gives.
        // Away from the window's end the law is the plain geometric one: P(1) / P(2) = 1 / γ and the
        // mean offset is 1 / (1 − γ) = 10; a uniform or off-by-one law misses both by far.
        #expect(abs(farFromTheEnd[1] / farFromTheEnd[2] - 1 / Double(discount)) < 0.06)
        #expect(abs(farMean / farSamples - 10) < 0.15, "mean offset far from the end")
        #expect(abs(observedMean / samples - expectedMean / samples) < 0.1, "mean offset over the window")
        #expect(observed[0] <= 3, "Δ = 0 has weight 1e-5 where later steps exist")
    }

    @Test("goals stay in the step's episode and window; an episode's last step takes its own state")
    func goalsNeverCrossEpisodesOrWindows() throws {
        let lengths: (Int) -> [Int] = { environment in [[1, 7, 30, 2, 64], [13], [3, 1, 1, 50]][environment % 3] }
        let buffer = try tracedBuffer(environments: 5, capacity: 300, steps: 420, episodeLengths: lengths)
        var generator = RandomGenerator(seed: 11)
        let window = 60
        var lastSteps = 0, selfGoalsElsewhere = 0
        for _ in 0..<20 {
            let samples = try buffer.relabeledSamples(
                windowLength: window, discount: 0.99, sampleCount: 5 * (window - 1), generator: &generator)
            let batches = try buffer.sampleRound(
                windowLength: window, discount: 0.99, batchSize: 59, batchCount: 5, generator: &generator)
            for sample in samples {
                #expect(sample.step >= sample.windowStart && sample.step < sample.windowStart + window - 1)
                #expect(sample.goalStep >= sample.step && sample.goalStep < sample.windowStart + window)
            }
            for row in rows(of: batches) {
                let (state, goal) = (Array(row.state), Array(row.goal))
                #expect(goal[1] == state[1], "same environment")
                #expect(goal[2] == state[2], "same episode: \(state) → \(goal)")
                #expect(goal[0] >= state[0])
                #expect(row.action == -state[0])
                // Is this step the last of its episode? (Episodes are traced by the third element.)
                let environment = Int(state[1]), episode = Int(state[2])
                let episodeLengths = lengths(environment)
                let start = (0..<episode).reduce(0) { $0 + episodeLengths[$1 % episodeLengths.count] }
                let isLast = Int(state[0]) == start + episodeLengths[episode % episodeLengths.count] - 1
                if isLast {
                    lastSteps += 1
                    #expect(goal[0] == state[0], "an episode's last step can only take itself")
                } else if goal[0] == state[0] {
                    selfGoalsElsewhere += 1
                }
            }
        }
        #expect(lastSteps > 100)
        #expect(selfGoalsElsewhere <= 2)
    }

    @Test("after the ring wraps, windows run in time order across the seam")
    func ringWrapKeepsTimeOrder() throws {
        let buffer = try tracedBuffer(environments: 2, capacity: 10, steps: 25)
        #expect(buffer.count == 10)
        #expect(buffer.storage.writePosition == 5)
        var generator = RandomGenerator(seed: 3)
        for window in [10, 4] {
            var starts = Set<Int>()
            for _ in 0..<200 {
                let samples = try buffer.relabeledSamples(
                    windowLength: window, discount: 0.5, sampleCount: 2 * (window - 1), generator: &generator)
                starts.formUnion(samples.map(\.windowStart))
                #expect(samples.allSatisfy { $0.windowStart >= 0 && $0.windowStart <= 10 - window })
            }
            #expect(starts == Set(0...(10 - window)), "every window start is drawn")
            let batches = try buffer.sampleRound(
                windowLength: window, discount: 0.5, batchSize: window - 1, batchCount: 2, generator: &generator)
            var seen: [Int: [Float]] = [:]
            for row in rows(of: batches) {
                let time = row.state[row.state.startIndex]
                #expect(time >= 15 && time <= 24, "only the 10 newest steps are kept")
                #expect(row.goal[row.goal.startIndex] > time || row.goal[row.goal.startIndex] == time)
                #expect(row.goal[row.goal.startIndex] - time <= Float(window - 1))
                seen[Int(row.state[row.state.startIndex + 1]), default: []].append(time)
            }
            for (_, times) in seen {
                // Each environment's window is window − 1 consecutive times.
                let sorted = times.sorted()
                #expect(sorted == (0..<(window - 1)).map { sorted[0] + Float($0) })
            }
        }
    }

    @Test("a buffer that is not full clamps the window to what is stored")
    func partialBufferClampsTheWindow() throws {
        let buffer = try tracedBuffer(environments: 3, capacity: 100, steps: 7)
        #expect(buffer.count == 7)
        #expect(buffer.maximumBatchCount(windowLength: 1000, batchSize: 4) == 3 * 6 / 4)
        #expect(TrajectoryReplayBuffer.maximumBatchCount(environmentCount: 256, windowLength: 1000, batchSize: 256) == 999)
        var generator = RandomGenerator(seed: 5)
        let batches = try buffer.sampleRound(windowLength: 1000, discount: 0.99, batchSize: 6, batchCount: 3, generator: &generator)
        let times = rows(of: batches).map { Int($0.state[$0.state.startIndex]) }
        #expect(times.sorted() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5], "all samples, each once")
        #expect(rows(of: batches).allSatisfy { $0.goal[$0.goal.startIndex] <= 6 })
    }

    @Test("batches have the requested shapes and goals are the goal slice of the state")
    func batchShapes() throws {
        let buffer = try tracedBuffer(environments: 4, capacity: 50, steps: 50, goalRange: 1..<3)
        var generator = RandomGenerator(seed: 9)
        let batches = try buffer.sampleRound(windowLength: 20, discount: 0.99, batchSize: 16, batchCount: 4, generator: &generator)
        #expect(batches.count == 4)
        for batch in batches {
            #expect(batch.size == 16)
            #expect(batch.states.count == 16 * 3)
            #expect(batch.actions.count == 16)
            #expect(batch.goals.count == 16 * 2)
            for row in 0..<16 {
                #expect(batch.goals[row * 2] == batch.states[row * 3 + 1], "goal = state_{t'}[1..<3], same environment")
            }
        }
        #expect(try buffer.sampleRound(windowLength: 20, discount: 0.99, batchSize: 16, batchCount: 0, generator: &generator).isEmpty)
    }

    @Test("the same seed gives bit-identical rounds, another seed does not")
    func determinism() throws {
        let buffer = try tracedBuffer(environments: 6, capacity: 80, steps: 130, episodeLengths: { [17 + $0, 40] })
        func round(seed: UInt64) throws -> [TransitionBatch] {
            var generator = RandomGenerator(seed: seed)
            return try buffer.sampleRound(windowLength: 50, discount: 0.99, batchSize: 32, batchCount: 9, generator: &generator)
        }
        #expect(try round(seed: 1) == round(seed: 1))
        #expect(try round(seed: 1) != round(seed: 2))
    }

    @Test("storage restores a buffer that samples and appends identically")
    func storageRoundTrip() throws {
        var original = try tracedBuffer(environments: 3, capacity: 20, steps: 33, episodeLengths: { [5 + $0] })
        var restored = try TrajectoryReplayBuffer(storage: original.storage)
        #expect(restored.storage == original.storage)
        let states: [Float] = [100, 0, 9, 100, 1, 9, 100, 2, 9]
        try original.append(states: states, actions: [1, 2, 3], episodeEnded: [true, false, true])
        try restored.append(states: states, actions: [1, 2, 3], episodeEnded: [true, false, true])
        #expect(restored.storage == original.storage)
        var first = RandomGenerator(seed: 4), second = RandomGenerator(seed: 4)
        #expect(try original.sampleRound(windowLength: 15, discount: 0.9, batchSize: 7, batchCount: 6, generator: &first)
            == restored.sampleRound(windowLength: 15, discount: 0.9, batchSize: 7, batchCount: 6, generator: &second))

        var broken = original.storage
        broken.writePosition = 20
        #expect(throws: ReplayBufferError.self) { try TrajectoryReplayBuffer(storage: broken) }
        broken = original.storage
        broken.count = 21
        #expect(throws: ReplayBufferError.self) { try TrajectoryReplayBuffer(storage: broken) }
        broken = original.storage
        broken.episodeIDs.removeLast()
        #expect(throws: ReplayBufferError.wrongLength(name: "episodeIDs", count: 59, expected: 60)) {
            try TrajectoryReplayBuffer(storage: broken)
        }
    }

    @Test("bad sizes, lengths and sampling settings are refused with a message")
    func errors() throws {
        for (environments, capacity, stateSize, actionSize, goals) in [
            (0, 10, 3, 1, 0..<2), (2, 0, 3, 1, 0..<2), (2, 10, 0, 1, 0..<0), (2, 10, 3, 0, 0..<2),
            (2, 10, 3, 1, 2..<4), (2, 10, 3, 1, 1..<1),
        ] {
            #expect(throws: ReplayBufferError.self) {
                try TrajectoryReplayBuffer(environmentCount: environments, capacity: capacity, stateSize: stateSize,
                                           actionSize: actionSize, goalRange: goals)
            }
        }
        var buffer = try TrajectoryReplayBuffer(environmentCount: 2, capacity: 10, stateSize: 3, actionSize: 1, goalRange: 0..<2)
        #expect(throws: ReplayBufferError.wrongLength(name: "states", count: 5, expected: 6)) {
            try buffer.append(states: [0, 0, 0, 0, 0], actions: [0, 0], episodeEnded: [false, false])
        }
        #expect(throws: ReplayBufferError.wrongLength(name: "actions", count: 1, expected: 2)) {
            try buffer.append(states: [0, 0, 0, 0, 0, 0], actions: [0], episodeEnded: [false, false])
        }
        #expect(throws: ReplayBufferError.wrongLength(name: "episodeEnded", count: 3, expected: 2)) {
            try buffer.append(states: [0, 0, 0, 0, 0, 0], actions: [0, 0], episodeEnded: [false, false, true])
        }
        #expect(buffer.count == 0, "a refused append changes nothing")
        var generator = RandomGenerator(seed: 1)
        try buffer.append(states: [0, 0, 0, 0, 0, 0], actions: [0, 0], episodeEnded: [false, false])
        #expect(throws: ReplayBufferError.notEnoughSteps(stored: 1, needed: 2)) {
            try buffer.sampleRound(windowLength: 5, discount: 0.99, batchSize: 1, batchCount: 1, generator: &generator)
        }
        for _ in 0..<9 { try buffer.append(states: [0, 0, 0, 0, 0, 0], actions: [0, 0], episodeEnded: [false, false]) }
        // 2 environments × (5 − 1) steps = 8 samples: 2 batches of 4, not 3.
        #expect(try buffer.sampleRound(windowLength: 5, discount: 0.99, batchSize: 4, batchCount: 2, generator: &generator).count == 2)
        let tooMany = #expect(throws: ReplayBufferError.tooManyBatches(requested: 3, batchSize: 4, maximum: 2)) {
            try buffer.sampleRound(windowLength: 5, discount: 0.99, batchSize: 4, batchCount: 3, generator: &generator)
        }
        #expect(tooMany?.description.contains("fewer gradient steps") == true)
        for (window, discount, batchSize, batchCount) in [(1, Float(0.99), 1, 1), (5, 0, 1, 1), (5, 1.5, 1, 1), (5, .nan, 1, 1),
                                                          (5, 0.99, 0, 1), (5, 0.99, 1, -1), (5, 0.99, Int.max, 2)] {
            #expect(throws: ReplayBufferError.self) {
                try buffer.sampleRound(windowLength: window, discount: discount, batchSize: batchSize,
                                       batchCount: batchCount, generator: &generator)
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
