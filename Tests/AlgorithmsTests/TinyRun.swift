import Foundation
import Algorithms

/// A finished tiny CRL run on point-maze-u (one evaluation) in a new temporary directory.
func trainTinyRun() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-run-\(UUID().uuidString)")
    var agent = CRLConfiguration()
    (agent.criticWidth, agent.actorWidth, agent.representationSize, agent.batchSize, agent.windowLength) = (8, 8, 4, 8, 20)
    var run = TrainerConfiguration()
    (run.environmentCount, run.unrollLength, run.prefillSteps, run.replayCapacity) = (2, 10, 20, 100)
    (run.updatesPerRound, run.evaluationCount, run.evaluationEpisodes, run.episodeLength) = (1, 1, 2, 30)
    run.environmentSteps = 2 * 20 + 2 * 10
    let probe = try VectorEnvironment(named: "point-maze-u", count: 1)
    _ = try Trainer(agent: try CRL(for: probe, configuration: agent, seed: 1), environmentName: "point-maze-u",
                    configuration: run, output: directory).train()
    return directory
}
