/// A seeded, splittable pseudo-random generator (SplitMix64).
///
/// The same seed yields the same sequence on every machine. `split()` derives an independent
/// generator, so work handed to threads stays reproducible whatever the thread count.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    /// The internal state: `SplitMix64(seed: state)` continues exactly this sequence (for checkpoints).
    public private(set) var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A new generator whose sequence is independent of this one's; advances this generator.
    public mutating func split() -> RandomGenerator {
        RandomGenerator(seed: next() ^ 0x6A09_E667_F3BC_C909)
    }

    /// A uniform sample in [0, 1).
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / Float(1 << 24))
    }

    /// A pair of independent standard normal samples (Box–Muller).
    public mutating func nextNormalPair() -> (Float, Float) {
        let u1 = (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)  // (0, 1]
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (Float(radius * cos(angle)), Float(radius * sin(angle)))
    }

    /// A standard normal sample.
    public mutating func nextNormal() -> Float { nextNormalPair().0 }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// A tensor of samples from a normal distribution.
    public static func randomNormal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, using generator: inout RandomGenerator
    ) -> Tensor {
        Tensor.filling(shape) { out in
            var i = 0
            while i < out.count {
                let (a, b) = generator.nextNormalPair()
                out[i] = mean + standardDeviation * a
                if i + 1 < out.count { out[i + 1] = mean + standardDeviation * b }
                i += 2
            }
        }
    }

    /// A tensor of samples from a uniform distribution on `range`.
    public static func randomUniform(
        _ shape: [Int], in range: ClosedRange<Float> = 0...1, using generator: inout RandomGenerator
    ) -> Tensor {
        let width = range.upperBound - range.lowerBound
        return Tensor.filling(shape) { out in
            for i in out.indices { out[i] = range.lowerBound + width * generator.nextUniform() }
        }
    }
}
