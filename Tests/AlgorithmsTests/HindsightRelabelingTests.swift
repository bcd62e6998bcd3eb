import Foundation
import Testing
@testable import Algorithms

@Suite struct HindsightRelabelingTests {
    /// Two environments; state = (1000 · environment + step, episode number, 0), goal = the first
    /// two elements, action = the step. Environment 0's episodes last 5 steps, environment 1's 7.
    func buffer(steps: Int = 40, capacity: Int = 64) throws -> TrajectoryReplayBuffer {
        var replay = try TrajectoryReplayBuffer(environmentCount: 2, capacity: capacity, stateSize: 3, actionSize: 1, goalRange: 0..<2)
        for step in 0..<steps {
            let states: [Float] = [Float(step), Float(step / 5), 0, Float(1000 + step), Float(step / 7), 0]
            try replay.append(states: states, actions: [Float(step), Float(step)], episodeEnded: [step % 5 == 4, step % 7 == 6])
        }
        return replay
    }

    func sample(
        _ replay: TrajectoryReplayBuffer, fraction: Float = 0.8, futureGoals: HindsightRelabeling.FutureGoals = .uniform,
        discount: Float = 0.99, reward: GoalReward = .sparse(threshold: 0.5), size: Int = 4000, seed: UInt64 = 1
    ) throws -> HindsightBatch {
        var generator = RandomGenerator(seed: seed)
        let relabeling = HindsightRelabeling(relabelFraction: fraction, futureGoals: futureGoals, futureDiscount: discount)
        return try replay.hindsightSampler(relabeling: relabeling, reward: reward).sample(size: size, generator: &generator)
    }

    @Test(arguments: [0, 0.3, 0.8, 1] as [Float])
    func theRelabeledShareMatchesTheFraction(fraction: Float) throws {
        let batch = try sample(try buffer(), fraction: fraction)
        let share = Float(batch.isFutureGoal.filter { $0 }.count) / Float(batch.size)
        #expect(abs(share - fraction) < 0.025, "share \(share)")
    }

    @Test func transitionsAndFutureGoalsStayInsideTheirEpisode() throws {
        let batch = try sample(try buffer(), fraction: 0.8)
        for row in 0..<batch.size {
            let state = Array(batch.states[row * 3..<row * 3 + 3]), next = Array(batch.nextStates[row * 3..<row * 3 + 3])
            let goal = Array(batch.goals[row * 2..<row * 2 + 2])
            let episodeLength: Float = state[0] >= 1000 ? 7 : 5
            let step = state[0].truncatingRemainder(dividingBy: 1000)
            #expect(next[0] == state[0] + 1 && next[1] == state[1], "s' is the next step of the same episode")
            #expect(batch.actions[row] == step)
            #expect((step + 1).truncatingRemainder(dividingBy: episodeLength) != 0, "an episode's last step has no stored successor")
            if batch.isFutureGoal[row] {
                #expect(goal[1] == state[1] && goal[0] > state[0] && goal[0] - state[0] < 1000, "future goal of the same episode")
            }
        }
    }

