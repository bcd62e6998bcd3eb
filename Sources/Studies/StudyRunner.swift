import Algorithms
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// The process's peak resident memory when the run ended, in bytes (the largest run so far).
    public var peakMemoryBytes: Int
    /// Every evaluation of the run, in order.
    public var records: [MetricsRecord]
}

/// Trains a study's runs into their directories under `output`, each to its end: a finished run
/// is read back, not redone; a half-finished one resumes from its checkpoint.
public struct StudyRunner {
    /// The study's directory: one run directory per run, and the study's reports.
    public let output: URL
    /// Where the runs' environments are made.
    public let registry: EnvironmentRegistry

    /// A runner writing under `output`.
    public init(output: URL, registry: EnvironmentRegistry = .shared) {
        self.output = output
        self.registry = registry
    }

    /// The directory of `run`.
    public func directory(of run: StudyRun) -> URL {
        output.appendingPathComponent(run.directoryName)
    }

    /// Whether `run` has trained to its end.
    public func isFinished(_ run: StudyRun) throws -> Bool {
        try finishedTrainer(of: run) != nil
    }

    /// The trainer of `run` resumed from its directory when it has trained to its end; nil when
    /// it has not started or not finished.
    private func finishedTrainer(of run: StudyRun) throws -> Trainer? {
        guard FileManager.default.fileExists(atPath: directory(of: run).appendingPathComponent("checkpoint.safetensors").path) else {
            return nil
        }
        let trainer = try Trainer.resume(from: directory(of: run), registry: registry)
        return trainer.completedRounds >= trainer.totalRounds ? trainer : nil
    }

    /// Trains `run` to its end (or resumes it, or reads it back when finished) and returns its
    /// result; `progress` sees the trainer's reports.
    public func train(_ run: StudyRun, progress: (Trainer.Progress) -> Void = { _ in }) throws -> StudyResult {
        let directory = directory(of: run)
        let trainer: Trainer
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("checkpoint.safetensors").path) {
            trainer = try Trainer.resume(from: directory, registry: registry)
            let recorded = try RunConfiguration(contentsOf: directory)
            guard recorded.agent == run.agent, recorded.environment == run.environment, recorded.trainer.seed == run.seed,
                  recorded.trainer.collector == run.trainer.collector else {
                throw AlgorithmsError.checkpoint(
                    "\(directory.path) holds a run of other settings than the study's \(run.setting), seed \(run.seed); "
                        + "use another --output or remove it")
            }
        } else {
            let probe = try VectorEnvironment(named: run.environment, count: 1, registry: registry)
            let agent = try run.agent.makeAgent(for: probe, seed: run.seed)
            trainer = try Trainer(
                agent: agent, environmentName: run.environment, configuration: run.trainer, output: directory, registry: registry)
        }
        if trainer.completedRounds < trainer.totalRounds { _ = try trainer.train(progress: progress) }
        return try result(of: run, agent: trainer.agent)
    }

    /// The results of every run of `study` that has finished, in the study's order; runs not
    /// started, unfinished or in use by another process (another shard) are left out.
    public func finishedResults(of study: Study) -> [StudyResult] {
        study.runs.compactMap { run in
            guard let trainer = try? finishedTrainer(of: run) else { return nil }
            return try? result(of: run, agent: trainer.agent)
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
            wallSeconds: last.wallSeconds, parameterCount: parameters, peakMemoryBytes: Self.peakMemoryBytes(), records: records)
    }

    /// The process's peak resident set size.
    static func peakMemoryBytes() -> Int {
        var usage = rusage()
        #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)  // bytes on Darwin
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #endif
    }
}
