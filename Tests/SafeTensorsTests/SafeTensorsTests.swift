import Foundation
import Testing

@testable import SafeTensors

// MARK: - Helpers

/// A file made of a header text and data bytes, with a correct length field unless one is given.
private func file(header: String, data: [UInt8] = [], headerLength: UInt64? = nil) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    let length = headerLength ?? UInt64(headerBytes.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + headerBytes + data
}

private func fixtureURL() throws -> URL {
    try #require(Bundle.module.url(forResource: "python_written", withExtension: "safetensors", subdirectory: "Fixtures"))
}

private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("SafeTensorsTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func contents(of directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
}

/// A file exercising several dtypes, a scalar, empty tensors and awkward metadata.
private func sampleFile() throws -> SafeTensorsFile {
    try SafeTensorsFile(
        tensors: [
            "blocks.0.dense.weight": SafeTensor(shape: [2, 3], scalars: [Float](arrayLiteral: 1, -2, 3.5, 0, -0.0, .infinity)),
            "blocks.0.dense.bias": SafeTensor(shape: [3], scalars: [Float](arrayLiteral: 0.125, -7, 1e-20)),
            "scale": SafeTensor(shape: [], scalars: [Float(42)]),
            "empty": SafeTensor(shape: [0, 5], scalars: [Float]()),
            "also.empty": SafeTensor(shape: [0], scalars: [UInt8]()),
            "optimizer.step": SafeTensor(shape: [], scalars: [Int64(-9_007_199_254_740_993)]),
            "flags": SafeTensor(shape: [2, 2], scalars: [true, false, false, true]),
            "counts": SafeTensor(shape: [3], scalars: [UInt8](arrayLiteral: 0, 1, 255)),
        ],
        metadata: [
            "format": "deepcrl",
            "config": "{\"depth\": 1024, \"lr\": 3e-4}",
            "text": "tab\there, newline\nthere, control \u{01}, backslash \\ and caf\u{E9} \u{2713}",
            "": "empty key",
        ])
}

/// The error thrown by `body`, or `nil` if it did not throw a `SafeTensorsError`.
private func safeTensorsError(_ body: () throws -> Void) -> SafeTensorsError? {
    do {
        try body()
        return nil
    } catch let error as SafeTensorsError {
        return error
    } catch {
        return nil
    }
}

// MARK: - Round trip and reference layout

@Test func roundTripThroughAFileKeepsTensorsAndMetadata() throws {
    let original = try sampleFile()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("checkpoint.safetensors")

    try original.write(to: url)
    let loaded = try SafeTensorsFile(contentsOf: url)

    #expect(loaded == original)
    #expect(loaded.metadata == original.metadata)
    #expect(try loaded.tensor(named: "scale").shape == [])
    #expect(try loaded.tensor(named: "scale").floats == [42])
    #expect(try loaded.tensor(named: "empty").shape == [0, 5])
    #expect(try loaded.tensor(named: "optimizer.step").scalars(as: Int64.self) == [-9_007_199_254_740_993])
    #expect(try loaded.tensor(named: "flags").scalars(as: Bool.self) == [true, false, false, true])
    #expect(try contents(of: directory) == ["checkpoint.safetensors"])
}

@Test func roundTripThroughBytesAndDataIsExact() throws {
    let original = try sampleFile()
    let bytes = try original.serialized()
    #expect(try SafeTensorsFile(bytes: bytes) == original)
    #expect(try SafeTensorsFile(data: Data(bytes)) == original)
    #expect(try SafeTensorsFile(bytes: bytes).serialized() == bytes)
}

