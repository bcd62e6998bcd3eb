// Shape manipulation: reshape, transpose, concatenation and slicing of columns, row gathering.

extension Tensor {
    /// The same elements with a new shape of equal element count.
    public func reshaped(to newShape: [Int]) -> Tensor {
        precondition(
            newShape.reduce(1, *) == count,
            "reshaped: shape \(shape) cannot become \(newShape) (\(count) vs \(newShape.reduce(1, *)) elements)")
        Tensor.checkShape(newShape, op: "reshaped")
        return Tensor(unchecked: newShape, scalars)
    }

    /// The transpose of a matrix.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed: shape \(shape) is not rank 2")
        let (rows, columns) = (shape[0], shape[1])
        return Tensor.filling([columns, rows]) { out in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    for c in 0..<columns { out[c * rows + r] = x[r * columns + c] }
                }
            }
        }
    }

    /// The columns `range` of every row (the last axis), shape `[rows, range.count]`.
    public func slicingColumns(_ range: Range<Int>) -> Tensor {
        let columns = columnCount
        precondition(
            rank >= 1 && range.lowerBound >= 0 && range.upperBound <= columns,
            "slicingColumns: range \(range) is outside the \(columns) columns of shape \(shape)")
        let rows = count / Swift.max(columns, 1), width = range.count
        var newShape = shape
        newShape[rank - 1] = width
        return Tensor.filling(newShape) { out in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    for j in 0..<width { out[r * width + j] = x[r * columns + range.lowerBound + j] }
                }
            }
        }
    }

    /// Joins tensors along the last axis; all other dimensions must agree.
    public static func concatenatingColumns(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "concatenatingColumns: no tensors given")
        let lead = Array(parts[0].shape.dropLast())
        for part in parts {
            precondition(
                part.rank >= 1 && Array(part.shape.dropLast()) == lead,
                "concatenatingColumns: shapes \(parts[0].shape) and \(part.shape) differ outside the last axis")
        }
        let rows = lead.reduce(1, *), total = parts.reduce(0) { $0 + $1.columnCount }
        return Tensor.filling(lead + [total]) { out in
            var offset = 0
            for part in parts {
                let width = part.columnCount
                part.scalars.withUnsafeBufferPointer { x in
                    for r in 0..<rows {
                        for j in 0..<width { out[r * total + offset + j] = x[r * width + j] }
                    }
                }
                offset += width
            }
        }
    }

    /// The main diagonal of a square matrix, shape `[n]`.
    public func diagonal() -> Tensor {
        precondition(rank == 2 && shape[0] == shape[1], "diagonal: shape \(shape) is not a square matrix")
        let n = shape[0]
        return Tensor(unchecked: [n], (0..<n).map { scalars[$0 * n + $0] })
    }

    /// The rows at `indices` (first axis), in that order; indices may repeat.
    public func gatheringRows(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "gatheringRows: shape \(shape) has no rows")
        let rows = shape[0], width = count / Swift.max(rows, 1)
        var newShape = shape
        newShape[0] = indices.count
        return Tensor.filling(newShape) { out in
            scalars.withUnsafeBufferPointer { x in
                for (i, row) in indices.enumerated() {
                    precondition(row >= 0 && row < rows, "gatheringRows: index \(row) is outside 0..<\(rows)")
                    for j in 0..<width { out[i * width + j] = x[row * width + j] }
                }
            }
        }
    }
}

extension Variable {
    /// The same elements with a new shape.
    public func reshaped(to newShape: [Int]) -> Variable {
        let s = shape
        return tape.record(value.reshaped(to: newShape), inputs: [self]) { g in [g.reshaped(to: s)] }
    }

    /// The transpose of a matrix.
    public func transposed() -> Variable {
        tape.record(value.transposed(), inputs: [self]) { g in [g.transposed()] }
    }

    /// The columns `range` of every row.
    public func slicingColumns(_ range: Range<Int>) -> Variable {
        let s = shape
        return tape.record(value.slicingColumns(range), inputs: [self]) { g in
            let columns = s[s.count - 1], rows = g.count / Swift.max(range.count, 1)
            var dx = [Float](repeating: 0, count: s.reduce(1, *))
            for r in 0..<rows {
                for j in 0..<range.count { dx[r * columns + range.lowerBound + j] = g.scalars[r * range.count + j] }
            }
            return [Tensor(unchecked: s, dx)]
        }
    }

    /// Joins variables along the last axis.
    public static func concatenatingColumns(_ parts: [Variable]) -> Variable {
        precondition(!parts.isEmpty, "concatenatingColumns: no variables given")
        var start = 0
        let ranges = parts.map { part -> Range<Int> in
            defer { start += part.value.columnCount }
            return start..<(start + part.value.columnCount)
        }
        return parts[0].tape.record(Tensor.concatenatingColumns(parts.map(\.value)), inputs: parts) { g in
            ranges.map { g.slicingColumns($0) }
        }
    }

    /// The main diagonal of a square matrix, shape `[n]`.
    public func diagonal() -> Variable {
        let n = value.rowCount
        return tape.record(value.diagonal(), inputs: [self]) { g in
            var dx = [Float](repeating: 0, count: n * n)
            for i in 0..<n { dx[i * n + i] = g.scalars[i] }
            return [Tensor(unchecked: [n, n], dx)]
        }
    }

    /// The rows at `indices`; gradients of repeated rows add up.
    public func gatheringRows(_ indices: [Int]) -> Variable {
        let s = shape
        return tape.record(value.gatheringRows(indices), inputs: [self]) { g in
            let width = g.count / Swift.max(indices.count, 1)
            var dx = [Float](repeating: 0, count: s.reduce(1, *))
            for (i, row) in indices.enumerated() {
                for j in 0..<width { dx[row * width + j] += g.scalars[i * width + j] }
            }
            return [Tensor(unchecked: s, dx)]
        }
    }
}
