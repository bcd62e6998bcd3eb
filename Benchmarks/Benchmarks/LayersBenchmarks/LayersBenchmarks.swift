// ResidualMLP forward+backward at width 256, batch 256 and 512, depth 4 to 1024, with and without
// activation recomputation: time per step and peak resident memory (each benchmark runs in a
// process of its own, so the peak is that configuration's). The network is built on the first
// (warm-up) call, outside the measurement.

import Benchmark
import BenchmarkSupport
import Layers

let benchmarks: @Sendable () -> Void = {
    MemoryReuse.keepFreedMemory()
    let width = 256
    for batch in [256, 512] {
        for depth in [4, 16, 64, 256, 1024] {
            for recomputes in [false, true] {
                let deep = depth >= 256
                var workload: ResidualMLPWorkload?
                Benchmark(
                    "ResidualMLP forward+backward B\(batch) W\(width) depth \(depth)\(recomputes ? " recompute" : "")",
                    configuration: .init(
                        metrics: [.wallClock, .throughput, .peakMemoryResident],
                        timeUnits: .milliseconds,
                        warmupIterations: 1,
                        maxDuration: .seconds(deep ? 4 : 2),
                        maxIterations: deep ? 3 : 200)
                ) { benchmark in
                    if workload == nil {
                        workload = try! ResidualMLPWorkload(
                            batch: batch, width: width, depth: depth, recomputesActivations: recomputes)
                    }
                    benchmark.startMeasurement()
                    blackHole(workload!.forwardBackward())
                }
            }
        }
    }
}
