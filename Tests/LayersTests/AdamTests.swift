import Foundation
import Testing
import Layers

@Suite struct AdamTests {
    /// One scalar parameter, gradient of x² is 2x.
    func run(_ configuration: Adam.Configuration, steps: Int, start: Float = 1) throws -> (Parameter, Adam) {
        let p = Parameter(Tensor([start]))
        let adam = try Adam(namedParameters: [("x", p)], configuration: configuration)
        for _ in 0..<steps {
            let tape = Tape()
            let g = tape.gradients(of: tape.variable(p).squared().sum())
            adam.update(g)
        }
        return (p, adam)
    }

    @Test func firstStepMovesByTheLearningRate() throws {
        // Bias-corrected first step: m̂ = g, v̂ = g², update = −lr · g / (|g| + ε).
        let (p, _) = try run(.init(learningRate: 0.1), steps: 1)
        #expect(abs(p.value.scalars[0] - 0.9) < 1e-6)
    }

    @Test func matchesAHandComputedSecondStep() throws {
        let (p, _) = try run(.init(learningRate: 0.1), steps: 2)
        // Step 2: g = 1.8; m = 0.9·0.2·... computed in Double.
        var x = 1.0, m = 0.0, v = 0.0
        for t in 1...2 {
            let g = 2 * x
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            x -= 0.1 * (m / (1 - pow(0.9, Double(t)))) / ((v / (1 - pow(0.999, Double(t)))).squareRoot() + 1e-8)
        }
        #expect(abs(Double(p.value.scalars[0]) - x) < 1e-6)
    }

    @Test func adamWDecaysWeights() throws {
        let (plain, _) = try run(.init(learningRate: 0.1), steps: 1)
        let (decayed, _) = try run(.adamW(learningRate: 0.1, weightDecay: 0.5), steps: 1)
        #expect(abs(plain.value.scalars[0] - decayed.value.scalars[0] - 0.05) < 1e-6)
    }

    @Test func clippingBoundsTheGlobalNorm() throws {
        let p = Parameter(Tensor([3, 4]))
        let adam = try Adam(namedParameters: [("p", p)], configuration: .init(maxGradientNorm: 1))
        let tape = Tape()
        let g = tape.gradients(of: (tape.variable(p) * 1).sum() * 10)
        #expect(abs(adam.gradientNorm(g) - 10 * Float(2).squareRoot()) < 1e-4)
        adam.update(g)
        #expect(adam.state()["m.p"]!.scalars.allSatisfy { abs($0 - 0.1 / Float(2).squareRoot()) < 1e-6 })
    }

