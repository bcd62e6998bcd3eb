/// The JSON header of a safetensors file: each tensor's dtype, shape and byte range, plus the
/// free-form `__metadata__` string map.
///
/// The header is parsed by hand rather than with `JSONSerialization` because the format needs
/// what a general decoder hides: duplicate keys must be rejected (not silently merged), integers
/// must be exact (no detour through `Double`), and nesting must be bounded so hostile input
/// cannot exhaust the stack.
struct SafeTensorsHeader {
    struct Entry {
        var name: String
        var dtype: SafeTensor.DType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    /// Entries in the order they appear in the header.
    var entries: [Entry]
    var metadata: [String: String]

    static let metadataKey = "__metadata__"
}

// MARK: - Reading

extension SafeTensorsHeader {
    /// Parses and checks the header text; `fileOffset` is where `bytes` start in the file, so
    /// error positions point into the file.
    init(parsing bytes: [UInt8], fileOffset: Int) throws {
        if let badOffset = Self.firstInvalidUTF8Offset(in: bytes) {
            throw SafeTensorsError.headerNotUTF8(byteOffset: fileOffset + badOffset)
        }
        guard bytes.first == UInt8(ascii: "{") else {
            throw SafeTensorsError.headerNotObject(firstByte: bytes.first)
        }
        var parser = HeaderJSONParser(bytes: bytes, fileOffset: fileOffset)
        guard case .object(let members) = try parser.parseDocument() else {
            throw SafeTensorsError.headerNotObject(firstByte: bytes.first)
        }

        var entries: [Entry] = []
        var names = Set<String>()
        var metadata: [String: String]?
        for member in members {
            if member.key == Self.metadataKey {
                guard metadata == nil else {
                    throw SafeTensorsError.invalidMetadata(key: nil, reason: "__metadata__ appears more than once")
                }
                metadata = try Self.metadata(from: member.value)
            } else {
                // A Swift `String` compares by canonical equivalence, so two keys that differ only in
                // Unicode normalization also count as duplicates; a dictionary could not hold both.
                guard names.insert(member.key).inserted else {
                    throw SafeTensorsError.duplicateTensorName(member.key)
                }
                entries.append(try Self.entry(named: member.key, from: member.value))
            }
        }
        self.init(entries: entries, metadata: metadata ?? [:])
    }

    private static func metadata(from value: HeaderJSON) throws -> [String: String] {
        guard case .object(let members) = value else {
            throw SafeTensorsError.invalidMetadata(key: nil, reason: "found \(value.kind)")
        }
        var metadata: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else {
                throw SafeTensorsError.invalidMetadata(key: member.key, reason: "value is \(member.value.kind)")
            }
            guard metadata.updateValue(text, forKey: member.key) == nil else {
                throw SafeTensorsError.invalidMetadata(key: member.key, reason: "key appears more than once")
            }
        }
        return metadata
    }

    private static func entry(named name: String, from value: HeaderJSON) throws -> Entry {
        func invalid(_ reason: String) -> SafeTensorsError {
            .invalidTensorEntry(name: name, reason: reason)
        }
        guard case .object(let members) = value else {
            throw invalid("expected an object with dtype, shape and data_offsets, found \(value.kind)")
        }
        var dtype: SafeTensor.DType?
        var shape: [Int]?
        var offsets: [Int]?
        for member in members {
            switch member.key {
            case "dtype":
                guard dtype == nil else { throw invalid("field 'dtype' appears more than once") }
                guard case .string(let text) = member.value else {
                    throw invalid("'dtype' is \(member.value.kind), expected a string")
                }
                guard let parsed = SafeTensor.DType(rawValue: text) else {
                    throw SafeTensorsError.unknownDType(name: name, dtype: text)
                }
                dtype = parsed
            case "shape":
                guard shape == nil else { throw invalid("field 'shape' appears more than once") }
                shape = try integers(in: member.value, field: "shape", invalid: invalid)
            case "data_offsets":
                guard offsets == nil else { throw invalid("field 'data_offsets' appears more than once") }
                let values = try integers(in: member.value, field: "data_offsets", invalid: invalid)
                guard values.count == 2 else {
                    throw invalid("'data_offsets' has \(values.count) elements, expected [begin, end]")
                }
                offsets = values
            default:
                throw invalid("unknown field '\(member.key)'; expected only dtype, shape and data_offsets")
            }
        }
        guard let dtype else { throw invalid("field 'dtype' is missing") }
        guard let shape else { throw invalid("field 'shape' is missing") }
        guard let offsets else { throw invalid("field 'data_offsets' is missing") }
        return Entry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
    }

