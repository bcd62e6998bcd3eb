import Foundation
import Testing
@testable import Algorithms

@Suite struct ContrastiveLossTests {
    @Test func forwardInfoNCEMatchesAHandComputedExample() {
        let tape = Tape()
        let logits = tape.variable(Tensor([[0, -1], [-2, 0]]))
        let (loss, metrics) = contrastiveLoss(logits, objective: .forwardInfoNCE, penalty: 0.1)
        let lse = [Foundation.log(1 + Foundation.exp(-1.0)), Foundation.log(1 + Foundation.exp(-2.0))]
        let infoNCE = (lse[0] + lse[1]) / 2  // diagonal logits are 0
        let penalty = 0.1 * (pow(lse[0] + 1e-6, 2) + pow(lse[1] + 1e-6, 2)) / 2
        #expect(abs(Double(loss.value.scalar) - (infoNCE + penalty)) < 1e-6)
        #expect(metrics.categoricalAccuracy == 1)
        #expect(metrics.logitsPositive == 0 && metrics.logitsNegative == -1.5)
    }

    @Test func everyObjectiveAndEnergyHasCorrectGradients() {
        var g = RandomGenerator(seed: 3)
        let phi = Tensor.randomNormal([4, 3], using: &g), psi = Tensor.randomNormal([4, 3], using: &g)
        for energy in Energy.allCases {
            for objective in ContrastiveObjective.allCases {
                let check = { (a: Tensor, b: Tensor) -> Float in
                    let t = Tape()
                    return contrastiveLoss(energyLogits(t.constant(a), t.constant(b), energy: energy), objective: objective, penalty: 0.1).loss.value.scalar
                }
                let tape = Tape()
                let a = tape.variable(phi)
                let (loss, _) = contrastiveLoss(energyLogits(a, tape.constant(psi), energy: energy), objective: objective, penalty: 0.1)
                let analytic = tape.gradients(of: loss)[a]!
                for i in [0, 5, 11] {
                    var plus = phi, minus = phi
                    plus.withUnsafeMutableScalars { $0[i] += 1e-2 }
                    minus.withUnsafeMutableScalars { $0[i] -= 1e-2 }
                    let numeric = (check(plus, psi) - check(minus, psi)) / 2e-2
                    #expect(abs(numeric - analytic.scalars[i]) < 1e-2 + 0.05 * abs(numeric), "\(energy) \(objective) [\(i)]")
                }
            }
        }
    }

    @Test func pairedEnergyIsTheDiagonalOfTheLogits() {
        var g = RandomGenerator(seed: 4)
        let phi = Tensor.randomNormal([5, 3], using: &g), psi = Tensor.randomNormal([5, 3], using: &g)
        for energy in Energy.allCases {
            let t = Tape()
            let logits = energyLogits(t.constant(phi), t.constant(psi), energy: energy).value
            let paired = pairedEnergy(t.constant(phi), t.constant(psi), energy: energy).value
            for i in 0..<5 { #expect(abs(logits[i, i] - paired.scalars[i]) < 1e-4, "\(energy)") }
        }
    }
}

@Suite struct PolicyTests {
    @Test func logProbabilityMatchesTheClosedForm() {
        let tape = Tape()
        let mean = tape.variable(Tensor([[0.3, -0.2]])), logStd = tape.variable(Tensor([[-1, 0.5]]))
        let noise = Tensor([[0.7, -1.1]])
        let (action, logProbability) = TanhGaussianPolicy.sample(mean: mean, logStd: logStd, noise: noise)
        var expected = 0.0
        for (m, s, e) in [(0.3, -1.0, 0.7), (-0.2, 0.5, -1.1)] {
            let a = Foundation.tanh(m + Foundation.exp(s) * e)
            expected += -0.5 * e * e - s - 0.5 * Foundation.log(2 * Double.pi) - Foundation.log(1 - a * a + 1e-6)
        }
        #expect(abs(Double(logProbability.value.scalar) - expected) < 1e-5)
        #expect(action.value.scalars.allSatisfy { abs($0) < 1 })
    }

