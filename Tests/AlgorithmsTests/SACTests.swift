import Foundation
import Testing
@testable import Algorithms

/// Helpers shared by the SAC and TD3 tests.
enum TemporalDifferenceTesting {
    /// A random batch for agents with 4 state, 2 goal and 2 action elements.
    static func batch(size: Int, seed: UInt64, terminals: [Float]? = nil) -> HindsightBatch {
        var g = RandomGenerator(seed: seed)
        return HindsightBatch(
            size: size, states: Tensor.randomNormal([size, 4], using: &g).scalars,
            actions: Tensor.randomUniform([size, 2], in: -0.9...0.9, using: &g).scalars,
            nextStates: Tensor.randomNormal([size, 4], using: &g).scalars, goals: Tensor.randomNormal([size, 2], using: &g).scalars,
            rewards: Tensor.randomUniform([size], in: 0...1, using: &g).scalars,
            terminals: terminals ?? [Float](repeating: 0, count: size))
    }

    /// Two rows with the same (s', g, r) that differ only in the terminal flag: a truncation-like
    /// row (0, bootstraps) and a termination (1, does not).
    static func truncationAndTermination() -> HindsightBatch {
        HindsightBatch(
            size: 2, states: [0.1, 0.2, 0, 0, 0.1, 0.2, 0, 0], actions: [0.5, -0.5, 0.5, -0.5],
            nextStates: [0.3, -0.4, 0.5, 0.1, 0.3, -0.4, 0.5, 0.1], goals: [1, 2, 1, 2], rewards: [1, 1], terminals: [0, 1])
    }

    /// Compares the tape gradient of `loss` for `parameter` with central differences at `indices`.
    static func checkGradient(
        of parameter: Parameter, at indices: [Int], step: Float = 1e-2,
        sourceLocation: SourceLocation = #_sourceLocation, _ loss: (Tape) -> Variable
    ) {
        let tape = Tape()
        guard let analytic = tape.gradients(of: loss(tape))[parameter] else {
            Issue.record("no gradient reached the parameter", sourceLocation: sourceLocation)
            return
        }
        let original = parameter.value
        for i in indices {
            parameter.value.withUnsafeMutableScalars { $0[i] += step }
            let plus = Double(loss(Tape()).value.scalar)
            parameter.value = original
            parameter.value.withUnsafeMutableScalars { $0[i] -= step }
            let minus = Double(loss(Tape()).value.scalar)
            parameter.value = original
            let numeric = Float((plus - minus) / Double(2 * step)), a = analytic.scalars[i]
            #expect(abs(numeric - a) <= 2e-3 + 0.05 * Swift.max(abs(a), abs(numeric)),
                    "element \(i): analytic \(a) vs numeric \(numeric)", sourceLocation: sourceLocation)
        }
    }

    /// Every parameter value of a module, flattened.
    static func values(_ module: Module) -> [Float] { module.parameters.flatMap(\.value.scalars) }

    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * Swift.max(1, abs($1)) }
    }
}

@Suite struct SACTests {
    typealias T = TemporalDifferenceTesting

    func configuration() -> SACConfiguration {
        var c = SACConfiguration()
        c.criticWidth = 16
        c.actorWidth = 16
        return c
    }

    func agent(seed: UInt64 = 0, learningRate: Float = 3e-4) throws -> SAC {
        var c = configuration()
        c.learningRate = learningRate
        return try SAC(stateSize: 4, goalSize: 2, actionSize: 2, reward: .sparse(threshold: 0.5), configuration: c, seed: seed)
    }

    @Test func bellmanTargetsOnAHandMadeBatch() {
        let y = bellmanTargets(rewards: [1, 0, 0.5, 0], terminals: [0, 1, 0, 1], nextValues: Tensor([2, 3, -1, 4]), discount: 0.9)
        #expect(T.close(y.scalars, [2.8, 0, -0.4, 0]))
    }

    @Test func truncationBootstrapsAndTerminationDoesNot() throws {
        let agent = try self.agent(seed: 5)
        let batch = T.truncationAndTermination()
        let noise = Tensor([[0.3, -1.2], [0.3, -1.2]])
        let targets = agent.targets(for: batch, noise: noise).scalars
        // The soft value of s' by hand: a' = tanh(mean + exp(logStd) ε), V = min Q' − α log π(a').
        let output = agent.actor(Tensor([[0.3, -0.4, 0.5, 0.1, 1, 2]])).scalars
        var action: [Float] = [], logProbability: Double = 0
        for k in 0..<2 {
            let logStd = -5 + 3.5 * (Foundation.tanh(Double(output[2 + k])) + 1), epsilon = Double(noise.scalars[k])
            let a = Foundation.tanh(Double(output[k]) + Foundation.exp(logStd) * epsilon)
            action.append(Float(a))
            logProbability += -0.5 * epsilon * epsilon - logStd - 0.5 * Foundation.log(2 * Double.pi) - Foundation.log(1 - a * a + 1e-6)
        }
        let input = Tensor([[0.3, -0.4, 0.5, 0.1] + action + [1, 2]])
        let q = Swift.min(agent.targetCritic.first(input).scalar, agent.targetCritic.second(input).scalar)
        let value = Double(q) - Double(agent.alpha) * logProbability
        #expect(abs(Double(targets[0]) - (1 + 0.99 * value)) < 1e-4, "truncated rows bootstrap")
        #expect(targets[1] == 1, "terminal rows keep the reward alone")
    }

