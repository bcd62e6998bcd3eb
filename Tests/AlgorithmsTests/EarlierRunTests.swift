import Foundation
import Testing
import Algorithms

/// Run directories written by an earlier version (`Fixtures/runs-2026-12-02`, made by the commands
/// in `Fixtures/README.md`) still resume and evaluate: their settings, agents, replay and
/// environments load as they were saved.
@Suite struct EarlierRunTests {
    @Test(arguments: ["crl", "sac", "td3"])
    func resumesAndEvaluates(algorithm: String) throws {
        let fixture = try #require(Bundle.module.url(forResource: "Fixtures/runs-2026-12-02/\(algorithm)", withExtension: nil))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("earlier-\(algorithm)-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixture, to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }

        let trainer = try Trainer.resume(from: directory)
        #expect(trainer.agent.name == algorithm)
        #expect(trainer.environmentName == "point-maze-u")
        let (tensors, metadata) = try Checkpoint.read(from: directory.appendingPathComponent("checkpoint.safetensors"))
        #expect(metadata["env_steps"] == "\(trainer.environmentSteps)" && trainer.environmentSteps > 0)
        #expect(trainer.agent.state() == tensors.filter { $0.key.hasPrefix("agent.") }.reduce(into: [:]) {
            $0[String($1.key.dropFirst("agent.".count))] = $1.value
        })
        let lines = try String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(!lines.isEmpty)

        let result = try evaluate(trainer.agent, in: trainer.evaluationEnvironment, seed: 1)
        #expect((0...1).contains(result.successAny) && result.timeAtGoal.isFinite)
    }
}
