import Foundation
import Testing
@testable import Algorithms

@Suite struct ProgressDisplayTests {
    func progress(steps: Int, seconds: Double, evaluation: MetricsRecord? = nil) -> Trainer.Progress {
        Trainer.Progress(environmentSteps: steps, totalEnvironmentSteps: 100_000, gradientSteps: 7, wallSeconds: seconds, lastEvaluation: evaluation)
    }

    /// The time left counts from the first report, so a slow or fast prefill before it does not
    /// skew it; between reports the bar advances at the measured rate, never past the end.
    @Test func timeLeftCountsFromTheFirstReportAndTheBarMovesBetweenReports() {
        let origin = (environmentSteps: 10_000, seconds: 20.0)  // the prefill took 20 s for 10 000 steps
        let now = ProgressDisplay.barLine(progress(steps: 20_000, seconds: 30), age: 0, origin: origin)
        #expect(now.contains(" 20%") && now.contains("20000 steps") && now.contains("80 s left") && now.contains("no evaluation yet"))
        let later = ProgressDisplay.barLine(progress(steps: 20_000, seconds: 30), age: 5, origin: origin)
        #expect(later.contains(" 25%") && later.contains("25000 steps") && later.contains("75 s left"))
        let past = ProgressDisplay.barLine(progress(steps: 20_000, seconds: 30), age: 1_000, origin: origin)
        #expect(past.contains("100%") && past.contains("100000 steps") && past.contains("0 s left"))
        let first = ProgressDisplay.barLine(progress(steps: 10_000, seconds: 20), age: 1, origin: origin)
        #expect(first.contains("time left unknown yet"))
    }

    @Test func evaluationsShowTheirResults() {
        let record = MetricsRecord(
            environmentSteps: 50_000, gradientSteps: 300, wallSeconds: 61, evaluation: EvaluationResult(successAny: 0.75, timeAtGoal: 120, successFinal: 0.5),
            updatesPerSecond: 12.5, environmentStepsPerSecond: 900, training: ["critic_loss": 1.25, "categorical_accuracy": 0.5])
        let bar = ProgressDisplay.barLine(progress(steps: 50_000, seconds: 61, evaluation: record), age: 0, origin: (0, 0))
        #expect(bar.contains("success 0.75  time at goal 120"))
        #expect(ProgressDisplay.evaluationLine(record)
            == "env_steps 50000  gradient_steps 300  61 s  success_any 0.75  time_at_goal 120.0  critic_loss 1.250  accuracy 0.50  12.5 updates/s")
    }

    /// What a display writes, collected as a user's own sink would.
    final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private var parts: [String] = []
        var text: String { lock.withLock { parts.joined() } }
        func write(_ part: String) { lock.withLock { parts.append(part) } }
    }

    @Test func plainOutputHasOneLinePerEvaluationAndABarEndsItsLine() {
        let record = MetricsRecord(
            environmentSteps: 50_000, gradientSteps: 300, wallSeconds: 61, evaluation: EvaluationResult(successAny: 0.75, timeAtGoal: 120, successFinal: 0.5),
            updatesPerSecond: 12.5, environmentStepsPerSecond: 900, training: ["critic_loss": 1.25, "categorical_accuracy": 0.5])
        let plain = Sink()
        let log = ProgressDisplay(interactive: false, write: plain.write)
        for snapshot in [progress(steps: 10_000, seconds: 20), progress(steps: 50_000, seconds: 61, evaluation: record),
                         progress(steps: 60_000, seconds: 70, evaluation: record)] {
            log.show(snapshot)
        }
        log.finish()
        #expect(plain.text == ProgressDisplay.evaluationLine(record) + "\n")

        let terminal = Sink()
        let bar = ProgressDisplay(interactive: true, refreshInterval: 60, write: terminal.write)
        bar.show(progress(steps: 10_000, seconds: 20))
        bar.show(progress(steps: 20_000, seconds: 30))
        bar.finish()
        bar.finish()  // a second finish writes nothing more
        #expect(terminal.text.hasPrefix("\r") && terminal.text.hasSuffix("\u{1B}[K\n"))
        #expect(terminal.text.components(separatedBy: "\r").count == 3 && terminal.text.contains("80 s left"))
    }
}
