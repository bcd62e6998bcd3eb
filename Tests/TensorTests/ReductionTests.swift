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
}
