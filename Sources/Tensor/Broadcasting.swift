// Binary elementwise arithmetic with NumPy broadcasting (shapes aligned at their last dimension).

extension Tensor {
    /// The shape two operands broadcast to, or a precondition failure naming the op and both shapes.
    static func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            precondition(x == y || x == 1 || y == 1, "\(op): shapes \(a) and \(b) do not broadcast")
            result[i] = x == 1 ? y : x
        }
        return result
    }

    /// Strides of `shape` read as `target` (0 along broadcast dimensions).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            let t = i + target.count - shape.count
            strides[t] = shape[i] == 1 ? 0 : step
            step *= shape[i]
        }
        return strides
    }

    @inline(__always)
    static func zipWith(
        _ a: Tensor, _ b: Tensor, op: String, _ f: (Float, Float) -> Float
    ) -> Tensor {
        if a.shape == b.shape {
            return Tensor.filling(a.shape) { out in
                a.scalars.withUnsafeBufferPointer { x in
                    b.scalars.withUnsafeBufferPointer { y in
                        for i in 0..<out.count { out[i] = f(x[i], y[i]) }
                    }
                }
            }
        }
        let shape = broadcastShape(a.shape, b.shape, op: op)
        if b.count == 1, shape == a.shape {
            let s = b.scalars[0]
            return Tensor.filling(shape) { out in
                a.scalars.withUnsafeBufferPointer { x in for i in 0..<out.count { out[i] = f(x[i], s) } }
            }
        }
        if a.count == 1, shape == b.shape {
            let s = a.scalars[0]
            return Tensor.filling(shape) { out in
                b.scalars.withUnsafeBufferPointer { y in for i in 0..<out.count { out[i] = f(s, y[i]) } }
            }
        }
        if shape == a.shape, b.count == a.columnCount, b.shape.last == a.columnCount {
            let columns = a.columnCount
            return Tensor.filling(shape) { out in
                a.scalars.withUnsafeBufferPointer { x in
                    b.scalars.withUnsafeBufferPointer { y in
                        for i in 0..<out.count { out[i] = f(x[i], y[i % columns]) }
                    }
                }
            }
        }
        // One operand holds a value per row ([rows, 1]) of the other ([rows, columns]).
        if shape.count == 2, a.shape == shape || b.shape == shape,
           (a.shape == shape ? b.shape : a.shape) == [shape[0], 1] {
            let columns = shape[1], perRowIsB = a.shape == shape
            return Tensor.filling(shape) { out in
                a.scalars.withUnsafeBufferPointer { x in
                    b.scalars.withUnsafeBufferPointer { y in
                        for row in 0..<shape[0] {
                            let base = row * columns
                            if perRowIsB {
                                let s = y[row]
                                for j in 0..<columns { out[base + j] = f(x[base + j], s) }
                            } else {
                                let s = x[row]
                                for j in 0..<columns { out[base + j] = f(s, y[base + j]) }
                            }
                        }
                    }
                }
            }
        }
        let sa = broadcastStrides(a.shape, to: shape), sb = broadcastStrides(b.shape, to: shape)
        return Tensor.filling(shape) { out in
            var index = [Int](repeating: 0, count: shape.count)
            for i in 0..<out.count {
                var ia = 0, ib = 0
                for d in 0..<shape.count {
                    ia += index[d] * sa[d]
                    ib += index[d] * sb[d]
                }
                out[i] = f(a.scalars[ia], b.scalars[ib])
                Tensor.increment(&index, within: shape)
            }
        }
    }

    /// Advances a row-major multi-index by one element of `shape`.
    @inline(__always)
    static func increment(_ index: inout [Int], within shape: [Int]) {
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1
            if index[d] < shape[d] { return }
            index[d] = 0
            d -= 1
        }
    }

    /// Sums a broadcast result back to `target`, the shape of the operand before broadcasting.
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        if target.reduce(1, *) == 1 { return Tensor(unchecked: target, [sum().scalar]) }
        if target.count <= shape.count, target.last == columnCount, target.reduce(1, *) == columnCount {
            return sumRows().reshaped(to: target)
        }
        if rank == 2, target == [shape[0], 1] { return sum(alongAxis: 1, keepingDimension: true) }
        let strides = Tensor.broadcastStrides(target, to: shape)
        var result = [Float](repeating: 0, count: target.reduce(1, *))
        var index = [Int](repeating: 0, count: shape.count)
        for i in 0..<count {
            var j = 0
            for d in 0..<shape.count { j += index[d] * strides[d] }
            result[j] += scalars[i]
            Tensor.increment(&index, within: shape)
        }
        return Tensor(unchecked: target, result)
    }

    /// Adds `other` (same shape) in place.
    mutating func add(_ other: Tensor, op: String) {
        precondition(shape == other.shape, "\(op): shapes \(shape) and \(other.shape) differ")
        scalars.withUnsafeMutableBufferPointer { x in
            other.scalars.withUnsafeBufferPointer { y in
                for i in 0..<x.count { x[i] += y[i] }
            }
        }
    }

    /// Elementwise sum with NumPy broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor { zipWith(a, b, op: "add") { $0 + $1 } }
    /// Elementwise difference with NumPy broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor { zipWith(a, b, op: "subtract") { $0 - $1 } }
    /// Elementwise product with NumPy broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor { zipWith(a, b, op: "multiply") { $0 * $1 } }
    /// Elementwise quotient with NumPy broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor { zipWith(a, b, op: "divide") { $0 / $1 } }
    /// Adds a scalar to every element.
    public static func + (a: Tensor, b: Float) -> Tensor { a.map { $0 + b } }
    /// Subtracts a scalar from every element.
    public static func - (a: Tensor, b: Float) -> Tensor { a.map { $0 - b } }
    /// Multiplies every element by a scalar.
    public static func * (a: Tensor, b: Float) -> Tensor { a.map { $0 * b } }
    /// Divides every element by a scalar.
    public static func / (a: Tensor, b: Float) -> Tensor { a.map { $0 / b } }
    /// Adds a scalar to every element.
    public static func + (a: Float, b: Tensor) -> Tensor { b.map { a + $0 } }
    /// Subtracts every element from a scalar.
    public static func - (a: Float, b: Tensor) -> Tensor { b.map { a - $0 } }
    /// Multiplies every element by a scalar.
    public static func * (a: Float, b: Tensor) -> Tensor { b.map { a * $0 } }
    /// Divides a scalar by every element.
    public static func / (a: Float, b: Tensor) -> Tensor { b.map { a / $0 } }
    /// Negates every element.
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }
}

