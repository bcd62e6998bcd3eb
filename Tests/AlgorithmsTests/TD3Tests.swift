import Foundation
import Testing
@testable import Algorithms

@Suite struct TD3Tests {
    typealias T = TemporalDifferenceTesting

    func configuration() -> TD3Configuration {
        var c = TD3Configuration()
        c.criticWidth = 16
        c.actorWidth = 16
        return c
    }

    func agent(
        seed: UInt64 = 0, explorationNoise: Float = 0.1, actionPenalty: Float = 0, preactivationPenalty: Float = 0
    ) throws -> TD3 {
        var c = configuration()
        c.explorationNoise = explorationNoise
        c.actionPenalty = actionPenalty
        c.preactivationPenalty = preactivationPenalty
        return try TD3(stateSize: 4, goalSize: 2, actionSize: 2, reward: .sparse(threshold: 0.5), configuration: c, seed: seed)
    }

    @Test func targetSmoothingNoiseIsClippedAndActionsStayInRange() {
        let actions = Tensor([0.9, -0.9, 0, 0.2, 0.1]), noise = Tensor([10, -10, 0.5, -1, -2.6])
        let smoothed = TD3.smoothedTargetActions(actions, noise: noise, scale: 0.2, clip: 0.5)
        // Scaled noise 2, −2, 0.1, −0.2, −0.52 → clipped to ±0.5 → sums 1.4, −1.4, 0.1, 0, −0.4 → clipped to ±1.
        #expect(T.close(smoothed.scalars, [1, -1, 0.1, 0, -0.4]))
    }

    @Test func truncationBootstrapsAndTerminationDoesNot() throws {
        let agent = try self.agent(seed: 5)
        let batch = T.truncationAndTermination()
        let noise = Tensor([[0.3, -4], [0.3, -4]])
        let targets = agent.targets(for: batch, noise: noise).scalars
        let mean = tanh(agent.targetActor(Tensor([[0.3, -0.4, 0.5, 0.1, 1, 2]]))).scalars
        let action = [Swift.min(1, Swift.max(-1, mean[0] + 0.06)), Swift.min(1, Swift.max(-1, mean[1] - 0.5))]
        let input = Tensor([[0.3, -0.4, 0.5, 0.1] + action + [1, 2]])
        let q = Swift.min(agent.targetCritic.first(input).scalar, agent.targetCritic.second(input).scalar)
        #expect(abs(targets[0] - (1 + 0.99 * q)) < 1e-5, "truncated rows bootstrap")
        #expect(targets[1] == 1, "terminal rows keep the reward alone")
    }

    @Test func actorAndTargetsUpdateEverySecondCriticStep() throws {
        let agent = try self.agent()
        var g = RandomGenerator(seed: 1)
        let actor0 = T.values(agent.actor), critic0 = T.values(agent.critic)
        let targetActor0 = T.values(agent.targetActor), targetCritic0 = T.values(agent.targetCritic)
        _ = agent.update(T.batch(size: 8, seed: 2), generator: &g)
        #expect(T.values(agent.critic) != critic0)
        #expect(T.values(agent.actor) == actor0 && T.values(agent.targetActor) == targetActor0 && T.values(agent.targetCritic) == targetCritic0)
        _ = agent.update(T.batch(size: 8, seed: 3), generator: &g)
        #expect(T.values(agent.actor) != actor0)
        let tau = agent.configuration.targetUpdateRate
        #expect(T.close(T.values(agent.targetActor), zip(targetActor0, T.values(agent.actor)).map { (1 - tau) * $0 + tau * $1 }))
        #expect(T.close(T.values(agent.targetCritic), zip(targetCritic0, T.values(agent.critic)).map { (1 - tau) * $0 + tau * $1 }))
        #expect(agent.criticUpdates == 2)
    }

    @Test(arguments: [(0, 0), (1, 0), (0, 0.5)] as [(Float, Float)])
    func actorLossGradientMatchesFiniteDifferences(actionPenalty: Float, preactivationPenalty: Float) throws {
        let agent = try self.agent(seed: 2, actionPenalty: actionPenalty, preactivationPenalty: preactivationPenalty)
        let batch = T.batch(size: 6, seed: 4)
        let states = Tensor(shape: [6, 4], scalars: batch.states), goals = Tensor(shape: [6, 2], scalars: batch.goals)
        for (parameter, indices) in [(agent.actor.output.bias, [0, 1]), (agent.actor.input.dense.weight, [0, 13, 40])] {
            T.checkGradient(of: parameter, at: indices) { tape in
                tape.freeze(agent.critic.parameters)
                return agent.actorLoss(states: tape.constant(states), goals: tape.constant(goals))
            }
        }
    }

