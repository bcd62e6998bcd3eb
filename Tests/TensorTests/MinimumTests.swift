import Testing
import Tensor

@Suite struct MinimumTests {
    @Test func takesTheSmallerElement() {
        let a = Tensor([[1, -2], [3, 0]]), b = Tensor([[0, 5], [3, -1]])
        #expect(minimum(a, b).scalars == [0, -2, 3, -1])
    }

    @Test func gradientsMatchFiniteDifferences() {
        // Independent random inputs almost surely have no ties, where the minimum is not differentiable.
        checkGradients([random([4, 3], seed: 1), random([4, 3], seed: 2)]) { v in minimum(v[0], v[1]) }
    }

    @Test func gradientGoesToTheSmallerOperandAndToTheFirstOnTies() {
        let tape = Tape()
        let a = tape.variable(Tensor([1, 2, 3])), b = tape.variable(Tensor([2, 1, 3]))
        let gradients = tape.gradients(of: minimum(a, b).sum())
        #expect(gradients[a]?.scalars == [1, 0, 1])
        #expect(gradients[b]?.scalars == [0, 1, 0])
    }
}
