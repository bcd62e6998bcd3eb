import Foundation
import Testing
import Tensor

@Suite struct LayerNormTests {
    @Test func normalizesRowsKnownAnswer() {
        let x = Tensor([[1, 2, 3, 4], [2, 2, 2, 2]])
        let y = layerNorm(x, scale: .ones([4]), offset: .zeros([4]))
        let sd = Float((1.25 + 1e-6).squareRoot())
        #expect(close(y, Tensor([[-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd], [0, 0, 0, 0]]), tolerance: 1e-5))
        let shifted = layerNorm(x, scale: Tensor([2, 2, 2, 2]), offset: Tensor([1, 1, 1, 1]))
        #expect(close(shifted, y * 2 + 1))
        #expect(close(layerNormSwish(x, scale: .ones([4]), offset: .zeros([4])), swish(y)))
    }

    @Test(arguments: [(UInt64(1), 4), (2, 16), (3, 37)])
    func gradients(seed: UInt64, columns: Int) {
        let x = random([3, columns], seed: seed, scale: 2)
        let scale = random([columns], seed: seed + 1), offset = random([columns], seed: seed + 2)
        checkGradients([x, scale, offset]) { v in layerNorm(v[0], scale: v[1], offset: v[2]) }
        checkGradients([x, scale, offset]) { v in layerNormSwish(v[0], scale: v[1], offset: v[2]) }
    }
}
