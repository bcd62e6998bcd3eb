import Foundation
import Testing
import Algorithms

/// The README's "Training from code" example, compiled here as written (its output directory
/// aside); the test keeps the two texts the same. What it does is tested elsewhere
/// (`ShortRunTests`, `TrainingRunTests`).
func readmeTrainingFromCode(scratch: URL) throws {
    // README BEGIN
    var agentSettings = CRLConfiguration()              // defaults = the paper's code (batch 256, …)
    agentSettings.criticDepth = 8
    let agent = try CRL(stateSize: 4, goalSize: 2, actionSize: 2, configuration: agentSettings)
    var runSettings = TrainerConfiguration()             // 128 environments, unroll 62, 800 k steps, …
    runSettings.environmentSteps = 20_000                // any budget from about 10 k steps trains
    let output = scratch.appendingPathComponent("runs/readme-example")
    let trainer = try Trainer(agent: agent, environmentName: "point-maze-u", configuration: runSettings, output: output)
    let evaluations = try trainer.train { print($0.environmentSteps, $0.lastEvaluation?.evaluation.successAny ?? 0) }

    let run = try TrainingRun(opening: output)            // later, or from another program
    let action = try run.agent.predict([4, 4, 0, 0, 12, 4])  // state (x, y, vx, vy), then goal (x, y)
    // README END
    _ = (evaluations, action)
}

@Suite struct ReadmeTests {
    @Test func theReadmeShowsTheCodeCompiledHere() throws {
        let here = URL(fileURLWithPath: #filePath)
        let source = try String(contentsOf: here, encoding: .utf8)
        let readme = try String(
            contentsOf: here.deletingLastPathComponent().appendingPathComponent("../../README.md").standardized, encoding: .utf8)
        func lines(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("let output =") }
        }
        let compiled = source.components(separatedBy: "\n    // README BEGIN\n")[1].components(separatedBy: "\n    // README END\n")[0]
        let shown = readme.components(separatedBy: "## Training from code\n\n```swift\n")[1].components(separatedBy: "```")[0]
            .replacingOccurrences(of: "import Algorithms\nimport Foundation\n", with: "")
        #expect(lines(compiled) == lines(shown))
    }
}
