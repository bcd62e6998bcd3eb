import Testing
@testable import Environments

@Suite struct SplitMix64Tests {
    @Test func sameSeedGivesSameSequence() {
        var a = SplitMix64(seed: 123)
        var b = SplitMix64(seed: 123)
        var c = SplitMix64(seed: 124)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
    }

    @Test func splitGeneratorsDiffer() {
        var parent = SplitMix64(seed: 7)
        var child1 = parent.split()
        var child2 = parent.split()
        #expect(child1.next() != child2.next())
    }

    @Test func samplesHaveTheRightRangeAndMoments() {
        var generator = SplitMix64(seed: 1)
        let count = 20_000
        var uniformSum = 0.0, normalSum = 0.0, normalSquares = 0.0
        for _ in 0..<count {
            let uniform = generator.nextUniform()
            #expect(uniform >= 0 && uniform < 1)
            let index = generator.nextIndex(below: 3)
            #expect((0..<3).contains(index))
            uniformSum += uniform
            let normal = generator.nextNormal()
            normalSum += normal
            normalSquares += normal * normal
        }
        #expect(abs(uniformSum / Double(count) - 0.5) < 0.01)
        #expect(abs(normalSum / Double(count)) < 0.03)
        #expect(abs(normalSquares / Double(count) - 1) < 0.05)
    }
}
