import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - SafeTensor

/// One tensor as stored in a safetensors file: an element type, a row-major shape and the
/// elements' little-endian bytes.
///
/// The initializers check that the bytes match the shape and dtype, so every value is valid to
/// write. A `Tensor` (Float32, row-major) converts with `try SafeTensor(shape:scalars:)` and
/// back with `floats`.
public struct SafeTensor: Equatable, Sendable {
    /// An element type of the safetensors format, named as in the file's `dtype` field.
    public enum DType: String, CaseIterable, Sendable {
        /// Booleans, one byte each.
        case bool = "BOOL"
        /// 4-bit floats (FP4 E2M1).
        case float4 = "F4"
        /// 6-bit floats, 2 exponent and 3 mantissa bits.
        case float6E2M3 = "F6_E2M3"
        /// 6-bit floats, 3 exponent and 2 mantissa bits.
        case float6E3M2 = "F6_E3M2"
        /// Unsigned 8-bit integers.
        case uint8 = "U8"
        /// Signed 8-bit integers.
        case int8 = "I8"
        /// 8-bit floats, 5 exponent and 2 mantissa bits.
        case float8E5M2 = "F8_E5M2"
        /// 8-bit floats, 4 exponent and 3 mantissa bits.
        case float8E4M3 = "F8_E4M3"
        /// 8-bit exponent-only scale factors (E8M0).
        case float8E8M0 = "F8_E8M0"
        /// Signed 16-bit integers.
        case int16 = "I16"
        /// Unsigned 16-bit integers.
        case uint16 = "U16"
        /// IEEE half-precision floats.
        case float16 = "F16"
        /// Brain floats (8 exponent, 7 mantissa bits).
        case bfloat16 = "BF16"
        /// Signed 32-bit integers.
        case int32 = "I32"
        /// Unsigned 32-bit integers.
        case uint32 = "U32"
        /// IEEE single-precision floats, what tensors hold.
        case float32 = "F32"
        /// IEEE double-precision floats.
        case float64 = "F64"
        /// Complex numbers of two 32-bit floats.
        case complex64 = "C64"
        /// Signed 64-bit integers.
        case int64 = "I64"
        /// Unsigned 64-bit integers.
        case uint64 = "U64"

        /// Bits per element; sub-byte types (F4, F6) pack several elements per byte.
        public var bitWidth: Int {
            switch self {
            case .float4: 4
            case .float6E2M3, .float6E3M2: 6
            case .bool, .uint8, .int8, .float8E5M2, .float8E4M3, .float8E8M0: 8
            case .int16, .uint16, .float16, .bfloat16: 16
            case .int32, .uint32, .float32: 32
            case .float64, .complex64, .int64, .uint64: 64
            }
        }
    }

    /// The element type.
    public let dtype: DType
    /// The dimensions (empty for a scalar).
    public let shape: [Int]
    /// The elements in row-major order, little-endian.
    public let bytes: [UInt8]

    /// The number of elements: the product of `shape`, 1 for a scalar (empty shape).
    public var elementCount: Int {
        shape.reduce(1, *)
    }

