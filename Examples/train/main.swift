import Algorithms
import ArgumentParser
import ExampleSupport
import Foundation
import MuJoCoEnvironments

/// Trains a goal-conditioned agent and writes metrics and checkpoints.
@main
struct Train: ParsableCommand {
    static func main() {
        MuJoCoEnvironments.register()
        main(nil)
    }

    static let configuration = CommandConfiguration(
        abstract: "Train Contrastive RL (or the SAC and TD3 baselines) on a goal-reaching environment.",
        discussion: "Writes config.json, metrics.jsonl (one line per evaluation) and checkpoint.safetensors to --output.\n\n\(exitStatusHelp)")

    @Option(help: "Environment name (\(EnvironmentRegistry.shared.names.joined(separator: ", "))).")
    var env = "point-maze-u"
    @Option(help: "Algorithm: crl, or the temporal-difference baselines sac and td3 (hindsight relabeling, same networks).")
    var algorithm = "crl"
    @Option(help: "Depth of actor and critic (Dense layers in residual blocks, a multiple of 4).")
    var depth: Int?
    @Option(help: "Critic depth (overrides --depth).")
    var criticDepth: Int?
    @Option(help: "Actor depth (overrides --depth).")
    var actorDepth: Int?
    @Option(help: "Hidden width of all networks.")
    var width = 256
    @Option(help: "Samples per gradient step.")
    var batchSize = 256
    @Option(help: "Total environment steps, prefill included.")
    var envSteps = TrainerConfiguration().environmentSteps
    @Option(help: "Parallel training environments.")
    var numEnvs = TrainerConfiguration().environmentCount
    @Option(help: "Gradient steps per collection round (default keeps the paper's ratio of one per ~40 environment steps).")
    var updatesPerRound: Int?
    @Option(help: "Steps collected from every environment per round.")
    var unrollLength = TrainerConfiguration().unrollLength
    @Option(help: "Steps per environment collected before training (see --prefill-actions; default 1000, or a quarter of the budget when that is less).")
    var prefillSteps: Int?
    @Option(help: "How the prefill picks actions: uniform (in [-1, 1]; the default) or agent (the untrained stochastic actor, as the paper's crl).")
    var prefillActions: String?
    @Option(help: "Replay capacity in steps per environment.")
    var replayCapacity = TrainerConfiguration().replayCapacity
    @Option(help: "crl: length of the trajectory windows training goals are sampled from (default \(CRLConfiguration().windowLength)).")
    var windowLength: Int?
    @Option(help: "Evaluations over the run.")
    var evaluations = TrainerConfiguration().evaluationCount
    @Option(help: "Episodes per evaluation.")
    var evaluationEpisodes = TrainerConfiguration().evaluationEpisodes
    @Option(help: "Steps per episode (default: the environment's own).")
    var episodeLength: Int?
    @Option(help: "Random seed.")
    var seed: UInt64 = 0
    @Option(help: "Threads for environment stepping and matrix products.")
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Discount γ: CRL's future-goal offset law; the Bellman discount of sac and td3 (default 0.99 for all).")
    var discount: Float?
    @Option(help: "sac, td3: share of goals relabeled with a future achieved goal of the same episode (default 0.8).")
    var relabelFraction: Float?
    @Option(help: "sac, td3: how far ahead relabeled goals lie: uniform (HER's future) or geometric (CRL's law, P(Δ) ∝ γ^Δ) (default uniform).")
    var futureGoals: String?
    @Option(help: "sac, td3: Polyak rate τ of the target critics per gradient step (default 0.005).")
    var targetUpdateRate: Float?
    @Option(help: "td3: standard deviation of the Gaussian exploration noise (default 0.1).")
    var explorationNoise: Float?
    @Option(help: "td3: weight of the mean squared action in the actor loss, as HER's deterministic actor (1 there; default 0, plain TD3).")
    var actionPenalty: Float?
    @Option(help: "td3: weight of the mean squared pre-tanh actor output in the actor loss, which keeps tanh from saturating and the actor from freezing (default 0, plain TD3).")
    var preactivationPenalty: Float?
    @Option(help: "sac: entropy temperature α before the first update (default 1).")
    var initialTemperature: Float?
    @Option(help: "crl: evaluate with a Polyak average of the actor's weights at this rate per gradient step, e.g. 0.001 (default: the current actor, as the paper).")
    var actorAveragingRate: Float?
    @Option(help: "Run directory for config, metrics and checkpoints (default: runs/<algorithm>-<env>-seed<seed>-<time>).")
    var output: String?
    @Option(help: "Continue the run in this directory from its last checkpoint, with the settings of its config.json; only --env-steps (a new budget, to extend a finished run) and --threads may be given with it.")
    var resume: String?

