import ArgumentParser
import ExampleSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Algorithms

/// `evaluate` and `custom-environment evaluate` share these options: a run of an environment
/// known only to the caller's registry is evaluated and drawn.
@Suite struct EvaluationOptionsTests {
    @Test func aRunOfACustomMazeIsEvaluatedAndDrawn() throws {
        let registry = EnvironmentRegistry()
        registry.register("corridor") {
            try PointMaze(layout: MazeLayout(grid: "1 1 1 1 1/1 R G G 1/1 1 1 1 1"))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evaluation-options-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var agent = CRLConfiguration()
        (agent.criticWidth, agent.actorWidth, agent.representationSize, agent.batchSize, agent.windowLength) = (8, 8, 4, 8, 20)
        var run = TrainerConfiguration()
        (run.environmentCount, run.unrollLength, run.prefillSteps, run.replayCapacity) = (2, 10, 20, 100)
        (run.updatesPerRound, run.evaluationCount, run.evaluationEpisodes, run.episodeLength) = (1, 1, 2, 30)
        run.environmentSteps = 60
        let probe = try VectorEnvironment(named: "corridor", count: 1, registry: registry)
        _ = try Trainer(agent: try CRL(for: probe, configuration: agent, seed: 1), environmentName: "corridor",
                        configuration: run, output: directory, registry: registry).train()

        let options = try EvaluationOptions.parse([directory.path, "--episodes", "3", "--draw", "2", "--samples-per-cell", "1", "--threads", "1"])
        try options.evaluate(registry: registry)
        for picture in ["trajectories.svg", "critic.svg"] {
            let svg = try Data(contentsOf: directory.appendingPathComponent(picture))
            #expect(XMLParser(data: svg).parse(), "\(picture) is not well-formed XML")
            #expect(String(decoding: svg, as: UTF8.self).contains("<svg"), "\(picture)")
        }
        // The shared registry does not know the corridor: the error names it.
        #expect(throws: EnvironmentError.self) { try options.evaluate() }
    }

    @Test func settingsOutOfRangeAreUsageErrors() {
        for arguments in [["--episodes", "0"], ["--episodes", "100000"], ["--draw=-1"], ["--samples-per-cell", "0"],
                          ["--samples-per-cell", "1000"], ["--threads", "0"], ["--goal-cell"]] {
            #expect(throws: (any Error).self, "\(arguments)") { try EvaluationOptions.parse(["runs/x"] + arguments) }
        }
    }
}
