import Foundation
import Testing
import Algorithms

/// A user's own task, written on the base class: a point in a 4 × 4 field reaching random goals.
private final class Field: BaseGoalEnvironment {
    /// How far a full action moves the point.
    let speed: Float

    init(speed: Float = 0.2) {
        self.speed = speed
        super.init(stateSize: 2, goalSize: 2, actionSize: 2, goalRange: 0..<2, successThreshold: 0.5, episodeLength: 30)
    }

    override func resetEpisode(state: inout [Float], goal: inout [Float], generator: inout RandomGenerator) {
        state = [2, 2]
        goal[0] = Float(generator.nextUniform() * 4)
        goal[1] = Float(generator.nextUniform() * 4)
    }

    override func advance(state: inout [Float], action: [Float]) {
        state[0] = min(max(state[0] + speed * action[0], 0), 4)
        state[1] = min(max(state[1] + speed * action[1], 0), 4)
    }

    override var settings: [String: String] { ["speed": "\(speed)"] }
}

/// A run of a custom environment, trained from code and then opened, evaluated, used for
/// prediction and extended, as a user's package would.
@Suite struct TrainingRunTests {
    @Test func aCustomEnvironmentsRunOpensEvaluatesPredictsAndResumes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var agentSettings = CRLConfiguration()
        (agentSettings.criticWidth, agentSettings.actorWidth, agentSettings.representationSize) = (16, 16, 8)
        agentSettings.batchSize = 32
        var settings = TrainerConfiguration()
        (settings.environmentSteps, settings.environmentCount, settings.evaluationCount, settings.evaluationEpisodes) = (3_000, 8, 2, 4)
        do {  // trained from a factory, with no registration
            let agent = try CRL(stateSize: 2, goalSize: 2, actionSize: 2, configuration: agentSettings)
            let trainer = try Trainer(agent: agent, environment: { Field() }, named: "field", configuration: settings, output: directory)
            #expect(trainer.environmentName == "field")
            _ = try trainer.train()
        }
        let registry = EnvironmentRegistry()  // reopened by the name the run recorded
        registry.register("field") { Field() }

        let run = try TrainingRun(opening: directory, registry: registry)
        #expect(run.environmentName == "field" && run.configuration.agent == .crl(agentSettings))
        let metrics = try run.metrics()
        #expect(metrics.count == 2 && metrics.last!.environmentSteps <= 3_000)
        let result = try run.evaluate(episodes: 4)
        #expect((0...1).contains(result.successAny))

        let observation: [Float] = [1, 1, 3, 3]
        var unused = RandomGenerator(seed: 0)
        #expect(try run.agent.predict(observation) == run.agent.act(observations: observation, rows: 1, deterministic: true, generator: &unused))

        #expect(throws: EnvironmentError.self) { _ = try TrainingRun(opening: directory) }  // "field" is not in the shared registry
        let trainer = try run.resume(environmentSteps: 4_000)
        _ = try trainer.train()
        #expect(trainer.environmentSteps > metrics.last!.environmentSteps)
        #expect(try TrainingRun(opening: directory, registry: registry).metrics().count > 2)

        // A config.json edited by hand is checked against itself and against the checkpoint.
        registry.register("other-field") { Field() }
        let url = directory.appendingPathComponent("config.json")
        let original = try Data(contentsOf: url)
        var file = try JSONSerialization.jsonObject(with: original) as! [String: Any]
        file["environment"] = "other-field"
        try JSONSerialization.data(withJSONObject: file).write(to: url)
        #expect {
            _ = try TrainingRun(opening: directory, registry: registry)
        } throws: { error in
            "\(error)".contains("was trained with environment 'field', but config.json names 'other-field'")
        }
        file = try JSONSerialization.jsonObject(with: original) as! [String: Any]
        var trainerSettings = file["trainer"] as! [String: Any]
        trainerSettings["episodeLength"] = 0
        file["trainer"] = trainerSettings
        try JSONSerialization.data(withJSONObject: file).write(to: url)
        #expect(throws: AlgorithmsError.invalidSetting(name: "episode-length", value: "0", expected: "between 2 and 100000000")) {
            _ = try TrainingRun(opening: directory, registry: registry)
        }
    }

    @Test func aRunWhoseEnvironmentChangedSinceIsRefusedNamingTheSetting() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var agentSettings = CRLConfiguration()
        (agentSettings.criticWidth, agentSettings.actorWidth, agentSettings.representationSize, agentSettings.batchSize) = (16, 16, 8, 32)
        var settings = TrainerConfiguration()
        (settings.environmentSteps, settings.environmentCount, settings.evaluationCount, settings.evaluationEpisodes) = (1_000, 8, 1, 4)
        let agent = try CRL(stateSize: 2, goalSize: 2, actionSize: 2, configuration: agentSettings)
        _ = try Trainer(agent: agent, environment: { Field(speed: 0.2) }, named: "field", configuration: settings, output: directory).train()

        let registry = EnvironmentRegistry()
        registry.register("field") { Field(speed: 0.2) }
        _ = try TrainingRun(opening: directory, registry: registry)  // unchanged: opens
        registry.register("field") { Field(speed: 0.4) }
        let changed = "was trained on 'field' with speed = 0.2, but 'field' now has speed = 0.4"
        #expect {
            _ = try TrainingRun(opening: directory, registry: registry)
        } throws: { error in
            "\(error)".contains(changed)
        }
        #expect {
            _ = try Trainer.resume(from: directory, environmentSteps: 2_000, registry: registry)
        } throws: { error in
            "\(error)".contains(changed)
        }
    }

    @Test func theBuiltInTasksRecordTheirSettings() throws {
        struct Example { var speed: Float = 0.5; var name = "u"; var range = 0.2...1.0 }
        #expect(BaseGoalEnvironment.settings(of: Example()) == ["speed": "0.5", "name": "u", "range": "0.2...1.0"])
        let maze = try PointMaze(layout: .uMaze)
        #expect(maze.settings["layout"] == "\(MazeLayout.uMaze)")
        #expect(maze.settings.count == BaseGoalEnvironment.settings(of: maze.configuration).count + 1)
        var slower = PointMazeConfiguration()
        slower.forcePerAction /= 2
        #expect(try PointMaze(layout: .uMaze, configuration: slower).settings != maze.settings)
    }

    @Test func aDirectoryWithoutACheckpointIsRefusedSayingSo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let probe = try VectorEnvironment(named: "point-maze-u", count: 1)
        _ = try Trainer(agent: try CRL(for: probe), environmentName: "point-maze-u", output: directory)
        #expect {
            _ = try TrainingRun(opening: directory)
        } throws: { error in
            "\(error)".contains("no checkpoint.safetensors")
        }
    }
}
