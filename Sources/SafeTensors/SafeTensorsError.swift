import Foundation

/// Why a safetensors file could not be read, written or matched against a model.
///
/// Each case carries what was wrong and what was expected: the offending tensor name, byte
/// offsets and sizes, so that `description` alone is enough to find the problem in the file.
public enum SafeTensorsError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    // MARK: File layout

    /// The file is shorter than the 8-byte header length that starts every safetensors file.
    case fileTooSmall(byteCount: Int)
    /// The header length field exceeds ``SafeTensorsFile/maximumHeaderByteCount``.
    case headerTooLarge(byteCount: UInt64)
    /// The header length field points past the end of the file.
    case truncatedHeader(declaredByteCount: Int, availableByteCount: Int)
    /// The header is not valid UTF-8; `byteOffset` counts from the start of the file.
    case headerNotUTF8(byteOffset: Int)
    /// The header does not start with `{`.
    case headerNotObject(firstByte: UInt8?)
    /// The header is not valid JSON; `byteOffset` counts from the start of the file.
    case invalidJSON(byteOffset: Int, reason: String)
    /// Two tensors in the header have the same name.
    case duplicateTensorName(String)
    /// `__metadata__` is not a map of unique string keys to string values.
    case invalidMetadata(key: String?, reason: String)
    /// A tensor's header entry is malformed (missing, unknown or ill-typed field).
    case invalidTensorEntry(name: String, reason: String)
    /// A tensor's dtype is not one the format defines.
    case unknownDType(name: String, dtype: String)
    /// A tensor's `data_offsets` leave a gap, overlap another tensor or run backwards.
    case invalidOffsets(name: String, begin: Int, end: Int, expectedBegin: Int)
    /// The tensors' byte ranges do not cover the data buffer exactly.
    case dataLengthMismatch(coveredByteCount: Int, dataByteCount: Int)

    // MARK: Tensor sizes

    /// A dimension is negative.
    case negativeDimension(name: String?, shape: [Int])
    /// The element count or byte count of a shape does not fit in `Int`.
    case sizeOverflow(name: String?, dtype: SafeTensor.DType, shape: [Int])
    /// A sub-byte dtype whose elements do not fill a whole number of bytes.
    case partialByte(name: String?, dtype: SafeTensor.DType, shape: [Int])
    /// The byte count implied by dtype and shape differs from the bytes given.
    case byteCountMismatch(name: String?, dtype: SafeTensor.DType, shape: [Int], expected: Int, actual: Int)
    /// The number of scalars differs from the element count of the shape.
    case scalarCountMismatch(shape: [Int], expected: Int, actual: Int)
    /// The tensor's dtype cannot be converted to the requested Swift type.
    case unsupportedConversion(from: SafeTensor.DType, to: String)

    // MARK: Contents

    /// A tensor the caller expected is not in the file.
    case missingTensor(name: String)
    /// The file holds a tensor the caller did not expect.
    case unexpectedTensor(name: String)
    /// A tensor has a different shape than expected.
    case shapeMismatch(name: String, expected: [Int], actual: [Int])
    /// A tensor has a different dtype than expected.
    case dtypeMismatch(name: String, expected: SafeTensor.DType, actual: SafeTensor.DType)

    // MARK: Writing and file system

    /// `__metadata__` is reserved by the format and cannot name a tensor.
    case reservedTensorName(String)
    /// A file-system operation failed.
    case fileSystem(operation: String, path: String, reason: String)

    /// What was wrong and where, in one sentence.
    public var description: String {
        switch self {
        case .fileTooSmall(let byteCount):
            return "safetensors file is \(byteCount) bytes long; expected at least 8 bytes for the header length"
        case .headerTooLarge(let byteCount):
            return "safetensors header length is \(byteCount) bytes; "
                + "expected at most \(SafeTensorsFile.maximumHeaderByteCount)"
        case .truncatedHeader(let declared, let available):
            return "safetensors header length is \(declared) bytes but only \(available) bytes follow "
                + "the length field; the file is truncated"
        case .headerNotUTF8(let byteOffset):
            return "safetensors header is not valid UTF-8 (at byte \(byteOffset) of the file)"
        case .headerNotObject(let firstByte):
            let found = firstByte.map { "byte 0x\(String($0, radix: 16))" } ?? "an empty header"
            return "safetensors header must start with '{' (a JSON object); found \(found)"
        case .invalidJSON(let byteOffset, let reason):
            return "safetensors header is not valid JSON at byte \(byteOffset) of the file: \(reason)"
        case .duplicateTensorName(let name):
            return "safetensors header names tensor '\(name)' more than once"
        case .invalidMetadata(let key, let reason):
            guard let key else {
                return "safetensors __metadata__ is invalid: \(reason); expected a map of strings to strings"
            }
            return "safetensors __metadata__ entry '\(key)' is invalid: \(reason); expected a string value"
        case .invalidTensorEntry(let name, let reason):
            return "safetensors header entry for tensor '\(name)' is invalid: \(reason)"
        case .unknownDType(let name, let dtype):
            let known = SafeTensor.DType.allCases.map(\.rawValue).joined(separator: ", ")
            return "tensor '\(name)' has unknown dtype '\(dtype)'; expected one of \(known)"
        case .invalidOffsets(let name, let begin, let end, let expectedBegin):
            if end < begin {
                return "tensor '\(name)' has data_offsets [\(begin), \(end)] with end before begin"
            }
            let problem = begin < expectedBegin ? "overlaps the previous tensor" : "leaves a gap after the previous tensor"
            return "tensor '\(name)' has data_offsets [\(begin), \(end)] which \(problem); "
                + "expected it to begin at \(expectedBegin)"
        case .dataLengthMismatch(let covered, let dataByteCount):
            return "safetensors tensors cover \(covered) bytes of data but the data buffer is "
                + "\(dataByteCount) bytes; expected the offsets to cover it exactly"
        case .negativeDimension(let name, let shape):
            return "\(Self.subject(name)) has shape \(shape) with a negative dimension"
        case .sizeOverflow(let name, let dtype, let shape):
            return "\(Self.subject(name)) with dtype \(dtype.rawValue) and shape \(shape) "
                + "has more bytes than Int can count"
        case .partialByte(let name, let dtype, let shape):
            return "\(Self.subject(name)) with dtype \(dtype.rawValue) and shape \(shape) "
                + "does not fill a whole number of bytes"
        case .byteCountMismatch(let name, let dtype, let shape, let expected, let actual):
            return "\(Self.subject(name)) with dtype \(dtype.rawValue) and shape \(shape) needs "
                + "\(expected) bytes but has \(actual)"
        case .scalarCountMismatch(let shape, let expected, let actual):
            return "shape \(shape) holds \(expected) elements but \(actual) scalars were given"
        case .unsupportedConversion(let dtype, let type):
            return "unsupported dtype for \(type) conversion: \(dtype.rawValue)"
        case .missingTensor(let name):
            return "tensor '\(name)' is missing from the safetensors file"
        case .unexpectedTensor(let name):
            return "safetensors file holds unexpected tensor '\(name)'"
        case .shapeMismatch(let name, let expected, let actual):
            return "tensor '\(name)' has shape \(actual); expected \(expected)"
        case .dtypeMismatch(let name, let expected, let actual):
            return "tensor '\(name)' has dtype \(actual.rawValue); expected \(expected.rawValue)"
        case .reservedTensorName(let name):
            return "'\(name)' is reserved for the metadata map and cannot name a tensor"
        case .fileSystem(let operation, let path, let reason):
            return "could not \(operation) '\(path)': \(reason)"
        }
    }

    private static func subject(_ name: String?) -> String {
        name.map { "tensor '\($0)'" } ?? "tensor"
    }

    /// The same as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
