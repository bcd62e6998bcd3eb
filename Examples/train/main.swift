import Algorithms
import ArgumentParser
import Distributed
import ExampleSupport
import Foundation
import MuJoCoEnvironments

/// Trains a goal-conditioned agent and writes metrics and checkpoints.
@main
struct Train: ParsableCommand {
    static func main() {
        _ = StopRequest.shared  // before any thread starts
        MuJoCoEnvironments.register()
        main(nil)
    }

    static let configuration = CommandConfiguration(
        abstract: "Train Contrastive RL (or the SAC and TD3 baselines) on a goal-reaching environment.",
        discussion: "Writes config.json, metrics.jsonl (one line per evaluation) and checkpoint.safetensors to --output.\n\n\(stoppingHelp) Continue it with --resume.\n\n\(exitStatusHelp)")

    @Option(help: "Environment name (\(EnvironmentRegistry.shared.names.joined(separator: ", "))).")
    var env = "point-maze-u"
    @Option(help: "Algorithm: crl, or the temporal-difference baselines sac and td3 (hindsight relabeling, same networks).")
    var algorithm = "crl"
    @OptionGroup(title: "Run and agent settings")
    var training: TrainingOptions
    @Option(help: "Run directory for config, metrics and checkpoints (default: runs/<algorithm>-<env>-seed<seed>-<time>).")
    var output: String?
    @Option(help: "Continue the run in this directory from its last checkpoint, with the settings of its config.json (threads included); only --env-steps (a new budget, to extend a finished run) and --distributed may be given with it.")
    var resume: String?
    @Flag(help: "Train data-parallel across the processes of an mpirun job (mpirun -np N train --distributed --output DIR …): each steps its own environments, gradients are averaged before every step, rank 0 writes the records. --env-steps counts the steps of all processes.")
    var distributed = false
    @Flag(help: "With --distributed: average each gradient on a thread of its own while the backward pass goes on. It pays between machines on a network; on one machine whose cores all compute it costs (measured 30–45 % slower on 2 cores). Results are the same either way.")
    var overlapCommunication = false

    func validate() throws {
        guard ["crl", "sac", "td3"].contains(algorithm) else {
            throw ValidationError("--algorithm must be crl, sac or td3, got '\(algorithm)'")
        }
        try training.validate(for: algorithm)
        if let threads = training.threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if resume != nil {
            let given = CommandLine.arguments.dropFirst().filter { $0.hasPrefix("--") }.map { String($0.split(separator: "=")[0]) }
            if let other = given.first(where: { !["--resume", "--env-steps", "--distributed", "--overlap-communication"].contains($0) }) {
                throw ValidationError(
                    "\(other) cannot be given with --resume: a resumed run keeps the settings of its config.json; "
                        + "only --env-steps (to extend the run) may be given")
            }
        }
        if overlapCommunication, !distributed {
            throw ValidationError("--overlap-communication needs --distributed")
        }
        if distributed {
            guard Communicator.isLaunchedByMPI else { throw ValidationError("--distributed: \(DistributedError.notLaunched)") }
            guard output != nil || resume != nil else {
                throw ValidationError("--distributed needs --output (or --resume): every process must write into the same run directory")
            }
        }
        guard EnvironmentRegistry.shared.names.contains(env) else {
            throw ValidationError("unknown --env '\(env)'; known: \(EnvironmentRegistry.shared.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let world = distributed ? try Communicator.world() : nil
        do {
            try train(in: world)
        } catch let error where world != nil && !(error is ExitCode) {
            world?.abort("\(error)")  // the other processes would wait for this one forever
        }
    }

    /// Whether SIGINT or SIGTERM asked the run to stop (at the end of its round).
    private func stopRequested(_: Trainer.Progress) -> Bool { StopRequest.shared.isRequested }

    func train(in world: Communicator?) throws {
        let trainerConfiguration = training.trainerConfiguration(defaultThreads: ProcessInfo.processInfo.activeProcessorCount, algorithm: algorithm)
        let seed = trainerConfiguration.seed
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withYear, .withMonth, .withDay, .withTime])
        let directory = URL(fileURLWithPath: resume ?? output ?? "runs/\(algorithm)-\(env)-seed\(seed)-\(stamp)")
        try sortingUsageErrors {
            let trainer: Trainer
            if resume != nil {
                trainer = try Trainer.resume(from: directory, environmentSteps: training.envSteps, group: world)
                if world?.rank ?? 0 == 0 { print("Resuming \(directory.path) at \(trainer.environmentSteps) environment steps") }
            } else {
                let probe = try VectorEnvironment(named: env, count: 1)
                let agent = try training.agentConfiguration(algorithm: algorithm)!.makeAgent(for: probe, seed: seed)
                trainer = try Trainer(agent: agent, environmentName: env, configuration: trainerConfiguration, output: directory, group: world)
            }
            if let world, overlapCommunication {
                for optimizer in trainer.agent.optimizers { optimizer.gradientReducer = try GradientAverager(world, overlapping: true) }
            }
            guard world?.rank ?? 0 == 0 else {  // rank 0 reports for all
                _ = try trainer.train(stopWhen: stopRequested)
                return
            }
            let t = trainer.configuration
            BLAS.threadCount = t.threads
            print("Training \(trainer.agent.name) on \(trainer.environmentName) (\(trainer.agent.agentConfiguration.summary)): \(t.environmentCount) environments\(world.map { " in each of \($0.size) processes" } ?? ""), \(t.environmentSteps) environment steps, prefill \(t.effectivePrefillSteps) steps per environment\(resume == nil && training.prefillSteps == nil ? " (from the budget)" : ""), \(trainer.updatesPerRound) updates per round of \(t.environmentCount * t.unrollLength) steps; \(t.threads) threads, matrix products on \(BLAS.backend)\(t.matrixPrecision == .bfloat16 ? " with bfloat16 operands" : "")")
            fflush(nil)  // the header at once, also into a log file, before the prefill's minutes
            let display = ProgressDisplay()
            defer { display.finish() }
            let records = try trainer.train(progress: display.show, stopWhen: stopRequested)
            display.finish()
            if trainer.completedRounds < trainer.totalRounds {
                print("Stopped at \(trainer.environmentSteps) environment steps with a checkpoint; continue with: train --resume \(directory.path)")
                throw ExitCode(StopRequest.shared.exitStatus)
            }
            guard let last = records.last else { return }
            print("Metrics: \(directory.appendingPathComponent("metrics.jsonl").path)")
            print("Checkpoint: \(directory.appendingPathComponent("checkpoint.safetensors").path)")
            print(String(format: "Final evaluation: success_any %.2f, time_at_goal %.1f, success_final %.2f after %d environment steps, %d gradient steps, %.0f s",
                         last.evaluation.successAny, last.evaluation.timeAtGoal, last.evaluation.successFinal,
                         last.environmentSteps, last.gradientSteps, last.wallSeconds))
            if let world {
                print(String(format: "Communication: %.1f s of rank 0's %.0f s in collective operations (%d processes)",
                             world.communicationSeconds, last.wallSeconds, world.size))
            }
        }
    }
}
