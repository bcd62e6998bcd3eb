import Testing
import Tensor

/// Compares the tape's gradients of `f` with central finite differences.
///
/// The output is reduced to a scalar with fixed random weights so every output element matters.
/// Differences run in Float32 with step `step`; the tolerance is `absolute + relative · |g|`.
func checkGradients(
    _ inputs: [Tensor], step: Float = 2e-3, absolute: Float = 2e-3, relative: Float = 2e-2,
    sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Variable]) -> Variable
) {
    let tape = Tape()
    let variables = inputs.map { tape.variable($0) }
    let output = f(variables)
    var generator = RandomGenerator(seed: 1234)
    let weights = Tensor.randomNormal(output.shape, using: &generator)
    let loss = (output * output.constant(weights)).sum()
    let gradients = tape.gradients(of: loss)

    func objective(_ xs: [Tensor]) -> Double {
        let t = Tape()
        let out = f(xs.map { t.constant($0) }).value
        var s: Double = 0
        for i in 0..<out.count { s += Double(out.scalars[i]) * Double(weights.scalars[i]) }
        return s
    }

    for (k, input) in inputs.enumerated() {
        let analytic = gradients[variables[k]] ?? Tensor.zeros(input.shape)
        #expect(analytic.shape == input.shape, "gradient shape of input \(k)", sourceLocation: sourceLocation)
        let stride = Swift.max(1, input.count / 24)
        for i in Swift.stride(from: 0, to: input.count, by: stride) {
            var plus = inputs, minus = inputs
            plus[k] = perturbed(input, at: i, by: step)
            minus[k] = perturbed(input, at: i, by: -step)
            let numeric = Float((objective(plus) - objective(minus)) / Double(2 * step))
            let a = analytic.scalars[i]
            #expect(
                abs(a - numeric) <= absolute + relative * Swift.max(abs(a), abs(numeric)),
                "input \(k) element \(i): analytic \(a) vs numeric \(numeric)", sourceLocation: sourceLocation)
        }
    }
}

func perturbed(_ x: Tensor, at index: Int, by delta: Float) -> Tensor {
    var scalars = x.scalars
    scalars[index] += delta
    return Tensor(shape: x.shape, scalars: scalars)
}

/// A random tensor for tests.
func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.randomNormal(shape, standardDeviation: scale, using: &generator)
}

/// Whether two tensors agree elementwise within `tolerance`.
func close(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5) -> Bool {
    a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= tolerance * Swift.max(1, abs($1)) }
}

@Suite struct GradientCheckTests {
    @Test func detectsAWrongGradientRule() {
        withKnownIssue("a pullback that doubles the true gradient must be caught") {
            checkGradients([random([2, 3], seed: 1)]) { v in
                v[0].tape.record(v[0].value.squared(), inputs: [v[0]]) { g in [g * v[0].value * 4] }
            }
        }
    }
}
