import Foundation
import Testing
@testable import Algorithms

@Suite("TensorBoard event files")
struct TensorBoardTests {
    /// Check values from RFC 3720 (iSCSI), appendix B.4, and the usual "123456789".
    static let crcKnownAnswers: [([UInt8], UInt32)] = [
        (Array("123456789".utf8), 0xE306_9283),
        ([UInt8](repeating: 0, count: 32), 0x8A91_36AA),
        ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
        ([], 0),
    ]

    @Test("CRC-32C gives the published check values", arguments: crcKnownAnswers)
    func crc32cKnownAnswers(bytes: [UInt8], expected: UInt32) {
        #expect(CRC32C.checksum(bytes) == expected)
    }

    @Test("the masked CRC-32C rotates right by 15 bits and adds 0xA282EAD8")
    func maskedChecksum() {
        let crc: UInt32 = 0xE306_9283
        #expect(CRC32C.masked(Array("123456789".utf8)) == ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
    }

    @Test("what the writer writes reads back: tags, steps, values and wall times")
    func roundTrip() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorBoardWriter(directory: directory, wallTime: 1_767_225_600.5)
        try writer.add(scalar: 0.5, tag: "loss/actor", step: 0, wallTime: 1_767_225_601.25)
        try writer.add(scalars: ["success_any": 0, "loss/critic": -1.5], step: 1000, wallTime: 1_767_225_660)
        try writer.add(scalar: .infinity, tag: "loss/critic", step: 300_000_000_000, wallTime: 1_767_225_720.75)
        try writer.add(scalar: 2, tag: "negative/step", step: -3, wallTime: 1_767_225_721)
        try writer.flush()