    /// Wraps raw little-endian bytes; throws if their count does not match dtype and shape.
    public init(dtype: DType, shape: [Int], bytes: [UInt8]) throws {
        let expected = try Self.byteCount(dtype: dtype, shape: shape, name: nil)
        guard bytes.count == expected else {
            throw SafeTensorsError.byteCountMismatch(
                name: nil, dtype: dtype, shape: shape, expected: expected, actual: bytes.count)
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Stores `scalars` in row-major order with the dtype of `Scalar` (F32 for `Float`).
    public init<Scalar: SafeTensorScalar>(shape: [Int], scalars: [Scalar]) throws {
        let dtype = Scalar.safeTensorDType
        _ = try Self.byteCount(dtype: dtype, shape: shape, name: nil)
        guard scalars.count == shape.reduce(1, *) else {
            throw SafeTensorsError.scalarCountMismatch(
                shape: shape, expected: shape.reduce(1, *), actual: scalars.count)
        }
        self.dtype = dtype
        self.shape = shape
        if Self.storesScalarsVerbatim(Scalar.self) {
            self.bytes = scalars.withUnsafeBytes { Array($0) }
        } else {
            self.bytes = scalars.map { $0.safeTensorBits.littleEndian }.withUnsafeBytes { Array($0) }
        }
    }

    /// The elements as `Scalar`; throws unless the dtype is exactly `Scalar`'s.
    public func scalars<Scalar: SafeTensorScalar>(as type: Scalar.Type = Scalar.self) throws -> [Scalar] {
        guard dtype == Scalar.safeTensorDType else {
            throw SafeTensorsError.unsupportedConversion(from: dtype, to: "\(Scalar.self)")
        }
        if Self.storesScalarsVerbatim(Scalar.self) {
            let count = bytes.count / MemoryLayout<Scalar>.stride
            return [Scalar](unsafeUninitializedCapacity: count) { buffer, initializedCount in
                bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
                initializedCount = count
            }
        }
        return Self.bitPatterns(of: bytes, as: Scalar.Bits.self).map(Scalar.init(safeTensorBits:))
    }

    /// Whether `Scalar`'s in-memory representation is already its little-endian file encoding,
    /// so large tensors convert with one copy instead of an element-by-element loop. True for
    /// the standard numeric types on little-endian hosts; other types go through their bits.
    private static func storesScalarsVerbatim<Scalar: SafeTensorScalar>(_: Scalar.Type) -> Bool {
        guard 1.littleEndian == 1 else { return false }
        return verbatimScalarTypes.contains(ObjectIdentifier(Scalar.self))
    }

    private static let verbatimScalarTypes: Set<ObjectIdentifier> = [
        ObjectIdentifier(Float.self), ObjectIdentifier(Double.self),
        ObjectIdentifier(Int64.self), ObjectIdentifier(Int32.self), ObjectIdentifier(Int16.self),
        ObjectIdentifier(Int8.self), ObjectIdentifier(UInt64.self), ObjectIdentifier(UInt32.self),
        ObjectIdentifier(UInt16.self), ObjectIdentifier(UInt8.self),
    ]

    /// The elements as `Float`, converted exactly from F32, F16 or BF16.
    public var floats: [Float] {
        get throws {
            switch dtype {
            case .float32:
                return try scalars(as: Float.self)
            case .bfloat16:
                return Self.bitPatterns(of: bytes, as: UInt16.self).map {
                    Float(bitPattern: UInt32($0) << 16)
                }
            case .float16:
                return Self.bitPatterns(of: bytes, as: UInt16.self).map(Self.float(fromHalfBits:))
            default:
                throw SafeTensorsError.unsupportedConversion(from: dtype, to: "Float")
            }
        }
    }

    /// The byte count of a tensor, with every multiplication checked for overflow.
    static func byteCount(dtype: DType, shape: [Int], name: String?) throws -> Int {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw SafeTensorsError.negativeDimension(name: name, shape: shape)
        }
        // Like the reference implementation, any overflowing partial product is an error, even
        // if a later zero dimension would make the true count 0.
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw SafeTensorsError.sizeOverflow(name: name, dtype: dtype, shape: shape)
            }
            elements = product
        }
        let (bits, overflow) = elements.multipliedReportingOverflow(by: dtype.bitWidth)
        guard !overflow else {
            throw SafeTensorsError.sizeOverflow(name: name, dtype: dtype, shape: shape)
        }
        guard bits % 8 == 0 else {
            throw SafeTensorsError.partialByte(name: name, dtype: dtype, shape: shape)
        }
        return bits / 8
    }

    /// Copies little-endian bytes into native integers without unaligned loads.
    private static func bitPatterns<Bits: FixedWidthInteger>(of bytes: [UInt8], as: Bits.Type) -> [Bits] {
        let count = bytes.count / MemoryLayout<Bits>.size
        let raw = [Bits](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: source.prefix(count * MemoryLayout<Bits>.size)))
            }
            initializedCount = count
        }
        return raw.map { Bits(littleEndian: $0) }
    }

    /// IEEE 754 binary16 to binary32, exact for every input including subnormals, infinities and NaN.
    private static func float(fromHalfBits half: UInt16) -> Float {
        let sign: Float = half & 0x8000 == 0 ? 1 : -1
        let exponent = Int((half >> 10) & 0x1F)
        let fraction = UInt32(half & 0x3FF)
        switch exponent {
        case 0:
            return sign * Float(fraction) * 0x1p-24
        case 0x1F:
            return Float(bitPattern: UInt32(half & 0x8000) << 16 | 0x7F80_0000 | fraction << 13)
        default:
            return Float(bitPattern: UInt32(half & 0x8000) << 16 | UInt32(exponent + 112) << 23 | fraction << 13)
        }
    }
}

