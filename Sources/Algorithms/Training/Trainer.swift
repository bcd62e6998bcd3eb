import Foundation

/// Trains an ``Agent`` (e.g. ``CRL``): prefill the replay (with uniform actions, or the untrained
/// stochastic actor: ``TrainerConfiguration/prefillActions``), then rounds of
/// (collect `unrollLength` steps from every environment, then gradient steps on relabeled
/// windows), evaluating the deterministic actor on fresh episodes `evaluationCount` times.
///
/// With an output directory it writes `config.json`, appends one JSON object per evaluation to
/// `metrics.jsonl` (and the same table to `metrics.csv`), writes a TensorBoard event file
/// (evaluations under `eval/` tags at their environment step; the training metrics of every
/// ``TrainerConfiguration/trainingMetricsInterval``-th gradient step under `train/`, with `rate/`
/// speeds, at their gradient step), and saves `checkpoint.safetensors` (networks, optimizer moments, replay,
/// environment states, counters) atomically after each evaluation and when stopped early;
/// ``resume(from:environmentSteps:registry:group:)`` continues such a run exactly. A NaN or infinite loss stops training
/// with ``AlgorithmsError/nonFinite(quantity:step:)`` before anything is saved.
public final class Trainer {
    /// A snapshot passed to the progress callback.
    public struct Progress: Sendable {
        /// Environment steps collected so far.
        public var environmentSteps: Int
        /// Environment steps the run will have collected at its end.
        public var totalEnvironmentSteps: Int
        /// Gradient steps taken so far.
        public var gradientSteps: Int
        /// Seconds since the run started.
        public var wallSeconds: Double
        /// The latest evaluation, if any.
        public var lastEvaluation: MetricsRecord?
    }

    /// The agent being trained.
    public let agent: any Agent
    /// The agent that acts in the training environments when ``TrainerConfiguration/collector``
    /// is set; nil when ``agent`` acts.
    public let collector: (any Agent)?
    /// The processes of a data-parallel run (nil: this process alone). Each steps its own
    /// environments (seeded apart by rank) into its own replay; gradients are averaged across
    /// them before every optimizer step; evaluations are averaged over them; rank 0 writes the
    /// run's records and `checkpoint.safetensors`, every other rank its own
    /// `checkpoint.rank-<rank>.safetensors` (its replay, environments and streams).
    public let group: (any ProcessGroup)?
    /// The registered name of the training environment.
    public let environmentName: String
    /// The training environments.
    public let environment: VectorEnvironment
    /// The environments of evaluation episodes (one episode per copy).
    public let evaluationEnvironment: VectorEnvironment
    /// The run's settings.
    public let configuration: TrainerConfiguration
    /// Where config, metrics and checkpoints go (nil: nowhere).
    public let output: URL?
    /// Environment steps collected so far.
    public var environmentSteps: Int { counters.environmentSteps }
    /// Gradient steps taken so far.
    public var gradientSteps: Int { counters.gradientSteps }
    /// Collection rounds finished after the prefill.
    public var completedRounds: Int { counters.completedRounds }
    private var counters = TrainingCheckpoint.Counters()
    private(set) var replay: TrajectoryReplayBuffer
    private var generator: RandomGenerator
    /// The trained agent's sampling stream when a collector uses ``generator``.
    private var learnerGenerator: RandomGenerator?
    private var batch: StepBatch
    private var started = false
    /// Held while this trainer may write into ``output``.
    private var directoryLock: RunDirectoryLock?
    private var lastUpdate: [String: Float] = [:]
    /// The run's TensorBoard event file, opened at its first record (see `eventFile()`).
    private var tensorBoard: TensorBoardWriter?
    private var timing = (updates: 0.0, updateCount: 0, collection: 0.0, collected: 0)

    /// Prepares a run of `agent` on copies of the environment registered as `environmentName`.
    /// Throws when `output` already holds a run with a checkpoint (resume it with
    /// ``resume(from:environmentSteps:registry:group:)``). A run that stopped before its first
    /// checkpoint (a full disk, a kill) cannot be resumed, so a new run may start there; the old
    /// run's metrics lines move to ``setAsideMetricsFileName``.
    ///
    /// With a `group`, every process of it makes the same call (the same settings and output);
    /// rank 0's agent is copied to the others. A process that throws must end the group's job
    /// (the others would wait for it): the `Distributed` product's `Communicator.abort`.
    public convenience init(
        agent: any Agent, environmentName: String, configuration: TrainerConfiguration = TrainerConfiguration(),
        output: URL? = nil, registry: EnvironmentRegistry = .shared, group: (any ProcessGroup)? = nil
    ) throws {
        try self.init(
            agent: agent, environmentName: environmentName, configuration: configuration, output: output, registry: registry,
            group: group, resuming: false)
    }

