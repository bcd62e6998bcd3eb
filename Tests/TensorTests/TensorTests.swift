import Testing
import Tensor

@Suite struct TensorTests {
    @Test func creation() {
        #expect(Tensor.zeros([2, 3]).scalars == [0, 0, 0, 0, 0, 0])
        #expect(Tensor.ones([2]).scalars == [1, 1])
        #expect(Tensor(repeating: 7, shape: [1, 1, 2, 1]).scalars == [7, 7])
        #expect(Tensor(3).rank == 0)
        #expect(Tensor([[1, 2], [3, 4]])[1, 0] == 3)
    }

    @Test func copyOnWriteKeepsValueSemantics() {
        let a = Tensor([1, 2, 3])
        var b = a
        b = b + 1
        #expect(a.scalars == [1, 2, 3])
        let p = Parameter(a)
        let snapshot = p.value
        p.value = p.value * 2
        #expect(snapshot.scalars == [1, 2, 3])
        #expect(p.value.scalars == [2, 4, 6])
    }

    @Test func randomIsDeterministicAndSplittable() {
        var g1 = RandomGenerator(seed: 42), g2 = RandomGenerator(seed: 42)
        #expect(Tensor.randomNormal([100], using: &g1) == Tensor.randomNormal([100], using: &g2))
        var parent = RandomGenerator(seed: 42)
        var child = parent.split()
        #expect(child.next() != parent.next())
        var g = RandomGenerator(seed: 7)
        let u = Tensor.randomUniform([10_000], in: -2...2, using: &g)
        #expect(u.scalars.allSatisfy { $0 >= -2 && $0 <= 2 })
        #expect(abs(u.mean().scalar) < 0.05)
        let n = Tensor.randomNormal([10_000], mean: 1, standardDeviation: 2, using: &g)
        #expect(abs(n.mean().scalar - 1) < 0.1)
        #expect(abs(((n - 1).squared().mean().scalar).squareRoot() - 2) < 0.1)
    }

    @Test func tapeFreesAndFreezes() {
        let tape = Tape()
        let p = Parameter(Tensor([1, 2])), q = Parameter(Tensor([3, 4]))
        tape.freeze([q])
        let loss = (tape.variable(p) * tape.variable(q) + tape.variable(p)).sum()
        let g = tape.gradients(of: loss)
        #expect(g[p]?.scalars == [4, 5])
        #expect(g[q] == nil)
        #expect(tape.nodeCount == 0)
    }
}
