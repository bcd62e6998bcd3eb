import Foundation
import Testing
import Tensor

@Suite struct ReductionTests {
    let m = Tensor([[1, 2, 3], [4, 5, 6]])

    @Test func knownAnswers() {
        #expect(m.sum().scalar == 21)
        #expect(m.mean().scalar == 3.5)
        #expect(m.max().scalar == 6)
        #expect(m.sum(alongAxis: 0).scalars == [5, 7, 9])
        #expect(m.sum(alongAxis: 1).scalars == [6, 15])
        #expect(m.sum(alongAxis: -1, keepingDimension: true).shape == [2, 1])
        #expect(m.mean(alongAxis: 0).scalars == [2.5, 3.5, 4.5])
        #expect(m.max(alongAxis: 1).scalars == [3, 6])
        #expect(m.sumRows().scalars == [5, 7, 9])
        let lse = m.logSumExp(alongAxis: 1)
        #expect(close(lse, Tensor([Foundation.log(Foundation.exp(1) + Foundation.exp(2) + Foundation.exp(3)),
                                   Foundation.log(Foundation.exp(4) + Foundation.exp(5) + Foundation.exp(6))])))
        #expect(close(m.softmax().sum(alongAxis: 1), Tensor([1, 1])))
        #expect(close(exp(m.logSoftmax()), m.softmax()))
    }

    @Test func logSumExpIsStable() {
        let big = Tensor([[1000, 1000], [-1000, -1000]])
        #expect(close(big.logSumExp(alongAxis: 1), Tensor([1000 + Foundation.log(2), -1000 + Foundation.log(2)])))
        #expect(Tensor([[-.infinity, 0]]).logSumExp(alongAxis: 1).scalars == [0])
        #expect(big.softmax().isFinite)
    }

    @Test(arguments: [UInt64(4), 5, 6])
    func gradients(seed: UInt64) {
        let x = random([3, 4], seed: seed)
        checkGradients([x]) { v in v[0].sum() }
        checkGradients([x]) { v in v[0].mean() }
        checkGradients([x]) { v in v[0].sum(alongAxis: 0) }
        checkGradients([x]) { v in v[0].sum(alongAxis: 1, keepingDimension: true) }
        checkGradients([x]) { v in v[0].mean(alongAxis: 1) }
        checkGradients([x]) { v in v[0].max(alongAxis: 1) }
        checkGradients([x]) { v in v[0].logSumExp(alongAxis: 1) }
        checkGradients([x]) { v in v[0].logSumExp(alongAxis: 0, keepingDimension: true) }
        checkGradients([x]) { v in v[0].softmax() }
        checkGradients([x]) { v in v[0].logSoftmax(alongAxis: 0) }
    }

    @Test func lastAxisKernelsMatchPlainLoops() {
        let x = random([5, 37], seed: 9)
        let rows = (0..<5).map { r in (0..<37).map { x[r, $0] } }
        let sums = x.sum(alongAxis: 1), maxima = x.max(alongAxis: -1, keepingDimension: true)
        let columnSums = x.sumRows()
        #expect(sums.shape == [5] && maxima.shape == [5, 1])
        for r in 0..<5 {
            #expect(abs(sums.scalars[r] - rows[r].reduce(0, +)) <= 1e-5)
            #expect(maxima.scalars[r] == rows[r].max()!)
        }
        for j in 0..<37 { #expect(abs(columnSums.scalars[j] - rows.reduce(0) { $0 + $1[j] }) <= 1e-5) }
        var withNaN = x.scalars
        withNaN[40] = .nan
        #expect(Tensor(shape: [5, 37], scalars: withNaN).max(alongAxis: 1).scalars[1].isNaN)
    }

    @Test func logSumExpKernelMatchesDoublePrecision() {
        // Wide rows with a spread of 200, so that many terms fall below e^-87 of the row maximum.
        let x = random([6, 41], seed: 12, scale: 40)
        let lse = x.logSumExp(alongAxis: 1)
        let tape = Tape()
        let v = tape.variable(x)
        let weights = Tensor((0..<6).map { Float($0) - 2.5 })
        let gradient = tape.gradients(of: (v.logSumExp(alongAxis: 1) * tape.constant(weights)).sum())[v]!
        for r in 0..<6 {
            let row = (0..<41).map { Double(x[r, $0]) }
            let peak = row.max()!
            let expected = Foundation.log(row.map { Foundation.exp($0 - peak) }.reduce(0, +)) + peak
            #expect(abs(Double(lse.scalars[r]) - expected) <= 1e-5 * Swift.max(1, abs(expected)))
            for j in 0..<41 {
                let softmax = Foundation.exp(row[j] - expected) * Double(weights.scalars[r])
                // Float rounding of a logsumexp near 100 alone moves exp(x − lse) by up to 8e-6 relative.
                #expect(abs(Double(gradient[r, j]) - softmax) <= 2e-5)
            }
        }
    }

    @Test func logSumExpOfNonFiniteRows() {
        let x = Tensor([[-.infinity, -.infinity], [.infinity, 0], [.nan, 0], [-.infinity, 3]])
        let lse = x.logSumExp(alongAxis: 1).scalars
        #expect(lse[0] == -.infinity && lse[1] == .infinity && lse[2].isNaN && lse[3] == 3)
        let tape = Tape()
        let v = tape.variable(Tensor([[-.infinity, 3, -200]]))
        #expect(tape.gradients(of: v.logSumExp(alongAxis: 1).sum())[v]!.scalars == [0, 1, 0])
    }

    @Test func perRowBroadcastingMatchesExplicitExpansion() {
        let x = random([4, 19], seed: 10), perRow = random([4, 1], seed: 11)
        let expanded = Tensor(shape: [4, 19], scalars: (0..<76).map { perRow.scalars[$0 / 19] })
        #expect(x - perRow == x - expanded)
        #expect(perRow / x == expanded / x)
        #expect(close((x * expanded).sum(toShape: [4, 1]), (x * expanded).sum(alongAxis: 1, keepingDimension: true)))
        checkGradients([x, perRow]) { v in v[0] * v[1] - v[1] }
    }
}
