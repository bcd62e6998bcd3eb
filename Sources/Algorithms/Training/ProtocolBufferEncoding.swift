/// The few pieces of the protocol-buffer wire format that TensorBoard event records need: varints,
/// fixed-width doubles and floats, and length-delimited strings and messages.
///
/// Fields are written in the order they are appended; callers append them in field-number order
/// and skip proto3 defaults themselves, as the reference encoders do, so the bytes match theirs.
struct ProtocolBufferEncoder {
    /// The encoded message so far.
    private(set) var bytes: [UInt8] = []

    /// How a field's value is laid out after its key.
    private enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    /// Appends a signed 64-bit integer field (`int64`); negative values take ten bytes.
    mutating func append(field: Int, int64 value: Int64) {
        appendKey(field: field, wireType: .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// Appends a `double` field, little-endian.
    mutating func append(field: Int, double value: Double) {
        appendKey(field: field, wireType: .fixed64)
        appendLittleEndian(value.bitPattern)
    }

    /// Appends a `float` field, little-endian.
    mutating func append(field: Int, float value: Float) {
        appendKey(field: field, wireType: .fixed32)
        appendLittleEndian(value.bitPattern)
    }

    /// Appends a `string` field as its UTF-8 bytes.
    mutating func append(field: Int, string value: String) {
        append(field: field, lengthDelimited: Array(value.utf8))
    }

    /// Appends an embedded message field from its encoding.
    mutating func append(field: Int, message: ProtocolBufferEncoder) {
        append(field: field, lengthDelimited: message.bytes)
    }

    private mutating func append(field: Int, lengthDelimited payload: [UInt8]) {
        appendKey(field: field, wireType: .lengthDelimited)
        appendVarint(UInt64(payload.count))
        bytes += payload
    }

    private mutating func appendKey(field: Int, wireType: WireType) {
        appendVarint(UInt64(field) << 3 | wireType.rawValue)
    }

    /// Seven bits per byte, least significant first; the high bit marks that more follow.
    private mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func appendLittleEndian(_ value: some FixedWidthInteger) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
