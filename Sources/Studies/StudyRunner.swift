import Algorithms
import Foundation
import Tensor

/// What one finished run of a study measured: a row of `results.csv`.
public struct StudyResult: Sendable, Equatable {
    /// The run.
    public var run: StudyRun
    /// `success_any` of the last evaluation.
    public var successAny: Double
    /// `time_at_goal` averaged over the last three evaluations (fewer if the run has fewer).
    public var timeAtGoal: Double
    /// Seconds of training, resumed parts included.
    public var wallSeconds: Double
    /// Trainable parameters of the agent (target and averaged copies and optimizer moments aside).
    public var parameterCount: Int
    /// Peak resident memory while the run trained last, in bytes (on Linux the run's own peak;
    /// elsewhere the process's peak so far; 0 for a run that ended before studies recorded it).
    public var peakMemoryBytes: Int
    /// The machine that trained the run last: its CPU model and the matrix-product kernel
    /// (`BLAS.backend`), as runs of one study may come from several machines ("not
    /// recorded" for a run that ended before studies recorded it).
    public var machine: String
    /// Every evaluation of the run, in order.
    public var records: [MetricsRecord]
}

/// Trains a study's runs into their directories under `output`, each to its end: a finished run
/// is read back, not redone; a half-finished one resumes from its checkpoint.
///
/// A run that ends writes `result.json` beside its `metrics.jsonl` and `config.json`; these three
/// files alone mark it finished, so a study's directory keeps its finished runs (and its reports)
/// when the checkpoints are deleted, for example to keep results under version control and carry
/// a study on from one machine to another.
public struct StudyRunner {
    /// The study's directory: one run directory per run, and the study's reports.
    public let output: URL
    /// Where the runs' environments are made.
    public let registry: EnvironmentRegistry
    /// Other studies' directories whose finished runs this study takes over instead of training a
    /// run of the very same settings again (for example the depth study's runs for the residual
    /// and baselines studies).
    public var reusing: [URL]

    /// A runner writing under `output`, taking finished runs of the same settings from the study
    /// directories in `reusing`.
    public init(output: URL, reusing: [URL] = [], registry: EnvironmentRegistry = .shared) {
        self.output = output
        self.reusing = reusing
        self.registry = registry
    }

    /// The directory of `run`.
    public func directory(of run: StudyRun) -> URL {
        output.appendingPathComponent(run.directoryName)
    }

    /// Whether `run` has trained to its end.
    public func isFinished(_ run: StudyRun) throws -> Bool {
        try recordedResult(of: run) != nil
    }

