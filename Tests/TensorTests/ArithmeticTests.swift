import Testing
import Tensor

@Suite struct ArithmeticTests {
    @Test func broadcastingKnownAnswers() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect((a + Tensor([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
        #expect((a * Tensor(shape: [2, 1], scalars: [2, 3])).scalars == [2, 4, 6, 12, 15, 18])
        #expect((a - Tensor(1)).scalars == [0, 1, 2, 3, 4, 5])
        #expect((Tensor(shape: [2, 1], scalars: [1, 2]) + Tensor(shape: [1, 3], scalars: [10, 20, 30])).scalars
            == [11, 21, 31, 12, 22, 32])
        #expect((1 / Tensor([2, 4])).scalars == [0.5, 0.25])
        #expect((-a).scalars == [-1, -2, -3, -4, -5, -6])
    }

    @Test func sumToShapeUndoesBroadcasting() {
        let g = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(g.sum(toShape: [3]).scalars == [5, 7, 9])
        #expect(g.sum(toShape: [2, 1]).scalars == [6, 15])
        #expect(g.sum(toShape: []).scalars == [21])
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func gradientsOfBroadcastArithmetic(seed: UInt64) {
        let a = random([3, 4], seed: seed), b = random([4], seed: seed + 10)
        let c = random([3, 1], seed: seed + 20).map { abs($0) + 1 }
        checkGradients([a, b]) { v in v[0] + v[1] }
        checkGradients([a, b]) { v in v[0] - v[1] }
        checkGradients([a, b]) { v in v[0] * v[1] }
        checkGradients([a, c]) { v in v[0] / v[1] }
        checkGradients([a]) { v in (2 * v[0] + 1) / 3 - v[0] * 0.5 }
        checkGradients([a]) { v in -v[0] }
    }

    @Test func gradientAccumulatesOverRepeatedUse() {
        let tape = Tape()
        let x = tape.variable(Tensor([1, 2, 3]))
        let y = (x * x + x).sum()  // dy/dx = 2x + 1
        let g = tape.gradients(of: y)
        #expect(g[x]?.scalars == [3, 5, 7])
    }
}
