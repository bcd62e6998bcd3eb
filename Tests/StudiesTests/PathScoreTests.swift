import Testing
import Studies
import Algorithms

/// A task whose episodes all succeed at the same step, whatever the agent does: the point moves
/// 0.1 a step from 0 towards its goal at 1.
final class ConveyorTask: BaseGoalEnvironment {
    init() { super.init(stateSize: 1, goalSize: 1, actionSize: 1, goalRange: 0..<1, successThreshold: 0.05, episodeLength: 50) }
    override func resetEpisode(state: inout [Float], goal: inout [Float], generator: inout RandomGenerator) {
        state[0] = 0
        goal[0] = 1
    }
    override func advance(state: inout [Float], action: [Float]) { state[0] += 0.1 }
}

@Suite struct PathScoreTests {
    @Test func spearmanKnownAnswers() {
        #expect(PathScore.spearman([1, 2, 3], [2, 4, 60]) == 1)
        #expect(PathScore.spearman([1, 2, 3], [3, 2, 1]) == -1)
        // Ties share their average rank (scipy.stats.spearmanr gives 0.9486833).
        #expect(abs(PathScore.spearman([1, 2, 2, 3], [1, 2, 3, 4]) - 0.9486833) < 1e-7)
        #expect(PathScore.spearman([1, 1, 1], [1, 2, 3]).isNaN)
        #expect(PathScore.spearman([1], [1]).isNaN)
    }

    @Test func everyStepOfEverySuccessfulEpisodeIsScored() throws {
        let environment = try VectorEnvironment(count: 3, seed: 0) { ConveyorTask() }
        var settings = CRLConfiguration()
        (settings.criticWidth, settings.actorWidth, settings.representationSize) = (8, 8, 4)
        let agent = try CRL(for: environment, configuration: settings, seed: 1)
        let score = try PathScore(agent: agent, environment: environment, seed: 2)
        // Each episode succeeds after 10 steps, the distance falling with every step left.
        #expect(score.episodes == 3 && score.steps == 30)
        #expect(score.straightLine == 1)
        #expect(score.critic.isFinite && abs(score.critic) <= 1)
    }
}
