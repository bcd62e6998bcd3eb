import Foundation
import Testing
import Algorithms

/// Short budgets train with the default settings: the prefill is derived from the budget and
/// fixed in `config.json`, and rounds whose replay cannot yet feed every gradient step take fewer.
@Suite struct ShortRunTests {
    @Test func aTwentyThousandStepRunTrainsWithDefaultSettings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("short-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var settings = TrainerConfiguration()
        settings.environmentSteps = 20_000
        settings.evaluationEpisodes = 8  // the one setting changed: 64 episodes of 1001 steps would double the suite's time
        #expect(settings.prefillSteps == nil && settings.effectivePrefillSteps == 39)  // 20 000 / (4 × 128)
        let probe = try VectorEnvironment(named: "point-maze-u", count: 1)
        let trainer = try Trainer(agent: try CRL(for: probe), environmentName: "point-maze-u", configuration: settings, output: directory)
        let records = try trainer.train()
        let last = try #require(records.last)
        #expect(last.environmentSteps == 128 * (39 + 62))
        // One round of windows 39 + 62 = 101 steps long feeds ⌊128 · 100 / 256⌋ = 50 batches, not the paper's 200.
        #expect(last.gradientSteps == 50)
        #expect(try RunConfiguration(contentsOf: directory).trainer.prefillSteps == 39)
    }

    @Test(arguments: [10_000, 100_000, 800_000, 5_000_000])
    func derivedPrefillLeavesMostOfTheBudgetForTraining(budget: Int) throws {
        var settings = TrainerConfiguration()
        settings.environmentSteps = budget
        try settings.validate()
        let prefill = settings.effectivePrefillSteps * settings.environmentCount
        #expect(prefill <= budget / 4 + 2 * settings.environmentCount)
        #expect(settings.effectivePrefillSteps == min(1_000, max(2, budget / 512)))
    }

    @Test func anExplicitPrefillThatCannotFitIsRefusedWithAdviceThatWorks() {
        var settings = TrainerConfiguration()
        settings.environmentSteps = 100_000
        settings.prefillSteps = 1_000
        #expect {
            try settings.validate()
        } throws: { error in
            "\(error)".contains("raise env-steps or lower prefill-steps")
        }
        settings.prefillSteps = nil
        #expect(throws: Never.self) { try settings.validate() }
    }
}
