import Algorithms
import ArgumentParser
import Distributed
import ExampleSupport
import Foundation
import MuJoCoEnvironments
import Studies

/// The paper's analyses, one subcommand each, over settings and seeds.
@main
struct StudyCommand: ParsableCommand {
    static func main() {
        _ = StopRequest.shared  // before any thread starts
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "Run one of the paper's analyses over settings and seeds: results.csv, summary.md (interquartile mean and 95 % bootstrap interval across seeds) and pictures.",
        discussion: """
            Each run is a run directory of its own under --output; a study run again resumes where it stopped and never \
            redoes a finished run, and --shard i/n runs every n-th run, so several processes or machines can share one study \
            (each writes the reports of all runs finished so far). Started by mpirun (mpirun -np N study …), each process \
            trains the shard of its rank and rank 0 writes the reports once every process has finished. The default budget (800 k environment steps per run, \
            3 seeds) took, per run on 2 cores of an AMD Zen 5, about 2.5 minutes at depth 4, 5 at depth 8 and 7.5 at depth 16 \
            (depth 32: an estimated 15; a first-generation Zen takes about 4 times as long): hours for a whole study, which a study spreads over \
            sessions or machines by resuming. \
            --quick shrinks everything to finish in about a minute.

            \(stoppingHelp) The same command resumes the study there.

            \(exitStatusHelp)
            """,
        subcommands: [Depth.self, Deep.self, Representation.self, Residual.self, Baselines.self, Batch.self, WidthVersusDepth.self, ActorCritic.self,
                      Stitching.self, Exploration.self])
}

/// What every study takes.
struct StudyOptions: ParsableArguments {
    @Option(help: "Environment name (default point-maze-big; the deep study's: point-maze-u).")
    var env: String?
    @Option(help: "Comma-separated seeds (default 0,1,2; the deep study's: 0).")
    var seeds: String?
    @Option(help: "The study's directory: a run directory per run, results.csv, summary.md, curves.svg, final.svg.")
    var output: String?
    @Flag(help: "A tiny budget and tiny networks, to try a study in about a minute (and for tests).")
    var quick = false
    @Option(help: "Comma-separated directories of other studies: their finished runs of the very same settings are taken over instead of trained again (e.g. the depth study's for residual and baselines).")
    var reuse: String?
    @Flag(help: "Train nothing: write the reports of the runs finished so far (for example while shards still run elsewhere).")
    var reportOnly = false
    @Option(help: "Run only shard i of n (1-based), every n-th run from the i-th, e.g. 2/3 (under mpirun: the process's rank of the job's size).")
    var shard: String?
    @OptionGroup(title: "Run and agent settings")
    var training: TrainingOptions

    /// The environment: --env, or point-maze-big.
    var environment: String { env ?? "point-maze-big" }

