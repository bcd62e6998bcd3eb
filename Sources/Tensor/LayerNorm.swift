import CTensorKernels

// Layer normalization over the last axis with a learnable scale and offset, optionally fused with
// swish. One C pass forward, one backward; only the input, row means and reciprocal standard
// deviations are saved, the normalized values are recomputed in the backward pass.

/// The epsilon added to the variance, as in the reference (flax's LayerNorm uses 1e-6).
public let layerNormEpsilon: Float = 1e-6

struct LayerNormResult {
    var output: Tensor
    var mean: [Float]
    var reciprocalStandardDeviation: [Float]
}

func layerNormForward(_ x: Tensor, scale: Tensor, offset: Tensor, swish: Bool, op: String) -> LayerNormResult {
    let columns = x.columnCount
    precondition(
        x.rank >= 1 && scale.shape == [columns] && offset.shape == [columns],
        "\(op): scale \(scale.shape) and offset \(offset.shape) must be [\(columns)] for input \(x.shape)")
    let rows = x.count / Swift.max(columns, 1)
    var mean = [Float](repeating: 0, count: rows), rstd = [Float](repeating: 0, count: rows)
    let output = Tensor.filling(x.shape) { out in
        guard x.count > 0 else { return }
        x.scalars.withUnsafeBufferPointer { px in
            scale.scalars.withUnsafeBufferPointer { ps in
                offset.scalars.withUnsafeBufferPointer { po in
                    dcrl_layer_norm_forward(
                        px.baseAddress!, ps.baseAddress!, po.baseAddress!, out.baseAddress!, &mean, &rstd,
                        rows, columns, layerNormEpsilon, swish ? 1 : 0)
                }
            }
        }
    }
    return LayerNormResult(output: output, mean: mean, reciprocalStandardDeviation: rstd)
}

func layerNormVariable(_ x: Variable, scale: Variable, offset: Variable, swish: Bool, op: String) -> Variable {
    let (xv, sv, ov) = (x.value, scale.value, offset.value)
    let forward = layerNormForward(xv, scale: sv, offset: ov, swish: swish, op: op)
    let (mean, rstd) = (forward.mean, forward.reciprocalStandardDeviation)
    return x.tape.record(forward.output, inputs: [x, scale, offset]) { g in
        let columns = xv.columnCount, rows = xv.count / Swift.max(columns, 1)
        var dscale = [Float](repeating: 0, count: columns), doffset = dscale, work = dscale
        let dx = Tensor.filling(xv.shape) { out in
            guard xv.count > 0 else { return }
            xv.scalars.withUnsafeBufferPointer { px in
                sv.scalars.withUnsafeBufferPointer { ps in
                    ov.scalars.withUnsafeBufferPointer { po in
                        g.scalars.withUnsafeBufferPointer { pg in
                            dcrl_layer_norm_backward(
                                px.baseAddress!, ps.baseAddress!, po.baseAddress!, mean, rstd, pg.baseAddress!,
                                out.baseAddress!, &dscale, &doffset, &work, rows, columns, swish ? 1 : 0)
                        }
                    }
                }
            }
        }
        return [dx, Tensor(unchecked: [columns], dscale), Tensor(unchecked: [columns], doffset)]
    }
}

/// Normalizes each row of `x` to zero mean and unit variance, then applies `scale` and `offset`.
public func layerNorm(_ x: Tensor, scale: Tensor, offset: Tensor) -> Tensor {
    layerNormForward(x, scale: scale, offset: offset, swish: false, op: "layerNorm").output
}

/// `swish(layerNorm(x, scale:, offset:))` in one pass.
public func layerNormSwish(_ x: Tensor, scale: Tensor, offset: Tensor) -> Tensor {
    layerNormForward(x, scale: scale, offset: offset, swish: true, op: "layerNormSwish").output
}

/// Layer normalization, differentiable in the input, scale and offset.
public func layerNorm(_ x: Variable, scale: Variable, offset: Variable) -> Variable {
    layerNormVariable(x, scale: scale, offset: offset, swish: false, op: "layerNorm")
}

/// `swish(layerNorm(x, scale:, offset:))` fused, differentiable in the input, scale and offset.
public func layerNormSwish(_ x: Variable, scale: Variable, offset: Variable) -> Variable {
    layerNormVariable(x, scale: scale, offset: offset, swish: true, op: "layerNormSwish")
}
