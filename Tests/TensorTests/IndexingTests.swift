import Testing
import Tensor

@Suite struct IndexingTests {
    let m = Tensor([[1, 2, 3], [4, 5, 6]])

    @Test func knownAnswers() {
        #expect(m.transposed().scalars == [1, 4, 2, 5, 3, 6])
        #expect(m.reshaped(to: [3, 2]).shape == [3, 2])
        #expect(m.slicingColumns(1..<3).scalars == [2, 3, 5, 6])
        #expect(Tensor.concatenatingColumns([m, Tensor([[7], [8]])]).scalars == [1, 2, 3, 7, 4, 5, 6, 8])
        #expect(m.gatheringRows([1, 1, 0]).scalars == [4, 5, 6, 4, 5, 6, 1, 2, 3])
    }

    @Test(arguments: [UInt64(1), 2])
    func gradients(seed: UInt64) {
        let x = random([3, 4], seed: seed), y = random([3, 2], seed: seed + 1)
        checkGradients([x]) { v in v[0].transposed() }
        checkGradients([x]) { v in v[0].reshaped(to: [2, 6]) }
        checkGradients([x]) { v in v[0].slicingColumns(1..<3) }
        checkGradients([x, y]) { v in Variable.concatenatingColumns([v[0], v[1]]) }
        checkGradients([x]) { v in v[0].gatheringRows([2, 0, 2]) }
    }

    @Test func diagonalOfASquareMatrix() {
        let x = Tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(x.diagonal() == Tensor([1, 5, 9]))
        checkGradients([random([4, 4], seed: 21)]) { v in v[0].diagonal() }
    }
}
