import Foundation
import Testing
import Algorithms

@Suite struct RunConfigurationTests {
    func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }

    @Test func roundTripsThroughARunDirectory() throws {
        var agent = TD3Configuration()
        agent.criticDepth = 8
        agent.explorationNoise = 0.3
        agent.actionPenalty = 0.1
        agent.preactivationPenalty = 0.02
        agent.networkOptions.residual = false
        agent.batchSize = 64
        var trainer = TrainerConfiguration()
        trainer.seed = .max
        trainer.episodeLength = 321
        trainer.prefillActions = .agent
        let run = RunConfiguration(environment: "point-maze-big", agent: .td3(agent), trainer: trainer)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deepcrl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try run.write(to: directory)
        #expect(try RunConfiguration(contentsOf: directory) == run)
    }

    @Test func writesFlatReadableJSONWithItsFormatVersion() throws {
        var agent = SACConfiguration()
        agent.criticDepth = 8
        let run = RunConfiguration(environment: "point-maze-u", agent: .sac(agent), trainer: TrainerConfiguration())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deepcrl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try run.write(to: directory)
        let text = try String(contentsOf: directory.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(!text.contains("_0"))
        let file = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(file["formatVersion"] as? Int == RunConfiguration.formatVersion && RunConfiguration.formatVersion == 4)
        let written = try #require(file["agent"] as? [String: Any])
        #expect(written["algorithm"] as? String == "sac" && written["criticDepth"] as? Int == 8)
    }

    @Test func formatTwoKeysItLacksTakeTheirDefaults() throws {
        let file: [String: Any] = [
            "formatVersion": 2, "environment": "point-maze-u",
            "agent": ["algorithm": "crl", "criticDepth": 8], "trainer": ["seed": 3],
        ]
        var agent = CRLConfiguration()
        agent.criticDepth = 8
        var trainer = TrainerConfiguration()
        (trainer.seed, trainer.prefillSteps) = (3, 1_000)  // the prefill before format 3
        #expect(try RunConfiguration(json: json(file)) == RunConfiguration(environment: "point-maze-u", agent: .crl(agent), trainer: trainer))
    }

    @Test func refusesAFormatNewerThanItReads() throws {
        let file: [String: Any] = ["formatVersion": 5, "environment": "point-maze-u", "agent": ["algorithm": "crl"], "trainer": [String: Any]()]
        #expect {
            _ = try RunConfiguration(json: json(file))
        } throws: { error in
            "\(error)".contains("format 5 is newer")
        }
    }

    @Test func keysWrittenBeforeTheyExistedTakeTheirDefaults() throws {
        // A TD3 run written before `actionPenalty` existed, with some settings changed from the defaults.
        let old: [String: Any] = [
            "environment": "point-maze-u",
            "agent": ["td3": ["_0": ["criticDepth": 16, "explorationNoise": 0.25, "networkOptions": ["residual": false]]]],
            "trainer": ["seed": 7, "batchSize": 64],
        ]
        let run = try RunConfiguration(json: json(old))
        var agent = TD3Configuration()
        agent.criticDepth = 16
        agent.explorationNoise = 0.25
        agent.networkOptions.residual = false
        agent.batchSize = 64  // format 1 kept it with the trainer
        (agent.targetUpdateRate, agent.preactivationPenalty) = (0.005, 0)  // the defaults before format 3
        var trainer = TrainerConfiguration()
        (trainer.seed, trainer.prefillSteps) = (7, 1_000)
        #expect(run == RunConfiguration(environment: "point-maze-u", agent: .td3(agent), trainer: trainer))
        guard case .td3(let decoded) = run.agent else { Issue.record("decoded \(run.agent.algorithm), not td3"); return }
        #expect(decoded.actionPenalty == 0 && decoded.preactivationPenalty == 0 && decoded.networkOptions.layerNorm)
    }

    @Test func formatOneSamplingSettingsMoveToTheCRLAgent() throws {
        let old: [String: Any] = [
            "environment": "point-maze-u",
            "agent": ["crl": ["_0": ["criticDepth": 8]]],
            "trainer": ["batchSize": 32, "windowLength": 50, "discount": 0.9, "replayCapacity": 500],
        ]
        var agent = CRLConfiguration()
        agent.criticDepth = 8
        (agent.batchSize, agent.windowLength, agent.discount) = (32, 50, 0.9)
        var trainer = TrainerConfiguration()
        (trainer.replayCapacity, trainer.prefillSteps) = (500, 1_000)
        #expect(try RunConfiguration(json: json(old)) == RunConfiguration(environment: "point-maze-u", agent: .crl(agent), trainer: trainer))
    }

    @Test func refusesWhatHasNoDefault() throws {
        let withoutEnvironment: [String: Any] = ["agent": ["crl": ["_0": [String: Any]()]], "trainer": [String: Any]()]
        #expect(throws: DecodingError.self) { try RunConfiguration(json: json(withoutEnvironment)) }
        let unknownAlgorithm: [String: Any] = ["environment": "point-maze-u", "agent": ["ppo": ["_0": [String: Any]()]]]
        #expect(throws: DecodingError.self) { try RunConfiguration(json: json(unknownAlgorithm)) }
        let malformed: [String: Any] = ["environment": "point-maze-u", "agent": ["crl": ["_0": ["criticDepth": "deep"]]]]
        #expect(throws: DecodingError.self) { try RunConfiguration(json: json(malformed)) }
        for agent in [["algorithm": "ppo"], ["criticDepth": 4], ["algorithm": "crl", "criticDepth": "deep"]] as [[String: Any]] {
            let file: [String: Any] = ["formatVersion": 2, "environment": "point-maze-u", "agent": agent, "trainer": [String: Any]()]
            #expect(throws: DecodingError.self) { try RunConfiguration(json: json(file)) }
        }
    }

    @Test func agentDefaultsByAlgorithmName() {
        #expect(AgentConfiguration(defaultsOf: "crl") == .crl(CRLConfiguration()))
        #expect(AgentConfiguration(defaultsOf: "sac") == .sac(SACConfiguration()))
        #expect(AgentConfiguration(defaultsOf: "td3") == .td3(TD3Configuration()))
        #expect(AgentConfiguration(defaultsOf: "ppo") == nil)
    }

    @Test func aMissingFileIsACheckpointErrorNamingIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deepcrl-missing-\(UUID().uuidString)")
        #expect {
            _ = try RunConfiguration(contentsOf: directory)
        } throws: { error in
            guard case AlgorithmsError.checkpoint(let message)? = error as? AlgorithmsError else { return false }
            return message.contains(directory.path)
        }
    }
}