// MARK: - Scalars

/// A Swift type stored as one safetensors dtype, through its bit pattern.
public protocol SafeTensorScalar: Sendable {
    /// The unsigned integer type of the same width.
    associatedtype Bits: FixedWidthInteger & UnsignedInteger
    /// The dtype this type is stored as.
    static var safeTensorDType: SafeTensor.DType { get }
    /// The value's bits in native byte order.
    var safeTensorBits: Bits { get }
    /// Rebuilds a value from its bits in native byte order.
    init(safeTensorBits: Bits)
}

extension Float: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .float32 }
    /// The value's bits.
    public var safeTensorBits: UInt32 { bitPattern }
    /// Rebuilds a value from its bits.
    public init(safeTensorBits: UInt32) { self.init(bitPattern: safeTensorBits) }
}

extension Double: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .float64 }
    /// The value's bits.
    public var safeTensorBits: UInt64 { bitPattern }
    /// Rebuilds a value from its bits.
    public init(safeTensorBits: UInt64) { self.init(bitPattern: safeTensorBits) }
}

extension Int64: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .int64 }
    /// The value's bits.
    public var safeTensorBits: UInt64 { UInt64(bitPattern: self) }
    /// Rebuilds a value from its bits.
    public init(safeTensorBits: UInt64) { self.init(bitPattern: safeTensorBits) }
}

extension Int32: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .int32 }
    /// The value's bits.
    public var safeTensorBits: UInt32 { UInt32(bitPattern: self) }
    /// Rebuilds a value from its bits.
    public init(safeTensorBits: UInt32) { self.init(bitPattern: safeTensorBits) }
}

extension Int16: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .int16 }
    /// The value's bits.
    public var safeTensorBits: UInt16 { UInt16(bitPattern: self) }
    /// Rebuilds a value from its bits.
    public init(safeTensorBits: UInt16) { self.init(bitPattern: safeTensorBits) }
}

extension Int8: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .int8 }
    /// The value's bits.
    public var safeTensorBits: UInt8 { UInt8(bitPattern: self) }
    /// Rebuilds a value from its bits.
    public init(safeTensorBits: UInt8) { self.init(bitPattern: safeTensorBits) }
}

extension UInt64: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .uint64 }
    /// The value's bits.
    public var safeTensorBits: UInt64 { self }
    /// Rebuilds a value from its bits.
    public init(safeTensorBits: UInt64) { self = safeTensorBits }
}

extension UInt32: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .uint32 }
    /// The value's bits.
    public var safeTensorBits: UInt32 { self }
    /// Rebuilds a value from its bits.
    public init(safeTensorBits: UInt32) { self = safeTensorBits }
}

extension UInt16: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .uint16 }
    /// The value's bits.
    public var safeTensorBits: UInt16 { self }
    /// Rebuilds a value from its bits.
    public init(safeTensorBits: UInt16) { self = safeTensorBits }
}

