import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes scalars to a TensorBoard event file, byte for byte as TensorBoard's own writer does, so
/// that `tensorboard --logdir` shows the curves of a run.
///
/// The file, `events.out.tfevents.<unix seconds>.<hostname>`, is a sequence of TFRecords, each an
/// `Event` protocol buffer; the first names the format (`brain.Event:2`). Each `add` reaches the
/// file in one write, so a running TensorBoard sees it at once.
public final class TensorBoardWriter {
    /// The event file this writer appends to.
    public let url: URL
    private let handle: FileHandle

    /// Creates a new event file in `directory` (made if missing) and writes its first record.
    ///
    /// `wallTime`, in seconds since 1970, names the file and stamps the first record. A writer
    /// never takes over an existing file: when the name is taken (a run resumed within the same
    /// second), `.1`, `.2`, … is appended; TensorBoard reads every event file of a directory.
    public init(directory: URL, wallTime: Double = Date().timeIntervalSince1970) throws {
        guard wallTime.isFinite, wallTime >= 0 else {
            throw AlgorithmsError.invalidSetting(name: "wallTime", value: "\(wallTime)", expected: "seconds since 1970, finite and not negative")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw AlgorithmsError.checkpoint("cannot create the TensorBoard directory \(directory.path): \(error.localizedDescription)")
        }
        let name = "events.out.tfevents." + String(format: "%010lld", Int64(wallTime)) + "." + Self.hostName()
        var (candidate, descriptor) = (directory.appendingPathComponent(name), Int32(-1))
        for suffix in 0..<1_000 {
            candidate = directory.appendingPathComponent(suffix == 0 ? name : "\(name).\(suffix)")
            descriptor = open(candidate.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        url = candidate
        guard descriptor >= 0 else {
            throw AlgorithmsError.checkpoint("cannot create the TensorBoard event file \(url.path): \(String(cString: strerror(errno)))")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var event = Self.event(wallTime: wallTime, step: 0)
        event.append(field: 3, string: "brain.Event:2")  // file_version
        try write(Self.record(event.bytes))
    }

    /// Appends `value` under `tag` (for instance `loss/critic`) at `step`.
    public func add(scalar value: Float, tag: String, step: Int, wallTime: Double = Date().timeIntervalSince1970) throws {
        try add(scalars: [tag: value], step: step, wallTime: wallTime)
    }

    /// Appends every value of `scalars` under its tag at `step`, in one event with the tags sorted,
    /// so that equal inputs give equal files.
    public func add(scalars: [String: Float], step: Int, wallTime: Double = Date().timeIntervalSince1970) throws {
        var summary = ProtocolBufferEncoder()
        for (tag, value) in scalars.sorted(by: { $0.key < $1.key }) {
            guard !tag.isEmpty else {
                throw AlgorithmsError.invalidSetting(name: "tag", value: "\"\"", expected: "a non-empty name")
            }
            var entry = ProtocolBufferEncoder()
            entry.append(field: 1, string: tag)  // Summary.Value.tag
            entry.append(field: 2, float: value)  // Summary.Value.simple_value
            summary.append(field: 1, message: entry)  // Summary.value
        }
        var event = Self.event(wallTime: wallTime, step: step)
        event.append(field: 5, message: summary)  // Event.summary
        try write(Self.record(event.bytes))
    }

    /// Forces what was written onto the disk.
    public func flush() throws {
        do {
            try handle.synchronize()
        } catch {
            throw AlgorithmsError.checkpoint("cannot flush the TensorBoard event file \(url.path): \(error.localizedDescription)")
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw AlgorithmsError.checkpoint("cannot write to the TensorBoard event file \(url.path): \(error.localizedDescription)")
        }
    }

    /// The start of an `Event`: `wall_time` (field 1) and `step` (field 2), each left out when zero
    /// as proto3 encoders do.
    private static func event(wallTime: Double, step: Int) -> ProtocolBufferEncoder {
        var event = ProtocolBufferEncoder()
        if wallTime.bitPattern != 0 { event.append(field: 1, double: wallTime) }
        if step != 0 { event.append(field: 2, int64: Int64(step)) }
        return event
    }

    /// A TFRecord: the length as a little-endian UInt64, its masked CRC-32C, the data, the data's
    /// masked CRC-32C.
    static func record(_ data: [UInt8]) -> [UInt8] {
        let length = withUnsafeBytes(of: UInt64(data.count).littleEndian) { Array($0) }
        var record = length
        record += withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { Array($0) }
        record += data
        record += withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { Array($0) }
        return record
    }

    /// The machine's name as `gethostname` gives it, the name TensorBoard's writers put in the file name.
    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
