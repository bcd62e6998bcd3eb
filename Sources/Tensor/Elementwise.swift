import CTensorKernels
import Foundation

// Unary elementwise operations: each forward kernel next to its gradient rule.

extension Tensor {
    /// Applies `f` to every element.
    @inlinable
    public func map(_ f: (Float) -> Float) -> Tensor {
        Tensor.filling(shape) { out in
            scalars.withUnsafeBufferPointer { x in for i in 0..<out.count { out[i] = f(x[i]) } }
        }
    }

    /// Applies a C kernel `(input, output, count)` to every element.
    func apply(_ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
        Tensor.filling(shape) { out in
            scalars.withUnsafeBufferPointer { x in
                if let input = x.baseAddress, let output = out.baseAddress { kernel(input, output, count) }
            }
        }
    }

    /// Each element squared.
    public func squared() -> Tensor { map { $0 * $0 } }

    /// Each element clamped to `range`.
    public func clamped(to range: ClosedRange<Float>) -> Tensor {
        map { Swift.min(Swift.max($0, range.lowerBound), range.upperBound) }
    }
}

/// Elementwise e^x.
public func exp(_ x: Tensor) -> Tensor { x.apply { dcrl_exp($0, $1, $2) } }
/// Elementwise natural logarithm.
public func log(_ x: Tensor) -> Tensor { x.map { Foundation.log($0) } }
/// Elementwise square root.
public func sqrt(_ x: Tensor) -> Tensor { x.map { $0.squareRoot() } }
/// Elementwise hyperbolic tangent.
public func tanh(_ x: Tensor) -> Tensor { x.map { Foundation.tanh($0) } }
/// Elementwise logistic sigmoid 1 / (1 + e^−x).
public func sigmoid(_ x: Tensor) -> Tensor { x.apply { dcrl_sigmoid($0, $1, $2) } }
/// Elementwise swish x · sigmoid(x).
public func swish(_ x: Tensor) -> Tensor { x.apply { dcrl_swish_forward($0, $1, $2) } }
/// Elementwise max(x, 0).
public func relu(_ x: Tensor) -> Tensor { x.map { Swift.max($0, 0) } }
/// Elementwise log(1 + e^x), computed without overflow.
public func softplus(_ x: Tensor) -> Tensor { x.map(stableSoftplus) }
/// Elementwise log(sigmoid(x)) = −softplus(−x), finite for every finite input.
public func logSigmoid(_ x: Tensor) -> Tensor { x.map { -stableSoftplus(-$0) } }

@inline(__always)
func stableSoftplus(_ x: Float) -> Float {
    Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
}

extension Variable {
    /// Applies a unary op: forward value plus the elementwise derivative rule `(g, x, y) -> dx`.
    func unary(_ y: Tensor, _ rule: @escaping (Tensor, Tensor, Tensor) -> Tensor) -> Variable {
        let x = value
        return tape.record(y, inputs: [self]) { g in [rule(g, x, y)] }
    }

    /// Each element squared.
    public func squared() -> Variable {
        unary(value.squared()) { g, x, _ in Tensor.zipWith(g, x, op: "squared") { 2 * $0 * $1 } }
    }

    /// Each element clamped to `range`; the gradient passes only where the input was inside it.
    public func clamped(to range: ClosedRange<Float>) -> Variable {
        unary(value.clamped(to: range)) { g, x, _ in
            Tensor.zipWith(g, x, op: "clamped") { range.contains($1) ? $0 : 0 }
        }
    }
}

/// Elementwise e^x.
public func exp(_ x: Variable) -> Variable { x.unary(exp(x.value)) { g, _, y in g * y } }
/// Elementwise natural logarithm.
public func log(_ x: Variable) -> Variable { x.unary(log(x.value)) { g, x, _ in g / x } }
/// Elementwise square root.
public func sqrt(_ x: Variable) -> Variable {
    x.unary(sqrt(x.value)) { g, _, y in Tensor.zipWith(g, y, op: "sqrt") { $0 * 0.5 / $1 } }
}
/// Elementwise hyperbolic tangent.
public func tanh(_ x: Variable) -> Variable {
    x.unary(tanh(x.value)) { g, _, y in Tensor.zipWith(g, y, op: "tanh") { $0 * (1 - $1 * $1) } }
}
/// Elementwise logistic sigmoid.
public func sigmoid(_ x: Variable) -> Variable {
    x.unary(sigmoid(x.value)) { g, _, y in Tensor.zipWith(g, y, op: "sigmoid") { $0 * $1 * (1 - $1) } }
}
/// Elementwise swish x · sigmoid(x).
public func swish(_ x: Variable) -> Variable {
    x.unary(swish(x.value)) { g, x, _ in
        Tensor.filling(x.shape) { out in
            guard x.count > 0 else { return }
            x.scalars.withUnsafeBufferPointer { xs in
                g.scalars.withUnsafeBufferPointer { gs in
                    dcrl_swish_backward(xs.baseAddress!, gs.baseAddress!, out.baseAddress!, x.count)
                }
            }
        }
    }
}
/// Elementwise max(x, 0).
public func relu(_ x: Variable) -> Variable {
    x.unary(relu(x.value)) { g, x, _ in Tensor.zipWith(g, x, op: "relu") { $1 > 0 ? $0 : 0 } }
}
/// Elementwise log(1 + e^x), computed without overflow.
public func softplus(_ x: Variable) -> Variable {
    x.unary(softplus(x.value)) { g, x, _ in sigmoid(x) * g }
}
/// Elementwise log(sigmoid(x)), finite for every finite input.
public func logSigmoid(_ x: Variable) -> Variable {
    x.unary(logSigmoid(x.value)) { g, x, _ in sigmoid(-x) * g }
}