    func validate() throws {
        guard ["crl", "sac", "td3"].contains(algorithm) else {
            throw ValidationError("--algorithm must be crl, sac or td3, got '\(algorithm)'")
        }
        let onlyFor: [(option: String, given: Bool, algorithms: [String])] = [
            ("--relabel-fraction", relabelFraction != nil, ["sac", "td3"]),
            ("--future-goals", futureGoals != nil, ["sac", "td3"]),
            ("--target-update-rate", targetUpdateRate != nil, ["sac", "td3"]),
            ("--exploration-noise", explorationNoise != nil, ["td3"]),
            ("--action-penalty", actionPenalty != nil, ["td3"]),
            ("--preactivation-penalty", preactivationPenalty != nil, ["td3"]),
            ("--initial-temperature", initialTemperature != nil, ["sac"]),
            ("--actor-averaging-rate", actorAveragingRate != nil, ["crl"]),
            ("--window-length", windowLength != nil, ["crl"]),
        ]
        for (option, given, algorithms) in onlyFor where given && !algorithms.contains(algorithm) {
            throw ValidationError("\(option) applies to --algorithm \(algorithms.joined(separator: " and ")) only, not \(algorithm)"
                + (algorithm == "crl" && ["--relabel-fraction", "--future-goals"].contains(option)
                    ? " (CRL relabels every goal with a future state at a geometric offset, see --discount)" : ""))
        }
        if let futureGoals, HindsightRelabeling.FutureGoals(rawValue: futureGoals) == nil {
            throw ValidationError("--future-goals must be uniform or geometric, got '\(futureGoals)'")
        }
        if let prefillActions, PrefillActions(rawValue: prefillActions) == nil {
            throw ValidationError("--prefill-actions must be agent or uniform, got '\(prefillActions)'")
        }
        if resume != nil {
            let given = CommandLine.arguments.dropFirst().filter { $0.hasPrefix("--") }.map { String($0.split(separator: "=")[0]) }
            if let other = given.first(where: { !["--resume", "--env-steps", "--threads"].contains($0) }) {
                throw ValidationError(
                    "\(other) cannot be given with --resume: a resumed run keeps the settings of its config.json; "
                        + "only --env-steps (to extend the run) and --threads may be given")
            }
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard EnvironmentRegistry.shared.names.contains(env) else {
            throw ValidationError("unknown --env '\(env)'; known: \(EnvironmentRegistry.shared.names.joined(separator: ", "))")
        }
    }

    /// The agent's settings from the options.
    func agentConfiguration() -> AgentConfiguration {
        var relabeling = HindsightRelabeling()
        relabeling.relabelFraction = relabelFraction ?? relabeling.relabelFraction
        relabeling.futureGoals = futureGoals.flatMap(HindsightRelabeling.FutureGoals.init(rawValue:)) ?? relabeling.futureGoals
        relabeling.futureDiscount = discount ?? relabeling.futureDiscount
        switch algorithm {
        case "sac":
            var c = SACConfiguration()
            (c.criticDepth, c.actorDepth) = (criticDepth ?? depth ?? c.criticDepth, actorDepth ?? depth ?? c.actorDepth)
            (c.criticWidth, c.actorWidth) = (width, width)
            c.discount = discount ?? c.discount
            c.batchSize = batchSize
            c.initialTemperature = initialTemperature ?? c.initialTemperature
            c.targetUpdateRate = targetUpdateRate ?? c.targetUpdateRate
            c.relabeling = relabeling
            return .sac(c)
        case "td3":
            var c = TD3Configuration()
            (c.criticDepth, c.actorDepth) = (criticDepth ?? depth ?? c.criticDepth, actorDepth ?? depth ?? c.actorDepth)
            (c.criticWidth, c.actorWidth) = (width, width)
            c.discount = discount ?? c.discount
            c.batchSize = batchSize
            c.explorationNoise = explorationNoise ?? c.explorationNoise
            c.actionPenalty = actionPenalty ?? c.actionPenalty
            c.preactivationPenalty = preactivationPenalty ?? c.preactivationPenalty
            c.targetUpdateRate = targetUpdateRate ?? c.targetUpdateRate
            c.relabeling = relabeling
            return .td3(c)
        default:
            var c = CRLConfiguration()
            (c.criticDepth, c.actorDepth) = (criticDepth ?? depth ?? c.criticDepth, actorDepth ?? depth ?? c.actorDepth)
            (c.criticWidth, c.actorWidth) = (width, width)
            c.actorAveragingRate = actorAveragingRate
            c.batchSize = batchSize
            c.windowLength = windowLength ?? c.windowLength
            c.discount = discount ?? c.discount
            return .crl(c)
        }
    }

    func run() throws {
        var trainerConfiguration = TrainerConfiguration()
        trainerConfiguration.environmentSteps = envSteps
        trainerConfiguration.environmentCount = numEnvs
        trainerConfiguration.updatesPerRound = updatesPerRound
        trainerConfiguration.unrollLength = unrollLength
        trainerConfiguration.prefillSteps = prefillSteps
        if let choice = prefillActions.flatMap(PrefillActions.init(rawValue:)) { trainerConfiguration.prefillActions = choice }
        trainerConfiguration.replayCapacity = replayCapacity
        trainerConfiguration.evaluationCount = evaluations
        trainerConfiguration.evaluationEpisodes = evaluationEpisodes
        trainerConfiguration.episodeLength = episodeLength
        trainerConfiguration.seed = seed
        trainerConfiguration.threads = threads
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withYear, .withMonth, .withDay, .withTime])
        let directory = URL(fileURLWithPath: resume ?? output ?? "runs/\(algorithm)-\(env)-seed\(seed)-\(stamp)")
        BLAS.threadCount = threads
        try sortingUsageErrors {
            let trainer: Trainer
            if resume != nil {
                let givesBudget = CommandLine.arguments.contains { $0 == "--env-steps" || $0.hasPrefix("--env-steps=") }
                trainer = try Trainer.resume(from: directory, environmentSteps: givesBudget ? envSteps : nil)
                print("Resuming \(directory.path) at \(trainer.environmentSteps) environment steps")
            } else {
                let probe = try VectorEnvironment(named: env, count: 1)
                let agent = try agentConfiguration().makeAgent(for: probe, seed: seed)
                trainer = try Trainer(agent: agent, environmentName: env, configuration: trainerConfiguration, output: directory)
            }
            let t = trainer.configuration
            print("Training \(trainer.agent.name) on \(trainer.environmentName) (\(trainer.agent.agentConfiguration.summary)): \(t.environmentCount) environments, \(t.environmentSteps) environment steps, prefill \(t.effectivePrefillSteps) steps per environment\(resume == nil && prefillSteps == nil ? " (from the budget)" : ""), \(trainer.updatesPerRound) updates per round of \(t.environmentCount * t.unrollLength) steps; \(t.threads) threads, matrix products on \(BLAS.backend)")
            let display = ProgressDisplay(interactive: isatty(STDOUT_FILENO) != 0)
            let records = try trainer.train { display.show($0) }
            display.finish()
            guard let last = records.last else { return }
            print("Metrics: \(directory.appendingPathComponent("metrics.jsonl").path)")
            print("Checkpoint: \(directory.appendingPathComponent("checkpoint.safetensors").path)")
            print(String(format: "Final evaluation: success_any %.2f, time_at_goal %.1f, success_final %.2f after %d environment steps, %d gradient steps, %.0f s",
                         last.evaluation.successAny, last.evaluation.timeAtGoal, last.evaluation.successFinal,
                         last.environmentSteps, last.gradientSteps, last.wallSeconds))
        }
    }
}

