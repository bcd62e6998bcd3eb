import Testing
import Tensor

@Suite struct RowParallelTests {
    /// A row-wise two-layer function with its weights as parameters.
    struct TwoLayers {
        let weight1 = Parameter(random([3, 5], seed: 11, scale: 0.5))
        let bias1 = Parameter(random([5], seed: 12))
        let scale = Parameter(random([5], seed: 13))
        let offset = Parameter(random([5], seed: 14))
        let weight2 = Parameter(random([5, 2], seed: 15, scale: 0.5))
        let bias2 = Parameter(random([2], seed: 16))
        var parameters: [Parameter] { [weight1, bias1, scale, offset, weight2, bias2] }

        func callAsFunction(_ x: Variable) -> Variable {
            let t = x.tape
            let h = layerNormSwish(
                dense(x, weight: t.variable(weight1), bias: t.variable(bias1)),
                scale: t.variable(scale), offset: t.variable(offset))
            return dense(h, weight: t.variable(weight2), bias: t.variable(bias2))
        }
    }

    /// Output and gradients (input first, then each parameter) of `f` on `x`.
    func run(_ layers: TwoLayers, _ x: Tensor, frozen: [Parameter] = [], _ f: (Variable) -> Variable) -> (Tensor, [Tensor?]) {
        let tape = Tape()
        tape.freeze(frozen)
        let input = tape.variable(x)
        let y = f(input)
        let gradients = tape.gradients(of: (y * y.constant(random(y.shape, seed: 99))).sum())
        return (y.value, [gradients[input]] + layers.parameters.map { gradients[$0] })
    }

    @Test(arguments: [2, 3, 7])
    func matchesTheUnsplitFunction(parts: Int) {
        let layers = TwoLayers()
        let x = random([7, 3], seed: 1)
        let (plainValue, plainGradients) = run(layers, x) { layers($0) }
        let (splitValue, splitGradients) = run(layers, x) { v in
            v.splittingRows(into: parts, parameters: layers.parameters) { layers($0) }
        }
        // Not bit-equal: oneDNN's kernels sum a row in an order that depends on the row count.
        #expect(close(splitValue, plainValue, tolerance: 1e-6))
        for (split, plain) in zip(splitGradients, plainGradients) {
            #expect(close(split!, plain!, tolerance: 1e-5))
        }
    }

    @Test func frozenParametersGetNoGradient() {
        let layers = TwoLayers()
        let frozen = [layers.weight1, layers.scale]
        let (_, gradients) = run(layers, random([6, 3], seed: 2), frozen: frozen) { v in
            v.splittingRows(into: 2, parameters: layers.parameters) { layers($0) }
        }
        #expect(gradients[1] == nil && gradients[3] == nil)
        #expect(gradients[2] != nil && gradients[5] != nil)
    }

    @Test func gradientsPassFiniteDifferences() {
        let layers = TwoLayers()
        checkGradients([random([5, 3], seed: 3)]) { v in
            v[0].splittingRows(into: 2, parameters: layers.parameters) { layers($0) }
        }
    }

    @Test func anInputTheBodyIgnoresGetsAZeroGradient() {
        let layers = TwoLayers()
        let tape = Tape()
        let x = tape.variable(random([4, 3], seed: 5))
        let y = x.splittingRows(into: 2, parameters: layers.parameters) { v in layers(v.constant(Tensor.zeros(v.shape))) }
        let gradients = tape.gradients(of: y.sum())
        #expect(gradients[x] == Tensor.zeros([4, 3]))
        #expect(gradients[layers.bias2] == Tensor([4, 4]))
    }

    @Test func fewerRowsThanPartsRunsInPlace() {
        let layers = TwoLayers()
        let tape = Tape()
        let y = tape.constant(random([1, 3], seed: 4)).splittingRows(into: 4, parameters: layers.parameters) { layers($0) }
        #expect(y.shape == [1, 2])
    }

    @Test func threadsAreScoped() {
        #expect(Parallelism.availableThreads == 1)
        Parallelism.withThreads(3) {
            #expect(Parallelism.availableThreads == 3)
            #expect(Parallelism.chunkCount(rows: 256) == 3)
            #expect(Parallelism.chunkCount(rows: 64) == 2)
            #expect(Parallelism.chunkCount(rows: 10) == 1)
        }
        #expect(Parallelism.availableThreads == 1)
    }

    @Test func adamOnSeveralThreadsEqualsOneThread() {
        let step = AdamStep(
            learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0,
            corrections: (0.1, 0.001), gradientScale: 1)
        func updated(threads: Int) -> [Tensor] {
            var p = random([50_000], seed: 5), m = random([50_000], seed: 6, scale: 0.1)
            var v = random([50_000], seed: 7).squared()
            Parallelism.withThreads(threads) {
                p.applyAdam(step, gradient: random([50_000], seed: 8), firstMoment: &m, secondMoment: &v)
            }
            return [p, m, v]
        }
        let one = updated(threads: 1)
        #expect(updated(threads: 2) == one)
        // Spot-check the kernel against the formula.
        let g = random([50_000], seed: 8).scalars[123], m0 = random([50_000], seed: 6, scale: 0.1).scalars[123]
        let v0 = random([50_000], seed: 7).squared().scalars[123], p0 = random([50_000], seed: 5).scalars[123]
        let m1 = 0.9 * m0 + 0.1 * g, v1 = 0.999 * v0 + 0.001 * g * g
        let expected = p0 - 1e-3 * ((m1 / 0.1) / ((v1 / 0.001).squareRoot() + 1e-8))
        #expect(abs(one[0].scalars[123] - expected) <= 1e-6)
    }
}
