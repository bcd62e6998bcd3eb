import Algorithms
import Foundation

/// The `result.json` a study's run writes when it ends: its result but the run and its records,
/// which the study's settings and the run's `metrics.jsonl` hold.
struct RecordedResult: Codable, Equatable {
    static let fileName = "result.json"

    var successAny: Double
    var timeAtGoal: Double
    var wallSeconds: Double
    var parameters: Int
    var peakMemoryBytes: Int
    var machine: String

    enum CodingKeys: String, CodingKey {
        case successAny = "success_any", timeAtGoal = "time_at_goal", wallSeconds = "wall_seconds", parameters
        case peakMemoryBytes = "peak_memory_bytes", machine
    }

    init(_ result: StudyResult) {
        (successAny, timeAtGoal, wallSeconds) = (result.successAny, result.timeAtGoal, result.wallSeconds)
        (parameters, peakMemoryBytes, machine) = (result.parameterCount, result.peakMemoryBytes, result.machine)
    }

    /// Reads `file`; throws naming the file when it is not a run's result.
    init(contentsOf file: URL) throws {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(contentsOf: file))
        } catch {
            throw AlgorithmsError.checkpoint("\(file.path) is not a study run's result (\(error)); remove it to train the run again")
        }
    }

    func write(to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(self).write(to: file, options: .atomic)
    }

    /// The result of `run` with its evaluation `records`.
    func result(of run: StudyRun, records: [MetricsRecord]) -> StudyResult {
        StudyResult(
            run: run, successAny: successAny, timeAtGoal: timeAtGoal, wallSeconds: wallSeconds, parameterCount: parameters,
            peakMemoryBytes: peakMemoryBytes, machine: machine, records: records)
    }
}
