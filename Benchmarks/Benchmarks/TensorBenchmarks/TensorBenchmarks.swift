// Kernel benchmarks at the shapes of one hidden layer (width 256; batch 256 and 512): the raw
// sgemm calls of a Dense layer's forward and backward pass against our `matmul`, `dense`,
// `layerNormSwish` and a whole Dense→LayerNorm→Swish layer, each forward and backward.
// `swift run -c release kernel-ratios` prints the ratios between them.

import Benchmark
import BenchmarkSupport
import Tensor

let benchmarks: @Sendable () -> Void = {
    MemoryReuse.keepFreedMemory()
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 5,
        maxDuration: .seconds(1),
        maxIterations: 10_000)

    let width = 256
    for batch in [256, 512] {
        let shape = "B\(batch) W\(width)"
        let raw = DenseGEMMs(batch: batch, inputSize: width, outputSize: width)
        let inputs = HiddenLayerInputs(batch: batch, inputSize: width, outputSize: width)

        Benchmark("sgemm raw: Dense forward+backward GEMMs \(shape)") { benchmark in
            for _ in benchmark.scaledIterations { raw.forwardBackward() }
        }
        Benchmark("matmul: Dense forward+backward GEMMs \(shape)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(matmul(inputs.x, inputs.weight))
                blackHole(matmul(inputs.outputGradient, inputs.weight, transposeB: true))
                blackHole(matmul(inputs.x, inputs.outputGradient, transposeA: true))
            }
        }
        Benchmark("dense forward+backward \(shape)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(inputs.denseForwardBackward()) }
        }
        Benchmark("layerNormSwish forward+backward \(shape)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(inputs.layerNormSwishForwardBackward()) }
        }
        Benchmark("Dense→LayerNorm→Swish forward+backward \(shape)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(inputs.hiddenLayerForwardBackward()) }
        }
    }
}