    @Test func logStdStaysInItsBounds() {
        let tape = Tape()
        let output = tape.constant(Tensor([[0, 0, -100, 100]]))
        let (_, logStd) = TanhGaussianPolicy.heads(output, actionSize: 2)
        #expect(logStd.value.scalars == [-5, 2])
    }
}

@Suite struct CRLTests {
    func smallAgent(
        seed: UInt64 = 0, learningRate: Float = 3e-4, actorAveragingRate: Float? = nil, recomputes: Bool = false
    ) throws -> CRL {
        var c = CRLConfiguration()
        c.learningRate = learningRate
        c.networkOptions.recomputesActivations = recomputes
        c.actorAveragingRate = actorAveragingRate
        c.criticWidth = 16
        c.actorWidth = 16
        c.representationSize = 8
        return try CRL(stateSize: 4, goalSize: 2, actionSize: 2, configuration: c, seed: seed)
    }

    func batch(size: Int, seed: UInt64) -> TransitionBatch {
        var g = RandomGenerator(seed: seed)
        return TransitionBatch(
            size: size, states: Tensor.randomNormal([size, 4], using: &g).scalars,
            actions: Tensor.randomUniform([size, 2], in: -0.9...0.9, using: &g).scalars,
            goals: Tensor.randomNormal([size, 2], using: &g).scalars)
    }

    @Test func temperatureMovesTowardTheTargetEntropy() throws {
        let agent = try smallAgent()
        var g = RandomGenerator(seed: 1)
        let metrics = agent.update(batch(size: 16, seed: 2), generator: &g)
        let moved = agent.logAlpha.value.scalars[0]
        // d(alpha loss)/d(log alpha) = alpha · (entropy − target): Adam steps against its sign.
        #expect(moved != 0)
        #expect((moved < 0) == (metrics.entropy > agent.targetEntropy))
    }

    @Test func criticLearnsToMatchPositives() throws {
        let agent = try smallAgent(learningRate: 3e-3)
        var g = RandomGenerator(seed: 1)
        let fixed = batch(size: 32, seed: 5)
        let first = agent.update(fixed, generator: &g)
        var last = first
        for _ in 0..<150 { last = agent.update(fixed, generator: &g) }
        #expect(last.criticLoss < first.criticLoss - 0.5)
        #expect(last.contrastive.categoricalAccuracy > 0.8)
    }

    @Test(arguments: [false, true])
    func concurrentActorAndCriticStepsEqualTheSequentialOrder(recomputes: Bool) throws {
        let sequential = try smallAgent(seed: 3, recomputes: recomputes)
        let concurrent = try smallAgent(seed: 3, recomputes: recomputes)
        var g1 = RandomGenerator(seed: 4), g2 = RandomGenerator(seed: 4)
        for step in 0..<3 {
            let data = batch(size: 64, seed: UInt64(10 + step))
            let a = Parallelism.withThreads(1) { sequential.update(data, generator: &g1) }
            let b = Parallelism.withThreads(2) { concurrent.update(data, generator: &g2) }
            #expect(a == b)
        }
        #expect(sequential.state() == concurrent.state())
    }

    @Test func actionsAreBoundedAndDeterministicWhenAsked() throws {
        let agent = try smallAgent()
        var g = RandomGenerator(seed: 1)
        let observations = Tensor.randomNormal([3, 6], using: &g).scalars
        let a = agent.act(observations: observations, rows: 3, deterministic: true, generator: &g)
        let b = agent.act(observations: observations, rows: 3, deterministic: true, generator: &g)
        #expect(a == b && a.count == 6 && a.allSatisfy { abs($0) <= 1 })
        let c = agent.act(observations: observations, rows: 3, deterministic: false, generator: &g)
        #expect(c != a)
    }

    @Test func predictGivesTheDeterministicActionsInTheCallersShapes() throws {
        let agent = try smallAgent(seed: 2)
        var g = RandomGenerator(seed: 5)
        let flat = Tensor.randomNormal([3, 6], using: &g).scalars
        let expected = agent.act(observations: flat, rows: 3, deterministic: true, generator: &g)
        let rows = (0..<3).map { Array(flat[$0 * 6..<($0 + 1) * 6]) }
        #expect(try agent.predict(rows) == (0..<3).map { Array(expected[$0 * 2..<($0 + 1) * 2]) })
        // One row alone: the same action up to the last bits (oneDNN sums in an order that depends on the row count).
        #expect(try agent.predict(rows[1]) == agent.act(observations: rows[1], rows: 1, deterministic: true, generator: &g))
        #expect(try zip(agent.predict(rows[1]), expected[2..<4]).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(try agent.predict([[Float]]()) == [])
        #expect {
            _ = try agent.predict([rows[0], [1, 2, 3]])
        } throws: { error in
            "\(error)".contains("observation 1 length is 3, expected 6")
        }
    }