    /// Prepares a run of `agent` on copies of the environment `makeEnvironment` makes, recorded
    /// in `config.json` as `name`: a task of your own needs no registration to train. To open or
    /// resume the run later, register the same factory under `name` in an `EnvironmentRegistry`
    /// and pass it (``TrainingRun/init(opening:registry:)``).
    public convenience init(
        agent: any Agent, environment makeEnvironment: @escaping EnvironmentRegistry.Factory, named name: String,
        configuration: TrainerConfiguration = TrainerConfiguration(), output: URL? = nil
    ) throws {
        let registry = EnvironmentRegistry()
        registry.register(name, factory: makeEnvironment)
        try self.init(agent: agent, environmentName: name, configuration: configuration, output: output, registry: registry)
    }

    private init(
        agent: any Agent, environmentName: String, configuration: TrainerConfiguration, output: URL?,
        registry: EnvironmentRegistry, group: (any ProcessGroup)?, resuming: Bool
    ) throws {
        try configuration.validate()
        var c = configuration
        c.prefillSteps = c.effectivePrefillSteps  // fixed now and recorded, so an extended run keeps it
        let processes = group?.size ?? 1
        if processes > 1, c.environmentSteps < processes * c.environmentCount * c.effectivePrefillSteps {
            throw AlgorithmsError.invalidSetting(
                name: "env-steps", value: "\(c.environmentSteps)",
                expected: "at least the prefill of \(processes) processes × \(c.environmentCount) environments × \(c.effectivePrefillSteps) steps")
        }
        // Rank 0's streams are those of a run of one process; the others' start far apart.
        let stream = UInt64(group?.rank ?? 0) &* 0x9E37_79B9_7F4A_7C15
        environment = try VectorEnvironment(
            named: environmentName, count: c.environmentCount, seed: c.seed &+ stream, threads: c.threads, registry: registry)
        evaluationEnvironment = try VectorEnvironment(
            named: c.evaluationEnvironment ?? environmentName, count: c.evaluationEpisodes, seed: (c.seed ^ 0xE7A1) &+ stream,
            threads: c.threads, registry: registry)
        guard [evaluationEnvironment.stateSize, evaluationEnvironment.goalSize, evaluationEnvironment.actionSize]
                == [environment.stateSize, environment.goalSize, environment.actionSize] else {
            throw AlgorithmsError.invalidSetting(
                name: "evaluation environment", value: "'\(c.evaluationEnvironment ?? "")' (state \(evaluationEnvironment.stateSize), goal \(evaluationEnvironment.goalSize), action \(evaluationEnvironment.actionSize))",
                expected: "the sizes of '\(environmentName)': state \(environment.stateSize), goal \(environment.goalSize), action \(environment.actionSize)")
        }
        if let length = c.episodeLength {
            environment.episodeLength = length
            evaluationEnvironment.episodeLength = length
        }
        guard agent.stateSize == environment.stateSize, agent.goalSize == environment.goalSize,
              agent.actionSize == environment.actionSize
        else {
            throw AlgorithmsError.invalidSetting(
                name: "agent sizes", value: "state \(agent.stateSize), goal \(agent.goalSize), action \(agent.actionSize)",
                expected: "those of '\(environmentName)': state \(environment.stateSize), goal \(environment.goalSize), action \(environment.actionSize)")
        }
        // The collector starts as a run of its own settings would start its agent.
        let trainingEnvironment = environment
        collector = try c.collector.map { try $0.makeAgent(for: trainingEnvironment, seed: c.seed) }
        var maximum = try agent.maximumUpdatesPerRound(environmentCount: c.environmentCount, storedSteps: c.replayCapacity)
        if let collector {
            maximum = Swift.min(maximum, try collector.maximumUpdatesPerRound(environmentCount: c.environmentCount, storedSteps: c.replayCapacity))
        }
        guard maximum >= 1 else {
            throw AlgorithmsError.invalidSetting(
                name: "replay-capacity", value: "\(c.replayCapacity)",
                expected: "enough steps per environment to feed one batch a round (\(agent.name)'s batch size and window with \(c.environmentCount) environments)")
        }
        if let updates = c.updatesPerRound, updates > maximum {
            throw AlgorithmsError.invalidSetting(
                name: "updates-per-round", value: "\(updates)",
                expected: "between 1 and \(maximum) for this environment count and the agent's window and batch size")
        }
        // The replay's memory, refused before anything is allocated when the machine cannot hold it
        // (Doubles: exact enough for the check, and no overflow for any setting).
        let replayBytes = Double(c.replayCapacity) * Double(c.environmentCount) * Double(environment.stateSize + environment.actionSize + 1) * 4
        let memory = Double(ProcessInfo.processInfo.physicalMemory)
        guard replayBytes <= memory / 2 else {
            throw AlgorithmsError.invalidSetting(
                name: "replay of \(c.replayCapacity) steps × \(c.environmentCount) environments",
                value: String(format: "%.3g GB", replayBytes / 1e9),
                expected: String(format: "at most half this machine's %.3g GB; lower replay-capacity or num-envs", memory / 1e9))
        }
        let settings = agent.agentConfiguration.settings
        let activationBytes = settings.activationBytesLowerBound, networkBytes = settings.networkBytesLowerBound
        guard replayBytes + networkBytes + activationBytes <= memory else {
            throw AlgorithmsError.invalidSetting(
                name: "memory of the run", value: String(
                    format: "at least %.3g GB (replay %.3g GB, networks with gradients and Adam's moments %.3g GB, one gradient step's activations %.3g GB)",
                    (replayBytes + networkBytes + activationBytes) / 1e9, replayBytes / 1e9, networkBytes / 1e9, activationBytes / 1e9),
                expected: String(format: "at most this machine's %.3g GB; lower batch-size, width or depth, or pass --recompute true", memory / 1e9))
        }
        updatesPerRound = c.effectiveUpdatesPerRound(maximum: maximum)
        self.agent = agent
        self.environmentName = environmentName
        self.configuration = c
        self.output = output
        replay = try TrajectoryReplayBuffer(
            environmentCount: c.environmentCount, capacity: c.replayCapacity, stateSize: environment.stateSize,
            actionSize: environment.actionSize, goalRange: environment.goalRange)
        generator = RandomGenerator(seed: (c.seed ^ 0x5EED) &+ stream)
        learnerGenerator = collector == nil ? nil : RandomGenerator(seed: (c.seed ^ 0x1EA2) &+ stream)
        batch = environment.reset()
        self.group = group
        if let group {
            for trained in [agent] + (collector.map { [$0] } ?? []) {
                try Self.broadcastState(of: trained, in: group)
                for optimizer in trained.optimizers { optimizer.gradientReducer = try group.gradientAverager() }
            }
        }
        if let output, rank > 0 {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            try SafeTensorsFile.removeAbandonedWrites(of: output.appendingPathComponent(TrainingCheckpoint.fileName(rank: rank)))
        } else if let output {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            directoryLock = try RunDirectoryLock(output)
            // A checkpoint write killed midway leaves its temporary file; with the lock held, none is in use.
            try SafeTensorsFile.removeAbandonedWrites(of: output.appendingPathComponent(TrainingCheckpoint.fileName))
            if !resuming {
                if FileManager.default.fileExists(atPath: output.appendingPathComponent(TrainingCheckpoint.fileName).path) {
                    throw AlgorithmsError.checkpoint(
                        "\(output.path) already holds a run (\(TrainingCheckpoint.fileName)); resume it or choose another output directory")
                }
                try setAsideMetrics(after: -1)  // a run that never reached its first checkpoint
                try writeConfiguration()
            }
        }
    }