@Test func writerPadsTheHeaderSoDataStartsEightByteAligned() throws {
    let bytes = try sampleFile().serialized()
    let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
    #expect(headerLength % 8 == 0)
    let header = try #require(String(bytes: bytes[8..<(8 + headerLength)], encoding: .utf8))
    #expect(header.hasPrefix("{\"__metadata__\":{"))
    #expect(header.hasSuffix("}") || header.hasSuffix(" "))
    // Widest dtype first (I64), then F32 by name, then the one-byte types by name.
    let order = ["optimizer.step", "blocks.0.dense.bias", "blocks.0.dense.weight", "empty", "scale",
                 "also.empty", "counts", "flags"]
    let positions = try order.map { try #require(header.range(of: "\"\($0)\":{")).lowerBound }
    #expect(positions == positions.sorted())
}

@Test func writerMatchesTheReferenceImplementationByteForByte() throws {
    // Expected bytes from the reference implementation's own serialization tests.
    let attention = try SafeTensor(shape: [1, 2, 3], scalars: [Float](arrayLiteral: 0, 1, 2, 3, 4, 5))
    let single = try SafeTensorsFile(tensors: ["attn.0": attention]).serialized()
    let header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}"
    let data: [UInt8] = [0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64]
    #expect(single == [64, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8) + data)

    let empty = try SafeTensorsFile().serialized()
    #expect(empty == [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))

    let metadataOnly = try SafeTensorsFile(metadata: ["framework": "pt"]).serialized()
    #expect(metadataOnly == [40, 0, 0, 0, 0, 0, 0, 0] + Array("{\"__metadata__\":{\"framework\":\"pt\"}}     ".utf8))
}

// MARK: - Python interoperability

@Test func readsTheFileWrittenByPythonSafetensors() throws {
    let file = try SafeTensorsFile(contentsOf: fixtureURL())

    #expect(file.metadata == ["format": "deepcrl-test", "note": "caf\u{E9} \u{2713} \"quoted\""])
    #expect(file.names == ["bytes", "dense.bias", "dense.weight", "empty", "half", "mask", "scale", "step"])
    #expect(try file.floats(named: "dense.weight", shape: [2, 3]) == [0.5, -1.25, 2.0, 3.5, -0.0, 1e-3])
    #expect(try file.floats(named: "dense.bias", shape: [3]) == [0.25, -0.75, 1e30])
    #expect(try file.floats(named: "scale", shape: []) == [1.5])
    #expect(try file.floats(named: "empty", shape: [0, 4]) == [])
    let half = try file.tensor(named: "half")
    #expect(half.dtype == .float16)
    #expect(try half.floats == [1.5, -2.0, 65504.0, 0x1p-24])
    #expect(try file.tensor(named: "step").scalars(as: Int64.self) == [1_234_567_890_123])
    #expect(try file.tensor(named: "mask").scalars(as: Bool.self) == [true, false, true])
    #expect(try file.tensor(named: "bytes").scalars(as: UInt8.self) == [0, 127, 255])
    #expect(try SafeTensorsFile(bytes: file.serialized()) == file)
}

// MARK: - Conversions

@Test func floatsConvertsHalfAndBrainFloatExactlyAndRejectsOtherTypes() throws {
    // BF16 bit patterns of 1.0, -2.5 and the smallest positive subnormal.
    let brain = try SafeTensor(dtype: .bfloat16, shape: [3], bytes: [0x80, 0x3F, 0x20, 0xC0, 0x01, 0x00])
    #expect(try brain.floats == [1.0, -2.5, Float(bitPattern: 0x0001_0000)])

    // F16 infinity, NaN and the largest subnormal.
    let half = try SafeTensor(dtype: .float16, shape: [3], bytes: [0x00, 0x7C, 0x01, 0xFE, 0xFF, 0x03])
    let values = try half.floats
    #expect(values[0] == .infinity)
    #expect(values[1].isNaN && values[1].sign == .minus)
    #expect(values[2] == 1023 * 0x1p-24)

    let counter = try SafeTensor(shape: [1], scalars: [Int64(3)])
    let error = safeTensorsError { _ = try counter.floats }
    #expect(error == .unsupportedConversion(from: .int64, to: "Float"))
    #expect(error?.description.contains("unsupported dtype for Float conversion: I64") == true)
    #expect(safeTensorsError { _ = try counter.scalars(as: Float.self) } != nil)
}