        #expect(writer.url.lastPathComponent.hasPrefix("events.out.tfevents.1767225600."))
        let events = try Self.readEvents(Data(contentsOf: writer.url))
        #expect(events == [
            Event(wallTime: 1_767_225_600.5, fileVersion: "brain.Event:2"),
            Event(wallTime: 1_767_225_601.25, values: [Value(tag: "loss/actor", value: 0.5)]),
            Event(wallTime: 1_767_225_660, step: 1000, values: [Value(tag: "loss/critic", value: -1.5), Value(tag: "success_any", value: 0)]),
            Event(wallTime: 1_767_225_720.75, step: 300_000_000_000, values: [Value(tag: "loss/critic", value: .infinity)]),
            Event(wallTime: 1_767_225_721, step: -3, values: [Value(tag: "negative/step", value: 2)]),
        ])
    }

    @Test("the file matches TensorBoard's own writer byte for byte")
    func matchesTensorBoardFixture() throws {
        let fixture = try #require(Bundle.module.url(
            forResource: "Fixtures/tensorboard/events.out.tfevents.1767225600.fixture", withExtension: nil))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The same events as Fixtures/tensorboard/README.md writes with TensorBoard's RecordWriter.
        let writer = try TensorBoardWriter(directory: directory, wallTime: 1_767_225_600.5)
        try writer.add(scalar: 0.5, tag: "loss/actor", step: 0, wallTime: 1_767_225_601.25)
        try writer.add(scalars: ["success_any": 0, "loss/critic": -1.5, "temperature/α": 0.125], step: 1000, wallTime: 1_767_225_660)
        try writer.add(scalar: 1, tag: "success_any", step: 2000, wallTime: 1_767_225_720.75)
        try writer.flush()
        #expect(try Data(contentsOf: writer.url) == Data(contentsOf: fixture))
    }

    @Test("an empty tag is rejected and nothing of its event is written")
    func emptyTagRejected() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorBoardWriter(directory: directory, wallTime: 1_767_225_600)
        let before = try Data(contentsOf: writer.url)
        #expect(throws: AlgorithmsError.invalidSetting(name: "tag", value: "\"\"", expected: "a non-empty name")) {
            try writer.add(scalars: ["loss": 1, "": 2], step: 1)
        }
        #expect(try Data(contentsOf: writer.url) == before)
    }

    @Test("a second writer in the same second does not take over the first one's file")
    func existingFileKept() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try TensorBoardWriter(directory: directory, wallTime: 1_767_225_600)
        try first.add(scalar: 1, tag: "a", step: 1, wallTime: 1_767_225_600.5)
        let before = try Data(contentsOf: first.url)
        let second = try TensorBoardWriter(directory: directory, wallTime: 1_767_225_600.9)
        #expect(second.url.lastPathComponent == first.url.lastPathComponent + ".1")
        #expect(try Data(contentsOf: first.url) == before)
        #expect(try Self.readEvents(Data(contentsOf: second.url)).count == 1)
    }

    // MARK: - A reader of event files, independent of the writer's encoder

    struct Value: Equatable {
        var tag: String
        var value: Float
    }

    struct Event: Equatable {
        var wallTime: Double = 0
        var step: Int64 = 0
        var fileVersion: String?
        var values: [Value]?
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tensorboard-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Splits TFRecords, checking both masked CRCs, and decodes each as an `Event`.
    static func readEvents(_ data: Data) throws -> [Event] {
        let bytes = [UInt8](data)
        var offset = 0
        var events: [Event] = []
        func littleEndian(_ start: Int, _ count: Int) -> UInt64 {
            (0..<count).reduce(0) { $0 | UInt64(bytes[start + $1]) << (8 * $1) }
        }
        while offset < bytes.count {
            guard bytes.count - offset >= 12 else { throw FormatError(description: "truncated header at \(offset)") }
            let length = Int(littleEndian(offset, 8))
            guard UInt32(littleEndian(offset + 8, 4)) == CRC32C.masked(bytes[offset..<offset + 8]) else {
                throw FormatError(description: "bad length CRC at \(offset)")
            }
            let start = offset + 12
            guard bytes.count - start >= length + 4 else { throw FormatError(description: "truncated record at \(offset)") }
            let payload = Array(bytes[start..<start + length])
            guard UInt32(littleEndian(start + length, 4)) == CRC32C.masked(payload) else {
                throw FormatError(description: "bad data CRC at \(offset)")
            }
            events.append(try decodeEvent(payload))
            offset = start + length + 4
        }
        return events
    }

    private static func decodeEvent(_ bytes: [UInt8]) throws -> Event {
        var event = Event()
        for field in try fields(bytes) {
            switch (field.number, field.payload) {
            case (1, .fixed64(let bits)): event.wallTime = Double(bitPattern: bits)
            case (2, .varint(let value)): event.step = Int64(bitPattern: value)
            case (3, .bytes(let text)): event.fileVersion = String(decoding: text, as: UTF8.self)
            case (5, .bytes(let summary)):
                event.values = try fields(summary).map { value in
                    guard value.number == 1, case .bytes(let entry) = value.payload else { throw FormatError(description: "unexpected Summary field \(value.number)") }
                    var decoded = Value(tag: "", value: .nan)
                    for part in try fields(entry) {
                        switch (part.number, part.payload) {
                        case (1, .bytes(let tag)): decoded.tag = String(decoding: tag, as: UTF8.self)
                        case (2, .fixed32(let bits)): decoded.value = Float(bitPattern: bits)
                        default: throw FormatError(description: "unexpected Value field \(part.number)")
                        }
                    }
                    return decoded
                }
            default: throw FormatError(description: "unexpected Event field \(field.number)")
            }
        }
        return event
    }

    enum Payload {
        case varint(UInt64), fixed64(UInt64), bytes([UInt8]), fixed32(UInt32)
    }

    /// The fields of one protocol-buffer message, in order.
    private static func fields(_ bytes: [UInt8]) throws -> [(number: Int, payload: Payload)] {
        var offset = 0
        func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard offset < bytes.count, shift < 64 else { throw FormatError(description: "bad varint") }
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        func take(_ count: Int) throws -> [UInt8] {
            guard count >= 0, bytes.count - offset >= count else { throw FormatError(description: "truncated field") }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }
        func littleEndian(_ part: [UInt8]) -> UInt64 {
            part.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
        }
        var result: [(number: Int, payload: Payload)] = []
        while offset < bytes.count {
            let key = try varint()
            let payload: Payload
            switch key & 7 {
            case 0: payload = .varint(try varint())
            case 1: payload = .fixed64(littleEndian(try take(8)))
            case 2: payload = .bytes(try take(Int(try varint())))
            case 5: payload = .fixed32(UInt32(littleEndian(try take(4))))
            default: throw FormatError(description: "unexpected wire type \(key & 7)")
            }
            result.append((Int(key >> 3), payload))
        }
        return result
    }
}