/// A one-line progress bar with ETA on a terminal; a log line per evaluation otherwise.
final class ProgressDisplay {
    let interactive: Bool
    private var lastEvaluationSteps = -1

    init(interactive: Bool) { self.interactive = interactive }

    func show(_ p: Trainer.Progress) {
        let fraction = Double(p.environmentSteps) / Double(max(p.totalEnvironmentSteps, 1))
        let eta = fraction > 0 ? p.wallSeconds * (1 - fraction) / fraction : 0
        let success = p.lastEvaluation.map { String(format: "success %.2f  time at goal %.0f", $0.evaluation.successAny, $0.evaluation.timeAtGoal) } ?? "no evaluation yet"
        if interactive {
            let width = 30, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            print(String(format: "\r%@ %3.0f%%  %d steps  %d updates  ETA %4.0f s  %@   ", bar, fraction * 100, p.environmentSteps, p.gradientSteps, eta, success), terminator: "")
            fflush(nil)
        } else if let record = p.lastEvaluation, record.environmentSteps != lastEvaluationSteps {
            lastEvaluationSteps = record.environmentSteps
            // CRL reports its contrastive accuracy, SAC and TD3 their mean Q value.
            let (label, value) = record.training["categorical_accuracy"].map { ("accuracy", $0) } ?? ("q_mean", record.training["q_mean"] ?? .nan)
            print(String(format: "env_steps %d  gradient_steps %d  %.0f s  success_any %.2f  time_at_goal %.1f  critic_loss %.3f  %@ %.2f  %.1f updates/s",
                         record.environmentSteps, record.gradientSteps, record.wallSeconds, record.evaluation.successAny,
                         record.evaluation.timeAtGoal, record.training["critic_loss"] ?? .nan, label, value, record.updatesPerSecond))
            fflush(nil)
        }
    }

    func finish() { if interactive { print("") } }
}