@Test func tensorInitializersRejectInconsistentSizes() {
    #expect(safeTensorsError { _ = try SafeTensor(shape: [2, 2], scalars: [Float](arrayLiteral: 1, 2, 3)) }
        == .scalarCountMismatch(shape: [2, 2], expected: 4, actual: 3))
    #expect(safeTensorsError { _ = try SafeTensor(dtype: .float32, shape: [2], bytes: [0, 0, 0]) }
        == .byteCountMismatch(name: nil, dtype: .float32, shape: [2], expected: 8, actual: 3))
    #expect(safeTensorsError { _ = try SafeTensor(shape: [-1], scalars: [Float]()) }
        == .negativeDimension(name: nil, shape: [-1]))
    #expect(safeTensorsError { _ = try SafeTensor(dtype: .uint8, shape: [1 << 62, 1 << 62], bytes: []) }
        == .sizeOverflow(name: nil, dtype: .uint8, shape: [1 << 62, 1 << 62]))
    #expect(safeTensorsError { _ = try SafeTensor(dtype: .float4, shape: [3], bytes: [0, 0]) }
        == .partialByte(name: nil, dtype: .float4, shape: [3]))
}

// MARK: - Checking contents

@Test func validateNamesTheFirstMismatch() throws {
    let file = try sampleFile()
    let expected: [SafeTensorsFile.ExpectedTensor] = [
        .init(name: "blocks.0.dense.weight", shape: [2, 3]),
        .init(name: "blocks.0.dense.bias", shape: [3]),
    ]
    try file.validate(against: expected, allowingUnexpectedTensors: true)

    let unexpected = safeTensorsError { try file.validate(against: expected) }
    #expect(unexpected == .unexpectedTensor(name: "also.empty"))

    let missing = safeTensorsError {
        try file.validate(against: expected + [.init(name: "blocks.1.dense.weight", shape: [3, 3])])
    }
    #expect(missing == .missingTensor(name: "blocks.1.dense.weight"))
    #expect(missing?.description.contains("blocks.1.dense.weight") == true)

    let shape = safeTensorsError {
        try file.validate(against: [.init(name: "blocks.0.dense.weight", shape: [3, 2])], allowingUnexpectedTensors: true)
    }
    #expect(shape == .shapeMismatch(name: "blocks.0.dense.weight", expected: [3, 2], actual: [2, 3]))
    #expect(shape?.description == "tensor 'blocks.0.dense.weight' has shape [2, 3]; expected [3, 2]")

    let dtype = safeTensorsError {
        try file.validate(against: [.init(name: "optimizer.step", shape: [])], allowingUnexpectedTensors: true)
    }
    #expect(dtype == .dtypeMismatch(name: "optimizer.step", expected: .float32, actual: .int64))

    #expect(safeTensorsError { _ = try file.floats(named: "scale", shape: [1]) }
        == .shapeMismatch(name: "scale", expected: [1], actual: []))
}

// MARK: - Truncated and corrupted files

@Test func everyTruncationOfAValidFileThrows() throws {
    let bytes = try sampleFile().serialized()
    for length in 0..<bytes.count {
        let error = safeTensorsError { _ = try SafeTensorsFile(bytes: Array(bytes.prefix(length))) }
        #expect(error != nil, "prefix of \(length) of \(bytes.count) bytes was accepted")
    }
    let fixture = Array(try Data(contentsOf: fixtureURL()))
    for length in 0..<fixture.count {
        #expect(safeTensorsError { _ = try SafeTensorsFile(bytes: Array(fixture.prefix(length))) } != nil)
    }
}

@Test func corruptingAnySingleByteNeverCrashes() throws {
    let original = Array(try Data(contentsOf: fixtureURL()))
    for index in original.indices {
        for replacement: UInt8 in [0x00, 0x20, 0x22, 0x2C, 0x30, 0x39, 0x5B, 0x7B, 0x7D, 0xFF] {
            var bytes = original
            bytes[index] = replacement
            do {
                let file = try SafeTensorsFile(bytes: bytes)
                // Whatever parses must survive a round trip.
                #expect(try SafeTensorsFile(bytes: file.serialized()) == file)
            } catch {
                #expect(error is SafeTensorsError)
            }
        }
    }
}

