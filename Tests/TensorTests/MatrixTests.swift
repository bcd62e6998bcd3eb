import Testing
import Tensor

@Suite struct MatrixTests {
    @Test func matmulKnownAnswersWithTransposeFlags() {
        let a = Tensor([[1, 2], [3, 4], [5, 6]])  // 3×2
        let b = Tensor([[1, 0, 2], [0, 1, 3]])  // 2×3
        #expect(matmul(a, b).scalars == [1, 2, 8, 3, 4, 18, 5, 6, 28])
        #expect(matmul(a, a, transposeA: true).scalars == [35, 44, 44, 56])
        #expect(matmul(a, a, transposeB: true).shape == [3, 3])
        #expect(matmul(b, a, transposeA: true, transposeB: true) == matmul(a, b).transposed())
    }

    @Test func denseAddsBiasToEveryRow() {
        let x = Tensor([[1, 2], [3, 4]])
        let w = Tensor([[1, 0, 1], [0, 1, 1]])
        let y = dense(x, weight: w, bias: Tensor([10, 20, 30]))
        #expect(y.scalars == [11, 22, 33, 13, 24, 37])
    }

    @Test(arguments: [UInt64(7), 8, 9])
    func gradients(seed: UInt64) {
        let a = random([3, 5], seed: seed), b = random([5, 4], seed: seed + 1)
        let bt = random([4, 5], seed: seed + 2), at = random([5, 3], seed: seed + 3)
        checkGradients([a, b]) { v in matmul(v[0], v[1]) }
        checkGradients([a, bt]) { v in matmul(v[0], v[1], transposeB: true) }
        checkGradients([at, b]) { v in matmul(v[0], v[1], transposeA: true) }
        checkGradients([at, bt]) { v in matmul(v[0], v[1], transposeA: true, transposeB: true) }
        checkGradients([a, b, random([4], seed: seed + 4)]) { v in dense(v[0], weight: v[1], bias: v[2]) }
    }

    @Test func constantOperandsGetNoGradient() {
        let tape = Tape()
        let x = tape.variable(random([2, 3], seed: 1))
        let w = tape.constant(random([3, 2], seed: 2))
        let g = tape.gradients(of: matmul(x, w).sum())
        #expect(g[w] == nil)
        #expect(g[x] != nil)
    }
}
