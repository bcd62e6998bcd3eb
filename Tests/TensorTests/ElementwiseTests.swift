import Foundation
import Testing
import Tensor

@Suite struct ElementwiseTests {
    @Test func knownAnswers() {
        let x = Tensor([-2, 0, 1])
        #expect(close(exp(x), Tensor([Foundation.exp(-2), 1, Foundation.exp(1)])))
        #expect(close(log(Tensor([1, 4])), Tensor([0, Foundation.log(4)])))
        #expect(sqrt(Tensor([4, 9])).scalars == [2, 3])
        #expect(x.squared().scalars == [4, 0, 1])
        #expect(close(tanh(x), Tensor([Foundation.tanh(-2), 0, Foundation.tanh(1)])))
        #expect(close(sigmoid(x), Tensor([1 / (1 + Foundation.exp(2)), 0.5, 1 / (1 + Foundation.exp(-1))])))
        #expect(close(swish(x), Tensor([-2 / (1 + Foundation.exp(2)), 0, 1 / (1 + Foundation.exp(-1))])))
        #expect(relu(x).scalars == [0, 0, 1])
        #expect(x.clamped(to: -1...0.5).scalars == [-1, 0, 0.5])
        #expect(close(softplus(Tensor([0])), Tensor([Foundation.log(2)])))
    }

    @Test func stableAtExtremes() {
        let x = Tensor([-1000, -100, 100, 1000])
        #expect(logSigmoid(x).isFinite)
        #expect(close(logSigmoid(x), Tensor([-1000, -100, 0, 0])))
        #expect(softplus(x).isFinite)
        #expect(sigmoid(x).isFinite && swish(x).isFinite)
        #expect(close(swish(x), Tensor([0, 0, 100, 1000]), tolerance: 1e-6))
    }

    @Test func nanPropagatesThroughKernels() {
        let x = Tensor([.nan])
        #expect(swish(x).scalars[0].isNaN)
        #expect(sigmoid(x).scalars[0].isNaN)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func gradients(seed: UInt64) {
        let x = random([2, 5], seed: seed)
        let positive = x.map { abs($0) + 0.5 }
        // Keep inputs away from kinks for relu, clamp.
        let awayFromZero = x.map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
        checkGradients([x]) { v in exp(v[0]) }
        checkGradients([positive]) { v in log(v[0]) }
        checkGradients([positive]) { v in sqrt(v[0]) }
        checkGradients([x]) { v in v[0].squared() }
        checkGradients([x]) { v in tanh(v[0]) }
        checkGradients([x]) { v in sigmoid(v[0]) }
        checkGradients([x]) { v in swish(v[0]) }
        checkGradients([awayFromZero]) { v in relu(v[0]) }
        checkGradients([x]) { v in softplus(v[0]) }
        checkGradients([x]) { v in logSigmoid(v[0]) }
        let inside = x.map { abs($0 - 0.5) < 0.05 || abs($0 + 0.5) < 0.05 ? 0 : $0 }
        checkGradients([inside]) { v in v[0].clamped(to: -0.5...0.5) }
    }

    @Test func expAgreesWithLibmEverywhere() {
        let inputs: [Float] = [-1000, -103, -95, -87.5, -87, -20, -1, -1e-7, 0, 1e-7, 0.5, 1, 10, 80, 88, 88.5, 89, 1000,
                               .infinity, -.infinity]
        let values = exp(Tensor(inputs)).scalars
        for (x, y) in zip(inputs, values) {
            let reference = Foundation.exp(x)
            #expect(y == reference || abs(y - reference) <= 3e-7 * reference, "exp(\(x)) = \(y), libm \(reference)")
        }
        #expect(exp(Tensor([.nan])).scalars[0].isNaN)
    }
}