    @Test func stateRoundTripsThroughACheckpointFile() throws {
        let agent = try smallAgent(seed: 1), copy = try smallAgent(seed: 2)
        var g = RandomGenerator(seed: 1)
        _ = agent.update(batch(size: 8, seed: 3), generator: &g)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("crl-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.write(agent.state(), metadata: ["agent": "crl"], to: url)
        let (tensors, metadata) = try Checkpoint.read(from: url)
        try copy.load(state: tensors)
        #expect(metadata["agent"] == "crl")
        #expect(copy.state() == agent.state())
        var broken = tensors
        broken["actor.output.bias"] = Tensor.zeros([3])
        #expect(throws: LayersError.self) { try copy.load(state: broken) }

        let averaging = try smallAgent(seed: 1, actorAveragingRate: 0.01)
        _ = averaging.update(batch(size: 8, seed: 3), generator: &g)
        let restored = try smallAgent(seed: 2, actorAveragingRate: 0.01)
        try restored.load(state: averaging.state())
        #expect(restored.state() == averaging.state() && restored.averagedSteps == 1)
        #expect(throws: LayersError.self) { try restored.load(state: tensors) }
    }

    @Test func invalidConfigurationsAreRefused() {
        var c = CRLConfiguration()
        c.criticDepth = 6
        #expect(throws: AlgorithmsError.invalidSetting(name: "critic depth", value: "6", expected: "a positive multiple of 4")) {
            try CRL(stateSize: 4, goalSize: 2, actionSize: 2, configuration: c)
        }
        c = CRLConfiguration()
        c.actorAveragingRate = 0
        #expect(throws: AlgorithmsError.invalidSetting(name: "actor averaging rate", value: "0.0", expected: "in (0, 1]")) {
            try CRL(stateSize: 4, goalSize: 2, actionSize: 2, configuration: c)
        }
    }

    @Test func averagedActorIsTheMeanOfTheWeightsThenAnExponentialAverage() throws {
        let agent = try smallAgent(seed: 1, learningRate: 1e-2, actorAveragingRate: 0.3)
        var g = RandomGenerator(seed: 2)
        var snapshots = [agent.actor.parameters.map(\.value.scalars)]
        // Rates 1/2 and 1/3 (the plain mean of three weight sets), then 0.3 > 1/4 at the third step.
        for step in 0..<3 {
            _ = agent.update(batch(size: 16, seed: UInt64(step)), generator: &g)
            snapshots.append(agent.actor.parameters.map(\.value.scalars))
        }
        #expect(agent.averagedSteps == 3)
        let averaged = try #require(agent.averagedActor).parameters.map(\.value.scalars)
        for (index, values) in averaged.enumerated() {
            for i in values.indices {
                let mean = (snapshots[0][index][i] + snapshots[1][index][i] + snapshots[2][index][i]) / 3
                let expected = mean + 0.3 * (snapshots[3][index][i] - mean)
                #expect(abs(values[i] - expected) <= 1e-5 * max(1, abs(expected)))
            }
        }
        #expect(averaged != snapshots[3])
    }

    @Test func deterministicActionsComeFromTheAveragedActor() throws {
        let averaging = try smallAgent(seed: 1, learningRate: 1e-2, actorAveragingRate: 0.1)
        let plain = try smallAgent(seed: 1, learningRate: 1e-2)
        var g1 = RandomGenerator(seed: 2), g2 = RandomGenerator(seed: 2)
        for step in 0..<4 {
            let data = batch(size: 16, seed: UInt64(step))
            let a = averaging.update(data, generator: &g1), b = plain.update(data, generator: &g2)
            #expect(a == b)
        }
        #expect(averaging.actor.parameters.map(\.value) == plain.actor.parameters.map(\.value))
        var g = RandomGenerator(seed: 3)
        let observations = Tensor.randomNormal([5, 6], using: &g).scalars
        let fromAverage = averaging.act(observations: observations, rows: 5, deterministic: true, generator: &g)
        let averagedActor = try #require(averaging.averagedActor)
        let mean = averagedActor(Tensor(shape: [5, 6], scalars: observations))
        #expect(fromAverage == TanhGaussianPolicy.act(mean, actionSize: 2, noise: nil).scalars)
        let fromCurrent = plain.act(observations: observations, rows: 5, deterministic: true, generator: &g)
        #expect(fromAverage != fromCurrent)
    }
}
