#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seeded, splittable pseudo-random generator (RandomGenerator), the one every product uses.
///
/// The same seed yields the same sequence on every machine. `split()` derives an independent
/// generator, so work handed to threads or environment copies stays reproducible whatever the
/// thread count. Each draw below consumes a fixed number of `next()` values (``nextIndex(below:)``
/// rarely more: it rejects to stay unbiased), so a saved ``state`` continues a run exactly.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Hashable {
    /// The internal state: `RandomGenerator(seed: state)` continues exactly this sequence.
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

    /// A uniform integer in `0..<upperBound` (`upperBound` > 0): Lemire's multiply-shift with
    /// rejection, unbiased.
    public mutating func nextIndex(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "nextIndex(below:) needs a positive bound, got \(upperBound)")
        return Int(next(upperBound: UInt64(upperBound)))
    }

    /// A uniform sample in [0, 1) with as many random bits as `type` has significand bits
    /// (24 for `Float`, 53 for `Double`): every value is a multiple of the type's ulp at 1/2.
    public mutating func nextUniform<Value: BinaryFloatingPoint>(as type: Value.Type) -> Value {
        let bits = Value.significandBitCount + 1
        return Value(next() >> UInt64(64 - bits)) * Value(sign: .plus, exponent: Value.Exponent(-bits), significand: 1)
    }

    /// A uniform `Double` in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        nextUniform(as: Double.self)
    }

    /// A standard normal sample from two draws: Box–Muller on (1 − u, v).
    public mutating func nextNormal() -> Double {
        let u = nextUniform(), v = nextUniform()
        return Self.boxMuller(1 - u, v).0
    }

    /// A pair of independent standard normal samples from two draws: Box–Muller on
    /// (u + 2⁻⁵³, v), both outputs.
    public mutating func nextNormalPair() -> (Double, Double) {
        let u = nextUniform(), v = nextUniform()
        return Self.boxMuller(u + 0x1p-53, v)
    }

    /// Two independent standard normals from `radial` in (0, 1] and `angular` in [0, 1).
    private static func boxMuller(_ radial: Double, _ angular: Double) -> (Double, Double) {
        let radius = (-2 * log(radial)).squareRoot()
        let angle = 2 * Double.pi * angular
        return (radius * cos(angle), radius * sin(angle))
    }
}