extension UInt8: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .uint8 }
    /// The value's bits.
    public var safeTensorBits: UInt8 { self }
    /// Rebuilds a value from its bits.
    public init(safeTensorBits: UInt8) { self = safeTensorBits }
}

extension Bool: SafeTensorScalar {
    /// The safetensors dtype of this type.
    public static var safeTensorDType: SafeTensor.DType { .bool }
    /// The value's bits.
    public var safeTensorBits: UInt8 { self ? 1 : 0 }
    /// Any nonzero byte reads as `true`, as in NumPy.
    public init(safeTensorBits: UInt8) { self = safeTensorBits != 0 }
}

// MARK: - SafeTensorsFile

/// The contents of a safetensors file: named tensors and a free-form string metadata map.
///
/// Reading validates the file as strictly as the format's reference implementation and never
/// traps on bad input; writing lays tensors out as the reference writer does (widest dtype
/// first, then by name) and replaces the destination atomically.
public struct SafeTensorsFile: Equatable, Sendable {
    /// The largest header the reference implementation accepts.
    public static let maximumHeaderByteCount = 100_000_000

    /// The tensors by name.
    public var tensors: [String: SafeTensor]
    /// The file's free-form string metadata (`__metadata__`).
    public var metadata: [String: String]

    /// A tensor name, shape and dtype that a file is expected to hold.
    public struct ExpectedTensor: Equatable, Sendable {
        /// The tensor's name.
        public var name: String
        /// The expected shape.
        public var shape: [Int]
        /// The expected element type.
        public var dtype: SafeTensor.DType

        /// Creates an expectation.
        public init(name: String, shape: [Int], dtype: SafeTensor.DType = .float32) {
            self.name = name
            self.shape = shape
            self.dtype = dtype
        }
    }

    /// Creates a file in memory from tensors and metadata.
    public init(tensors: [String: SafeTensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor names in a stable order: sorted by their UTF-8 bytes.
    public var names: [String] {
        tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    // MARK: Reading

    /// Reads and validates a safetensors file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafeTensorsError.fileSystem(operation: "read", path: url.path, reason: "\(error)")
        }
        try self.init(data: data)
    }

    /// Parses and validates the bytes of a safetensors file.
    public init(data: Data) throws {
        self = try data.withUnsafeBytes { try Self.parse($0) }
    }

    /// Parses and validates the bytes of a safetensors file.
    public init(bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try Self.parse($0) }
    }

    private static func parse(_ file: UnsafeRawBufferPointer) throws -> SafeTensorsFile {
        guard file.count >= 8 else {
            throw SafeTensorsError.fileTooSmall(byteCount: file.count)
        }
        // Byte by byte: portable across byte orders, and no unaligned load.
        var headerLength: UInt64 = 0
        for index in (0..<8).reversed() {
            headerLength = headerLength << 8 | UInt64(file[index])
        }
        guard headerLength <= UInt64(maximumHeaderByteCount) else {
            throw SafeTensorsError.headerTooLarge(byteCount: headerLength)
        }
        let headerEnd = 8 + Int(headerLength)
        guard headerEnd <= file.count else {
            throw SafeTensorsError.truncatedHeader(
                declaredByteCount: Int(headerLength), availableByteCount: file.count - 8)
        }
        let header = try SafeTensorsHeader(parsing: Array(UnsafeRawBufferPointer(rebasing: file[8..<headerEnd])), fileOffset: 8)

        // Offsets must tile the data buffer: sorted by range, each begins where the previous ends.
        let ordered = header.entries.sorted {
            ($0.begin, $0.end) != ($1.begin, $1.end)
                ? ($0.begin, $0.end) < ($1.begin, $1.end)
                : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
        }
        var covered = 0
        for entry in ordered {
            guard entry.begin == covered, entry.end >= entry.begin else {
                throw SafeTensorsError.invalidOffsets(
                    name: entry.name, begin: entry.begin, end: entry.end, expectedBegin: covered)
            }
            covered = entry.end
            let expected = try SafeTensor.byteCount(dtype: entry.dtype, shape: entry.shape, name: entry.name)
            guard entry.end - entry.begin == expected else {
                throw SafeTensorsError.byteCountMismatch(
                    name: entry.name, dtype: entry.dtype, shape: entry.shape,
                    expected: expected, actual: entry.end - entry.begin)
            }
        }
        let dataByteCount = file.count - headerEnd
        guard covered == dataByteCount else {
            throw SafeTensorsError.dataLengthMismatch(coveredByteCount: covered, dataByteCount: dataByteCount)
        }

        var tensors: [String: SafeTensor] = [:]
        for entry in header.entries {
            let range = (headerEnd + entry.begin)..<(headerEnd + entry.end)
            let bytes = Array(UnsafeRawBufferPointer(rebasing: file[range]))
            tensors[entry.name] = try SafeTensor(dtype: entry.dtype, shape: entry.shape, bytes: bytes)
        }
        return SafeTensorsFile(tensors: tensors, metadata: header.metadata)
    }

