import Testing
import Random

@Suite struct RandomGeneratorTests {
    @Test func sameSeedGivesSameSequence() {
        var a = RandomGenerator(seed: 123)
        var b = RandomGenerator(seed: 123)
        var c = RandomGenerator(seed: 124)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
    }

    /// SplitMix64's published reference outputs for seed 1234567 (Vigna's splitmix64.c).
    @Test func matchesTheReferenceSequence() {
        var generator = RandomGenerator(seed: 1_234_567)
        #expect((0..<5).map { _ in generator.next() } == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
    }

    @Test func stateContinuesTheSequence() {
        var generator = RandomGenerator(seed: 9)
        _ = (0..<5).map { _ in generator.next() }
        var resumed = RandomGenerator(seed: generator.state)
        #expect((0..<5).map { _ in generator.next() } == (0..<5).map { _ in resumed.next() })
    }

    @Test func splitGeneratorsDiffer() {
        var parent = RandomGenerator(seed: 7)
        var child1 = parent.split()
        var child2 = parent.split()
        #expect(child1.next() != child2.next())
    }

    /// Uniform draws are the top bits of one `next()` scaled by the type's ulp at 1/2, so the
    /// largest draw is the largest value below 1 and no draw rounds up to 1.
    @Test func uniformDrawsUseTheTopBits() {
        var a = RandomGenerator(seed: 5), b = RandomGenerator(seed: 5)
        let bits = a.next()
        #expect(b.nextUniform(as: Float.self) == Float(bits >> 40) / 16_777_216)
        var c = RandomGenerator(seed: 5)
        #expect(c.nextUniform() == Double(bits >> 11) / 9_007_199_254_740_992)
        #expect(Float(UInt64.max >> 40) * 0x1p-24 == Float(1).nextDown)
        #expect(Double(UInt64.max >> 11) * 0x1p-53 == Double(1).nextDown)
    }

    @Test func samplesHaveTheRightRangeAndMoments() {
        var generator = RandomGenerator(seed: 1)
        let count = 20_000
        var uniformSum = 0.0, normalSum = 0.0, normalSquares = 0.0, pairProducts = 0.0
        var counts = [0, 0, 0]
        for _ in 0..<count {
            let uniform = generator.nextUniform()
            #expect(uniform >= 0 && uniform < 1)
            let float = generator.nextUniform(as: Float.self)
            #expect(float >= 0 && float < 1)
            counts[generator.nextIndex(below: 3)] += 1
            uniformSum += uniform
            let normal = generator.nextNormal()
            normalSum += normal
            normalSquares += normal * normal
            let (a, b) = generator.nextNormalPair()
            #expect(a.isFinite && b.isFinite)
            pairProducts += a * b
        }
        #expect(abs(uniformSum / Double(count) - 0.5) < 0.01)
        #expect(counts.allSatisfy { abs(Double($0) / Double(count) - 1.0 / 3) < 0.02 })
        #expect(abs(normalSum / Double(count)) < 0.03)
        #expect(abs(normalSquares / Double(count) - 1) < 0.05)
        #expect(abs(pairProducts / Double(count)) < 0.03)  // the pair's halves are uncorrelated
    }
}
