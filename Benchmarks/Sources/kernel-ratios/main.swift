// Prints the performance ratios of issues 3 and 4 directly: our ops and networks against the raw
// `BLAS.multiply` calls they make, timed alternately in one process. FLOPs are counted from the GEMM
// shapes only (2·B·in·out per Dense forward, ×3 for forward and backward).
//
//     swift run -c release --package-path Benchmarks kernel-ratios
//     OPENBLAS_NUM_THREADS=1 swift run -c release --package-path Benchmarks kernel-ratios

import ArgumentParser
import BenchmarkSupport
import Foundation
import Layers

@main
struct KernelRatios: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel-ratios",
        abstract: "Our dense, Dense→LayerNorm→Swish and ResidualMLP forward+backward against raw sgemm.")

    @Option(help: "Threads of each matrix product (default: one per core).")
    var threads: Int?

    @Option(help: "Run the networks of (c) inside Parallelism.withThreads(N): batches split by rows, single-threaded BLAS per chunk.")
    var parallelThreads: Int?

    @Option(help: "Seconds of alternating measurement per comparison.")
    var seconds = 2.0

    @Option(help: "Width of every layer.")
    var width = 256

    @Option(parsing: .upToNextOption, help: "Batch sizes.")
    var batches = [256, 512]

    @Option(parsing: .upToNextOption, help: "ResidualMLP depths for (c).")
    var depths = [4, 16, 64, 256]

    @Option(help: "Depth of the peak-memory measurement (d); 0 skips it.")
    var memoryDepth = 1024

    @Option(help: .hidden)
    var peakMemoryChild: String?

    func run() throws {
        MemoryReuse.keepFreedMemory()
        if let threads { BLAS.threadCount = threads }
        if let spec = peakMemoryChild { return try measurePeakMemory(spec) }
        print("\(BLAS.backend), \(BLAS.threadCount) threads per product; network threads (c): \(parallelThreads ?? 1); width \(width); median of alternating runs over \(seconds) s each")
        denseRatios()
        hiddenLayerOverhead()
        try residualMLPRatios()
        if memoryDepth > 0 { try peakMemory() }
    }

    /// (a) `dense` forward+backward against its three sgemm calls.
    func denseRatios() {
        print("\n(a) dense forward+backward vs its raw sgemm calls (target ≥ 0.90)")
        print(row("batch", "raw GFLOP/s", "dense GFLOP/s", "ratio"))
        for batch in batches {
            let raw = DenseGEMMs(batch: batch, inputSize: width, outputSize: width)
            let inputs = HiddenLayerInputs(batch: batch, inputSize: width, outputSize: width)
            let t = medianSeconds(of: [raw.forwardBackward, { _ = inputs.denseForwardBackward() }], seconds: seconds)
            let flops = 3 * raw.forwardFLOPs
            print(row("\(batch)", gflops(flops, t[0]), gflops(flops, t[1]), fixed(t[0] / t[1])))
        }
    }

    /// (b) The time a Dense→LayerNorm→Swish layer adds to its GEMMs, with the parts measured alone.
    func hiddenLayerOverhead() {
        print("\n(b) Dense→LayerNorm→Swish forward+backward: time added to its GEMMs (target ≤ 25% at batch 512)")
        print(row("batch", "GEMMs ms", "layer ms", "added", "dense ms", "LN-swish ms"))
        for batch in batches {
            let raw = DenseGEMMs(batch: batch, inputSize: width, outputSize: width)
            let inputs = HiddenLayerInputs(batch: batch, inputSize: width, outputSize: width)
            let t = medianSeconds(
                of: [
                    raw.forwardBackward, { _ = inputs.hiddenLayerForwardBackward() },
                    { _ = inputs.denseForwardBackward() }, { _ = inputs.layerNormSwishForwardBackward() },
                ],
                seconds: seconds)
            print(row("\(batch)", ms(t[0]), ms(t[1]), percent(t[1] / t[0] - 1), ms(t[2]), ms(t[3])))
        }
    }

    /// (c) ResidualMLP forward+backward against the same GEMMs on raw buffers.
    func residualMLPRatios() throws {
        print("\n(c) ResidualMLP forward+backward vs raw sgemm at the same shapes (target ≥ 0.80 at batch 512, depth ≥ 16)")
        print(row("batch", "depth", "raw GFLOP/s", "GFLOP/s", "ratio", "recompute GFLOP/s", "ratio", "ms/step"))
        for batch in batches {
            for depth in depths {
                let plain = try ResidualMLPWorkload(batch: batch, width: width, depth: depth, recomputesActivations: false)
                let recomputing = try ResidualMLPWorkload(batch: batch, width: width, depth: depth, recomputesActivations: true)
                let threads = parallelThreads ?? 1
                let t = medianSeconds(
                    of: [
                        plain.gemms.forwardBackward,
                        { Parallelism.withThreads(threads) { _ = plain.forwardBackward() } },
                        { Parallelism.withThreads(threads) { _ = recomputing.forwardBackward() } },
                    ],
                    seconds: seconds, minimumCalls: 3)
                let flops = plain.gemms.flops
                print(row(
                    "\(batch)", "\(depth)", gflops(flops, t[0]), gflops(flops, t[1]), fixed(t[0] / t[1]),
                    gflops(flops, t[2]), fixed(t[0] / t[2]), ms(t[1])))
            }
        }
    }

    /// (d) Peak resident memory of one forward+backward at `memoryDepth`, each in a fresh process.
    func peakMemory() throws {
        print("\n(d) peak resident memory, ResidualMLP forward+backward, depth \(memoryDepth), width \(width) (target with recomputation < 2 GiB at batch 256)")
        print(row("batch", "recompute", "parameters MiB", "peak RSS MiB", "ms/step"))
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe")
        for batch in batches.prefix(1) {
            for recompute in [true, false] {
                let process = Process()
                process.executableURL = executable
                process.arguments = ["--peak-memory-child", "\(memoryDepth):\(batch):\(width):\(recompute)"]
                    + (threads.map { ["--threads", "\($0)"] } ?? [])
                    + (parallelThreads.map { ["--parallel-threads", "\($0)"] } ?? [])
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                guard process.terminationStatus == 0 else {
                    throw ValidationError("peak-memory child failed with status \(process.terminationStatus)")
                }
                print(row("\(batch)", "\(recompute)", output.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
    }

    /// In a fresh process: build the network, run forward+backward twice, print MiB and time.
    func measurePeakMemory(_ spec: String) throws {
        let parts = spec.split(separator: ":")
        guard parts.count == 4, let depth = Int(parts[0]), let batch = Int(parts[1]), let width = Int(parts[2]) else {
            throw ValidationError("--peak-memory-child expects depth:batch:width:recompute, got \(spec)")
        }
        let workload = try ResidualMLPWorkload(
            batch: batch, width: width, depth: depth, recomputesActivations: parts[3] == "true")
        let threads = parallelThreads ?? 1
        let parameterBytes = workload.model.parameterCount * MemoryLayout<Float>.size
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        for _ in 0..<2 {
            let start = clock.now
            Parallelism.withThreads(threads) { _ = workload.forwardBackward() }
            elapsed = clock.now - start
        }
        let mib = { (bytes: Int) in String(format: "%.0f", Double(bytes) / 1_048_576) }
        print(row(mib(parameterBytes), mib(peakResidentBytes()), ms(elapsed.seconds)))
    }
}

func row(_ cells: String...) -> String { cells.map { $0.padding(toLength: max(14, $0.count + 2), withPad: " ", startingAt: 0) }.joined() }
func gflops(_ flops: Double, _ seconds: Double) -> String { String(format: "%.1f", flops / seconds / 1e9) }
func fixed(_ value: Double) -> String { String(format: "%.3f", value) }
func percent(_ value: Double) -> String { String(format: "%+.1f%%", value * 100) }
func ms(_ seconds: Double) -> String { String(format: "%.3f", seconds * 1000) }