/// A malformed file and the error it must raise.
struct CorruptSafeTensorsFile: Sendable, CustomTestStringConvertible {
    var label: String
    var bytes: [UInt8]
    var expected: @Sendable (SafeTensorsError) -> Bool
    /// A name or fragment the error message must contain.
    var mentions: String

    var testDescription: String { label }

    init(_ label: String, header: String, data: [UInt8] = [], mentions: String = "",
         expected: @escaping @Sendable (SafeTensorsError) -> Bool) {
        self.init(label, bytes: file(header: header, data: data), mentions: mentions, expected: expected)
    }

    init(_ label: String, bytes: [UInt8], mentions: String = "",
         expected: @escaping @Sendable (SafeTensorsError) -> Bool) {
        self.label = label
        self.bytes = bytes
        self.mentions = mentions
        self.expected = expected
    }
}

private func entry(_ name: String, _ dtype: String, _ shape: String, _ offsets: String) -> String {
    "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
}

private let corruptSafeTensorsFiles: [CorruptSafeTensorsFile] = [
    CorruptSafeTensorsFile("header length above the limit",
                bytes: file(header: "{}", headerLength: 100_000_001), mentions: "100000001") {
        $0 == .headerTooLarge(byteCount: 100_000_001)
    },
    CorruptSafeTensorsFile("header length of 2^64 - 1", bytes: file(header: "{}", headerLength: .max)) {
        $0 == .headerTooLarge(byteCount: .max)
    },
    CorruptSafeTensorsFile("header length past the end of the file",
                bytes: file(header: "{}", headerLength: 16), mentions: "truncated") {
        $0 == .truncatedHeader(declaredByteCount: 16, availableByteCount: 2)
    },
    CorruptSafeTensorsFile("header that is not UTF-8",
                bytes: file(header: "{\"a\":1}").enumerated().map { $0.offset == 11 ? 0xC3 : $0.element }) {
        $0 == .headerNotUTF8(byteOffset: 11)
    },
    CorruptSafeTensorsFile("header that is an array", header: "[1, 2]      ") { $0 == .headerNotObject(firstByte: 0x5B) },
    CorruptSafeTensorsFile("header with leading whitespace", header: " {}") { $0 == .headerNotObject(firstByte: 0x20) },
    CorruptSafeTensorsFile("empty header", header: "") { $0 == .headerNotObject(firstByte: nil) },
    CorruptSafeTensorsFile("trailing comma", header: "{\"a\":{\"dtype\":\"F32\",}}") {
        if case .invalidJSON = $0 { true } else { false }
    },
    CorruptSafeTensorsFile("unterminated object", header: "{\"a\":") {
        if case .invalidJSON = $0 { true } else { false }
    },
    CorruptSafeTensorsFile("garbage after the object", header: "{} x", mentions: "after the top-level value") {
        if case .invalidJSON(let offset, _) = $0 { offset == 11 } else { false }
    },
    CorruptSafeTensorsFile("NUL padding", header: "{}\u{0}") {
        if case .invalidJSON = $0 { true } else { false }
    },
    CorruptSafeTensorsFile("single-quoted key", header: "{'a': 1}") {
        if case .invalidJSON = $0 { true } else { false }
    },
    CorruptSafeTensorsFile("lone surrogate escape", header: "{\"\\ud800\":{}}", mentions: "surrogate") {
        if case .invalidJSON = $0 { true } else { false }
    },
    CorruptSafeTensorsFile("raw control character in a string", header: "{\"a\u{1}\":{}}") {
        if case .invalidJSON = $0 { true } else { false }
    },
    CorruptSafeTensorsFile("leading zero", header: "{" + entry("w", "F32", "[01]", "[0,4]") + "}", data: [0, 0, 0, 0]) {
        if case .invalidJSON = $0 { true } else { false }
    },
    CorruptSafeTensorsFile("deeply nested arrays",
                header: "{\"__metadata__\":" + String(repeating: "[", count: 100_000) + "}",
                mentions: "nesting") {
        if case .invalidJSON = $0 { true } else { false }
    },
    CorruptSafeTensorsFile("duplicate tensor names",
                header: "{" + entry("w", "U8", "[1]", "[0,1]") + "," + entry("w", "U8", "[1]", "[1,2]") + "}",
                data: [1, 2], mentions: "'w'") {
        $0 == .duplicateTensorName("w")
    },
    CorruptSafeTensorsFile("duplicate names spelled differently",
                header: "{" + entry("w", "U8", "[1]", "[0,1]") + "," + entry("\\u0077", "U8", "[1]", "[1,2]") + "}",
                data: [1, 2]) {
        $0 == .duplicateTensorName("w")
    },
    CorruptSafeTensorsFile("duplicate field",
                header: "{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"shape\":[1],\"data_offsets\":[0,1]}}",
                data: [1], mentions: "'w'") {
        if case .invalidTensorEntry(let name, _) = $0 { name == "w" } else { false }
    },
    CorruptSafeTensorsFile("missing field", header: "{\"w\":{\"dtype\":\"U8\",\"shape\":[1]}}", data: [1], mentions: "data_offsets") {
        if case .invalidTensorEntry(let name, _) = $0 { name == "w" } else { false }
    },
    CorruptSafeTensorsFile("unknown field",
                header: "{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"stride\":[1]}}",
                data: [1], mentions: "stride") {
        if case .invalidTensorEntry(let name, _) = $0 { name == "w" } else { false }
    },
    CorruptSafeTensorsFile("tensor entry that is not an object", header: "{\"w\":[1]}", mentions: "'w'") {
        if case .invalidTensorEntry(let name, _) = $0 { name == "w" } else { false }
    },
    CorruptSafeTensorsFile("three data offsets", header: "{" + entry("w", "U8", "[1]", "[0,1,1]") + "}", data: [1]) {
        if case .invalidTensorEntry(let name, _) = $0 { name == "w" } else { false }
    },
    CorruptSafeTensorsFile("negative dimension", header: "{" + entry("w", "U8", "[-1]", "[0,0]") + "}", mentions: "non-negative") {
        if case .invalidTensorEntry(let name, _) = $0 { name == "w" } else { false }
    },
    CorruptSafeTensorsFile("fractional dimension", header: "{" + entry("w", "U8", "[1.0]", "[0,1]") + "}", data: [1]) {
        if case .invalidTensorEntry(let name, _) = $0 { name == "w" } else { false }
    },
    CorruptSafeTensorsFile("dimension beyond 64 bits",
                header: "{" + entry("w", "U8", "[18446744073709551616]", "[0,1]") + "}", data: [1]) {
        if case .invalidTensorEntry(let name, _) = $0 { name == "w" } else { false }
    },
    CorruptSafeTensorsFile("negative offset", header: "{" + entry("w", "U8", "[1]", "[-1,0]") + "}") {
        if case .invalidTensorEntry(let name, _) = $0 { name == "w" } else { false }
    },
    CorruptSafeTensorsFile("unknown dtype", header: "{" + entry("w", "F33", "[1]", "[0,4]") + "}", data: [0, 0, 0, 0], mentions: "F33") {
        $0 == .unknownDType(name: "w", dtype: "F33")
    },
    CorruptSafeTensorsFile("lowercase dtype", header: "{" + entry("w", "f32", "[1]", "[0,4]") + "}", data: [0, 0, 0, 0]) {
        $0 == .unknownDType(name: "w", dtype: "f32")
    },
    CorruptSafeTensorsFile("overlapping offsets",
                header: "{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[4,12]") + "}",
                data: Array(repeating: 0, count: 12), mentions: "'b'") {
        $0 == .invalidOffsets(name: "b", begin: 4, end: 12, expectedBegin: 8)
    },
    CorruptSafeTensorsFile("gap between tensors",
                header: "{" + entry("a", "F32", "[1]", "[0,4]") + "," + entry("b", "F32", "[1]", "[8,12]") + "}",
                data: Array(repeating: 0, count: 12), mentions: "gap") {
        $0 == .invalidOffsets(name: "b", begin: 8, end: 12, expectedBegin: 4)
    },
    CorruptSafeTensorsFile("data not starting at zero", header: "{" + entry("a", "U8", "[1]", "[1,2]") + "}", data: [0, 0]) {
        $0 == .invalidOffsets(name: "a", begin: 1, end: 2, expectedBegin: 0)
    },
    CorruptSafeTensorsFile("end before begin",
                header: "{" + entry("a", "U8", "[1]", "[0,1]") + "," + entry("c", "U8", "[0]", "[1,0]") + "}",
                data: [0], mentions: "end before begin") {
        $0 == .invalidOffsets(name: "c", begin: 1, end: 0, expectedBegin: 1)
    },
    CorruptSafeTensorsFile("offsets not covering the data", header: "{" + entry("a", "F32", "[1]", "[0,4]") + "}",
                data: Array(repeating: 0, count: 8), mentions: "8 bytes") {
        $0 == .dataLengthMismatch(coveredByteCount: 4, dataByteCount: 8)
    },
    CorruptSafeTensorsFile("offsets past the data", header: "{" + entry("a", "F32", "[2]", "[0,8]") + "}",
                data: Array(repeating: 0, count: 4)) {
        $0 == .dataLengthMismatch(coveredByteCount: 8, dataByteCount: 4)
    },
    CorruptSafeTensorsFile("data without tensors", header: "{}", data: [0]) {
        $0 == .dataLengthMismatch(coveredByteCount: 0, dataByteCount: 1)
    },
    CorruptSafeTensorsFile("shape and dtype disagree with offsets", header: "{" + entry("w", "F32", "[3]", "[0,8]") + "}",
                data: Array(repeating: 0, count: 8), mentions: "'w'") {
        $0 == .byteCountMismatch(name: "w", dtype: .float32, shape: [3], expected: 12, actual: 8)
    },
    CorruptSafeTensorsFile("shape overflow", header: "{" + entry("w", "F32", "[4611686018427387904,4611686018427387904]", "[0,0]") + "}",
                mentions: "'w'") {
        $0 == .sizeOverflow(name: "w", dtype: .float32, shape: [1 << 62, 1 << 62])
    },
    CorruptSafeTensorsFile("byte count overflow", header: "{" + entry("w", "F64", "[2305843009213693952]", "[0,0]") + "}") {
        $0 == .sizeOverflow(name: "w", dtype: .float64, shape: [1 << 61])
    },
    CorruptSafeTensorsFile("sub-byte dtype not filling a byte", header: "{" + entry("w", "F4", "[3]", "[0,1]") + "}", data: [0]) {
        $0 == .partialByte(name: "w", dtype: .float4, shape: [3])
    },
    CorruptSafeTensorsFile("metadata value that is a number", header: "{\"__metadata__\":{\"epoch\":3}}", mentions: "epoch") {
        if case .invalidMetadata(let key, _) = $0 { key == "epoch" } else { false }
    },
    CorruptSafeTensorsFile("metadata that is not an object", header: "{\"__metadata__\":\"x\"}") {
        if case .invalidMetadata(nil, _) = $0 { true } else { false }
    },
    CorruptSafeTensorsFile("metadata that is null", header: "{\"__metadata__\":null}") {
        if case .invalidMetadata(nil, _) = $0 { true } else { false }
    },
    CorruptSafeTensorsFile("duplicate metadata key", header: "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", mentions: "'k'") {
        if case .invalidMetadata(let key, _) = $0 { key == "k" } else { false }
    },
    CorruptSafeTensorsFile("metadata given twice", header: "{\"__metadata__\":{},\"__metadata__\":{}}") {
        if case .invalidMetadata(nil, _) = $0 { true } else { false }
    },
]

