import CTensorKernels

// Euclidean distances between two sets of rows through one float32 GEMM: ‖a_i − b_j‖² = |a_i|² +
// |b_j|² − 2 a_i·b_j, clamped at 0 before the square root. The gradient at a zero distance is
// taken as 0.

/// The `[n, m]` matrix of Euclidean distances between the rows of `a` (`[n, d]`) and `b` (`[m, d]`).
public func pairwiseDistance(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (n, _, m) = Tensor.productShape(a, b, transposeA: false, transposeB: true, op: "pairwiseDistance")
    let na = rowSquaredNorms(a), nb = rowSquaredNorms(b)
    // float32 even with bfloat16 products: the norms are float32, and a rounded cross term would
    // leave ‖x − x‖ far from 0 (and clamp near pairs to 0, with no gradient).
    var d = BLAS.withProducts(in: .float32) { matmul(a, b, transposeB: true) }
    guard n > 0, m > 0 else { return d }
    d.scalars.withUnsafeMutableBufferPointer { d in
        dcrl_pairwise_distance_finish(d.baseAddress!, na, nb, n, m)
    }
    return d
}

func rowSquaredNorms(_ x: Tensor) -> [Float] {
    let columns = x.columnCount, rows = x.count / Swift.max(columns, 1)
    return (0..<rows).map { r in
        var s: Float = 0
        for j in 0..<columns { s += x.scalars[r * columns + j] * x.scalars[r * columns + j] }
        return s
    }
}

/// Pairwise Euclidean distances, differentiable in both row sets.
public func pairwiseDistance(_ a: Variable, _ b: Variable) -> Variable {
    let (x, y) = (a.value, b.value)
    let d = pairwiseDistance(x, y)
    let (needA, needB) = (a.tape.needsGradient(a), a.tape.needsGradient(b))
    return a.tape.record(d, inputs: [a, b]) { g in
        // ∂d_ij/∂a_i = (a_i − b_j)/d_ij. With G = g/d (0 where d = 0):
        // da = diag(G·1)·a − G·b and db = diag(Gᵀ·1)·b − Gᵀ·a.
        let (n, m) = (d.shape[0], d.shape[1])
        var rowSums = Tensor.zeros([n, 1]), columnSums = Tensor.zeros([m, 1])
        let q = Tensor.filling(d.shape) { q in
            guard n > 0, m > 0 else { return }
            g.scalars.withUnsafeBufferPointer { g in
                d.scalars.withUnsafeBufferPointer { d in
                    rowSums.scalars.withUnsafeMutableBufferPointer { r in
                        columnSums.scalars.withUnsafeMutableBufferPointer { c in
                            dcrl_pairwise_distance_backward(
                                g.baseAddress!, d.baseAddress!, q.baseAddress!, r.baseAddress!, c.baseAddress!, n, m)
                        }
                    }
                }
            }
        }
        var da: Tensor?, db: Tensor?
        if needA {
            var r = x * rowSums
            r.addProduct(q, y, alpha: -1, beta: 1)
            da = r
        }
        if needB {
            var r = y * columnSums
            r.addProduct(q, x, transposeA: true, alpha: -1, beta: 1)
            db = r
        }
        return [da, db]
    }
}
