import Foundation

/// A small, fast, seeded pseudo-random generator (SplitMix64) owned by each environment copy.
///
/// The same seed yields the same sequence on every machine and thread count; `split()` derives
/// an independent generator, which is how a vectorized environment seeds its copies.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
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
    public mutating func split() -> SplitMix64 {
        SplitMix64(seed: next() ^ 0x6A09_E667_F3BC_C909)
    }

    /// A uniform sample in [0, 1).
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A uniform integer in `0..<upperBound` (`upperBound` > 0).
    public mutating func nextIndex(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "nextIndex(below:) needs a positive bound, got \(upperBound)")
        return Int(next(upperBound: UInt64(upperBound)))
    }

    /// A standard normal sample (Box–Muller).
    public mutating func nextNormal() -> Double {
        let u1 = 1.0 - nextUniform()  // (0, 1], so the logarithm is finite
        let u2 = nextUniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