    @Test func uniformFutureGoalsCoverTheRestOfTheEpisodeEvenly() throws {
        // Environment 0, step 0 of a 5-step episode: offsets 1…4 equally likely.
        let batch = try sample(try buffer(), fraction: 1, size: 20000)
        var counts = [Int](repeating: 0, count: 5)
        for row in 0..<batch.size where batch.states[row * 3] < 1000 && Int(batch.states[row * 3]) % 5 == 0 {
            counts[Int(batch.goals[row * 2] - batch.states[row * 3])] += 1
        }
        let total = Double(counts.reduce(0, +))
        #expect(counts[0] == 0 && total > 400)
        for offset in 1...4 { #expect(abs(Double(counts[offset]) / total - 0.25) < 0.05, "offset \(offset): \(counts)") }
    }

    @Test func geometricFutureGoalsFollowTheDiscount() throws {
        // γ = 0.5 over offsets 1…4: P(Δ) = 0.5^(Δ−1) / (1 + 0.5 + 0.25 + 0.125).
        let batch = try sample(try buffer(), fraction: 1, futureGoals: .geometric, discount: 0.5, size: 20000)
        var counts = [Int](repeating: 0, count: 5)
        for row in 0..<batch.size where batch.states[row * 3] < 1000 && Int(batch.states[row * 3]) % 5 == 0 {
            counts[Int(batch.goals[row * 2] - batch.states[row * 3])] += 1
        }
        let total = Double(counts.reduce(0, +))
        for offset in 1...4 {
            let expected = Foundation.pow(0.5, Double(offset - 1)) / 1.875
            #expect(abs(Double(counts[offset]) / total - expected) < 0.04, "offset \(offset): \(counts)")
        }
    }

    @Test func rewardsAndTerminationsAreRecomputedForTheRelabeledGoal() throws {
        // Reward: minus the distance from s' to the goal; terminal when s' reaches the goal exactly.
        let rule = GoalReward(
            reward: { achieved, desired in -zip(achieved, desired).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() },
            terminated: { achieved, desired in achieved == desired })
        let batch = try sample(try buffer(), fraction: 0.8, reward: rule)
        var terminalCount = 0
        for row in 0..<batch.size {
            let achieved = Array(batch.nextStates[row * 3..<row * 3 + 2]), goal = Array(batch.goals[row * 2..<row * 2 + 2])
            #expect(batch.rewards[row] == rule.reward(achieved, goal))
            #expect(batch.terminals[row] == (achieved == goal ? 1 : 0))
            terminalCount += Int(batch.terminals[row])
        }
        #expect(terminalCount > 0, "goals one step ahead are reached by s'")
        // The sparse rule rewards exactly the rows whose goal is s' itself (goals are ≥ 1 apart here).
        let sparse = try sample(try buffer(), fraction: 0.8)
        for row in 0..<sparse.size {
            let reached = sparse.goals[row * 2] == sparse.nextStates[row * 3] && sparse.goals[row * 2 + 1] == sparse.nextStates[row * 3 + 1]
            #expect(sparse.rewards[row] == (reached ? 1 : 0))
            #expect(sparse.terminals[row] == 0, "the sparse rule never terminates: time limits are not terminal")
        }
    }

    @Test func theEnvironmentsOwnRulesAreUsed() throws {
        let environment = try VectorEnvironment(named: "point-maze-u", count: 1)
        let rule = GoalReward(for: environment)
        for (achieved, desired) in [([4, 4], [4.3, 4.2]), ([4, 4], [12, 4]), ([0, 0], [0.49, 0])] as [([Float], [Float])] {
            #expect(rule.reward(achieved, desired) == environment.computeReward(achieved: achieved, desired: desired))
            #expect(!rule.terminated(achieved, desired))
        }
    }

    @Test func samplingIsReproducibleAndSurvivesTheRingWrap() throws {
        let wrapped = try buffer(steps: 150, capacity: 64)
        #expect(try sample(wrapped, seed: 7) == sample(wrapped, seed: 7))
        let batch = try sample(wrapped, size: 500)
        for row in 0..<batch.size { #expect(batch.nextStates[row * 3] == batch.states[row * 3] + 1) }
    }

    @Test func badSettingsAreRefused() throws {
        #expect(throws: AlgorithmsError.self) { try HindsightRelabeling(relabelFraction: 1.5).validate() }
        var replay = try TrajectoryReplayBuffer(environmentCount: 1, capacity: 8, stateSize: 2, actionSize: 1, goalRange: 0..<1)
        try replay.append(states: [0, 0], actions: [0], episodeEnded: [true])
        #expect(throws: ReplayBufferError.self) { try replay.hindsightSampler(relabeling: HindsightRelabeling(), reward: .sparse(threshold: 1)) }
        try replay.append(states: [1, 0], actions: [0], episodeEnded: [true])
        #expect(throws: ReplayBufferError.noTransitions) { try replay.hindsightSampler(relabeling: HindsightRelabeling(), reward: .sparse(threshold: 1)) }
    }
}
