import Testing
@testable import Algorithms

/// A task whose first episode walks off a trapdoor (terminates at its third step, never at the
/// goal) and whose every later episode starts at its goal.
private final class TrapdoorTask: BaseGoalEnvironment {
    private var fellThrough = false
    init() { super.init(stateSize: 1, goalSize: 1, actionSize: 1, goalRange: 0..<1, successThreshold: 0.5, episodeLength: 20) }
    override func resetEpisode(state: inout [Float], goal: inout [Float], generator: inout RandomGenerator) {
        state[0] = 0
        goal[0] = fellThrough ? 0 : 5
    }
    override func advance(state: inout [Float], action: [Float]) { state[0] += fellThrough ? 0 : 1 }
    override func computeTerminated(achieved: [Float], desired: [Float]) -> Bool {
        if desired[0] == 5 && achieved[0] >= 3 { fellThrough = true }
        return fellThrough && desired[0] == 5
    }
}

@Suite struct EvaluationTests {
    static func agent(for environment: VectorEnvironment) throws -> CRL {
        var settings = CRLConfiguration()
        (settings.criticWidth, settings.actorWidth, settings.representationSize) = (8, 8, 4)
        return try CRL(for: environment, configuration: settings, seed: 1)
    }

    /// Only each copy's first episode counts: the episode after a termination's reset, at its goal
    /// from the start, adds nothing.
    @Test func anEpisodeThatEndsEarlyCountsNothingAfterItsReset() throws {
        let environment = try VectorEnvironment(count: 3, seed: 0) { TrapdoorTask() }
        let result = try evaluate(try Self.agent(for: environment), in: environment, seed: 4)
        #expect(result == EvaluationResult(successAny: 0, timeAtGoal: 0, successFinal: 0))
    }

    /// Known answer: a copy at its goal for the whole episode is at the goal every step.
    @Test func anEpisodeAtItsGoalThroughoutCountsEveryStep() throws {
        final class AtGoal: BaseGoalEnvironment {
            init() { super.init(stateSize: 1, goalSize: 1, actionSize: 1, goalRange: 0..<1, successThreshold: 0.5, episodeLength: 7) }
            override func resetEpisode(state: inout [Float], goal: inout [Float], generator: inout RandomGenerator) {
                (state[0], goal[0]) = (0, 0)
            }
            override func advance(state: inout [Float], action: [Float]) {}
        }
        let environment = try VectorEnvironment(count: 2, seed: 0) { AtGoal() }
        let result = try evaluate(try Self.agent(for: environment), in: environment, seed: 4)
        #expect(result == EvaluationResult(successAny: 1, timeAtGoal: 7, successFinal: 1))
    }
}
