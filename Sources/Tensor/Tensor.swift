@_exported import Random

/// A Float32 tensor: row-major, contiguous, with copy-on-write value semantics.
///
/// Ranks 0 to 4 are supported; rank 1 and 2 have fast paths. Copying a `Tensor` is O(1): the
/// scalars are shared until one of the copies is mutated.
public struct Tensor: Sendable, Equatable {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order.
    public internal(set) var scalars: [Float]

    /// Creates a tensor from its shape and row-major scalars.
    /// - Precondition: `scalars.count` equals the product of `shape`, and the rank is at most 4.
    public init(shape: [Int], scalars: [Float]) {
        Tensor.checkShape(shape, op: "Tensor(shape:scalars:)")
        precondition(
            scalars.count == shape.reduce(1, *),
            "Tensor(shape:scalars:): shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor whose elements are all `value`.
    public init(repeating value: Float, shape: [Int]) {
        Tensor.checkShape(shape, op: "Tensor(repeating:shape:)")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// Creates a rank-0 tensor holding one scalar.
    public init(_ scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    /// Creates a rank-1 tensor from an array.
    public init(_ scalars: [Float]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// Creates a rank-2 tensor from rows of equal length.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "Tensor(_ rows:): rows differ in length")
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// Creates a tensor by letting `body` fill uninitialized storage of `shape`'s element count.
    @inlinable
    static func filling(_ shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) -> Void) -> Tensor {
        let count = shape.reduce(1, *)
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            body(buffer)
            initialized = count
        }
        return Tensor(unchecked: shape, scalars)
    }

    @usableFromInline
    init(unchecked shape: [Int], _ scalars: [Float]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { scalars.count }
    /// The size of the first dimension of a rank-2 tensor (1 for lower ranks).
    public var rowCount: Int { rank >= 2 ? shape[0] : 1 }
    /// The size of the last dimension (1 for a rank-0 tensor).
    public var columnCount: Int { shape.last ?? 1 }

    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "Tensor.scalar: shape \(shape) holds \(count) elements, expected 1")
        return scalars[0]
    }

    /// The element at row `row`, column `column` of a rank-2 tensor.
    public subscript(row: Int, column: Int) -> Float {
        precondition(rank == 2, "Tensor[row, column]: shape \(shape) is not rank 2")
        return scalars[row * shape[1] + column]
    }

    /// Whether every element is finite (neither NaN nor infinite).
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

    static func checkShape(_ shape: [Int], op: String) {
        precondition(shape.count <= 4, "\(op): rank \(shape.count) of shape \(shape) exceeds 4")
        precondition(shape.allSatisfy { $0 >= 0 }, "\(op): shape \(shape) has a negative dimension")
    }
}

extension Tensor: CustomStringConvertible {
    /// The shape and the first eight scalars, for printing.
    public var description: String {
        let preview = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(preview)\(count > 8 ? ", …" : "")])"
    }
}

extension Tensor {
    /// Gives `body` mutable access to the elements (copying them first if they are shared).
    public mutating func withUnsafeMutableScalars<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { try body($0) }
    }
}