@Test(arguments: corruptSafeTensorsFiles)
func corruptedFileThrowsAClearError(_ corrupt: CorruptSafeTensorsFile) {
    let error = safeTensorsError { _ = try SafeTensorsFile(bytes: corrupt.bytes) }
    guard let error else {
        Issue.record("\(corrupt.label) was accepted")
        return
    }
    #expect(corrupt.expected(error), "\(error)")
    if !corrupt.mentions.isEmpty {
        #expect(error.description.contains(corrupt.mentions), "\(error)")
    }
}

@Test func acceptsValidJSONWrittenDifferently() throws {
    // Whitespace, escapes, exponent-free integers and any entry order are all valid.
    let header = "{ \"b\" : { \"data_offsets\" : [ 4 , 5 ] , \"shape\" : [ ] , \"dtype\" : \"U8\" } ,\n"
        + "\t\"__metadata__\" : { \"k\\u00e9\\n\\/\" : \"\\ud83d\\ude00\" } ,\r\n"
        + "\"a\" : { \"dtype\" : \"F32\" , \"shape\" : [ 1 ] , \"data_offsets\" : [ 0 , 4 ] } }  \n"
    let parsed = try SafeTensorsFile(bytes: file(header: header, data: [0, 0, 0x80, 0x3F, 7]))
    #expect(parsed.metadata == ["k\u{E9}\n/": "\u{1F600}"])
    #expect(try parsed.floats(named: "a", shape: [1]) == [1])
    #expect(try parsed.tensor(named: "b").scalars(as: UInt8.self) == [7])
}

