import CTensorKernels
import Foundation

// Sums, means, maxima and log-sum-exp along an axis or over all elements.

extension Tensor {
    /// Splits the shape around `axis` into (outer, length, inner) for strided reductions.
    func axisLayout(_ axis: Int, op: String) -> (outer: Int, length: Int, inner: Int, axis: Int) {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "\(op): axis \(axis) is out of range for shape \(shape)")
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        return (outer, shape[a], inner, a)
    }

    /// The shape after reducing `axis`.
    func reducedShape(_ axis: Int, keeping: Bool) -> [Int] {
        var s = shape
        if keeping { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// Reduces along `axis` with `combine`, starting each output from `initial`.
    func reduce(
        alongAxis axis: Int, keepingDimension: Bool, op: String, initial: Float,
        _ combine: (Float, Float) -> Float
    ) -> Tensor {
        let (outer, length, inner, a) = axisLayout(axis, op: op)
        var result = [Float](repeating: initial, count: outer * inner)
        scalars.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { r in
                for o in 0..<outer {
                    for k in 0..<length {
                        let base = (o * length + k) * inner
                        for i in 0..<inner { r[o * inner + i] = combine(r[o * inner + i], x[base + i]) }
                    }
                }
            }
        }
        return Tensor(unchecked: reducedShape(a, keeping: keepingDimension), result)
    }

    /// The sum of all elements, as a rank-0 tensor.
    public func sum() -> Tensor {
        var total: Double = 0
        for v in scalars { total += Double(v) }
        return Tensor(Float(total))
    }

    /// The mean of all elements, as a rank-0 tensor.
    public func mean() -> Tensor { Tensor(sum().scalar / Float(Swift.max(count, 1))) }

    /// The largest element, as a rank-0 tensor.
    public func max() -> Tensor { Tensor(scalars.max() ?? -.infinity) }

    /// Reduces each row of the last axis with a C kernel `(x, out, rows, columns)`.
    func reduceLastAxis(
        keepingDimension: Bool, op: String, _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void
    ) -> Tensor {
        let (outer, length, _, a) = axisLayout(-1, op: op)
        let result = [Float](unsafeUninitializedCapacity: outer) { out, initialized in
            scalars.withUnsafeBufferPointer { x in
                if outer > 0 { kernel(x.baseAddress!, out.baseAddress!, outer, length) }
            }
            initialized = outer
        }
        return Tensor(unchecked: reducedShape(a, keeping: keepingDimension), result)
    }

    /// Sums along `axis` (negative counts from the end).
    public func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        if axisLayout(axis, op: "sum").inner == 1, count > 0 {
            return reduceLastAxis(keepingDimension: keepingDimension, op: "sum") { dcrl_row_sums($0, $1, $2, $3) }
        }
        return reduce(alongAxis: axis, keepingDimension: keepingDimension, op: "sum", initial: 0, +)
    }

    /// Means along `axis`.
    public func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let length = Float(shape[axisLayout(axis, op: "mean").axis])
        return sum(alongAxis: axis, keepingDimension: keepingDimension) / length
    }

    /// Maxima along `axis`.
    public func max(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        if axisLayout(axis, op: "max").inner == 1, count > 0 {
            return reduceLastAxis(keepingDimension: keepingDimension, op: "max") { dcrl_row_maxima($0, $1, $2, $3) }
        }
        return reduce(alongAxis: axis, keepingDimension: keepingDimension, op: "max", initial: -.infinity) {
            $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1)
        }
    }

    /// The column sums of a matrix (the sum over all leading dimensions), shape `[columnCount]`.
    public func sumRows() -> Tensor {
        let columns = columnCount, rows = count / Swift.max(columns, 1)
        guard rows > 0, columns > 0 else { return Tensor.zeros([columns]) }
        // The kernel starts its sums at zero itself.
        return Tensor.filling([columns]) { r in
            scalars.withUnsafeBufferPointer { x in dcrl_column_sums(x.baseAddress!, r.baseAddress!, rows, columns) }
        }
    }

    /// log Σ exp along `axis`, computed stably (the maximum is subtracted first).
    public func logSumExp(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        if axisLayout(axis, op: "logSumExp").inner == 1, count > 0 {
            return reduceLastAxis(keepingDimension: keepingDimension, op: "logSumExp") { dcrl_row_logsumexp($0, $1, $2, $3) }
        }
        let peak = max(alongAxis: axis, keepingDimension: true).map { $0.isFinite ? $0 : 0 }
        let shifted = exp(self - peak).sum(alongAxis: axis, keepingDimension: true)
        let result = log(shifted) + peak
        return keepingDimension ? result : result.reshaped(to: reducedShape(axisLayout(axis, op: "logSumExp").axis, keeping: false))
    }

    /// Softmax along `axis`.
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        exp(self - logSumExp(alongAxis: axis, keepingDimension: true))
    }

    /// Log-softmax along `axis`, computed stably.
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        self - logSumExp(alongAxis: axis, keepingDimension: true)
    }
}

