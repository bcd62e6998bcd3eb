import Testing
@testable import Environments

/// A user task built on the base class alone: a point on a line that must reach a goal, with its
/// own termination and a reward that pays 10 on success.
private final class LineWalker: BaseGoalEnvironment {
    init() {
        super.init(stateSize: 2, goalSize: 1, actionSize: 1, goalRange: 1..<2, successThreshold: 0.1, episodeLength: 50)
    }

    override func resetEpisode(state: inout [Float], goal: inout [Float], generator: inout RandomGenerator) {
        state = [0, 0]  // (time, position); the goal sits at index 1
        goal[0] = Float(1 + generator.nextIndex(below: 3))
    }

    override func advance(state: inout [Float], action: [Float]) {
        state[0] += 1
        state[1] += action[0]
    }

    override func computeReward(achieved: [Float], desired: [Float]) -> Float {
        goalDistance(achieved: achieved, desired: desired) < successThreshold ? 10 : 0
    }

    override func computeTerminated(achieved: [Float], desired: [Float]) -> Bool {
        goalDistance(achieved: achieved, desired: desired) < successThreshold
    }
}

@Suite struct BaseGoalEnvironmentTests {
    @Test func subclassHooksDriveTheContract() throws {
        let walker = LineWalker()
        let first = walker.reset(seed: 0)
        #expect(first.observation == [0, 0] + first.desiredGoal)
        #expect(first.achievedGoal == [0])
        let target = first.desiredGoal[0]
        var last: GoalStep?
        for _ in 0..<Int(target) {
            last = try walker.step(action: [3])  // clipped to 1
        }
        let step = try #require(last)
        #expect(step.achievedGoal == [target])
        #expect(step.terminated && !step.truncated)
        #expect(step.reward == 10 && step.info.success && step.info.distance == 0)
        #expect(walker.elapsedSteps == Int(target))
        #expect(walker.computeReward(achieved: [target + 1], desired: [target]) == 0)
    }

    @Test func vectorizedCopiesReportTerminationAndReset() throws {
        let vector = try VectorEnvironment(count: 4, seed: 3, threads: 2) { LineWalker() }
        #expect(vector.observationSize == 3 && vector.goalRange == 1..<2)
        var batch = vector.reset()
        var goals = (0..<4).map { batch.observation($0)[2] }
        var positions: [Float] = [0, 0, 0, 0]
        var finished = 0
        for _ in 0..<12 {
            try vector.step(actions: [1, 1, 1, 1], into: &batch)
            for copy in 0..<4 {
                positions[copy] += 1
                let done = positions[copy] == goals[copy]
                #expect(batch.terminated[copy] == done)
                #expect(batch.rewards[copy] == (done ? 10 : 0))
                if done {
                    finished += 1
                    #expect(batch.finalObservations[copy * 3 + 1] == goals[copy])
                    #expect(batch.observation(copy)[0...1] == [0, 0])  // a fresh episode
                    goals[copy] = batch.observation(copy)[2]
                    positions[copy] = 0
                }
            }
        }
        #expect(finished >= 8)
    }
}
