import Dispatch

// Data parallelism inside one process: a row-wise function of a batch (a network applied to each
// sample) runs on contiguous row chunks at once, one thread and one private tape per chunk.
// Parameter gradients are summed over the chunks in chunk order, so a result depends on the chunk
// count but never on thread timing.

extension Variable {
    /// Applies `body` to `parts` contiguous row chunks of this value in parallel, each on a private
    /// tape, and joins the outputs by rows; backward runs the chunks' reverse passes in parallel too.
    ///
    /// `body` must treat rows independently (row `i` of the output depends only on row `i` of the
    /// input), read its weights only from `parameters` (through `tape.variable(_:)` on the tape of
    /// its argument), and change no shared state. Gradients equal those of `body(self)` up to the
    /// order of the sums over rows. With one part, or fewer rows than parts, `body` runs here.
    public func splittingRows(
        into parts: Int, parameters: [Parameter], _ body: @escaping (Variable) -> Variable
    ) -> Variable {
        precondition(parts >= 1, "splittingRows: parts must be at least 1, got \(parts)")
        let rows = value.rowCount
        guard value.rank == 2, parts > 1, rows >= parts else { return body(self) }
        let outer = tape
        let leaves = parameters.map { outer.variable($0) }
        let frozen = zip(parameters, leaves).filter { !outer.needsGradient($0.1) }.map(\.0)
        let inputNeedsGradient = outer.needsGradient(self)
        let ranges = Tensor.rowRanges(rows: rows, parts: parts)
        let input = value
        let chunks = ChunkResults<(tape: Tape, input: Variable, output: Variable)>(count: parts)
        inParallel(parts) { part in
            let inner = Tape()
            inner.freeze(frozen)
            let chunk = input.slicingRows(ranges[part])
            let x = inputNeedsGradient ? inner.variable(chunk) : inner.constant(chunk)
            chunks[part] = (inner, x, body(x))
        }
        let output = Tensor.concatenatingRows((0..<parts).map { chunks[$0].output.value })
        return outer.record(output, inputs: [self] + leaves) { g in
            let gradients = ChunkResults<Gradients>(count: parts)
            inParallel(parts) { part in
                let chunk = chunks[part]
                gradients[part] = chunk.tape.gradients(of: chunk.output, seed: g.slicingRows(ranges[part]))
            }
            let inputGradient = inputNeedsGradient
                ? Tensor.concatenatingRows((0..<parts).map { part in
                    gradients[part][chunks[part].input] ?? Tensor.zeros(chunks[part].input.shape)
                })
                : nil
            // Each thread sums the chunks' gradients of every `parts`-th parameter.
            let sums = ChunkResults<Tensor?>(count: parameters.count)
            inParallel(parts) { thread in
                for index in stride(from: thread, to: parameters.count, by: parts) {
                    sums[index] = (0..<parts).reduce(nil) { (sum: Tensor?, part) in
                        guard let next = gradients[part][parameters[index]] else { return sum }
                        guard var total = sum else { return next }
                        total.add(next, op: "splittingRows")
                        return total
                    }
                }
            }
            return [inputGradient] + (0..<parameters.count).map { sums[$0] }
        }
    }
}

extension Tensor {
    /// `parts` contiguous row ranges covering `0..<rows`, sizes differing by at most one.
    static func rowRanges(rows: Int, parts: Int) -> [Range<Int>] {
        (0..<parts).map { part in (part * rows / parts)..<((part + 1) * rows / parts) }
    }

    /// The rows in `range` of a rank-2 tensor.
    func slicingRows(_ range: Range<Int>) -> Tensor {
        precondition(rank == 2 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "slicingRows: rows \(range) out of bounds for shape \(shape)")
        let columns = shape[1]
        return Tensor(unchecked: [range.count, columns],
                      Array(scalars[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// Rank-2 tensors with equal column counts stacked by rows.
    static func concatenatingRows(_ parts: [Tensor]) -> Tensor {
        let columns = parts[0].columnCount
        precondition(parts.allSatisfy { $0.rank == 2 && $0.columnCount == columns },
                     "concatenatingRows: shapes \(parts.map(\.shape)) differ in columns")
        var scalars: [Float] = []
        scalars.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { scalars.append(contentsOf: part.scalars) }
        return Tensor(unchecked: [scalars.count / Swift.max(columns, 1), columns], scalars)
    }
}

/// Runs `body(0..<count)` at once on `count` threads and returns when all are done.
func inParallel(_ count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
        if count == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let job = ParallelJob(body: body)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            BLAS.withSingleThreadedProducts { job.body(index) }
        }
    }
}

/// `@unchecked Sendable`: the closure of one ``inParallel(_:_:)`` call, run once per index. The
/// callers' closures only read state that nothing writes during the call (parameters, inputs)
/// and write only their own index's slot of a ``ChunkResults``.
private struct ParallelJob: @unchecked Sendable {
    let body: (Int) -> Void
}

/// `@unchecked Sendable`: one slot per parallel chunk; each slot is written by exactly one thread
/// inside one ``inParallel(_:_:)`` call and read only after that call returns.
final class ChunkResults<Value>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    subscript(index: Int) -> Value {
        get { slots[index]! }
        set { slots[index] = newValue }
    }
}
