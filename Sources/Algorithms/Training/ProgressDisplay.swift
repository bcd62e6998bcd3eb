import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows a training run's progress on standard output; pass ``show(_:)`` as the trainer's
/// progress callback and call ``finish()`` when training ends or fails.
///
/// On a terminal it keeps one line up to date: a bar, environment and gradient steps, the time
/// left and the latest evaluation, redrawn every `refreshInterval` seconds; between the trainer's
/// reports (one per round) the bar advances at the rate measured so far. The time left counts
/// from the first report (after the prefill, or the first round of a resumed run), so the
/// prefill's pace does not skew it. Elsewhere (a pipe, a log file) it prints one plain line per
/// evaluation, flushed at once.
///
/// ```swift
/// let display = ProgressDisplay()
/// defer { display.finish() }
/// try trainer.train(progress: display.show)
/// ```
public final class ProgressDisplay: @unchecked Sendable {
    /// Whether the display redraws one line (a terminal) or prints a line per evaluation.
    public let interactive: Bool
    private let refreshInterval: Double
    private let write: @Sendable (String) -> Void
    // Everything below is touched only on `queue`.
    private let queue = DispatchQueue(label: "DeepCRL.ProgressDisplay")
    private var timer: (any DispatchSourceTimer)?
    private var latest: (progress: Trainer.Progress, at: Date)?
    private var origin: (environmentSteps: Int, seconds: Double)?
    private var lineOpen = false
    private var lastEvaluationSteps = -1

    /// Creates a display; `interactive` defaults to whether standard output is a terminal.
    /// `write` receives the text (standard output by default: whatever the program printed before
    /// is flushed first, then the text is written at once).
    public init(
        interactive: Bool = isatty(STDOUT_FILENO) != 0, refreshInterval: Double = 2,
        write: @escaping @Sendable (String) -> Void = ProgressDisplay.writeToStandardOutput
    ) {
        self.interactive = interactive
        self.refreshInterval = refreshInterval
        self.write = write
    }

    deinit { timer?.cancel() }

    /// Takes the trainer's latest report.
    public func show(_ progress: Trainer.Progress) {
        queue.sync {
            let now = Date()
            latest = (progress, now)
            if origin == nil { origin = (progress.environmentSteps, progress.wallSeconds) }
            if interactive {
                startTimer()
                draw(now: now)
            } else if let record = progress.lastEvaluation, record.environmentSteps != lastEvaluationSteps {
                lastEvaluationSteps = record.environmentSteps
                emit(Self.evaluationLine(record) + "\n")
            }
        }
    }

    /// Stops redrawing and ends the bar's line, so that what follows (a result, an error) starts
    /// on a line of its own.
    public func finish() {
        queue.sync {
            timer?.cancel()
            timer = nil
            if lineOpen { emit("\n") }
            lineOpen = false
        }
    }

    /// The bar line for `progress` reported `age` seconds ago, with `origin` the first report.
    static func barLine(
        _ progress: Trainer.Progress, age: Double, origin: (environmentSteps: Int, seconds: Double)
    ) -> String {
        let total = Swift.max(progress.totalEnvironmentSteps, 1)
        let elapsed = progress.wallSeconds - origin.seconds  // up to the last report, where the steps are known
        let done = progress.environmentSteps - origin.environmentSteps
        let rate = elapsed > 0 && done > 0 ? Double(done) / elapsed : 0
        let steps = Swift.min(total, progress.environmentSteps + Int(rate * age))
        let fraction = Double(steps) / Double(total)
        let left = rate > 0 ? String(format: "%.0f s left", Double(total - steps) / rate) : "time left unknown yet"
        let width = 30, filled = Swift.min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let success = progress.lastEvaluation.map {
            String(format: "success %.2f  time at goal %.0f", $0.evaluation.successAny, $0.evaluation.timeAtGoal)
        } ?? "no evaluation yet"
        return String(format: "%@ %3.0f%%  %d steps  %d updates  %@  %@", bar, fraction * 100, steps, progress.gradientSteps, left, success)
    }

    /// The plain line of one evaluation.
    static func evaluationLine(_ record: MetricsRecord) -> String {
        // CRL reports its contrastive accuracy, SAC and TD3 their mean Q value.
        let (label, value) = record.training["categorical_accuracy"].map { ("accuracy", $0) } ?? ("q_mean", record.training["q_mean"] ?? .nan)
        return String(
            format: "env_steps %d  gradient_steps %d  %.0f s  success_any %.2f  time_at_goal %.1f  critic_loss %.3f  %@ %.2f  %.1f updates/s",
            record.environmentSteps, record.gradientSteps, record.wallSeconds, record.evaluation.successAny,
            record.evaluation.timeAtGoal, record.training["critic_loss"] ?? .nan, label, value, record.updatesPerSecond)
    }

    private func startTimer() {
        guard timer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + refreshInterval, repeating: refreshInterval)
        timer.setEventHandler { [weak self] in self?.draw(now: Date()) }
        timer.resume()
        self.timer = timer
    }

    private func draw(now: Date) {
        guard let latest, let origin else { return }
        let line = Self.barLine(latest.progress, age: now.timeIntervalSince(latest.at), origin: origin)
        emit("\r" + line + "\u{1B}[K")  // erase what a longer line left behind
        lineOpen = true
    }

    private func emit(_ text: String) {
        write(text)
    }

    /// Writes `text` to standard output at once, after whatever the program printed before. A
    /// failed write (a full disk, a closed pipe) drops the text, as `print` does: the run goes on.
    @Sendable public static func writeToStandardOutput(_ text: String) {
        fflush(nil)
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }
}
