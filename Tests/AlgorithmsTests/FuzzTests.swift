import Foundation
import Testing
import Algorithms

/// Mutated run directories through the public loading APIs: every case must load or throw, never
/// trap, hang or allocate without bound (a trap ends the whole test process). Bounded: a fixed
/// number of cases from fixed seeds, a few seconds in all.
@Suite(.serialized) struct FuzzTests {
    /// Opens and resumes `directory`; true when both loaded, false when one threw.
    static func load(_ directory: URL) -> Bool {
        do {
            _ = try TrainingRun(opening: directory)
            _ = try Trainer.resume(from: directory)
            return true
        } catch {
            return false
        }
    }

    @Test func mutatedCheckpointsLoadOrThrow() throws {
        let directory = try trainTinyRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        let original = [UInt8](try Data(contentsOf: url))
        let headerEnd = 8 + Int(original[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        var generator = RandomGenerator(seed: 24)
        var loaded = 0, dataFlipsLoaded = 0
        for index in 0..<120 {
            var bytes = original
            var flippedData = false
            switch index % 4 {
            case 0:  // a byte of the header
                bytes[generator.nextIndex(below: headerEnd)] = UInt8(truncatingIfNeeded: generator.next())
            case 1:  // a byte of the data
                let position = headerEnd + generator.nextIndex(below: bytes.count - headerEnd)
                bytes[position] ^= UInt8(1 << generator.nextIndex(below: 8))
                flippedData = true
            case 2:  // cut short
                bytes.removeLast(1 + generator.nextIndex(below: bytes.count - 1))
            default:  // the length field
                for position in 0..<8 { bytes[position] = UInt8(truncatingIfNeeded: generator.next()) }
            }
            try Data(bytes).write(to: url)
            if Self.load(directory) {
                loaded += 1
                if flippedData { dataFlipsLoaded += 1 }
            }
        }
        #expect(dataFlipsLoaded == 0, "every flipped data bit is caught by the checksums")
        #expect(loaded < 10, "\(loaded) of 120 mutated checkpoints loaded")
        try Data(original).write(to: url)
        #expect(Self.load(directory))
    }

    @Test func mutatedConfigurationsLoadOrThrow() throws {
        let directory = try trainTinyRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("config.json")
        let original = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let hostile: [Any] = [
            -1, 0, 1, Int.max, Int.min, 1e300, -1e300, 0.5, "deep", NSNull(), [1, 2], ["x": 1], true, 4_294_967_296,
        ]
        var generator = RandomGenerator(seed: 7)
        var cases = 0
        for section in ["agent", "trainer"] {
            let keys = (original[section] as! [String: Any]).keys.sorted()
            for key in keys {
                for _ in 0..<4 {
                    var file = original
                    var part = file[section] as! [String: Any]
                    part[key] = hostile[generator.nextIndex(below: hostile.count)]
                    file[section] = part
                    try JSONSerialization.data(withJSONObject: file).write(to: url)
                    _ = Self.load(directory)
                    cases += 1
                }
            }
        }
        for text in ["", "{", "[]", "null", "{\"formatVersion\": 99}", String(repeating: "[", count: 10_000)] {
            try Data(text.utf8).write(to: url)
            #expect(!Self.load(directory), "config.json \(text.prefix(20))")
            cases += 1
        }
        #expect(cases > 100)
        try JSONSerialization.data(withJSONObject: original).write(to: url)
        #expect(Self.load(directory))
    }

    @Test func mutatedMetricsAreReadOrRefusedNamingTheLine() throws {
        let directory = try trainTinyRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("metrics.jsonl")
        let original = [UInt8](try Data(contentsOf: url))
        var generator = RandomGenerator(seed: 3)
        for _ in 0..<40 {
            var bytes = original
            for _ in 0..<(1 + generator.nextIndex(below: 4)) {
                bytes[generator.nextIndex(below: bytes.count)] = UInt8(truncatingIfNeeded: generator.next())
            }
            try Data(bytes).write(to: url)
            do {
                _ = try MetricsRecord.read(from: url)
            } catch let error as AlgorithmsError {
                guard case .unreadableMetrics(_, let line, _) = error else { Issue.record("\(error)"); continue }
                #expect(line >= 1)
            } catch {
                // Bytes that are not UTF-8 fail while reading the text, before any line.
                #expect("\(error)".count > 0)
            }
            // Resume keeps the records it can read and sets the rest aside, never failing on them.
            #expect(Self.load(directory) || !FileManager.default.fileExists(atPath: url.path))
        }
    }
}