extension Variable {
    /// The sum of all elements.
    public func sum() -> Variable {
        let s = shape
        return tape.record(value.sum(), inputs: [self]) { g in [Tensor(repeating: g.scalar, shape: s)] }
    }

    /// The mean of all elements.
    public func mean() -> Variable {
        let s = shape, n = Float(Swift.max(value.count, 1))
        return tape.record(value.mean(), inputs: [self]) { g in [Tensor(repeating: g.scalar / n, shape: s)] }
    }

    /// Sums along `axis`.
    public func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Variable {
        let s = shape, kept = value.reducedShape(value.axisLayout(axis, op: "sum").axis, keeping: true)
        return tape.record(value.sum(alongAxis: axis, keepingDimension: keepingDimension), inputs: [self]) { g in
            [Tensor.zipWith(Tensor.zeros(s), g.reshaped(to: kept), op: "sum") { $1 }]
        }
    }

    /// Means along `axis`.
    public func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Variable {
        let length = Float(shape[value.axisLayout(axis, op: "mean").axis])
        return sum(alongAxis: axis, keepingDimension: keepingDimension) / length
    }

    /// Maxima along `axis`; the gradient goes to the first maximal element.
    public func max(alongAxis axis: Int, keepingDimension: Bool = false) -> Variable {
        let x = value
        let (outer, length, inner, a) = x.axisLayout(axis, op: "max")
        let result = x.max(alongAxis: axis, keepingDimension: true)
        let output = keepingDimension ? result : result.reshaped(to: x.reducedShape(a, keeping: false))
        return tape.record(output, inputs: [self]) { g in
            var dx = [Float](repeating: 0, count: x.count)
            for o in 0..<outer {
                for i in 0..<inner {
                    let target = result.scalars[o * inner + i]
                    for k in 0..<length where x.scalars[(o * length + k) * inner + i] == target {
                        dx[(o * length + k) * inner + i] = g.scalars[o * inner + i]
                        break
                    }
                }
            }
            return [Tensor(unchecked: x.shape, dx)]
        }
    }

    /// log Σ exp along `axis`, computed stably; its gradient is the softmax.
    public func logSumExp(alongAxis axis: Int, keepingDimension: Bool = false) -> Variable {
        let x = value
        let kept = x.logSumExp(alongAxis: axis, keepingDimension: true)
        let (outer, length, inner, a) = x.axisLayout(axis, op: "logSumExp")
        let output = keepingDimension ? kept : kept.reshaped(to: x.reducedShape(a, keeping: false))
        return tape.record(output, inputs: [self]) { g in
            guard inner == 1, x.count > 0 else { return [exp(x - kept) * g.reshaped(to: kept.shape)] }
            let dx = Tensor.filling(x.shape) { dx in
                x.scalars.withUnsafeBufferPointer { x in
                    kept.scalars.withUnsafeBufferPointer { lse in
                        g.scalars.withUnsafeBufferPointer { g in
                            dcrl_row_logsumexp_backward(
                                x.baseAddress!, lse.baseAddress!, g.baseAddress!, dx.baseAddress!, outer, length)
                        }
                    }
                }
            }
            return [dx]
        }
    }

    /// Log-softmax along `axis`.
    public func logSoftmax(alongAxis axis: Int = -1) -> Variable {
        self - logSumExp(alongAxis: axis, keepingDimension: true)
    }

    /// Softmax along `axis`.
    public func softmax(alongAxis axis: Int = -1) -> Variable {
        exp(logSoftmax(alongAxis: axis))
    }
}
