// Euclidean distances between two sets of rows through one GEMM: ‖a_i − b_j‖² = |a_i|² + |b_j|² −
// 2 a_i·b_j, clamped at 0 before the square root. The gradient at a zero distance is taken as 0.

/// The `[n, m]` matrix of Euclidean distances between the rows of `a` (`[n, d]`) and `b` (`[m, d]`).
public func pairwiseDistance(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (n, _, m) = Tensor.productShape(a, b, transposeA: false, transposeB: true, op: "pairwiseDistance")
    let na = rowSquaredNorms(a), nb = rowSquaredNorms(b)
    var d = Tensor.filling([n, m]) { out in
        for i in 0..<n {
            for j in 0..<m { out[i * m + j] = na[i] + nb[j] }
        }
    }
    d.addProduct(a, b, transposeB: true, alpha: -2, beta: 1)
    return d.map { $0.isNaN ? $0 : Swift.max($0, 0).squareRoot() }
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
        let q = Tensor.zipWith(g, d, op: "pairwiseDistance") { $1 > 0 ? $0 / $1 : 0 }
        var da: Tensor?, db: Tensor?
        if needA {
            let rowSums = q.sum(alongAxis: 1, keepingDimension: true)
            var r = x * rowSums
            r.addProduct(q, y, alpha: -1, beta: 1)
            da = r
        }
        if needB {
            let columnSums = q.sumRows().reshaped(to: [q.shape[1], 1])
            var r = y * columnSums
            r.addProduct(q, x, transposeA: true, alpha: -1, beta: 1)
            db = r
        }
        return [da, db]
    }
}