    /// This process's rank in ``group`` (0 alone).
    private var rank: Int { group?.rank ?? 0 }
    /// The number of processes training together (1 alone).
    private var processCount: Int { group?.size ?? 1 }

    /// Copies rank 0's tensors of `agent` (networks, optimizer moments) to every process.
    private static func broadcastState(of agent: any Agent, in group: any ProcessGroup) throws {
        let state = agent.state()
        let names = state.keys.sorted()
        var flat = names.flatMap { state[$0]!.scalars }
        try group.broadcast(&flat, from: 0)
        var offset = 0, copied: [String: Tensor] = [:]
        for name in names {
            let count = state[name]!.count
            copied[name] = Tensor(shape: state[name]!.shape, scalars: Array(flat[offset..<offset + count]))
            offset += count
        }
        try agent.load(state: copied)
    }

    /// Whether any process asks to stop (each must stop at the same round).
    private func anyProcessStops(_ stop: Bool) throws -> Bool {
        guard let group else { return stop }
        var flag: [Float] = [stop ? 1 : 0]
        try group.allreduceAverage(&flag)
        return flag[0] > 0
    }

    /// Reopens the run in `directory` (its `config.json` and `checkpoint.safetensors`) to continue
    /// it with ``train(stoppingAfterRound:progress:stopWhen:)``; training on gives the same results as a run
    /// that never stopped (same seed and thread count). Lines of `metrics.jsonl` after the checkpoint
    /// (an interrupted run's last evaluations) or not readable as records move to
    /// ``setAsideMetricsFileName``; nothing is deleted.
    ///
    /// `environmentSteps` sets a new budget, so a finished run can be extended (`config.json` records
    /// it); every other setting, the prefill included, stays as the run started. Throws when it is
    /// below the steps already collected. A run of several processes resumes with a `group` of as
    /// many, each process from its own checkpoint file.
    public static func resume(
        from directory: URL, environmentSteps: Int? = nil, registry: EnvironmentRegistry = .shared,
        group: (any ProcessGroup)? = nil
    ) throws -> Trainer {
        var run = try RunConfiguration(contentsOf: directory)
        if let environmentSteps { run.trainer.environmentSteps = environmentSteps }
        let probe = try VectorEnvironment(named: run.environment, count: 1, registry: registry)
        let agent = try run.agent.makeAgent(for: probe, seed: run.trainer.seed)
        let trainer = try Trainer(
            agent: agent, environmentName: run.environment, configuration: run.trainer, output: directory, registry: registry,
            group: group, resuming: true)
        let fileName = TrainingCheckpoint.fileName(rank: trainer.rank)
        let checkpointURL = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: checkpointURL.path) else {
            throw AlgorithmsError.checkpoint("no \(fileName) in \(directory.path) to resume from")
        }
        let checkpoint = try TrainingCheckpoint.read(
            from: checkpointURL, agentName: agent.name, environmentName: run.environment,
            environmentSettings: trainer.environment.settings, replayLike: trainer.replay.storage,
            environmentCount: trainer.environment.count)
        guard checkpoint.processes == trainer.processCount else {
            throw AlgorithmsError.checkpoint(
                "\(directory.path) holds a run of \(checkpoint.processes) process(es); resume it with as many (mpirun -np \(checkpoint.processes)), not \(trainer.processCount)")
        }
        try agent.load(state: checkpoint.agent)
        if let collector = trainer.collector {
            guard let stream = checkpoint.counters.learnerGenerator, !checkpoint.collector.isEmpty else {
                throw AlgorithmsError.checkpoint("\(checkpointURL.path) holds no collector, but \(directory.path)'s config.json sets one")
            }
            try collector.load(state: checkpoint.collector)
            trainer.learnerGenerator = RandomGenerator(seed: stream)
        } else if !checkpoint.collector.isEmpty {
            throw AlgorithmsError.checkpoint("\(checkpointURL.path) holds a collector, but \(directory.path)'s config.json sets none")
        }
        trainer.replay = try TrajectoryReplayBuffer(storage: checkpoint.replay)
        try trainer.environment.restore(checkpoint.environments, into: &trainer.batch)
        guard checkpoint.counters.environmentSteps <= run.trainer.environmentSteps else {
            throw AlgorithmsError.invalidSetting(
                name: "env-steps", value: "\(run.trainer.environmentSteps)",
                expected: "at least the \(checkpoint.counters.environmentSteps) steps the run in \(directory.path) has collected")
        }
        let c = trainer.configuration
        try checkpoint.counters.requireConsistent(
            prefillSteps: trainer.processCount * c.environmentCount * c.effectivePrefillSteps,
            stepsPerRound: trainer.processCount * c.environmentCount * c.unrollLength,
            updatesPerRound: trainer.updatesPerRound, maximumRounds: trainer.totalRounds, in: checkpointURL)
        try trainer.writeConfiguration()  // the new budget, and any older format upgraded
        trainer.counters = checkpoint.counters
        trainer.generator = RandomGenerator(seed: checkpoint.counters.generator)
        trainer.started = true
        try trainer.setAsideMetrics(after: checkpoint.counters.environmentSteps)
        return trainer
    }

    /// Gradient steps per collection round: ``TrainerConfiguration/updatesPerRound``, or the
    /// paper's ratio capped at what a round can feed the agent.
    public let updatesPerRound: Int

    /// The number of collection rounds the configured budget allows after the prefill.
    public var totalRounds: Int {
        let c = configuration, environments = processCount * c.environmentCount
        return Swift.max(1, (c.environmentSteps - environments * c.effectivePrefillSteps) / (environments * c.unrollLength))
    }

    /// Trains until the budget is spent and returns the evaluations made in this call.
    ///
    /// `progress` sees every round and evaluation. Training stops early, with a checkpoint written
    /// so that ``resume(from:environmentSteps:registry:group:)`` continues it, after round
    /// `stoppingAfterRound` or as soon as `stopWhen` returns true (asked after the prefill, after
    /// each round and after each evaluation, with the same snapshot `progress` gets).
    public func train(
        stoppingAfterRound: Int? = nil, progress: (Progress) -> Void = { _ in },
        stopWhen shouldStop: (Progress) -> Bool = { _ in false }
    ) throws -> [MetricsRecord] {
        let precision = configuration.matrixPrecision, previous = BLAS.precision
        guard BLAS.supports(precision) else {
            throw AlgorithmsError.invalidSetting(
                name: "matrix-precision", value: precision.rawValue,
                expected: "float32 on this machine: bfloat16 needs a CPU with AVX512-BF16 and oneDNN on Linux (this one runs \(BLAS.backend))")
        }
        try BLAS.setPrecision(precision)  // for every thread of the process while this run trains
        defer { try? BLAS.setPrecision(previous) }
        return try Parallelism.withThreads(configuration.threads) {
            try trainRounds(stoppingAfterRound: stoppingAfterRound, progress: progress, shouldStop: shouldStop)
        }
    }

    private func trainRounds(
        stoppingAfterRound: Int?, progress: (Progress) -> Void, shouldStop: (Progress) -> Bool
    ) throws -> [MetricsRecord] {
        MemoryReuse.keepFreedMemory()
        let c = configuration
        let start = Date().addingTimeInterval(-counters.wallSeconds)
        let rounds = totalRounds, stepsPerRound = c.environmentCount * c.unrollLength, processes = processCount
        let lastRound = Swift.min(rounds, stoppingAfterRound ?? rounds)
        let evaluationRounds = Set((1...c.evaluationCount).map { $0 * rounds / c.evaluationCount })
        var records: [MetricsRecord] = []

        /// Reports to `progress`; true when `shouldStop` asks to stop (on any process).
        func report(_ record: MetricsRecord?) throws -> Bool {
            let snapshot = Progress(
                environmentSteps: counters.environmentSteps,
                totalEnvironmentSteps: processes * (c.environmentCount * c.effectivePrefillSteps + rounds * stepsPerRound),
                gradientSteps: counters.gradientSteps, wallSeconds: Date().timeIntervalSince(start), lastEvaluation: record ?? records.last)
            progress(snapshot)
            return try anyProcessStops(shouldStop(snapshot))
        }

        if !started {
            started = true
            let collectStart = Date()
            try collect(steps: c.effectivePrefillSteps, uniformActions: c.prefillActions == .uniform)
            timing.collection += Date().timeIntervalSince(collectStart)
            timing.collected += c.effectivePrefillSteps * c.environmentCount
            if try report(nil) {
                try saveCheckpoint()
                return records
            }
        }
        while counters.completedRounds < lastRound {
            let round = counters.completedRounds + 1
            let roundStart = Date()
            try collect(steps: c.unrollLength)
            let updateStart = Date()
            timing.collection += updateStart.timeIntervalSince(roundStart)
            timing.collected += stepsPerRound
            let steps = try updatesThisRound()
            let stepMetrics: [[String: Float]]
            if let collector, var learnerStream = learnerGenerator {
                _ = try collector.train(on: replay, steps: steps, firstStep: counters.gradientSteps + 1, generator: &generator)
                stepMetrics = try agent.train(on: replay, steps: steps, firstStep: counters.gradientSteps + 1, generator: &learnerStream)
                learnerGenerator = learnerStream
            } else {
                stepMetrics = try agent.train(on: replay, steps: steps, firstStep: counters.gradientSteps + 1, generator: &generator)
            }
            lastUpdate = stepMetrics.last ?? lastUpdate
            timing.updates += Date().timeIntervalSince(updateStart)
            timing.updateCount += steps
            try logTraining(stepMetrics, after: counters.gradientSteps)
            counters.gradientSteps += steps
            counters.completedRounds = round
            counters.wallSeconds = Date().timeIntervalSince(start)
            if evaluationRounds.contains(round) {
                let evaluation = try evaluateOnEveryProcess(seed: c.seed &+ UInt64(round))
                counters.wallSeconds = Date().timeIntervalSince(start)
                let record = MetricsRecord(
                    environmentSteps: counters.environmentSteps, gradientSteps: counters.gradientSteps,
                    wallSeconds: counters.wallSeconds, evaluation: evaluation,
                    updatesPerSecond: Double(timing.updateCount) / Swift.max(timing.updates, 1e-9),
                    environmentStepsPerSecond: Double(timing.collected) / Swift.max(timing.collection, 1e-9),
                    training: lastUpdate)
                records.append(record)
                try appendMetrics(record)
                try eventFile()?.add(
                    scalars: ["eval/success_any": evaluation.successAny, "eval/time_at_goal": evaluation.timeAtGoal,
                              "eval/success_final": evaluation.successFinal],
                    step: counters.environmentSteps)
                try saveCheckpoint()
                if try report(record) { break }
            } else if round == lastRound {
                try saveCheckpoint()
                _ = try report(nil)
            } else if try report(nil) {
                try saveCheckpoint()
                break
            }
        }
        return records
    }

    /// The agent's evaluation on this process's evaluation environments, averaged over the
    /// processes (each with its own episodes).
    private func evaluateOnEveryProcess(seed: UInt64) throws -> EvaluationResult {
        let result = try evaluate(agent, in: evaluationEnvironment, seed: seed &+ UInt64(rank) &* 0x9E37_79B9_7F4A_7C15)
        guard let group else { return result }
        var figures = [result.successAny, result.timeAtGoal, result.successFinal]
        try group.allreduceAverage(&figures)
        return EvaluationResult(successAny: figures[0], timeAtGoal: figures[1], successFinal: figures[2])
    }

    /// ``updatesPerRound``, or fewer while the replay holds too few steps to feed them (a short
    /// prefill before CRL's windows are full).
    private func updatesThisRound() throws -> Int {
        var feedable = try agent.maximumUpdatesPerRound(environmentCount: environment.count, storedSteps: replay.count)
        if let collector {
            feedable = Swift.min(feedable, try collector.maximumUpdatesPerRound(environmentCount: environment.count, storedSteps: replay.count))
        }
        return Swift.min(updatesPerRound, feedable)
    }

    /// Steps every environment `steps` times with the stochastic actor (or uniform actions) and
    /// stores the transitions.
    private func collect(steps: Int, uniformActions: Bool = false) throws {
        let (rows, stateSize, observationSize) = (environment.count, environment.stateSize, environment.observationSize)
        var states = [Float](repeating: 0, count: rows * stateSize)
        var ended = [Bool](repeating: false, count: rows)
        for _ in 0..<steps {
            let actor = collector ?? agent
            let actions = uniformActions
                ? Tensor.randomUniform([rows, actor.actionSize], in: -1...1, using: &generator).scalars
                : actor.act(observations: batch.observations, rows: rows, deterministic: false, generator: &generator)
            for k in 0..<rows {
                for j in 0..<stateSize { states[k * stateSize + j] = batch.observations[k * observationSize + j] }
            }
            try environment.step(actions: actions, into: &batch)
            for k in 0..<rows { ended[k] = batch.terminated[k] || batch.truncated[k] }
            try replay.append(states: states, actions: actions, episodeEnded: ended)
            counters.environmentSteps += rows * processCount
        }
    }

    private func writeConfiguration() throws {
        guard let output, rank == 0 else { return }
        try RunConfiguration(environment: environmentName, agent: agent.agentConfiguration, trainer: configuration).write(to: output)
    }

    /// The run's TensorBoard event file, made when first needed, so that a session that records
    /// nothing (a finished run resumed) leaves no empty file; nil without an output directory.
    private func eventFile() throws -> TensorBoardWriter? {
        guard let output, rank == 0 else { return nil }
        if tensorBoard == nil { tensorBoard = try TensorBoardWriter(directory: output) }
        return tensorBoard
    }

    /// Writes the metrics of every gradient step numbered a multiple of the configured interval
    /// (`first + 1` is the first of `stepMetrics`) to TensorBoard, with the collection and
    /// update rates so far.
    private func logTraining(_ stepMetrics: [[String: Float]], after first: Int) throws {
        let interval = configuration.trainingMetricsInterval
        for (index, metrics) in stepMetrics.enumerated() where (first + index + 1) % interval == 0 {
            guard let tensorBoard = try eventFile() else { return }
            var scalars = Dictionary(uniqueKeysWithValues: metrics.map { ("train/\($0.key)", $0.value) })
            scalars["rate/updates_per_second"] = Float(Double(timing.updateCount) / Swift.max(timing.updates, 1e-9))
            scalars["rate/env_steps_per_second"] = Float(Double(timing.collected) / Swift.max(timing.collection, 1e-9))
            try tensorBoard.add(scalars: scalars, step: first + index + 1)
        }
    }

    private var metricsURL: URL? { rank == 0 ? output?.appendingPathComponent("metrics.jsonl") : nil }

    private func appendMetrics(_ record: MetricsRecord) throws {
        guard let metricsURL else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(record)
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: metricsURL.path) {
            // A failure shows as the error of opening it below.
            _ = FileManager.default.createFile(atPath: metricsURL.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: metricsURL)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        try writeMetricsTable()
    }

    /// Rewrites `metrics.csv` from `metrics.jsonl`: the same records as a table.
    private func writeMetricsTable() throws {
        guard let metricsURL, let output else { return }
        let records = try MetricsRecord.read(from: metricsURL)
        try Data(MetricsRecord.csv(records).utf8).write(to: output.appendingPathComponent("metrics.csv"), options: .atomic)
    }

    /// The file that keeps the `metrics.jsonl` lines a resumed run sets aside.
    public static let setAsideMetricsFileName = "metrics.after-checkpoint.jsonl"

    /// Keeps in `metrics.jsonl` the records at or before `environmentSteps`, the checkpoint's (the
    /// resumed run writes the later ones again), and appends every other line, as it was, to
    /// ``setAsideMetricsFileName``: records after the checkpoint and lines that are not records.
    private func setAsideMetrics(after environmentSteps: Int) throws {
        guard let metricsURL, let output, FileManager.default.fileExists(atPath: metricsURL.path) else { return }
        let data = try Data(contentsOf: metricsURL)
        let decoder = JSONDecoder()
        var kept = Data(), setAside = Data()
        for line in data.split(separator: 0x0A) {
            let record = try? decoder.decode(MetricsRecord.self, from: Data(line))
            if let record, record.environmentSteps <= environmentSteps {
                kept.append(contentsOf: line)
                kept.append(0x0A)
            } else {
                setAside.append(contentsOf: line)
                setAside.append(0x0A)
            }
        }
        if !setAside.isEmpty {
            let url = output.appendingPathComponent(Self.setAsideMetricsFileName)
            if !FileManager.default.fileExists(atPath: url.path) {
                _ = FileManager.default.createFile(atPath: url.path, contents: nil)  // a failure shows below
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: setAside)
            try handle.synchronize()  // on disk before the lines leave metrics.jsonl
        }
        try kept.write(to: metricsURL, options: .atomic)
        try writeMetricsTable()
    }

    private func saveCheckpoint() throws {
        guard let output else { return }
        counters.generator = generator.state
        counters.learnerGenerator = learnerGenerator?.state
        let checkpoint = TrainingCheckpoint(
            agent: agent.state(), collector: collector?.state() ?? [:], replay: replay.storage,
            environments: try environment.snapshot(), counters: counters, processes: processCount)
        try checkpoint.write(
            to: output.appendingPathComponent(TrainingCheckpoint.fileName(rank: rank)), agentName: agent.name, environmentName: environmentName,
            environmentSettings: environment.settings)
    }
}