extension Variable {
    /// Differentiable elementwise sum with broadcasting; gradients are summed back to each operand's shape.
    public static func + (a: Variable, b: Variable) -> Variable {
        let (sa, sb) = (a.shape, b.shape)
        return a.tape.record(a.value + b.value, inputs: [a, b]) { g in
            [g.sum(toShape: sa), g.sum(toShape: sb)]
        }
    }

    /// Differentiable elementwise difference with broadcasting.
    public static func - (a: Variable, b: Variable) -> Variable {
        let (sa, sb) = (a.shape, b.shape)
        return a.tape.record(a.value - b.value, inputs: [a, b]) { g in
            [g.sum(toShape: sa), (-g).sum(toShape: sb)]
        }
    }

    /// Differentiable elementwise product with broadcasting.
    public static func * (a: Variable, b: Variable) -> Variable {
        let (x, y) = (a.value, b.value)
        return a.tape.record(x * y, inputs: [a, b]) { g in
            [(g * y).sum(toShape: x.shape), (g * x).sum(toShape: y.shape)]
        }
    }

    /// Differentiable elementwise quotient with broadcasting.
    public static func / (a: Variable, b: Variable) -> Variable {
        let (x, y) = (a.value, b.value)
        return a.tape.record(x / y, inputs: [a, b]) { g in
            [(g / y).sum(toShape: x.shape), (-(g * x) / (y * y)).sum(toShape: y.shape)]
        }
    }

    /// Differentiable: adds a constant to every element.
    public static func + (a: Variable, b: Float) -> Variable {
        a.tape.record(a.value + b, inputs: [a]) { g in [g] }
    }
    /// Differentiable: subtracts a constant from every element.
    public static func - (a: Variable, b: Float) -> Variable {
        a.tape.record(a.value - b, inputs: [a]) { g in [g] }
    }
    /// Differentiable: multiplies every element by a constant.
    public static func * (a: Variable, b: Float) -> Variable {
        a.tape.record(a.value * b, inputs: [a]) { g in [g * b] }
    }
    /// Differentiable: divides every element by a constant.
    public static func / (a: Variable, b: Float) -> Variable {
        a.tape.record(a.value / b, inputs: [a]) { g in [g / b] }
    }
    /// Differentiable: adds a constant to every element.
    public static func + (a: Float, b: Variable) -> Variable { b + a }
    /// Differentiable: subtracts every element from a constant.
    public static func - (a: Float, b: Variable) -> Variable { -b + a }
    /// Differentiable: multiplies every element by a constant.
    public static func * (a: Float, b: Variable) -> Variable { b * a }
    /// Differentiable negation.
    public static prefix func - (a: Variable) -> Variable {
        a.tape.record(-a.value, inputs: [a]) { g in [-g] }
    }
}
