// Elementwise minimum of two tensors of the same shape (the twin-critic minimum of SAC and TD3).

/// The elementwise minimum of two tensors of equal shape.
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "minimum: shapes \(a.shape) and \(b.shape) differ")
    return Tensor.zipWith(a, b, op: "minimum") { Swift.min($0, $1) }
}

/// The elementwise minimum of two variables of equal shape. The gradient flows to the smaller
/// operand; on a tie it goes to `a` alone (a subgradient, as `jnp.minimum` picks one side too).
public func minimum(_ a: Variable, _ b: Variable) -> Variable {
    let (x, y) = (a.value, b.value)
    return a.tape.record(minimum(x, y), inputs: [a, b]) { g in
        [Tensor.zipWith3(g, x, y) { $1 <= $2 ? $0 : 0 }, Tensor.zipWith3(g, x, y) { $1 <= $2 ? 0 : $0 }]
    }
}

extension Tensor {
    /// `f` applied to corresponding elements of three tensors of equal shape.
    fileprivate static func zipWith3(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
        Tensor.filling(a.shape) { out in
            for i in 0..<out.count { out[i] = f(a.scalars[i], b.scalars[i], c.scalars[i]) }
        }
    }
}