    @Test func penaltiesAddTheirWeightTimesTheMeanSquaredActionAndPreactivation() throws {
        let batch = T.batch(size: 6, seed: 4)
        let states = Tensor(shape: [6, 4], scalars: batch.states), goals = Tensor(shape: [6, 2], scalars: batch.goals)
        func loss(actionPenalty: Float = 0, preactivationPenalty: Float = 0) throws -> Float {
            let agent = try agent(seed: 2, actionPenalty: actionPenalty, preactivationPenalty: preactivationPenalty)
            let tape = Tape()
            return agent.actorLoss(states: tape.constant(states), goals: tape.constant(goals)).value.scalar
        }
        let preactivations = try agent(seed: 2).actor(Tensor.concatenatingColumns([states, goals])).scalars
        func meanSquare(_ values: [Float]) -> Float { values.map { $0 * $0 }.reduce(0, +) / Float(values.count) }
        let actions = preactivations.map { Foundation.tanh($0) }
        #expect(meanSquare(actions) > 0.01, "the check needs actions away from zero")
        let plain = try loss()
        #expect(abs(try loss(actionPenalty: 0.5) - (plain + 0.5 * meanSquare(actions))) < 1e-5)
        #expect(abs(try loss(preactivationPenalty: 0.5) - (plain + 0.5 * meanSquare(preactivations))) < 1e-5)
        let both = try loss(actionPenalty: 0.5, preactivationPenalty: 2)
        #expect(abs(both - (plain + 0.5 * meanSquare(actions) + 2 * meanSquare(preactivations))) < 1e-5)
    }

    @Test func explorationAddsClippedNoiseOfTheSetSize() throws {
        let quiet = try agent(explorationNoise: 0), noisy = try agent(explorationNoise: 0.1)
        var g = RandomGenerator(seed: 1)
        let observations = Tensor.randomNormal([500, 6], using: &g).scalars
        let deterministic = quiet.act(observations: observations, rows: 500, deterministic: true, generator: &g)
        #expect(quiet.act(observations: observations, rows: 500, deterministic: false, generator: &g) == deterministic)
        let explored = noisy.act(observations: observations, rows: 500, deterministic: false, generator: &g)
        #expect(explored.allSatisfy { abs($0) <= 1 })
        let inside = zip(explored, deterministic).filter { abs($0.1) < 0.6 }.map { Double($0.0 - $0.1) }
        let deviation = (inside.map { $0 * $0 }.reduce(0, +) / Double(inside.count)).squareRoot()
        #expect(abs(deviation - 0.1) < 0.015, "standard deviation \(deviation)")
    }

    @Test func stateKeepsTheUpdateCounterSoDelaysResumeInPhase() throws {
        let agent = try self.agent(seed: 1), copy = try self.agent(seed: 2)
        var g = RandomGenerator(seed: 1)
        _ = agent.update(T.batch(size: 8, seed: 3), generator: &g)
        try copy.load(state: agent.state())
        #expect(copy.criticUpdates == 1 && copy.state() == agent.state())
        var g1 = RandomGenerator(seed: 9), g2 = RandomGenerator(seed: 9)
        _ = agent.update(T.batch(size: 8, seed: 4), generator: &g1)
        _ = copy.update(T.batch(size: 8, seed: 4), generator: &g2)
        #expect(copy.state() == agent.state())
        var broken = agent.state()
        broken["critic_updates"] = nil
        #expect(throws: LayersError.self) { try copy.load(state: broken) }
        #expect([String: Tensor].counter(3_000_000_007).count == 2)
        #expect(try ["n": [String: Tensor].counter(3_000_000_007)].counter(named: "n") == 3_000_000_007)
        for bad: [Float] in [[.infinity, 0], [0, .nan], [1e20, 0], [0, 2_000_000], [-1, 0], [0, 0.5]] {
            #expect(throws: LayersError.self, "\(bad)") { try ["n": Tensor(bad)].counter(named: "n") }
        }
    }

    @Test func invalidConfigurationsAreRefused() {
        var c = TD3Configuration()
        c.policyDelay = 0
        #expect(throws: AlgorithmsError.self) { try c.validate() }
        c = TD3Configuration()
        c.explorationNoise = -1
        #expect(throws: AlgorithmsError.self) { try c.validate() }
        c = TD3Configuration()
        c.actionPenalty = .nan
        #expect(throws: AlgorithmsError.self) { try c.validate() }
        c = TD3Configuration()
        c.preactivationPenalty = -0.01
        #expect(throws: AlgorithmsError.self) { try c.validate() }
    }

    // MARK: With the trainer

    func trainer(output: URL) throws -> Trainer {
        let environment = try VectorEnvironment(named: "point-maze-u", count: 1)
        return try Trainer(
            agent: try TD3(for: environment, configuration: configuration(), seed: 3), environmentName: "point-maze-u",
            configuration: TrainerTests().smallConfiguration(), output: output)
    }

    @Test func trainsEndToEndAndResumesBitIdentically() throws {
        let straight = TrainerTests().temporaryDirectory(), interrupted = TrainerTests().temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: interrupted)
        }
        let reference = try trainer(output: straight)
        #expect(try reference.train().count == 2)
        let lines = try TrainerTests().learningMetrics(straight)
        for key in ["success_any", "time_at_goal", "critic_loss", "actor_loss", "q_mean", "target_q_mean", "reward_mean"] {
            #expect(lines.last?[key] != nil, "metrics.jsonl lacks \(key)")
        }
        // Stop after an odd number of critic steps (3 rounds of 2, then 1 more round later is even;
        // the counter is what keeps the phase either way).
        _ = try trainer(output: interrupted).train(stoppingAfterRound: 3)
        let resumed = try Trainer.resume(from: interrupted)
        #expect(resumed.agent is TD3)
        _ = try resumed.train()
        #expect(resumed.agent.state() == reference.agent.state())
        #expect(try TrainerTests().learningMetrics(interrupted) == lines)
    }
}
