// Matrix products through `BLAS.multiply`; transposes are passed as flags, never copied.

extension Tensor {
    /// The dimensions (m, k, n) of `op(a) · op(b)`, or a precondition failure naming both shapes.
    static func productShape(
        _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, op: String
    ) -> (m: Int, k: Int, n: Int) {
        precondition(a.rank == 2 && b.rank == 2, "\(op): shapes \(a.shape) and \(b.shape) must be rank 2")
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (k2, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(
            k == k2,
            "\(op): inner dimensions differ for shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "")")
        return (m, k, n)
    }

    /// Writes `alpha · op(a) · op(b) + beta · self` into this matrix (which must be `[m, n]`).
    public mutating func addProduct(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
        alpha: Float = 1, beta: Float = 1
    ) {
        let (m, k, n) = Tensor.productShape(a, b, transposeA: transposeA, transposeB: transposeB, op: "addProduct")
        precondition(shape == [m, n], "addProduct: result shape \(shape) differs from [\(m), \(n)]")
        guard m > 0, n > 0 else { return }
        if k == 0 {
            self = self * beta
            return
        }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                scalars.withUnsafeMutableBufferPointer { pc in
                    BLAS.multiply(pa.baseAddress!, transposeA: transposeA, pb.baseAddress!, transposeB: transposeB,
                                  into: pc.baseAddress!, m: m, n: n, k: k, alpha: alpha, beta: beta)
                }
            }
        }
    }
}

/// The matrix product `op(a) · op(b)`, where `op` transposes when its flag is set. Shapes that
/// do not fit stop the program with a message naming `matmul` and both shapes (a programming
/// error; see the Tensor overview).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let (m, k, n) = Tensor.productShape(a, b, transposeA: transposeA, transposeB: transposeB, op: "matmul")
    if m == 0 || n == 0 || k == 0 { return Tensor.zeros([m, n]) }
    return Tensor.filling([m, n]) { c in
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                BLAS.multiply(pa.baseAddress!, transposeA: transposeA, pb.baseAddress!, transposeB: transposeB,
                              into: c.baseAddress!, m: m, n: n, k: k)
            }
        }
    }
}

/// The matrix product `op(a) · op(b)`, differentiable in both operands.
public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
    let (x, y) = (a.value, b.value)
    let (needA, needB) = (a.tape.needsGradient(a), a.tape.needsGradient(b))
    return a.tape.record(matmul(x, y, transposeA: transposeA, transposeB: transposeB), inputs: [a, b]) { g in
        // c = op(a)·op(b): d op(a) = g·op(b)ᵀ, d op(b) = op(a)ᵀ·g; undo each op on the way back.
        let da: Tensor? = needA
            ? (transposeA ? matmul(y, g, transposeA: transposeB, transposeB: true)
                          : matmul(g, y, transposeB: !transposeB))
            : nil
        let db: Tensor? = needB
            ? (transposeB ? matmul(g, x, transposeA: true, transposeB: transposeA)
                          : matmul(x, g, transposeA: !transposeA))
            : nil
        return [da, db]
    }
}