// MARK: - Atomic writing

@Test func writeReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("model.safetensors")

    try SafeTensorsFile(metadata: ["version": "1"]).write(to: url)
    let second = try sampleFile()
    try second.write(to: url)

    #expect(try SafeTensorsFile(contentsOf: url) == second)
    #expect(try contents(of: directory) == ["model.safetensors"])
}

@Test func failedSerializationLeavesTheExistingFileUntouched() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("model.safetensors")
    let original = try sampleFile()
    try original.write(to: url)
    let before = try Data(contentsOf: url)

    var invalid = original
    invalid.tensors["__metadata__"] = try SafeTensor(shape: [1], scalars: [Float(1)])
    let error = safeTensorsError { try invalid.write(to: url) }

    #expect(error == .reservedTensorName("__metadata__"))
    #expect(try Data(contentsOf: url) == before)
    #expect(try contents(of: directory) == ["model.safetensors"])
}

@Test func failedRenameRemovesTheTemporaryFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // A non-empty directory at the destination makes the final rename fail.
    let destination = directory.appendingPathComponent("occupied")
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
    try Data([1]).write(to: destination.appendingPathComponent("keep"))

    let error = safeTensorsError { try sampleFile().write(to: destination) }

    guard case .fileSystem(let operation, _, _) = error else {
        Issue.record("expected a file-system error, got \(String(describing: error))")
        return
    }
    #expect(operation.hasPrefix("rename"))
    #expect(try contents(of: directory) == ["occupied"])
    #expect(try contents(of: destination) == ["keep"])
}