    @Test func polyakUpdateMovesTargetsByTau() throws {
        var g = RandomGenerator(seed: 1)
        let source = try Dense(inputSize: 3, outputSize: 2, generator: &g), target = try Dense(inputSize: 3, outputSize: 2, generator: &g)
        let before = T.values(target)
        polyakUpdate(target: target, toward: source, rate: 0.25)
        let expected = zip(before, T.values(source)).map { 0.75 * $0 + 0.25 * $1 }
        #expect(T.close(T.values(target), expected))

        let agent = try self.agent()
        let old = T.values(agent.targetCritic)
        var generator = RandomGenerator(seed: 2)
        _ = agent.update(T.batch(size: 8, seed: 3), generator: &generator)
        let tau = agent.configuration.targetUpdateRate
        let moved = zip(old, T.values(agent.critic)).map { (1 - tau) * $0 + tau * $1 }
        #expect(T.close(T.values(agent.targetCritic), moved))
        #expect(T.values(agent.targetCritic) != T.values(agent.critic))
    }

    @Test func lossGradientsMatchFiniteDifferences() throws {
        let agent = try self.agent(seed: 2)
        let batch = T.batch(size: 6, seed: 4)
        let states = Tensor(shape: [6, 4], scalars: batch.states), goals = Tensor(shape: [6, 2], scalars: batch.goals)
        let input = criticInput(states: states, actions: Tensor(shape: [6, 2], scalars: batch.actions), goals: goals)
        var generator = RandomGenerator(seed: 1)
        let targets = agent.targets(for: batch, noise: Tensor.randomNormal([6, 2], using: &generator))
        for parameter in [agent.critic.first.output.bias, agent.critic.second.output.weight] {
            T.checkGradient(of: parameter, at: [0, 7].filter { $0 < parameter.value.count }) { tape in
                TwinCritic.loss(agent.critic(tape.constant(input)), targets: targets)
            }
        }
        // Small noise keeps tanh away from ±1, where log(1 − a² + 1e-6) in Float32 is a staircase
        // (the reference's formula) and finite differences would measure rounding, not slope.
        let noise = Tensor.randomNormal([6, 2], standardDeviation: 0.1, using: &generator)
        for (parameter, indices) in [(agent.actor.output.bias, [0, 1, 2, 3]), (agent.actor.input.dense.weight, [0, 13, 40])] {
            T.checkGradient(of: parameter, at: indices) { tape in
                tape.freeze(agent.critic.parameters)
                return agent.policyLosses(states: tape.constant(states), goals: tape.constant(goals), noise: noise).actor
            }
        }
        T.checkGradient(of: agent.logAlpha, at: [0]) { tape in
            agent.policyLosses(states: tape.constant(states), goals: tape.constant(goals), noise: noise).alpha
        }
    }

    @Test func temperatureMovesTowardTheTargetEntropy() throws {
        let agent = try self.agent()
        var g = RandomGenerator(seed: 1)
        let metrics = agent.update(T.batch(size: 16, seed: 2), generator: &g)
        let moved = agent.logAlpha.value.scalars[0]
        #expect(moved != 0)
        #expect((moved < 0) == (metrics.entropy > agent.targetEntropy))
        #expect(agent.targetEntropy == -1, "−0.5 · action size, as CRL")
    }

    @Test func criticFitsFixedTargets() throws {
        let agent = try self.agent(learningRate: 3e-3)
        var g = RandomGenerator(seed: 1)
        let fixed = T.batch(size: 32, seed: 5, terminals: [Float](repeating: 1, count: 32))
        let first = agent.update(fixed, generator: &g)
        var last = first
        for _ in 0..<100 { last = agent.update(fixed, generator: &g) }
        #expect(last.criticLoss < 0.2 * first.criticLoss)
    }