    func parsedSeeds(default fallback: String = "0,1,2") throws -> [UInt64] {
        let seeds = self.seeds ?? fallback
        let values = seeds.split(separator: ",").map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--seeds must be a comma-separated list of non-negative integers, got '\(seeds)'")
        }
        return values.compactMap { $0 }
    }

    func parsedShard() throws -> (index: Int, count: Int) {
        guard let shard else { return (0, 1) }
        let parts = shard.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, (1...n).contains(i) else {
            throw ValidationError("--shard must be i/n with 1 ≤ i ≤ n, got '\(shard)'")
        }
        return (i - 1, n)
    }

    /// The run settings: the options over the defaults, or the quick preset.
    func trainer() -> TrainerConfiguration {
        var c = training.trainerConfiguration(defaultThreads: ProcessInfo.processInfo.activeProcessorCount)
        if quick {
            (c.environmentSteps, c.environmentCount, c.unrollLength, c.replayCapacity) = (1_200, 4, 10, 200)
            (c.evaluationCount, c.evaluationEpisodes, c.episodeLength) = (2, 2, 40)
        }
        return c
    }

    /// CRL's settings: the options over the defaults, made tiny by the quick preset.
    func crl() -> CRLConfiguration {
        var c = training.crlConfiguration()
        if quick { (c.criticWidth, c.actorWidth, c.representationSize, c.batchSize, c.windowLength) = (16, 16, 8, 16, 20) }
        return c
    }

    /// The settings of `algorithm`, made tiny by the quick preset.
    func agent(_ algorithm: String) -> AgentConfiguration? {
        guard var agent = training.agentConfiguration(algorithm: algorithm) else { return nil }
        guard quick else { return agent }
        switch agent {
        case .crl: agent = .crl(crl())
        case .sac(var c):
            (c.criticWidth, c.actorWidth, c.batchSize) = (16, 16, 16)
            agent = .sac(c)
        case .td3(var c):
            (c.criticWidth, c.actorWidth, c.batchSize) = (16, 16, 16)
            agent = .td3(c)
        }
        return agent
    }

    /// Trains the study's runs of this shard, then writes the reports of every finished run, and
    /// whatever `pictures` adds to them.
    func run(_ study: Study, pictures: (StudyReport, StudyRunner, URL) throws -> Void = { _, _, _ in }) throws {
        MuJoCoEnvironments.register()
        let directory = URL(fileURLWithPath: output ?? "runs/study-\(study.name)-\(study.runs.first?.environment ?? environment)")
        let world = Communicator.isLaunchedByMPI ? try Communicator.world() : nil
        let (index, count): (Int, Int)
        if let world {
            guard shard == nil else { throw ValidationError("under mpirun each process trains the shard of its rank; leave out --shard") }
            (index, count) = (world.rank, world.size)
        } else {
            (index, count) = try parsedShard()
        }
        do {
            try trainAndReport(study, shard: (index, count), in: directory, world: world, pictures: pictures)
        } catch let error where world != nil {
            world?.abort("\(error)")  // the other processes would wait for this one forever
        }
    }

    private func trainAndReport(
        _ study: Study, shard: (index: Int, count: Int), in directory: URL, world: Communicator?,
        pictures: (StudyReport, StudyRunner, URL) throws -> Void
    ) throws {
        let (index, count) = shard
        try sortingUsageErrors {
            let runs = try study.shard(index, of: count)
            let reused = (reuse ?? "").split(separator: ",").map { URL(fileURLWithPath: String($0)) }
            let runner = StudyRunner(output: directory, reusing: reused)
            print("Study \(study.name) on \(study.runs.first?.environment ?? environment): \(study.runs.count) runs, \(runs.count) in this shard → \(directory.path)")
            for (number, run) in runs.enumerated() where !reportOnly {
                print("[\(number + 1)/\(runs.count)] \(run.setting), seed \(run.seed)")
                let display = ProgressDisplay(interactive: false)
                guard let result = try runner.train(run, progress: display.show, stopWhen: { _ in StopRequest.shared.isRequested }) else {
                    print("Stopped: \(run.directoryName) saved its checkpoint; the same command resumes the study there.")
                    throw ExitCode(StopRequest.shared.exitStatus)
                }
                print(String(format: "  success_any %.2f, time_at_goal %.0f, %.0f s", result.successAny, result.timeAtGoal, result.wallSeconds))
            }
            if let world {  // every shard finished: rank 0 reports them all
                try world.barrier()
                guard world.rank == 0 else { return }
            }
            let results = runner.finishedResults(of: study)
            let report = StudyReport(study: study, results: results)
            try report.write(to: directory)
            try pictures(report, runner, directory)
            print("\(results.count) of \(study.runs.count) runs finished; reports in \(directory.path) (results.csv, summary.md, curves.svg, final.svg)")
        }
    }
}

/// A study subcommand: its own lists, then the shared options; running trains and reports the study it plans.
protocol StudySubcommand: ParsableCommand {
    var options: StudyOptions { get }
    /// The study the options plan.
    func study() throws -> Study
}

extension StudySubcommand {
    func run() throws {
        try options.run(study())
    }
}

/// A comma-separated list of positive integers.
func positiveIntegers(_ list: String, option: String) throws -> [Int] {
    let values = list.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
        throw ValidationError("\(option) must be a comma-separated list of positive integers, got '\(list)'")
    }
    return values.compactMap { $0 }
}

struct Depth: StudySubcommand {
    static let configuration = CommandConfiguration(abstract: "CRL at several depths (actor and critic alike): the paper's depth scaling.")
    @Option(help: "Comma-separated depths (multiples of 4).")
    var depths = "4,8,16,32"
    @OptionGroup var options: StudyOptions

