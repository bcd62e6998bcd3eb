extension Tensor {
    /// A tensor of samples from a normal distribution.
    public static func randomNormal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, using generator: inout RandomGenerator
    ) -> Tensor {
        Tensor.filling(shape) { out in
            var i = 0
            while i < out.count {
                let (a, b) = generator.nextNormalPair()
                out[i] = mean + standardDeviation * Float(a)
                if i + 1 < out.count { out[i + 1] = mean + standardDeviation * Float(b) }
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
            for i in out.indices { out[i] = range.lowerBound + width * generator.nextUniform(as: Float.self) }
        }
    }
}