    /// Trains `run` to its end (or resumes it, or reads it back when finished) and returns its
    /// result; `progress` and `stopWhen` see the trainer's reports. When `stopWhen` stops the run
    /// first, its checkpoint is written (the next call resumes it) and the result is nil.
    @discardableResult
    public func train(
        _ run: StudyRun, progress: (Trainer.Progress) -> Void = { _ in }, stopWhen shouldStop: (Trainer.Progress) -> Bool = { _ in false }
    ) throws -> StudyResult? {
        try takeOverFinishedRun(like: run)
        if let finished = try recordedResult(of: run) { return finished }
        let directory = directory(of: run)
        let trainer: Trainer
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("checkpoint.safetensors").path) {
            try checkSettings(of: run)
            trainer = try Trainer.resume(from: directory, registry: registry)
        } else {
            let probe = try VectorEnvironment(named: run.environment, count: 1, registry: registry)
            let agent = try run.agent.makeAgent(for: probe, seed: run.seed)
            trainer = try Trainer(
                agent: agent, environmentName: run.environment, configuration: run.trainer, output: directory, registry: registry)
        }
        PeakMemory.reset()
        if trainer.completedRounds < trainer.totalRounds { _ = try trainer.train(progress: progress, stopWhen: shouldStop) }
        guard trainer.completedRounds >= trainer.totalRounds else { return nil }
        let result = try result(of: run, agent: trainer.agent)
        try RecordedResult(result).write(to: directory.appendingPathComponent(RecordedResult.fileName))
        return result
    }

    /// The results of every run of `study` that has finished, in the study's order; runs not
    /// started, unfinished or in use by another process (another shard) are left out.
    public func finishedResults(of study: Study) -> [StudyResult] {
        study.runs.compactMap { try? recordedResult(of: $0) }
    }

    /// The result `run` recorded when it ended; nil when it has not ended. A run that ended before
    /// results were recorded is read back from its checkpoint and its result recorded now.
    private func recordedResult(of run: StudyRun) throws -> StudyResult? {
        let directory = directory(of: run)
        let file = directory.appendingPathComponent(RecordedResult.fileName)
        if FileManager.default.fileExists(atPath: file.path) {
            try checkSettings(of: run)
            return try RecordedResult(contentsOf: file).result(
                of: run, records: try MetricsRecord.read(from: directory.appendingPathComponent("metrics.jsonl")))
        }
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("checkpoint.safetensors").path) else {
            return nil
        }
        try checkSettings(of: run)
        let trainer = try Trainer.resume(from: directory, registry: registry)
        guard trainer.completedRounds >= trainer.totalRounds else { return nil }
        var result = try result(of: run, agent: trainer.agent)
        (result.peakMemoryBytes, result.machine) = (0, "not recorded")  // not this reading process's
        try RecordedResult(result).write(to: file)
        return result
    }

    /// Copies a finished run of exactly `run`'s settings from a study in ``reusing`` into `run`'s
    /// directory, when `run` has not started.
    private func takeOverFinishedRun(like run: StudyRun) throws {
        let destination = directory(of: run)
        guard !FileManager.default.fileExists(atPath: destination.path) else { return }
        var trainer = run.trainer
        trainer.prefillSteps = trainer.effectivePrefillSteps  // as a trainer records it
        let wanted = RunConfiguration(environment: run.environment, agent: run.agent, trainer: trainer)
        for study in reusing {
            let candidates = (try? FileManager.default.contentsOfDirectory(
                at: study, includingPropertiesForKeys: nil, options: .skipsHiddenFiles)) ?? []
            for candidate in candidates.sorted(by: { $0.path < $1.path })
            where FileManager.default.fileExists(atPath: candidate.appendingPathComponent(RecordedResult.fileName).path) {
                guard (try? RunConfiguration(contentsOf: candidate)) == wanted else { continue }
                // The files that make a finished run, into a sibling first and then renamed into
                // place: a copy cut short leaves no half run behind.
                let staging = output.appendingPathComponent(".\(run.directoryName)-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: staging) }
                for file in [RunConfiguration.fileName, "metrics.jsonl", RecordedResult.fileName] {
                    try FileManager.default.copyItem(at: candidate.appendingPathComponent(file), to: staging.appendingPathComponent(file))
                }
                try FileManager.default.moveItem(at: staging, to: destination)
                return
            }
        }
    }

    /// Throws unless `run`'s directory holds a run of `run`'s settings.
    private func checkSettings(of run: StudyRun) throws {
        let directory = directory(of: run)
        let recorded = try RunConfiguration(contentsOf: directory)
        guard recorded.agent == run.agent, recorded.environment == run.environment, recorded.trainer.seed == run.seed,
              recorded.trainer.collector == run.trainer.collector,
              recorded.trainer.environmentSteps == run.trainer.environmentSteps,
              recorded.trainer.matrixPrecision == run.trainer.matrixPrecision else {
            throw AlgorithmsError.checkpoint(
                "\(directory.path) holds a run of other settings than the study's \(run.setting), seed \(run.seed); "
                    + "use another --output or remove it")
        }
    }

    /// The result of the finished `run` in its directory.
    func result(of run: StudyRun, agent: any Agent) throws -> StudyResult {
        let records = try MetricsRecord.read(from: directory(of: run).appendingPathComponent("metrics.jsonl"))
        guard let last = records.last else {
            throw AlgorithmsError.checkpoint("\(directory(of: run).path) has no evaluation to report")
        }
        let tail = records.suffix(3)
        let parameters = agent.state().filter { name, _ in
            !["optimizer.", "target_", "averaged_"].contains(where: name.hasPrefix) && !name.hasSuffix("_steps")
                && !name.hasSuffix("_updates") && name != "last_actor_loss"
        }.values.reduce(0) { $0 + $1.count }
        return StudyResult(
            run: run, successAny: Double(last.evaluation.successAny),
            timeAtGoal: tail.map { Double($0.evaluation.timeAtGoal) }.reduce(0, +) / Double(tail.count),
            wallSeconds: last.wallSeconds, parameterCount: parameters, peakMemoryBytes: PeakMemory.bytes,
            machine: "\(Machine.cpuModel), \(BLAS.backend)", records: records)
    }
}