    func study() throws -> Study {
        .depth(
            try positiveIntegers(depths, option: "--depths"), base: options.crl(), seeds: try options.parsedSeeds(),
            environment: options.environment, trainer: options.trainer())
    }
}

struct Deep: StudySubcommand {
    static let configuration = CommandConfiguration(
        abstract: "CRL at very deep settings with activation recomputation: that they learn, with peak memory and speed (results.csv).",
        discussion: """
            Its defaults fit a session of a 2-core CPU: point-maze-u, 200 k environment steps (about 3,600 gradient steps), \
            seed 0. On a 2-core AMD Zen 5 a depth-1024 gradient step took about 2 s in under 3 GiB (bench-update), so the run \
            should take about 2 hours; depth 256 about a quarter of that.
            """)
    @Option(help: "Comma-separated depths (multiples of 4).")
    var depths = "256,1024"
    @OptionGroup var options: StudyOptions

    func study() throws -> Study {
        var trainer = options.trainer()
        if options.training.envSteps == nil && !options.quick { trainer.environmentSteps = 200_000 }
        return .deep(
            try positiveIntegers(depths, option: "--depths"), base: options.crl(), seeds: try options.parsedSeeds(default: "0"),
            environment: options.env ?? "point-maze-u", trainer: trainer)
    }
}

struct Representation: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What shallow and deep CRL critics learn of the maze: the depth study's runs, the critic's map of the maze for one goal per depth (critic-<setting>.svg), and how well each critic orders the states of the agent's own successful paths by the steps left to the goal (path-scores.csv).")
    @Option(help: "Comma-separated depths (multiples of 4).")
    var depths = "4,16"
    @Option(help: "The goal's cell as row,column (default: the maze's last goal cell).")
    var goalCell: String?
    @OptionGroup var options: StudyOptions

    func run() throws {
        var study = Study.depth(
            try positiveIntegers(depths, option: "--depths"), base: options.crl(), seeds: try options.parsedSeeds(),
            environment: options.environment, trainer: options.trainer())
        study.name = "representation"
        let cell = try goalCell.map { text -> MazeLayout.Position in
            let parts = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2 else { throw ValidationError("--goal-cell must be row,column, got '\(text)'") }
            return MazeLayout.Position(row: parts[0], column: parts[1])
        }
        try options.run(study) { report, runner, directory in
            for (setting, picture) in try report.criticMaps(runner: runner, goalCell: cell) {
                let name = "critic-" + setting.lowercased().replacingOccurrences(of: " ", with: "-") + ".svg"
                try picture.write(to: directory.appendingPathComponent(name))
                print("Critic map: \(directory.appendingPathComponent(name).path)")
            }
            let (scores, csv) = try report.pathScores(runner: runner, episodes: options.quick ? 4 : 64)
            try csv.write(to: directory.appendingPathComponent("path-scores.csv"), atomically: true, encoding: .utf8)
            for (run, score) in scores {
                print(String(format: "%@, seed %llu: critic path score %.3f (straight line %.3f) over %d steps of %d successful episodes",
                             run.setting, run.seed, score.critic, score.straightLine, score.steps, score.episodes))
            }
            print("Path scores: \(directory.appendingPathComponent("path-scores.csv").path)")
        }
    }
}

struct Residual: StudySubcommand {
    static let configuration = CommandConfiguration(abstract: "CRL at several depths with and without residual connections.")
    @Option(help: "Comma-separated depths (multiples of 4).")
    var depths = "4,8,16,32"
    @OptionGroup var options: StudyOptions

    func study() throws -> Study {
        .residual(
            try positiveIntegers(depths, option: "--depths"), base: options.crl(), seeds: try options.parsedSeeds(),
            environment: options.environment, trainer: options.trainer())
    }
}

struct Baselines: StudySubcommand {
    static let configuration = CommandConfiguration(abstract: "CRL, SAC and TD3 at several depths, each with its own defaults.")
    @Option(help: "Comma-separated depths (multiples of 4).")
    var depths = "4,16"
    @Option(help: "Comma-separated algorithms.")
    var algorithms = "crl,sac,td3"
    @OptionGroup var options: StudyOptions