    @Test func stateRoundTripsWithTargetsAndOptimizers() throws {
        let agent = try self.agent(seed: 1), copy = try self.agent(seed: 2)
        var g = RandomGenerator(seed: 1)
        _ = agent.update(T.batch(size: 8, seed: 3), generator: &g)
        let state = agent.state()
        #expect(state.keys.contains { $0.hasPrefix("target_critic.") } && state.keys.contains("optimizer.alpha.step"))
        try copy.load(state: state)
        #expect(copy.state() == state)
        var broken = state
        broken["target_critic.first.output.bias"] = nil
        #expect(throws: LayersError.self) { try copy.load(state: broken) }
    }

    @Test func onlyCRLCanBeBuiltFromSizesAlone() throws {
        #expect(throws: AlgorithmsError.self) {
            try AgentConfiguration.sac(SACConfiguration()).makeAgent(stateSize: 4, goalSize: 2, actionSize: 2, seed: 0)
        }
        let environment = try VectorEnvironment(named: "point-maze-u", count: 1)
        let agent = try AgentConfiguration.sac(configuration()).makeAgent(for: environment, seed: 0)
        #expect(agent.name == "sac" && agent.agentConfiguration == .sac(configuration()))
    }

    @Test func invalidConfigurationsAreRefused() {
        var c = SACConfiguration()
        c.criticDepth = 6
        #expect(throws: AlgorithmsError.invalidSetting(name: "critic depth", value: "6", expected: "a positive multiple of 4")) {
            try SAC(stateSize: 4, goalSize: 2, actionSize: 2, reward: .sparse(threshold: 0.5), configuration: c)
        }
        c = SACConfiguration()
        c.discount = 1
        #expect(throws: AlgorithmsError.self) { try c.validate() }
        for temperature: Float in [0, -1, .nan, .infinity] {
            c = SACConfiguration()
            c.initialTemperature = temperature
            #expect(throws: AlgorithmsError.self) { try c.validate() }
        }
    }

    @Test func temperatureStartsWhereConfigured() throws {
        #expect(abs(try agent().alpha - 0.1) <= 1e-6)
        var c = configuration()
        c.initialTemperature = 1
        let agent = try SAC(stateSize: 4, goalSize: 2, actionSize: 2, reward: .sparse(threshold: 0.5), configuration: c)
        #expect(agent.alpha == 1)
        // A run written before format 3 that lacks the settings keeps the defaults of its time: α = 1, τ = 0.005.
        let file: [String: Any] = [
            "formatVersion": 2, "environment": "point-maze-u", "agent": ["algorithm": "sac"], "trainer": [String: Any](),
        ]
        let old = try RunConfiguration(json: JSONSerialization.data(withJSONObject: file))
        guard case .sac(let decoded) = old.agent else { Issue.record("decoded \(old.agent.algorithm), not sac"); return }
        #expect(decoded.initialTemperature == 1 && decoded.targetUpdateRate == 0.005)
        #expect(try RunConfiguration(json: JSONSerialization.data(withJSONObject: file.merging(["formatVersion": 3]) { $1 })).agent
            == .sac(SACConfiguration()))
    }

    // MARK: With the trainer

    func trainer(output: URL) throws -> Trainer {
        let environment = try VectorEnvironment(named: "point-maze-u", count: 1)
        return try Trainer(
            agent: try SAC(for: environment, configuration: configuration(), seed: 3), environmentName: "point-maze-u",
            configuration: TrainerTests().smallConfiguration(), output: output)
    }

    @Test func trainsEndToEndAndWritesItsMetrics() throws {
        let directory = TrainerTests().temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let records = try trainer(output: directory).train()
        #expect(records.count == 2)
        let lines = try TrainerTests().learningMetrics(directory)
        for key in ["success_any", "time_at_goal", "critic_loss", "actor_loss", "alpha", "entropy", "q_mean", "target_q_mean", "reward_mean"] {
            #expect(lines.last?[key] != nil, "metrics.jsonl lacks \(key)")
        }
        let (tensors, metadata) = try Checkpoint.read(from: directory.appendingPathComponent("checkpoint.safetensors"))
        #expect(metadata["agent"] == "sac" && tensors["agent.log_alpha"]?.shape == [1])
    }

    @Test func resumeContinuesBitIdentically() throws {
        let straight = TrainerTests().temporaryDirectory(), interrupted = TrainerTests().temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: interrupted)
        }
        let reference = try trainer(output: straight)
        _ = try reference.train()
        _ = try trainer(output: interrupted).train(stoppingAfterRound: 3)
        let resumed = try Trainer.resume(from: interrupted)
        #expect(resumed.agent is SAC && resumed.completedRounds == 3)
        _ = try resumed.train()
        #expect(resumed.agent.state() == reference.agent.state())
        #expect(try TrainerTests().learningMetrics(interrupted) == TrainerTests().learningMetrics(straight))
    }
}
