import Foundation
import Testing
import Studies
import Algorithms
import Tensor
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Studies plan every setting with every seed, run resumably and in shards, and report.
@Suite(.serialized) struct StudyTests {
    static func tinyCRL() -> CRLConfiguration {
        var c = CRLConfiguration()
        (c.criticWidth, c.actorWidth, c.representationSize, c.batchSize, c.windowLength) = (8, 8, 4, 8, 20)
        return c
    }

    static func tinyRun() -> TrainerConfiguration {
        var c = TrainerConfiguration()
        (c.environmentSteps, c.environmentCount, c.unrollLength, c.prefillSteps, c.replayCapacity) = (2 * 20 + 4 * 10, 2, 10, 20, 100)
        (c.updatesPerRound, c.evaluationCount, c.evaluationEpisodes, c.episodeLength) = (1, 2, 2, 30)
        return c
    }

    static func depthStudy(seeds: [UInt64] = [0, 1]) -> Study {
        .depth([4, 8], base: tinyCRL(), seeds: seeds, environment: "point-maze-u", trainer: tinyRun())
    }

    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("study-\(UUID().uuidString)")
    }

    @Test func everySettingRunsWithEverySeedAndShardsSplitThemExactly() throws {
        let study = Self.depthStudy(seeds: [0, 1, 2])
        #expect(study.runs.map(\.directoryName) == [
            "depth-4-seed-0", "depth-4-seed-1", "depth-4-seed-2", "depth-8-seed-0", "depth-8-seed-1", "depth-8-seed-2",
        ])
        #expect(study.runs.map(\.trainer.seed) == [0, 1, 2, 0, 1, 2])
        for count in 1...4 {
            let shards = try (0..<count).map { try study.shard($0, of: count) }
            #expect(shards.flatMap { $0 }.map(\.directoryName).sorted() == study.runs.map(\.directoryName).sorted())
        }
        #expect(throws: AlgorithmsError.self) { try study.shard(2, of: 2) }
        let residual = Study.residual([4], base: Self.tinyCRL(), seeds: [0], environment: "point-maze-u", trainer: Self.tinyRun())
        #expect(residual.runs.map { $0.values["residual"] } == ["true", "false"])
        let deep = Study.deep([256], base: Self.tinyCRL(), seeds: [0], environment: "point-maze-u", trainer: Self.tinyRun())
        #expect(deep.name == "deep" && deep.runs.allSatisfy {
            guard case .crl(let c) = $0.agent else { return false }
            return c.networkOptions.recomputesActivations && c.criticDepth == 256
        })
        let baselines = Study.baselines(
            [4, 8], agents: [.crl(Self.tinyCRL()), .sac(SACConfiguration())], seeds: [0], environment: "point-maze-u", trainer: Self.tinyRun())
        #expect(baselines.runs.map(\.setting) == ["crl depth 4", "crl depth 8", "sac depth 4", "sac depth 8"])
    }

    @Test func aStudyResumesWithoutRedoingFinishedRunsAndShardsShareIt() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let study = Self.depthStudy()
        let runner = StudyRunner(output: directory)
        // Shard 1 of 2 trains the first and third runs; the study then has two finished runs.
        for run in try study.shard(0, of: 2) { _ = try runner.train(run) }
        #expect(runner.finishedResults(of: study).map(\.run.directoryName) == ["depth-4-seed-0", "depth-8-seed-0"])
        let first = runner.directory(of: study.runs[0]).appendingPathComponent("checkpoint.safetensors")
        let before = try Data(contentsOf: first)
        // Shard 2 of 2, then the whole study again: nothing is trained twice.
        for run in try study.shard(1, of: 2) { _ = try runner.train(run) }
        let results = try study.runs.map { try #require(try runner.train($0)) }
        #expect(try Data(contentsOf: first) == before)
        #expect(results.map(\.run) == study.runs)
        #expect(results.allSatisfy { $0.records.count == 2 && $0.parameterCount > 0 && $0.peakMemoryBytes > 0 })

        let report = StudyReport(study: study, results: results)
        try report.write(to: directory)
        let csv = try String(contentsOf: directory.appendingPathComponent("results.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "setting,depth,seed,success_any,time_at_goal,wall_seconds,parameters,peak_memory_mb,machine")
        #expect(csv.count == 5 && csv[3].hasPrefix("depth 8,8,0,"))
        let summary = try String(contentsOf: directory.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.contains("| depth 4 | 2 |") && summary.contains("| depth 8 | 2 |"))
        for picture in ["curves.svg", "final.svg"] {
            _ = try XMLDocument(contentsOf: directory.appendingPathComponent(picture))
        }
        // What each depth's critic makes of the maze, one map per setting.
        let maps = try report.criticMaps(runner: runner, samplesPerCellSide: 1)
        #expect(maps.map(\.setting) == ["depth 4", "depth 8"])
        for (_, picture) in maps { _ = try XMLDocument(data: Data(picture.xml.utf8)) }
    }

    /// A finished run is its `config.json`, `metrics.jsonl` and `result.json`: without its
    /// checkpoint it is still reported and not trained again.
    @Test func finishedRunsNeedNoCheckpoint() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let study = Self.depthStudy(seeds: [0])
        let runner = StudyRunner(output: directory)
        let trained = try study.runs.map { try #require(try runner.train($0)) }
        #expect(trained.allSatisfy { $0.machine.contains(BLAS.backend.description) && $0.peakMemoryBytes > 0 })
        #if os(Linux)
        #expect(trained[0].machine.contains("(family "), "\(trained[0].machine)")
        #endif
        for run in study.runs {
            try FileManager.default.removeItem(at: runner.directory(of: run).appendingPathComponent("checkpoint.safetensors"))
        }
        #expect(runner.finishedResults(of: study) == trained)
        #expect(try study.runs.map { try #require(try runner.train($0)) } == trained)
        for run in study.runs {
            #expect(!FileManager.default.fileExists(atPath: runner.directory(of: run).appendingPathComponent("checkpoint.safetensors").path))
        }
        // Another budget is another run, and a damaged result names its file.
        var longer = study.runs[0]
        longer.trainer.environmentSteps *= 2
        #expect { _ = try runner.train(longer) } throws: { "\($0)".contains("holds a run of other settings") }
        let file = runner.directory(of: study.runs[0]).appendingPathComponent("result.json")
        try Data("{\"success_any\": ".utf8).write(to: file)
        #expect { _ = try runner.train(study.runs[0]) } throws: { "\($0)".contains("result.json is not a study run's result") }
        #expect(runner.finishedResults(of: study).map(\.run) == [study.runs[1]])
    }

    /// A study takes over another study's finished runs of the very same settings.
    @Test func aStudyReusesAnotherStudysRunsOfTheSameSettings() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var settings = Self.tinyRun()
        settings.prefillSteps = nil  // resolved and recorded by the trainer: still the same settings
        let depth = Study.depth([4, 8], base: Self.tinyCRL(), seeds: [0], environment: "point-maze-u", trainer: settings)
        let depthRunner = StudyRunner(output: directory.appendingPathComponent("depth"))
        let trained = try depth.runs.map { try #require(try depthRunner.train($0)) }
        let residual = Study.residual([4, 8], base: Self.tinyCRL(), seeds: [0], environment: "point-maze-u", trainer: settings)
        let runner = StudyRunner(output: directory.appendingPathComponent("residual"), reusing: [depthRunner.output])
        let results = try residual.runs.map { try #require(try runner.train($0)) }
        let taken = results.filter { $0.run.values["residual"] == "true" }
        #expect(taken.map(\.records) == trained.map(\.records) && taken.map(\.wallSeconds) == trained.map(\.wallSeconds))
        #expect(results.filter { $0.run.values["residual"] == "false" }.count == 2)
        #expect(runner.finishedResults(of: residual).count == 4)
    }

    /// A run its caller stops keeps its checkpoint, has no result, and resumes to the very
    /// evaluations of a run never stopped.
    @Test func aStoppedRunHasNoResultAndResumesExactly() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = Self.depthStudy(seeds: [0]).runs[0]
        let stopped = StudyRunner(output: directory.appendingPathComponent("stopped"))
        #expect(try stopped.train(run, stopWhen: { $0.gradientSteps > 0 }) == nil)
        #expect(try stopped.isFinished(run) == false)
        let resumed = try #require(try stopped.train(run))
        let whole = try #require(try StudyRunner(output: directory.appendingPathComponent("whole")).train(run))
        #expect(resumed.records.count == 2)
        #expect(resumed.records.map(\.evaluation) == whole.records.map(\.evaluation))
        #expect(resumed.records.map(\.gradientSteps) == whole.records.map(\.gradientSteps))
    }

    @Test func aHalfFinishedRunResumesAndAForeignRunIsRefused() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let study = Self.depthStudy(seeds: [0])
        let runner = StudyRunner(output: directory)
        do {  // stopped after its first round, as a killed process would leave it
            let run = study.runs[0]
            let probe = try VectorEnvironment(named: run.environment, count: 1)
            let trainer = try Trainer(
                agent: try run.agent.makeAgent(for: probe, seed: run.seed), environmentName: run.environment,
                configuration: run.trainer, output: runner.directory(of: run))
            _ = try trainer.train(stoppingAfterRound: 1)
        }
        #expect(try runner.isFinished(study.runs[0]) == false)
        let result = try #require(try runner.train(study.runs[0]))
        #expect(try result.records.count == 2 && runner.isFinished(study.runs[0]))

        var foreign = study.runs[1]
        foreign.setting = study.runs[0].setting  // same directory, other depth
        #expect {
            _ = try runner.train(foreign)
        } throws: { error in
            "\(error)".contains("holds a run of other settings")
        }
    }

    /// Every study trains and reports (one seed, the smallest lists).
    @Test func everyStudyRunsAndReports() throws {
        let (crl, run) = (Self.tinyCRL(), Self.tinyRun())
        var sac = SACConfiguration(), td3 = TD3Configuration()
        (sac.criticWidth, sac.actorWidth, sac.batchSize, td3.criticWidth, td3.actorWidth, td3.batchSize) = (8, 8, 8, 8, 8, 8)
        let studies: [Study] = [
            .residual([4], base: crl, seeds: [0], environment: "point-maze-u", trainer: run),
            .deep([12], base: crl, seeds: [0], environment: "point-maze-u", trainer: run),
            .baselines([4], agents: [.crl(crl), .sac(sac), .td3(td3)], seeds: [0], environment: "point-maze-u", trainer: run),
            .batch([8, 16], depths: [4], base: crl, seeds: [0], environment: "point-maze-u", trainer: run),
            .widthVersusDepth(depths: [8], widths: [16], base: crl, seeds: [0], environment: "point-maze-u", trainer: run),
            .actorCritic(actorDepths: [4], criticDepths: [4, 8], base: crl, seeds: [0], environment: "point-maze-u", trainer: run),
            .stitching([4], base: crl, seeds: [0], environment: "point-maze-big", trainer: run),
            .exploration(collectorDepths: [4, 8], learnerDepths: [4], base: crl, seeds: [0], environment: "point-maze-u", trainer: run),
        ]
        for study in studies {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let runner = StudyRunner(output: directory)
            let results = try study.runs.map { try #require(try runner.train($0)) }
            try StudyReport(study: study, results: results).write(to: directory)
            let csv = try String(contentsOf: directory.appendingPathComponent("results.csv"), encoding: .utf8).split(separator: "\n")
            #expect(csv[0] == "setting,\(study.columns.joined(separator: ",")),seed,success_any,time_at_goal,wall_seconds,parameters,peak_memory_mb,machine")
            #expect(csv.count == study.runs.count + 1, "\(study.name)")
            for picture in ["curves.svg", "final.svg"] {
                _ = try XMLDocument(contentsOf: directory.appendingPathComponent(picture))
            }
        }
    }

    @Test func pathScoresAreWrittenForEveryFinishedCRLRun() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let study = Self.depthStudy(seeds: [0])
        let runner = StudyRunner(output: directory)
        let results = try study.runs.map { try #require(try runner.train($0)) }
        let (scores, csv) = try StudyReport(study: study, results: results).pathScores(runner: runner, episodes: 3)
        #expect(scores.map(\.run) == study.runs)
        #expect(scores.allSatisfy { $0.score.episodes <= 3 && $0.score.steps >= 0 })
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "setting,depth,seed,critic_path_score,straight_line_path_score,episodes,steps")
        #expect(lines.count == study.runs.count + 1 && lines[1].hasPrefix("depth 4,4,0,"))
    }
}