    // MARK: Looking up tensors

    /// The tensor called `name`; throws ``SafeTensorsError/missingTensor(name:)`` if absent.
    public func tensor(named name: String) throws -> SafeTensor {
        guard let tensor = tensors[name] else {
            throw SafeTensorsError.missingTensor(name: name)
        }
        return tensor
    }

    /// The elements of the F32 tensor called `name`, after checking its dtype and shape.
    public func floats(named name: String, shape: [Int]) throws -> [Float] {
        let tensor = try tensor(named: name)
        guard tensor.dtype == .float32 else {
            throw SafeTensorsError.dtypeMismatch(name: name, expected: .float32, actual: tensor.dtype)
        }
        guard tensor.shape == shape else {
            throw SafeTensorsError.shapeMismatch(name: name, expected: shape, actual: tensor.shape)
        }
        return try tensor.floats
    }

    /// Checks that the file holds exactly the expected tensors, throwing an error that names the
    /// first mismatch: in the order of `expected`, a missing tensor, a dtype or a shape that
    /// differs; then, unless `allowingUnexpectedTensors`, the first extra tensor by name.
    public func validate(against expected: [ExpectedTensor], allowingUnexpectedTensors: Bool = false) throws {
        for item in expected {
            let tensor = try tensor(named: item.name)
            guard tensor.dtype == item.dtype else {
                throw SafeTensorsError.dtypeMismatch(name: item.name, expected: item.dtype, actual: tensor.dtype)
            }
            guard tensor.shape == item.shape else {
                throw SafeTensorsError.shapeMismatch(name: item.name, expected: item.shape, actual: tensor.shape)
            }
        }
        if !allowingUnexpectedTensors {
            let expectedNames = Set(expected.map(\.name))
            if let extra = names.first(where: { !expectedNames.contains($0) }) {
                throw SafeTensorsError.unexpectedTensor(name: extra)
            }
        }
    }

    // MARK: Writing

