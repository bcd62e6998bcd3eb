import Algorithms
import ArgumentParser
import Distributed
import ExampleSupport
import Foundation

/// Times one full CRL gradient step (actor + temperature + critic, as the trainer runs it) and
/// the raw `BLAS.multiply` rate on the same GEMM shapes, and prints one JSON line.
@main
struct BenchUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-update", abstract: "Time one CRL gradient step against raw sgemm on the same shapes.")

    @Option(help: "Depth of all three networks (a multiple of 4).") var depth = 4
    @Option(help: "Hidden width.") var width = 256
    @Option(help: "Batch size.") var batchSize = 256
    @Option(help: "Threads: row chunks of each network pass (see Parallelism), or BLAS threads with --blas-threading.")
    var threads = 2
    @Flag(help: "Leave the threads to the BLAS inside each matrix product instead of splitting batches by rows.")
    var blasThreading = false
    @Option(help: "State size (the references' ant-sized default).") var obsDim = 29
    @Option(help: "Action size.") var actionDim = 8
    @Option(help: "Goal size.") var goalDim = 2
    @Option(help: "Representation size.") var reprDim = 64
    @Option(help: "Seconds to time each measurement.") var seconds = 5.0
    @Flag(help: "Recompute activations during backward (bounded memory for depth 1024).") var recompute = false
    @Option(help: "Matrix-product precision: float32, or bfloat16 on CPUs with AVX512-BF16 (the sgemm baselines run in it too).")
    var precision = BLAS.Precision.float32
    @Flag(help: "Under mpirun: every process times --updates gradient steps on its own batch with gradients averaged across processes, and rank 0 prints the rate and the time spent communicating.")
    var distributed = false
    @Option(help: "Gradient steps to time with --distributed (the same on every process).") var updates = 20
    @Option(help: "With --distributed: also time an average-allreduce of this many floats (for example 201000000, three depth-1024 networks).")
    var allreduceFloats = 0
    @Flag(help: "With --distributed: average each gradient on a thread of its own while backward goes on (GradientAverager's overlapping mode).")
    var overlap = false

    func validate() throws {
        guard depth >= 4, depth % 4 == 0 else { throw ValidationError("--depth must be a positive multiple of 4, got \(depth)") }
        for (name, value) in [("--width", width), ("--batch-size", batchSize), ("--threads", threads), ("--obs-dim", obsDim),
                              ("--action-dim", actionDim), ("--goal-dim", goalDim), ("--repr-dim", reprDim)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive, got \(seconds)") }
        guard updates >= 1, allreduceFloats >= 0 else { throw ValidationError("--updates must be at least 1 and --allreduce-floats at least 0") }
        if distributed, !Communicator.isLaunchedByMPI { throw ValidationError("--distributed: \(DistributedError.notLaunched)") }
    }

    func run() throws {
        if distributed {
            let world = try Communicator.world()
            do {
                try runDistributed(world)
            } catch {
                world.abort("\(error)")
            }
            return
        }
        BLAS.threadCount = threads
        try BLAS.setPrecision(precision)
        MemoryReuse.keepFreedMemory()
        var configuration = CRLConfiguration()
        configuration.criticDepth = depth
        configuration.actorDepth = depth
        configuration.criticWidth = width
        configuration.actorWidth = width
        configuration.representationSize = reprDim
        configuration.networkOptions.recomputesActivations = recompute
        let agent = try CRL(stateSize: obsDim, goalSize: goalDim, actionSize: actionDim, configuration: configuration)
        var generator = RandomGenerator(seed: 0)
        let batch = TransitionBatch(
            size: batchSize, states: Tensor.randomNormal([batchSize, obsDim], using: &generator).scalars,
            actions: tanh(Tensor.randomNormal([batchSize, actionDim], using: &generator)).scalars,
            goals: Tensor.randomNormal([batchSize, goalDim], using: &generator).scalars)

        let updatesPerSecond = Parallelism.withThreads(blasThreading ? 1 : threads) {
            _ = agent.update(batch, generator: &generator)
            return rate(seconds: seconds) { _ = agent.update(batch, generator: &generator) }
        }
        let peakBytes = peakResidentBytes()
        let shapes = gemmShapes()
        let flop = shapes.reduce(0.0) { $0 + 2 * Double($1.m * $1.n * $1.k) }
        // Baselines: the BLAS with all the threads on every product (the issue's `sgemm_gflops`),
        // and `threads` single-threaded streams of the same products at once (what two cores give
        // to work split between them, as our update splits it).
        BLAS.threadCount = threads
        let sgemmPerSecond = gemmRate(shapes, seconds: seconds)
        BLAS.threadCount = 1
        let streams = StreamRates(count: threads)
        DispatchQueue.concurrentPerform(iterations: threads) { stream in
            streams.set(stream, gemmRate(shapes, seconds: seconds))
        }
        let result: [String: Any] = [
            "framework": "deepcrl", "blas": BLAS.backend.description, "threads": threads, "blas_threading": blasThreading, "depth": depth, "width": width, "batch_size": batchSize,
            "recompute": recompute, "precision": precision.rawValue, "updates_per_second": updatesPerSecond, "gflop_per_update": flop / 1e9,
            "gflops": flop / 1e9 * updatesPerSecond, "sgemm_gflops": flop / 1e9 * sgemmPerSecond,
            "gemm_share": updatesPerSecond / sgemmPerSecond, "peak_rss_bytes": peakBytes,
            "sgemm_streams_gflops": flop / 1e9 * streams.total,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Times `updates` data-parallel gradient steps (each process its own batch, gradients
    /// averaged), and optionally one allreduce of `allreduceFloats` floats; rank 0 prints JSON.
    func runDistributed(_ world: Communicator) throws {
        BLAS.threadCount = threads
        try BLAS.setPrecision(precision)
        MemoryReuse.keepFreedMemory()
        var configuration = CRLConfiguration()
        (configuration.criticDepth, configuration.actorDepth, configuration.criticWidth, configuration.actorWidth) = (depth, depth, width, width)
        configuration.representationSize = reprDim
        configuration.networkOptions.recomputesActivations = recompute
        let agent = try CRL(stateSize: obsDim, goalSize: goalDim, actionSize: actionDim, configuration: configuration)
        let averagers = try agent.optimizers.map { _ in try GradientAverager(world, overlapping: overlap) }
        for (optimizer, averager) in zip(agent.optimizers, averagers) { optimizer.gradientReducer = averager }
        var generator = RandomGenerator(seed: UInt64(world.rank))
        let batch = TransitionBatch(
            size: batchSize, states: Tensor.randomNormal([batchSize, obsDim], using: &generator).scalars,
            actions: tanh(Tensor.randomNormal([batchSize, actionDim], using: &generator)).scalars,
            goals: Tensor.randomNormal([batchSize, goalDim], using: &generator).scalars)
        let parameters = agent.optimizers.reduce(0) { total, optimizer in
            total + optimizer.state().filter { $0.key.hasPrefix("m.") }.values.reduce(0) { $0 + $1.count }
        }
        try Parallelism.withThreads(blasThreading ? 1 : threads) {
            _ = agent.update(batch, generator: &generator)  // warm-up
            try world.barrier()
            func waiting() -> Double { averagers.reduce(0) { $0 + $1.waitingSeconds } }
            let communicationBefore = world.communicationSeconds, waitingBefore = waiting(), start = Date()
            for _ in 0..<updates { _ = agent.update(batch, generator: &generator) }
            let elapsed = Date().timeIntervalSince(start), communication = world.communicationSeconds - communicationBefore
            let exposed = waiting() - waitingBefore
            var allreduceSeconds = 0.0
            if allreduceFloats > 0 {
                var buffer = [Float](repeating: 1, count: allreduceFloats)
                try world.barrier()
                let reduceStart = Date()
                try world.allreduceAverage(&buffer)
                allreduceSeconds = Date().timeIntervalSince(reduceStart)
            }
            guard world.rank == 0 else { return }
            let result: [String: Any] = [
                "framework": "deepcrl", "blas": BLAS.backend.description, "processes": world.size, "threads": threads, "depth": depth,
                "width": width, "batch_size_per_process": batchSize, "parameters": parameters,
                "updates_per_second": Double(updates) / elapsed,
                "samples_per_second": Double(updates * batchSize * world.size) / elapsed,
                "communication_share": communication / elapsed, "exposed_communication_share": exposed / elapsed,
                "hidden_share": overlap && communication > 0 ? 1 - exposed / communication : 0, "overlap": overlap,
                "allreduce_floats": allreduceFloats, "allreduce_seconds": allreduceSeconds,
            ]
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// The process's peak resident memory so far (after the timed updates, before the baseline).
    func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
        return usage.ru_maxrss * 1024
        #else
        return usage.ru_maxrss
        #endif
    }

    /// Runs of `shapes` per second through `BLAS.multiply` (one set of operands per distinct shape:
    /// the speed does not depend on which buffers a product reads, and a depth-1024 update has
    /// thousands of same-shaped products).
    func gemmRate(_ shapes: [(m: Int, n: Int, k: Int)], seconds: Double) -> Double {
        var operands: [String: (a: [Float], b: [Float], c: [Float])] = [:]
        for shape in shapes where operands["\(shape)"] == nil {
            operands["\(shape)"] = ([Float](repeating: 0.5, count: shape.m * shape.k), [Float](repeating: 0.5, count: shape.k * shape.n),
                                   [Float](repeating: 0, count: shape.m * shape.n))
        }
        let keys = shapes.map { "\($0)" }
        return rate(seconds: seconds) {
            for (index, shape) in shapes.enumerated() {
                let key = keys[index]
                let (a, b, _) = operands[key]!
                BLAS.multiply(a, transposeA: false, b, transposeB: false, into: &operands[key]!.c, m: shape.m, n: shape.n, k: shape.k)
            }
        }
    }

    /// Calls per second of `body`, timed for at least `seconds` and 3 calls.
    func rate(seconds: Double, _ body: () -> Void) -> Double {
        let start = Date()
        var calls = 0
        while Date().timeIntervalSince(start) < seconds || calls < 3 {
            body()
            calls += 1
        }
        return Double(calls) / Date().timeIntervalSince(start)
    }

    /// The GEMMs of one update, counted as the references count them: every Dense layer of the
    /// three networks forward and backward (×3) in the actor step, of both encoders in the critic
    /// step, plus the B × B distance matrix (forward and two backward products).
    func gemmShapes() -> [(m: Int, n: Int, k: Int)] {
        func network(_ input: Int, _ output: Int) -> [(Int, Int)] {
            [(input, width)] + Array(repeating: (width, width), count: depth) + [(width, output)]
        }
        let actor = network(obsDim + goalDim, 2 * actionDim)
        let stateAction = network(obsDim + actionDim, reprDim), goal = network(goalDim, reprDim)
        var shapes: [(m: Int, n: Int, k: Int)] = []
        for (input, output) in actor + stateAction + goal + stateAction + goal {
            shapes.append((batchSize, output, input))   // forward
            shapes.append((batchSize, input, output))   // input gradient
            shapes.append((input, output, batchSize))   // weight gradient
        }
        for _ in 0..<3 { shapes.append((batchSize, batchSize, reprDim)) }
        return shapes
    }
}

/// The rates measured by concurrent streams, written under a lock.
final class StreamRates: @unchecked Sendable {
    // `@unchecked Sendable`: `rates` is only touched under `lock`.
    private let lock = NSLock()
    private var rates: [Double]

    init(count: Int) { rates = Array(repeating: 0, count: count) }

    func set(_ index: Int, _ rate: Double) { lock.withLock { rates[index] = rate } }

    var total: Double { lock.withLock { rates.reduce(0, +) } }
}
