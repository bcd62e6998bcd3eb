import Algorithms
import Distributed
import Foundation
import SafeTensors
import Testing

/// Runs `program` (built beside this test bundle: `distributed-check` or an example) under
/// `mpirun` and returns its exit status and output; fails the test after `timeout` seconds
/// instead of hanging.
func mpirun(
    processes: Int, _ program: String = "distributed-check", _ arguments: [String] = [], timeout: TimeInterval = 120
) throws -> (status: Int32, output: String) {
    let build = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var check = build.appendingPathComponent(program)
    if !FileManager.default.fileExists(atPath: check.path) {  // inside an .xctest bundle directory
        check = build.deletingLastPathComponent().appendingPathComponent(program)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    // Containers often forbid the cross-memory attach Open MPI's shared-memory transport uses
    // for large messages; copying through shared memory works everywhere.
    process.arguments = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none",
                         "-np", "\(processes)", check.path] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
        process.terminate()
        Issue.record("mpirun -np \(processes) \(arguments) still running after \(timeout) s")
    }
    process.waitUntilExit()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (process.terminationStatus, output)
}

@Suite(.serialized) struct DistributedTests {
    @Test(arguments: [2, 3])
    func collectiveOperationsGiveTheirKnownAnswersOnEveryRank(processes: Int) throws {
        let (status, output) = try mpirun(processes: processes)
        #expect(status == 0, "\(output)")
        for rank in 0..<processes {
            #expect(output.contains("rank \(rank) of \(processes): ok"), "\(output)")
        }
    }

    @Test func aRankThatFailsEndsTheJobWithItsMessage() throws {
        let (status, output) = try mpirun(processes: 2, "distributed-check", ["--fail-on-rank", "1"])
        #expect(status != 0)
        #expect(output.contains("rank 1 of 2: step is NaN, expected a finite loss"), "\(output)")
    }

