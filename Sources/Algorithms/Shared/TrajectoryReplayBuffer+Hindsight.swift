import Foundation

extension TrajectoryReplayBuffer {
    /// A sampler of one-step transitions with hindsight goals from the buffer's current contents,
    /// for the temporal-difference agents (``SAC``, ``TD3``); see ``HindsightSampler``.
    public func hindsightSampler(relabeling: HindsightRelabeling, reward: GoalReward) throws -> HindsightSampler {
        try HindsightSampler(storage: storage, relabeling: relabeling, reward: reward)
    }
}

/// Draws (s, a, r, s', g, terminal) transitions from a snapshot of a ``TrajectoryReplayBuffer``.
///
/// A transition is a pair of consecutive stored steps t, t + 1 of the same episode: environment
/// column and step are uniform over all such pairs. The last step of an episode is never a
/// transition, because its successor — the final observation — is replaced by the auto-reset and
/// not stored; every stored pair therefore continued its episode, and whether s' is terminal is a
/// question about the goal alone, answered by ``GoalReward/terminated``. Goals follow
/// ``HindsightRelabeling``: a future step t' ∈ (t, e] of the same episode (e its last stored
/// step) for a share `relabelFraction` of the rows, a uniformly random stored step otherwise.
public struct HindsightSampler {
    let storage: TrajectoryReplayBuffer.Storage
    let relabeling: HindsightRelabeling
    let reward: GoalReward
    /// `environmentCount × count`, environment-major: the last stored logical step of the episode
    /// holding logical step t.
    let episodeEnds: [Int32]

    init(storage: TrajectoryReplayBuffer.Storage, relabeling: HindsightRelabeling, reward: GoalReward) throws {
        try relabeling.validate()
        guard storage.count >= 2 else { throw ReplayBufferError.notEnoughSteps(stored: storage.count, needed: 2) }
        self.storage = storage
        self.relabeling = relabeling
        self.reward = reward
        let (count, environments) = (storage.count, storage.environmentCount)
        var ends = [Int32](repeating: 0, count: environments * count)
        var hasTransition = false
        for environment in 0..<environments {
            let base = environment * count
            ends[base + count - 1] = Int32(count - 1)
            for t in stride(from: count - 2, through: 0, by: -1) {
                let sameEpisode = storage.episodeIDs[Self.slot(ofStep: t, storage) * environments + environment]
                    == storage.episodeIDs[Self.slot(ofStep: t + 1, storage) * environments + environment]
                ends[base + t] = sameEpisode ? ends[base + t + 1] : Int32(t)
                hasTransition = hasTransition || sameEpisode
            }
        }
        guard hasTransition else {
            throw ReplayBufferError.noTransitions
        }
        episodeEnds = ends
    }

    @inline(__always)
    static func slot(ofStep step: Int, _ storage: TrajectoryReplayBuffer.Storage) -> Int {
        let slot = storage.writePosition - storage.count + step
        return slot < 0 ? slot + storage.capacity : (slot >= storage.capacity ? slot - storage.capacity : slot)
    }

    /// One batch of `size` transitions, drawn with `generator` (the same generator state gives the
    /// same batch).
    public func sample(size: Int, generator: inout RandomGenerator) -> HindsightBatch {
        precondition(size >= 1, "HindsightSampler.sample: size must be at least 1, got \(size)")
        let s = storage
        let (count, environments, stateSize, actionSize) = (s.count, s.environmentCount, s.stateSize, s.actionSize)
        let goalRange = s.goalRange, goalSize = s.goalRange.count
        var states = [Float](repeating: 0, count: size * stateSize), nextStates = states
        var actions = [Float](repeating: 0, count: size * actionSize)
        var goals = [Float](repeating: 0, count: size * goalSize)
        var rewards = [Float](repeating: 0, count: size), terminals = rewards
        var isFutureGoal = [Bool](repeating: false, count: size)
        var achieved = [Float](repeating: 0, count: goalSize), desired = achieved

        for row in 0..<size {
            // A uniform pair (t, t + 1) of one episode, by rejection of episodes' last steps (one
            // draw in an episode's length is rejected).
            var environment = 0, t = 0
            repeat {
                environment = uniformIndex(below: environments, using: &generator)
                t = uniformIndex(below: count - 1, using: &generator)
            } while Int(episodeEnds[environment * count + t]) == t
            let end = Int(episodeEnds[environment * count + t])

            let goalStep: Int, goalEnvironment: Int
            if uniformUnit(using: &generator) < Double(relabeling.relabelFraction) {
                goalEnvironment = environment
                goalStep = t + futureOffset(available: end - t, using: &generator)
                isFutureGoal[row] = true
            } else {
                goalEnvironment = uniformIndex(below: environments, using: &generator)
                goalStep = uniformIndex(below: count, using: &generator)
            }

            let here = (Self.slot(ofStep: t, s) * environments + environment)
            let next = (Self.slot(ofStep: t + 1, s) * environments + environment)
            let goalSource = (Self.slot(ofStep: goalStep, s) * environments + goalEnvironment) * stateSize + goalRange.lowerBound
            for j in 0..<stateSize {
                states[row * stateSize + j] = s.states[here * stateSize + j]
                nextStates[row * stateSize + j] = s.states[next * stateSize + j]
            }
            for j in 0..<actionSize { actions[row * actionSize + j] = s.actions[here * actionSize + j] }
            for j in 0..<goalSize {
                desired[j] = s.states[goalSource + j]
                achieved[j] = s.states[next * stateSize + goalRange.lowerBound + j]
                goals[row * goalSize + j] = desired[j]
            }
            rewards[row] = reward.reward(achieved, desired)
            terminals[row] = reward.terminated(achieved, desired) ? 1 : 0
        }
        return HindsightBatch(
            size: size, states: states, actions: actions, nextStates: nextStates, goals: goals, rewards: rewards,
            terminals: terminals, isFutureGoal: isFutureGoal)
    }

    /// Δ ∈ 1...available: uniform, or truncated geometric with P(Δ) ∝ γ^Δ by inverse CDF.
    private func futureOffset(available: Int, using generator: inout RandomGenerator) -> Int {
        switch relabeling.futureGoals {
        case .uniform:
            return 1 + uniformIndex(below: available, using: &generator)
        case .geometric:
            let gamma = Double(relabeling.futureDiscount)
            let u = uniformUnit(using: &generator)
            guard gamma < 1 else { return 1 + Int(u * Double(available)) }
            // P(Δ − 1 ≤ k) = (1 − γ^(k+1)) / (1 − γ^n); solve for the smallest such k.
            let k = Foundation.log(1 - u * (1 - Foundation.pow(gamma, Double(available)))) / Foundation.log(gamma)
            return 1 + Swift.min(available - 1, Swift.max(0, Int(k)))
        }
    }
}
