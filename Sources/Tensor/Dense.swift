// The fused affine map of a Dense layer: x · W + b as one GEMM whose C input holds the bias rows.

/// Computes `x · weight + bias` for `x` of shape `[batch, in]`, `weight` `[in, out]`, `bias` `[out]`.
public func dense(_ x: Tensor, weight: Tensor, bias: Tensor) -> Tensor {
    precondition(
        bias.rank == 1 && weight.rank == 2 && bias.count == weight.shape[1],
        "dense: bias shape \(bias.shape) does not match weight shape \(weight.shape)")
    let (m, _, n) = Tensor.productShape(x, weight, transposeA: false, transposeB: false, op: "dense")
    var y = Tensor.filling([m, n]) { out in
        bias.scalars.withUnsafeBufferPointer { b in
            guard n > 0 else { return }
            for row in 0..<m { (out.baseAddress! + row * n).initialize(from: b.baseAddress!, count: n) }
        }
    }
    y.addProduct(x, weight, beta: 1)
    return y
}

/// Computes `x · weight + bias`, differentiable in all three.
public func dense(_ x: Variable, weight: Variable, bias: Variable) -> Variable {
    let tape = x.tape
    let (xv, w) = (x.value, weight.value)
    let (needX, needW, needB) = (tape.needsGradient(x), tape.needsGradient(weight), tape.needsGradient(bias))
    return tape.record(dense(xv, weight: w, bias: bias.value), inputs: [x, weight, bias]) { g in
        [
            needX ? matmul(g, w, transposeB: true) : nil,
            needW ? matmul(xv, g, transposeA: true) : nil,
            needB ? g.sumRows() : nil,
        ]
    }
}