@Test func writingIntoAMissingDirectoryThrows() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("missing/model.safetensors")
    let error = safeTensorsError { try SafeTensorsFile().write(to: url) }
    guard case .fileSystem = error else {
        Issue.record("expected a file-system error, got \(String(describing: error))")
        return
    }
    #expect(error?.description.contains("missing") == true)
    let readError = safeTensorsError { _ = try SafeTensorsFile(contentsOf: url) }
    guard case .fileSystem(operation: "read", _, _) = readError else {
        Issue.record("expected a read error, got \(String(describing: readError))")
        return
    }
}

@Test func removesOnlyTheTemporaryFilesOfAbandonedWritesOfThatFile() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("abandoned-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("checkpoint.safetensors")
    try SafeTensorsFile(tensors: ["w": try SafeTensor(shape: [1], scalars: [Float(1)])]).write(to: url)
    let kept = ["checkpoint.safetensors", "other.safetensors", ".other.safetensors.tmp-1", "notes.tmp-2"]
    for name in [".checkpoint.safetensors.tmp-3fa", ".checkpoint.safetensors.tmp-0"] + kept.dropFirst() {
        try Data([1, 2, 3]).write(to: directory.appendingPathComponent(name))
    }
    #expect(try SafeTensorsFile.removeAbandonedWrites(of: url) == 2)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == kept.sorted())
    #expect(try SafeTensorsFile(contentsOf: url).names == ["w"])
}