    @Test func stateRoundTripsAndContinuesIdentically() throws {
        let (p1, a1) = try run(.init(), steps: 3)
        let p2 = Parameter(p1.value)
        let a2 = try Adam(namedParameters: [("x", p2)])
        try a2.load(state: a1.state())
        #expect(a2.step == 3)
        for (p, a) in [(p1, a1), (p2, a2)] {
            let tape = Tape()
            a.update(tape.gradients(of: tape.variable(p).squared().sum()))
        }
        #expect(p1.value == p2.value)
        #expect(throws: LayersError.stateMismatch("missing optimizer entry 'm.x'")) {
            try a2.load(state: ["step": Tensor(1)])
        }
    }

    /// A step that is not a whole number of steps that fits an Int is refused, not trapped on.
    @Test(arguments: [Float.infinity, -.infinity, .nan, 1e20, -1, 2.5])
    func refusesAStepThatIsNoCount(step: Float) throws {
        let (_, trained) = try run(.init(), steps: 2)
        var state = trained.state()
        state["step"] = Tensor([step])
        let copy = try Adam(namedParameters: [("x", Parameter(Tensor([0])))])
        #expect(throws: LayersError.self) { try copy.load(state: state) }
        #expect(copy.step == 0)
    }

    @Test func trainsARegressionNetwork() throws {
        var g = RandomGenerator(seed: 1)
        let net = try ResidualMLP(inputSize: 2, width: 32, depth: 4, outputSize: 1, generator: &g)
        let adam = try Adam(for: net, configuration: .init(learningRate: 3e-3))
        let x = Tensor.randomUniform([64, 2], in: -1...1, using: &g)
        let y = (x.slicingColumns(0..<1) * x.slicingColumns(1..<2)) + x.slicingColumns(0..<1)
        func loss() -> Float { (net(x) - y).squared().mean().scalar }
        let before = loss()
        for _ in 0..<200 {
            let tape = Tape()
            let l = (net(tape.variable(x)) - tape.constant(y)).squared().mean()
            adam.update(tape.gradients(of: l))
        }
        #expect(loss() < 0.1 * before)
    }

    @Test func minimizeEqualsGradientsThenUpdate() throws {
        var g1 = RandomGenerator(seed: 8), g2 = RandomGenerator(seed: 8)
        let options = ResidualMLP.Options(recomputesActivations: true)
        let a = try ResidualMLP(inputSize: 3, width: 8, depth: 8, outputSize: 2, options: options, generator: &g1)
        let b = try ResidualMLP(inputSize: 3, width: 8, depth: 8, outputSize: 2, options: options, generator: &g2)
        let adamA = try Adam(for: a), adamB = try Adam(for: b)
        var g = RandomGenerator(seed: 1)
        let x = Tensor.randomNormal([4, 3], using: &g)
        for _ in 0..<3 {
            let tapeA = Tape()
            adamA.update(tapeA.gradients(of: a(tapeA.variable(x)).squared().mean()))
            let tapeB = Tape()
            Adam.minimize(b(tapeB.variable(x)).squared().mean(), with: [adamB])
        }
        #expect(a.stateDictionary() == b.stateDictionary())
        #expect(adamA.state() == adamB.state())
    }
}

/// Scales every gradient and records the sizes it saw, as a stand-in for an allreduce.
final class ScalingReducer: GradientReducer {
    let factor: Float
    var sizes: [Int] = []
    init(_ factor: Float) { self.factor = factor }
    func reduce(_ gradient: inout [Float]) {
        sizes.append(gradient.count)
        for i in gradient.indices { gradient[i] *= factor }
    }
}

@Suite struct GradientReducerTests {
    /// Two parameters, loss Σ a·x² + Σ b: the gradients 2a·x and 1.
    func step(reducer: (any GradientReducer)?, minimizing: Bool, clip: Float? = nil) throws -> [Float] {
        let a = Parameter(Tensor([0.5, -2])), b = Parameter(Tensor([3]))
        let adam = try Adam(namedParameters: [("a", a), ("b", b)], configuration: .init(learningRate: 0.1, maxGradientNorm: clip))
        adam.gradientReducer = reducer
        for _ in 0..<2 {
            let tape = Tape()
            let loss = (tape.variable(a).squared() * 3).sum() + tape.variable(b).sum()
            if minimizing { Adam.minimize(loss, with: [adam]) } else { adam.update(tape.gradients(of: loss)) }
        }
        return a.value.scalars + b.value.scalars
    }

