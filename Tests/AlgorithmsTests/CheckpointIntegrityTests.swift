import Foundation
import Testing
import Algorithms

/// Checkpoints carry a CRC-32C per tensor: any changed byte is refused naming the tensor, and
/// checkpoints written before checksums still load, saying they were not checked.
@Suite struct CheckpointIntegrityTests {
    @Test func aFlippedDataByteIsRefusedNamingTheTensor() throws {
        let directory = try trainTinyRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try TrainingRun(opening: directory).checksumsVerified)
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        let original = try Data(contentsOf: url)
        let file = try SafeTensorsFile(contentsOf: url)
        for name in ["agent.actor.output.bias", "replay.states", "environment.generators"] {
            // The same file with one bit of one tensor's data flipped, the recorded checksums kept.
            var tensors = try Dictionary(uniqueKeysWithValues: file.names.map { ($0, try file.tensor(named: $0)) })
            let entry = try #require(tensors[name])
            var bytes = entry.bytes
            bytes[bytes.count / 2] ^= 0x10
            tensors[name] = try SafeTensor(dtype: entry.dtype, shape: entry.shape, bytes: bytes)
            try SafeTensorsFile(tensors: tensors, metadata: file.metadata).write(to: url)
            #expect {
                _ = try TrainingRun(opening: directory)
            } throws: { error in
                "\(error)".contains("tensor '\(name)'") && "\(error)".contains("corrupt")
            }
            #expect {
                _ = try Trainer.resume(from: directory)
            } throws: { error in
                "\(error)".contains("tensor '\(name)'") && "\(error)".contains("corrupt")
            }
        }
        try original.write(to: url)
        #expect(throws: Never.self) { _ = try Trainer.resume(from: directory) }
    }

    @Test func checkpointsWithoutChecksumsLoadUnchecked() throws {
        let directory = try trainTinyRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        let file = try SafeTensorsFile(contentsOf: url)
        let tensors = try Dictionary(uniqueKeysWithValues: file.names.map { ($0, try file.tensor(named: $0)) })
        try SafeTensorsFile(tensors: tensors, metadata: file.metadata.filter { !$0.key.hasPrefix("crc32c.") }).write(to: url)
        #expect(try TrainingRun(opening: directory).checksumsVerified == false)
        #expect(throws: Never.self) { _ = try Trainer.resume(from: directory) }
    }

    @Test func nonFiniteWeightsAreRefused() throws {
        let directory = try trainTinyRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        let file = try SafeTensorsFile(contentsOf: url)
        var tensors = try Dictionary(uniqueKeysWithValues: file.names.map { ($0, try file.tensor(named: $0)) })
        let bias = try tensors["agent.actor.output.bias"]!.scalars(as: Float.self)
        tensors["agent.actor.output.bias"] = try SafeTensor(shape: [bias.count], scalars: [Float.nan] + bias.dropFirst())
        try SafeTensorsFile(tensors: tensors, metadata: file.metadata.filter { !$0.key.hasPrefix("crc32c.") }).write(to: url)
        #expect {
            _ = try TrainingRun(opening: directory)
        } throws: { error in
            "\(error)".contains("tensor 'agent.actor.output.bias' holds nan")
        }
    }
}
