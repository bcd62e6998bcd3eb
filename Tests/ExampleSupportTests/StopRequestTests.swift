import Algorithms
import Foundation
import Testing

/// `train`, built beside this test bundle, stopped by SIGTERM: it ends its round, saves its
/// checkpoint, exits with 143, and the resumed run ends where an uninterrupted one does.
@Suite struct StopRequestTests {
    static let tiny = ["--env", "point-maze-u", "--num-envs", "2", "--unroll-length", "10", "--prefill-steps", "20",
                       "--replay-capacity", "200", "--updates-per-round", "2", "--evaluations", "40", "--evaluation-episodes", "2",
                       "--episode-length", "30", "--width", "8", "--batch-size", "8", "--window-length", "20",
                       "--representation-size", "4", "--threads", "1", "--env-steps", "8000"]

    /// Starts the `train` example with `arguments`; its output goes to `log`.
    static func startTrain(_ arguments: [String], log: URL) throws -> Process {
        let build = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var train = build.appendingPathComponent("train")
        if !FileManager.default.fileExists(atPath: train.path) {  // inside an .xctest bundle directory
            train = build.deletingLastPathComponent().appendingPathComponent("train")
        }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)  // a failure shows as the error of opening it
        let process = Process()
        process.executableURL = train
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        return process
    }

    /// Waits for `process` to end, terminating it (and failing the test) after `timeout` seconds.
    static func wait(for process: Process, timeout: TimeInterval = 120) {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            Issue.record("train still running after \(timeout) s")
        }
        process.waitUntilExit()
    }

    @Test func sigtermStopsTrainingAtARoundsEndWithACheckpointThatResumesExactly() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (stopped, whole) = (scratch.appendingPathComponent("stopped"), scratch.appendingPathComponent("whole"))
        let log = scratch.appendingPathComponent("log")

        let process = try Self.startTrain(Self.tiny + ["--output", stopped.path], log: log)
        let metrics = stopped.appendingPathComponent("metrics.jsonl")
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline && ((try? MetricsRecord.read(from: metrics)) ?? []).isEmpty {
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.terminate()  // SIGTERM
        Self.wait(for: process)
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationReason == .exit && process.terminationStatus == 143, "\(output)")
        #expect(output.contains("Stopped at ") && output.contains("train --resume \(stopped.path)"), "\(output)")
        let run = try TrainingRun(opening: stopped)
        #expect(run.configuration.trainer.environmentSteps == 8000)
        let stoppedAt = try MetricsRecord.read(from: metrics)
        #expect(!stoppedAt.isEmpty && stoppedAt.count < 40, "stopped mid-run: \(stoppedAt.count) evaluations")

        let resumed = try Self.startTrain(["--resume", stopped.path], log: log)
        Self.wait(for: resumed)
        let resumedOutput = try String(contentsOf: log, encoding: .utf8)
        #expect(resumed.terminationStatus == 0, "\(resumedOutput)")
        let uninterrupted = try Self.startTrain(Self.tiny + ["--output", whole.path], log: log)
        Self.wait(for: uninterrupted)
        #expect(uninterrupted.terminationStatus == 0)
        let (a, b) = (try MetricsRecord.read(from: metrics), try MetricsRecord.read(from: whole.appendingPathComponent("metrics.jsonl")))
        #expect(a.count == 40 && a.map(\.evaluation) == b.map(\.evaluation) && a.map(\.gradientSteps) == b.map(\.gradientSteps))
    }
}
