import Foundation
import Testing
@testable import Tensor

@Suite struct PairwiseDistanceTests {
    @Test func knownAnswer() {
        let a = Tensor([[0, 0], [3, 4]]), b = Tensor([[0, 0], [6, 8], [3, 0]])
        #expect(close(pairwiseDistance(a, b), Tensor([[0, 10, 3], [5, 5, 4]]), tolerance: 1e-5))
    }

    /// With bfloat16 products the cross term stays float32, like the norms: distances are those of
    /// float32 (a rounded cross term would leave ‖x − x‖ far from 0), while other products round.
    @Test func bfloat16ProductsLeaveDistancesInFloat32() {
        guard BLAS.supports(.bfloat16) else { return }
        let x = random([32, 64], seed: 8) * 5
        let float32 = pairwiseDistance(x, x)
        let (distances, product) = BLAS.withProducts(in: .bfloat16) { (pairwiseDistance(x, x), matmul(x, x, transposeB: true)) }
        #expect(distances.scalars == float32.scalars)
        #expect(product.scalars != matmul(x, x, transposeB: true).scalars)
        #expect((0..<32).allSatisfy { distances.scalars[$0 * 32 + $0] < 0.05 })  // float32 rounding of |x|² ≈ 1600
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func gradients(seed: UInt64) {
        let a = random([4, 3], seed: seed), b = random([5, 3], seed: seed + 1)
        checkGradients([a, b]) { v in pairwiseDistance(v[0], v[1]) }
    }

    @Test func wideRowSetsMatchDoublePrecision() {
        let a = random([7, 37], seed: 4), b = random([9, 37], seed: 5)
        let tape = Tape()
        let (va, vb) = (tape.variable(a), tape.variable(b))
        let weights = random([7, 9], seed: 6)
        let d = pairwiseDistance(va, vb)
        let g = tape.gradients(of: (d * tape.constant(weights)).sum())
        var expectedA = [Double](repeating: 0, count: 7 * 37), expectedB = [Double](repeating: 0, count: 9 * 37)
        for i in 0..<7 {
            for j in 0..<9 {
                let difference = (0..<37).map { Double(a[i, $0]) - Double(b[j, $0]) }
                let distance = difference.map { $0 * $0 }.reduce(0, +).squareRoot()
                #expect(abs(Double(d.value[i, j]) - distance) <= 1e-5 * distance)
                for k in 0..<37 {
                    let term = Double(weights[i, j]) * difference[k] / distance
                    expectedA[i * 37 + k] += term
                    expectedB[j * 37 + k] -= term
                }
            }
        }
        #expect(zip(g[va]!.scalars, expectedA).allSatisfy { abs(Double($0) - $1) <= 1e-4 })
        #expect(zip(g[vb]!.scalars, expectedB).allSatisfy { abs(Double($0) - $1) <= 1e-4 })
    }

    @Test func notANumberPropagates() {
        let d = pairwiseDistance(Tensor([[.nan, 0], [1, 1]]), Tensor([[0, 0]]))
        #expect(d.scalars[0].isNaN && d.scalars[1] == Float(2).squareRoot())
    }

    @Test func gradientIsFiniteAtZeroDistance() {
        let tape = Tape()
        let a = tape.variable(Tensor([[1, 2], [3, 4]]))
        let b = tape.variable(Tensor([[1, 2], [0, 0]]))
        let g = tape.gradients(of: pairwiseDistance(a, b).sum())
        #expect(g[a]!.isFinite && g[b]!.isFinite)
    }
}