    @Test func aStudyUnderMPIRunSharesItsRunsByRankAndRank0ReportsThemAll() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpi-study-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (status, output) = try mpirun(
            processes: 2, "study", ["depth", "--quick", "--seeds", "0", "--depths", "4,8", "--threads", "1", "--output", directory.path])
        #expect(status == 0, "\(output)")
        #expect(output.components(separatedBy: "in this shard").count == 3, "each rank announces its shard: \(output)")
        #expect(output.components(separatedBy: "2 of 2 runs finished").count == 2, "rank 0 alone reports: \(output)")
        let csv = try String(contentsOf: directory.appendingPathComponent("results.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 3, "\(csv)")
        for run in ["depth-4-seed-0", "depth-8-seed-0"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(run).appendingPathComponent("checkpoint.safetensors").path))
        }
    }

    @Test func aTwoProcessRunIsReproducibleKeepsOneNetworkAndResumesExactly() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mpi-train-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let tiny = ["--distributed", "--num-envs", "2", "--unroll-length", "10", "--prefill-steps", "20", "--replay-capacity", "200",
                    "--updates-per-round", "2", "--evaluations", "2", "--evaluation-episodes", "2", "--episode-length", "30",
                    "--width", "8", "--batch-size", "8", "--window-length", "20", "--representation-size", "4", "--threads", "1"]
        func train(_ name: String, _ arguments: [String]) throws -> URL {
            let directory = scratch.appendingPathComponent(name)
            let (status, output) = try mpirun(processes: 2, "train", arguments + ["--output", directory.path])
            #expect(status == 0, "\(output)")
            return directory
        }
        let first = try train("first", tiny + ["--env-steps", "2400"])
        let second = try train("second", tiny + ["--env-steps", "2400"])
        let overlapped = try train("overlapped", tiny + ["--env-steps", "2400", "--overlap-communication"])
        let resumed = try train("resumed", tiny + ["--env-steps", "1200"])
        let (status, output) = try mpirun(processes: 2, "train", ["--distributed", "--resume", resumed.path, "--env-steps", "2400"])
        #expect(status == 0, "\(output)")

        func tensors(_ run: URL, _ file: String) throws -> [String: SafeTensor] {
            try SafeTensorsFile(contentsOf: run.appendingPathComponent(file)).tensors
        }
        for file in ["checkpoint.safetensors", "checkpoint.rank-1.safetensors"] {
            #expect(try tensors(first, file) == tensors(second, file), "\(file): the same seeds give the same run")
            #expect(try tensors(first, file) == tensors(overlapped, file), "\(file): overlapping communication changes no result")
            #expect(try tensors(first, file) == tensors(resumed, file), "\(file): resumed, the run ends as the straight one")
        }
        // Averaged gradients keep one network on both processes; their replays differ.
        let (rank0, rank1) = (try tensors(first, "checkpoint.safetensors"), try tensors(first, "checkpoint.rank-1.safetensors"))
        let agentTensors = rank0.keys.filter { $0.hasPrefix("agent.") }
        #expect(!agentTensors.isEmpty && agentTensors.allSatisfy { rank0[$0] == rank1[$0] })
        #expect(rank0["replay.states"] != rank1["replay.states"])
        // Rank 0 alone writes the records; resumed with another process count, the run is refused.
        let records = try String(contentsOf: first.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(records.split(separator: "\n").count == 2)
        let (refused, message) = try mpirun(processes: 1, "train", ["--distributed", "--resume", first.path, "--env-steps", "3000"])
        #expect(refused != 0 && message.contains("resume it with as many (mpirun -np 2)"), "\(message)")
    }

    /// `train --matrix-precision bfloat16` trains with bfloat16 products where the CPU has them,
    /// records the setting for its resumption, and is refused naming why elsewhere. (A process of
    /// its own: the precision is a setting of the whole process.)
    @Test func aBFloat16RunTrainsWhereTheCPUCanAndIsRefusedElsewhere() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bf16-train-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (status, output) = try mpirun(processes: 1, "train", [
            "--matrix-precision", "bfloat16", "--env-steps", "160", "--num-envs", "2", "--unroll-length", "10", "--prefill-steps", "20",
            "--replay-capacity", "200", "--updates-per-round", "2", "--evaluations", "2", "--evaluation-episodes", "2",
            "--episode-length", "30", "--width", "8", "--batch-size", "8", "--window-length", "20", "--representation-size", "4",
            "--threads", "1", "--output", directory.path,
        ])
        if BLAS.supports(.bfloat16) {
            #expect(status == 0 && output.contains("with bfloat16 operands") && output.contains("Final evaluation"), "\(output)")
            let configuration = try RunConfiguration(contentsOf: directory)
            #expect(configuration.trainer.matrixPrecision == .bfloat16)
        } else {
            #expect(status != 0 && output.contains("matrix-precision") && output.contains("AVX512-BF16"), "\(status) \(output)")
        }
    }

    /// `study --report-only` trains nothing and reports what has finished.
    @Test func aStudyReportsWithoutTrainingWhenAskedTo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-only-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["depth", "--quick", "--seeds", "0", "--depths", "4,8", "--threads", "1", "--output", directory.path]
        let (status, output) = try mpirun(processes: 1, "study", arguments + ["--report-only"])
        #expect(status == 0 && output.contains("0 of 2 runs finished"), "\(output)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!entries.contains { $0.hasPrefix("depth-") }, "\(entries)")
        #expect(entries.contains("results.csv"))
    }

    @Test func overlappingCommunicationWithoutDistributedTrainingIsAUsageError() throws {
        let (status, output) = try mpirun(processes: 1, "train", ["--overlap-communication", "--env-steps", "1000"])
        #expect(status == 64 && output.contains("--overlap-communication needs --distributed"), "\(status) \(output)")
    }

    @Test func withoutMPIRunTheWorldIsRefusedSayingHowToStartIt() {
        #expect(!Communicator.isLaunchedByMPI)
        #expect {
            _ = try Communicator.world()
        } throws: { error in
            (error as? DistributedError) == .notLaunched && "\(error)".contains("mpirun -np N")
        }
    }
}
