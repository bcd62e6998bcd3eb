import Foundation
import Testing
import Tensor

@Suite struct PairwiseDistanceTests {
    @Test func knownAnswer() {
        let a = Tensor([[0, 0], [3, 4]]), b = Tensor([[0, 0], [6, 8], [3, 0]])
        #expect(close(pairwiseDistance(a, b), Tensor([[0, 10, 3], [5, 5, 4]]), tolerance: 1e-5))
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func gradients(seed: UInt64) {
        let a = random([4, 3], seed: seed), b = random([5, 3], seed: seed + 1)
        checkGradients([a, b]) { v in pairwiseDistance(v[0], v[1]) }
    }

    @Test func gradientIsFiniteAtZeroDistance() {
        let tape = Tape()
        let a = tape.variable(Tensor([[1, 2], [3, 4]]))
        let b = tape.variable(Tensor([[1, 2], [0, 0]]))
        let g = tape.gradients(of: pairwiseDistance(a, b).sum())
        #expect(g[a]!.isFinite && g[b]!.isFinite)
    }
}