    /// Reads a JSON array of non-negative integers that fit in `Int`.
    private static func integers(
        in value: HeaderJSON, field: String, invalid: (String) -> SafeTensorsError
    ) throws -> [Int] {
        guard case .array(let elements) = value else {
            throw invalid("'\(field)' is \(value.kind), expected an array of non-negative integers")
        }
        return try elements.enumerated().map { index, element in
            let location = "'\(field)'[\(index)]"
            guard case .number(let text) = element else {
                throw invalid("\(location) is \(element.kind), expected a non-negative integer")
            }
            if text.hasPrefix("-") {
                throw invalid("\(location) is \(text), expected a non-negative integer")
            }
            var result = 0
            for byte in text.utf8 {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    throw invalid("\(location) is \(text), expected a non-negative integer")
                }
                let (shifted, overflow1) = result.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else {
                    throw invalid("\(location) is \(text), which does not fit in a 64-bit integer")
                }
                result = sum
            }
            return result
        }
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence, if any.
    private static func firstInvalidUTF8Offset(in bytes: [UInt8]) -> Int? {
        var decoder = Unicode.UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return nil
            case .error:
                return offset
            }
        }
    }
}

// MARK: - Writing

extension SafeTensorsHeader {
    /// The header as compact JSON, `__metadata__` first (keys sorted, omitted when empty), then
    /// the entries in order, padded with spaces so the data that follows starts 8-byte aligned.
    func encoded() -> [UInt8] {
        var json: [UInt8] = [UInt8(ascii: "{")]
        var needsComma = false
        func appendKey(_ key: String) {
            if needsComma { json.append(UInt8(ascii: ",")) }
            needsComma = true
            Self.appendString(key, to: &json)
            json.append(UInt8(ascii: ":"))
        }
        if !metadata.isEmpty {
            appendKey(Self.metadataKey)
            json.append(UInt8(ascii: "{"))
            let keys = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                Self.appendString(key, to: &json)
                json.append(UInt8(ascii: ":"))
                Self.appendString(metadata[key] ?? "", to: &json)
            }
            json.append(UInt8(ascii: "}"))
        }
        for entry in entries {
            appendKey(entry.name)
            json.append(contentsOf: "{\"dtype\":".utf8)
            Self.appendString(entry.dtype.rawValue, to: &json)
            json.append(contentsOf: ",\"shape\":[\(entry.shape.map(String.init).joined(separator: ","))]".utf8)
            json.append(contentsOf: ",\"data_offsets\":[\(entry.begin),\(entry.end)]}".utf8)
        }
        json.append(UInt8(ascii: "}"))
        while json.count % 8 != 0 {
            json.append(UInt8(ascii: " "))
        }
        return json
    }

    private static func appendString(_ string: String, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): json.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): json.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): json.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): json.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                json.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }
}

// MARK: - JSON

/// A parsed JSON value. Objects keep every member in order, duplicates included, so the header
/// reader can reject duplicates; numbers keep their text so integers stay exact.
enum HeaderJSON {
    case object([(key: String, value: HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// A short description for error messages.
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string(let text): "the string \"\(text)\""
        case .number(let text): "the number \(text)"
        case .bool(let value): "\(value)"
        case .null: "null"
        }
    }
}

/// A strict RFC 8259 JSON parser over bytes already checked to be UTF-8.
struct HeaderJSONParser {
    /// Deeper nesting is rejected; safetensors headers need three levels.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private let fileOffset: Int
    private var position = 0