    /// The file's bytes: the little-endian header length, the header padded with spaces to a
    /// multiple of 8 bytes, then the tensors' data, widest dtype first and then by name so every
    /// tensor starts aligned to its element size.
    public func serialized() throws -> [UInt8] {
        if tensors[SafeTensorsHeader.metadataKey] != nil {
            throw SafeTensorsError.reservedTensorName(SafeTensorsHeader.metadataKey)
        }
        let order = tensors.sorted { left, right in
            left.value.dtype.bitWidth != right.value.dtype.bitWidth
                ? left.value.dtype.bitWidth > right.value.dtype.bitWidth
                : left.key.utf8.lexicographicallyPrecedes(right.key.utf8)
        }
        var entries: [SafeTensorsHeader.Entry] = []
        var offset = 0
        for (name, tensor) in order {
            let end = offset + tensor.bytes.count
            entries.append(.init(name: name, dtype: tensor.dtype, shape: tensor.shape, begin: offset, end: end))
            offset = end
        }
        let header = SafeTensorsHeader(entries: entries, metadata: metadata).encoded()
        guard header.count <= Self.maximumHeaderByteCount else {
            throw SafeTensorsError.headerTooLarge(byteCount: UInt64(header.count))
        }

        var file: [UInt8] = []
        file.reserveCapacity(8 + header.count + offset)
        let headerLength = UInt64(header.count)
        for index in 0..<8 {
            file.append(UInt8(truncatingIfNeeded: headerLength >> (8 * index)))
        }
        file.append(contentsOf: header)
        for (_, tensor) in order {
            file.append(contentsOf: tensor.bytes)
        }
        return file
    }

    /// Writes the file atomically: the bytes go to a temporary file in the same directory, which
    /// is flushed to disk and then renamed over `url`. Readers see the old file or the complete
    /// new one, never a partial write; on failure the temporary file is removed and an existing
    /// file at `url` is left untouched.
    public func write(to url: URL) throws {
        try AtomicFileWriter.write(try serialized(), to: url)
    }

    /// Removes the temporary files that writes of `url` left behind when their process was
    /// killed midway (`.NAME.tmp-…` beside `url`) and returns how many there were. Call it only
    /// while no other process can be writing `url`.
    @discardableResult
    public static func removeAbandonedWrites(of url: URL) throws -> Int {
        let directory = url.deletingLastPathComponent()
        let prefix = AtomicFileWriter.temporaryPrefix(for: url)
        var removed = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix(prefix) {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            removed += 1
        }
        return removed
    }
}

// MARK: - Atomic writing

/// Replaces a file atomically with POSIX calls: create a unique temporary file, write, fsync,
/// rename, then fsync the directory so the rename itself survives a crash.
private enum AtomicFileWriter {
    /// The name every temporary file of a write of `url` starts with.
    static func temporaryPrefix(for url: URL) -> String { "." + url.lastPathComponent + ".tmp-" }

    static func write(_ bytes: [UInt8], to url: URL) throws {
        guard url.isFileURL else {
            throw SafeTensorsError.fileSystem(operation: "write", path: url.absoluteString, reason: "not a file URL")
        }
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let prefix = (directory.hasSuffix("/") ? directory : directory + "/") + temporaryPrefix(for: url)

        var temporaryPath = ""
        var descriptor: Int32 = -1
        for _ in 0..<16 {
            temporaryPath = prefix + String(UInt64.random(in: .min ... .max), radix: 16)
            descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw failure("create temporary file", temporaryPath)
        }

        var renamed = false
        defer {
            if descriptor >= 0 { _ = close(descriptor) }
            if !renamed { _ = unlink(temporaryPath) }
        }
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let result = systemWrite(descriptor, base + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw failure("write", temporaryPath)
                }
                written += result
            }
        }
        guard fsync(descriptor) == 0 else { throw failure("flush", temporaryPath) }
        let closeResult = close(descriptor)
        descriptor = -1
        guard closeResult == 0 else { throw failure("close", temporaryPath) }
        guard rename(temporaryPath, path) == 0 else { throw failure("rename temporary file to", path) }
        renamed = true

        // Best effort: some file systems do not support fsync on directories.
        let directoryDescriptor = open(directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            _ = close(directoryDescriptor)
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Darwin)
        Darwin.write(descriptor, pointer, count)
        #elseif canImport(Glibc)
        Glibc.write(descriptor, pointer, count)
        #else
        Musl.write(descriptor, pointer, count)
        #endif
    }

    private static func failure(_ operation: String, _ path: String) -> SafeTensorsError {
        .fileSystem(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}