    @Test(arguments: [false, true])
    func everyGradientPassesThroughTheReducerBeforeItIsApplied(minimizing: Bool) throws {
        let reducer = ScalingReducer(0.25)
        // Adam is invariant to a constant gradient scale (up to ε): the reduced step is the plain one.
        let plain = try step(reducer: nil, minimizing: minimizing), reduced = try step(reducer: reducer, minimizing: minimizing)
        for (x, y) in zip(plain, reduced) { #expect(abs(x - y) < 1e-5) }
        #expect(reducer.sizes.sorted() == [1, 1, 2, 2], "each parameter's gradient once per step")
        // Clipping sees the reduced gradients: a norm limit (5) between the reduced (≈ 3) and the raw (≈ 12) norm
        // changes nothing after a 0.25 scale, but clips the raw gradients.
        let raw = try step(reducer: nil, minimizing: minimizing, clip: 5), scaledUnclipped = try step(reducer: ScalingReducer(0.25), minimizing: minimizing, clip: 5)
        #expect(zip(raw, plain).contains { abs($0 - $1) > 1e-4 })
        for (x, y) in zip(scaledUnclipped, plain) { #expect(abs(x - y) < 1e-5) }
    }
}

/// Holds every reduction it is given until the test completes them (an allreduce still on the wire).
final class HeldReducer: GradientReducer, @unchecked Sendable {
    var held: [(gradient: [Float], pending: PendingReduction)] = []
    func reduce(_ gradient: inout [Float]) { Issue.record("the synchronous path was used") }
    func startReducing(_ gradient: [Float]) -> PendingReduction {
        let pending = PendingReduction()
        held.append((gradient, pending))
        return pending
    }
}

@Suite struct OverlappedReductionTests {
    func network() throws -> (ResidualMLP, Tensor) {
        var generator = RandomGenerator(seed: 3)
        let model = try ResidualMLP(inputSize: 3, width: 8, depth: 4, outputSize: 2, generator: &generator)
        return (model, Tensor.randomNormal([5, 3], using: &generator))
    }

    @Test func gradientsOfStartsEveryReductionDuringThePassAndUpdateWaitsForThem() throws {
        let (plainModel, x) = try network(), (heldModel, _) = try network()
        let plain = try Adam(for: plainModel), reduced = try Adam(for: heldModel)
        plain.gradientReducer = ScalingReducer(0.5)
        let reducer = HeldReducer()
        reduced.gradientReducer = reducer
        let plainTape = Tape()
        plain.update(plainTape.gradients(of: plainModel(plainTape.variable(x)).squared().mean()))

        let tape = Tape()
        let incoming = reduced.gradients(of: heldModel(tape.variable(x)).squared().mean())
        #expect(reducer.held.count == heldModel.parameters.count, "every reduction started by the end of the pass")
        #expect(reducer.held.allSatisfy { !$0.pending.isComplete })
        let before = heldModel.stateDictionary()
        let held = reducer.held
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) {
            for (gradient, pending) in held { pending.complete(with: gradient.map { $0 * 0.5 }) }
        }
        reduced.update(incoming)
        #expect(heldModel.stateDictionary() != before)
        #expect(heldModel.stateDictionary() == plainModel.stateDictionary(), "the same step as reducing at once")
    }

    @Test func minimizeAppliesEachGradientOnceItsReductionCompletesOnAnotherThread() throws {
        /// Completes each reduction on a background queue, in order.
        final class BackgroundReducer: GradientReducer, @unchecked Sendable {
            let queue = DispatchQueue(label: "reductions")
            func reduce(_ gradient: inout [Float]) { Issue.record("the synchronous path was used") }
            func startReducing(_ gradient: [Float]) -> PendingReduction {
                let pending = PendingReduction()
                queue.async { pending.complete(with: gradient.map { $0 * 0.5 }) }
                return pending
            }
        }
        let (plainModel, x) = try network(), (model, _) = try network()
        let plain = try Adam(for: plainModel), overlapped = try Adam(for: model)
        plain.gradientReducer = ScalingReducer(0.5)
        overlapped.gradientReducer = BackgroundReducer()
        for _ in 0..<3 {
            let a = Tape(), b = Tape()
            Adam.minimize(plainModel(a.variable(x)).squared().mean(), with: [plain])
            Adam.minimize(model(b.variable(x)).squared().mean(), with: [overlapped])
        }
        #expect(model.stateDictionary() == plainModel.stateDictionary())
        #expect(overlapped.state() == plain.state())
    }

    @Test func aWaitThatBlocksIsReportedAndACompletedOneIsNot() {
        let blocked = Blocked()
        let pending = PendingReduction(reportingWaits: { blocked.add($0) })
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.02) { pending.complete(with: [1, 2]) }
        #expect(pending.wait() == [1, 2])
        #expect(blocked.seconds > 0.005)
        #expect(PendingReduction(completed: [3]).wait() == [3])
        #expect(pending.wait() == [1, 2] && blocked.count == 1, "a second wait does not block")
    }
}

/// Sums the seconds reported by waits.
final class Blocked: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0.0, calls = 0
    var seconds: Double { lock.withLock { total } }
    var count: Int { lock.withLock { calls } }
    func add(_ seconds: Double) { lock.withLock { total += seconds; calls += 1 } }
}