    init(bytes: [UInt8], fileOffset: Int) {
        self.bytes = bytes
        self.fileOffset = fileOffset
    }

    /// Parses one value followed only by whitespace (the writer's padding).
    mutating func parseDocument() throws -> HeaderJSON {
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else {
            throw error("unexpected \(describeCurrentByte()) after the top-level value")
        }
        return value
    }

    private func error(_ reason: String) -> SafeTensorsError {
        .invalidJSON(byteOffset: fileOffset + position, reason: reason)
    }

    private var current: UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private func describeCurrentByte() -> String {
        guard let byte = current else { return "end of header" }
        if byte >= 0x20, byte < 0x7F {
            return "character '\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func skipWhitespace() {
        while let byte = current,
              byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n")
              || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t") {
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard current == byte else {
            throw error("expected \(what), found \(describeCurrentByte())")
        }
        position += 1
    }

    private mutating func parseValue(depth: Int) throws -> HeaderJSON {
        skipWhitespace()
        guard let byte = current else { throw error("expected a value, found end of header") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        default: throw error("expected a value, found \(describeCurrentByte())")
        }
    }

    private mutating func parseObject(depth: Int) throws -> HeaderJSON {
        guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        position += 1
        var members: [(key: String, value: HeaderJSON)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                throw error("expected a string key, found \(describeCurrentByte())")
            }
            let key = try parseString()
            try expect(UInt8(ascii: ":"), "':' after key \"\(key)\"")
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default:
                throw error("expected ',' or '}' in object, found \(describeCurrentByte())")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws -> HeaderJSON {
        guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        position += 1
        var elements: [HeaderJSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default:
                throw error("expected ',' or ']' in array, found \(describeCurrentByte())")
            }
        }
    }

    private mutating func parseString() throws -> String {
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard let escaped = current else { throw error("unterminated escape sequence") }
                position += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape()
                    utf8.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    position -= 1
                    throw error("invalid escape sequence \\\(describeCurrentByte())")
                }
            case 0..<0x20:
                throw error("unescaped control character 0x\(String(byte, radix: 16)) in string")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    /// Reads the hex digits after `\u`, combining a surrogate pair into one scalar.
    private mutating func parseUnicodeEscape() throws -> Unicode.Scalar {
        let first = try parseHexQuad()
        var value = UInt32(first)
        if (0xD800...0xDBFF).contains(first) {
            guard current == UInt8(ascii: "\\"), position + 1 < bytes.count,
                  bytes[position + 1] == UInt8(ascii: "u") else {
                throw error("high surrogate \\u\(String(first, radix: 16)) is not followed by a low surrogate")
            }
            position += 2
            let second = try parseHexQuad()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw error("high surrogate \\u\(String(first, radix: 16)) is not followed by a low surrogate")
            }
            value = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(first) {
            throw error("lone low surrogate \\u\(String(first, radix: 16))")
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("invalid Unicode scalar \\u\(String(value, radix: 16))")
        }
        return scalar
    }

    private mutating func parseHexQuad() throws -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw error("unterminated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("expected a hex digit in \\u escape, found \(describeCurrentByte())")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// Checks the number grammar (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`) and
    /// keeps the text; the header reader decides which numbers it accepts.
    private mutating func parseNumber() throws -> HeaderJSON {
        let start = position
        func isDigit(_ byte: UInt8?) -> Bool {
            guard let byte else { return false }
            return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }
        func digits() throws {
            guard isDigit(current) else { throw error("expected a digit, found \(describeCurrentByte())") }
            while isDigit(current) { position += 1 }
        }
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else {
            try digits()
        }
        if current == UInt8(ascii: ".") {
            position += 1
            try digits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            try digits()
        }
        return .number(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func parseLiteral(_ literal: String) throws {
        for byte in literal.utf8 {
            guard current == byte else { throw error("invalid literal, expected '\(literal)'") }
            position += 1
        }
    }
}
