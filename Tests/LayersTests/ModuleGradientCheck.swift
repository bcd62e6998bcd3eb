import Testing
import Layers

/// Checks the gradients of `f(module, x)` with respect to the input and every parameter of
/// `module` against central finite differences (Float32, a sample of elements per tensor).
func checkModuleGradients(
    _ module: Module, input: Tensor, step: Float = 2e-3, absolute: Float = 3e-3, relative: Float = 3e-2,
    sourceLocation: SourceLocation = #_sourceLocation, _ f: @escaping (Variable) -> Variable
) {
    var generator = RandomGenerator(seed: 77)
    let tape = Tape()
    let x = tape.variable(input)
    let output = f(x)
    let weights = Tensor.randomNormal(output.shape, using: &generator)
    let gradients = tape.gradients(of: (output * output.constant(weights)).sum())

    var current = input
    func objective() -> Double {
        let out = f(Tape().constant(current)).value
        return zip(out.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    func compare(_ analytic: Tensor?, _ label: String, perturb: (Int, Float) -> Void, count: Int) {
        let stride = Swift.max(1, count / 12)
        for i in Swift.stride(from: 0, to: count, by: stride) {
            perturb(i, step)
            let plus = objective()
            perturb(i, -2 * step)
            let minus = objective()
            perturb(i, step)
            let numeric = Float((plus - minus) / Double(2 * step))
            let a = analytic?.scalars[i] ?? 0
            #expect(
                abs(a - numeric) <= absolute + relative * Swift.max(abs(a), abs(numeric)),
                "\(label)[\(i)]: analytic \(a) vs numeric \(numeric)", sourceLocation: sourceLocation)
        }
    }
    for (name, parameter) in module.namedParameters {
        compare(gradients[parameter], name, perturb: { i, d in
            parameter.value.withUnsafeMutableScalars { $0[i] += d }
        }, count: parameter.value.count)
    }
    compare(gradients[x], "input", perturb: { i, d in current.withUnsafeMutableScalars { $0[i] += d } }, count: input.count)
}
