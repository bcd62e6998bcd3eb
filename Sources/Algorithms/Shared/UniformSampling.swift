// Uniform draws shared by the replay samplers, fixed by the generator's sequence alone.

/// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection: unbiased, and fixed by
/// the generator's sequence alone).
@inline(__always)
func uniformIndex(below bound: Int, using generator: inout RandomGenerator) -> Int {
    let bound = UInt64(bound)
    var product = generator.next().multipliedFullWidth(by: bound)
    if product.low < bound {
        let threshold = (0 &- bound) % bound
        while product.low < threshold { product = generator.next().multipliedFullWidth(by: bound) }
    }
    return Int(product.high)
}

/// A uniform `Double` in [0, 1) with 53 random bits.
@inline(__always)
func uniformUnit(using generator: inout RandomGenerator) -> Double {
    Double(generator.next() >> 11) * 0x1p-53
}