    func study() throws -> Study {
        let agents = try algorithms.split(separator: ",").map { name in
            guard let agent = options.agent(String(name)) else {
                throw ValidationError("--algorithms must list crl, sac or td3, got '\(name)'")
            }
            return agent
        }
        return .baselines(
            try positiveIntegers(depths, option: "--depths"), agents: agents, seeds: try options.parsedSeeds(),
            environment: options.environment, trainer: options.trainer())
    }
}

struct Batch: StudySubcommand {
    static let configuration = CommandConfiguration(abstract: "CRL with several batch sizes at a shallow and a deep setting.")
    @Option(help: "Comma-separated batch sizes.")
    var batchSizes = "128,256,512,1024"
    @Option(help: "Comma-separated depths (multiples of 4).")
    var depths = "4,16"
    @OptionGroup var options: StudyOptions

    func study() throws -> Study {
        .batch(
            try positiveIntegers(batchSizes, option: "--batch-sizes"), depths: try positiveIntegers(depths, option: "--depths"),
            base: options.crl(), seeds: try options.parsedSeeds(), environment: options.environment, trainer: options.trainer())
    }
}

struct WidthVersusDepth: StudySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "width-vs-depth", abstract: "CRL grown by depth at the base width against grown by width at the base depth.")
    @Option(help: "Comma-separated depths at the base width (multiples of 4).")
    var depths = "4,8,16,32"
    @Option(help: "Comma-separated widths at the base depth.")
    var widths = "512,1024,2048"
    @OptionGroup var options: StudyOptions

    func study() throws -> Study {
        .widthVersusDepth(
            depths: try positiveIntegers(depths, option: "--depths"), widths: try positiveIntegers(widths, option: "--widths"),
            base: options.crl(), seeds: try options.parsedSeeds(), environment: options.environment, trainer: options.trainer())
    }
}

struct ActorCritic: StudySubcommand {
    static let configuration = CommandConfiguration(commandName: "actor-critic", abstract: "CRL over a grid of actor depth × critic depth.")
    @Option(help: "Comma-separated actor depths (multiples of 4).")
    var actorDepths = "4,16"
    @Option(help: "Comma-separated critic depths (multiples of 4).")
    var criticDepths = "4,16"
    @OptionGroup var options: StudyOptions

    func study() throws -> Study {
        .actorCritic(
            actorDepths: try positiveIntegers(actorDepths, option: "--actor-depths"),
            criticDepths: try positiveIntegers(criticDepths, option: "--critic-depths"), base: options.crl(),
            seeds: try options.parsedSeeds(), environment: options.environment, trainer: options.trainer())
    }
}

struct Stitching: StudySubcommand {
    static let configuration = CommandConfiguration(
        abstract: "CRL at several depths trained on start–goal pairs at most 3 cells apart and evaluated on pairs at least 4 apart (--env point-maze-big or point-maze-hardest).")
    @Option(help: "Comma-separated depths (multiples of 4).")
    var depths = "4,16"
    @OptionGroup var options: StudyOptions

    func study() throws -> Study {
        let names = EnvironmentRegistry.shared.names
        guard names.contains("\(options.environment)-near"), names.contains("\(options.environment)-far") else {
            throw ValidationError("the stitching study needs an environment with -near and -far variants (point-maze-big or point-maze-hardest), got '\(options.environment)'")
        }
        return .stitching(
            try positiveIntegers(depths, option: "--depths"), base: options.crl(), seeds: try options.parsedSeeds(),
            environment: options.environment, trainer: options.trainer())
    }
}

struct Exploration: StudySubcommand {
    static let configuration = CommandConfiguration(
        abstract: "CRL learners of several depths trained only on the data of collectors of several depths (each collector acts and trains as in a run of its own): exploring better or learning better?")
    @Option(help: "Comma-separated depths of the collectors (multiples of 4).")
    var collectorDepths = "4,16"
    @Option(help: "Comma-separated depths of the learners (multiples of 4).")
    var learnerDepths = "4,16"
    @OptionGroup var options: StudyOptions

    func study() throws -> Study {
        .exploration(
            collectorDepths: try positiveIntegers(collectorDepths, option: "--collector-depths"),
            learnerDepths: try positiveIntegers(learnerDepths, option: "--learner-depths"), base: options.crl(),
            seeds: try options.parsedSeeds(), environment: options.environment, trainer: options.trainer())
    }
}
