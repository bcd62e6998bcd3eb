import Algorithms
import ArgumentParser
import ExampleSupport
import Foundation
import MuJoCoEnvironments

/// Evaluates a run's checkpoint and draws what the agent does.
@main
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a run directory's checkpoint, run episodes with the deterministic actor, print success (per goal cell for point mazes) and draw the agent's trajectories.",
        discussion: """
            Writes trajectories.svg (point mazes) and, for CRL, critic.svg: the learned critic's score of every free cell for one goal.

            Runs of the built-in environments only: a run of an environment defined in a program of its own is evaluated by that program (`custom-environment evaluate DIR`) or from code with TrainingRun(opening:registry:).

            \(exitStatusHelp)
            """)

    @OptionGroup(title: "Evaluation")
    var evaluation: EvaluationOptions

    func run() throws {
        MuJoCoEnvironments.register()
        try sortingUsageErrors {
            do {
                try evaluation.evaluate()
            } catch let EnvironmentError.unknownEnvironment(name, known) {
                throw ValidationError("""
                    \(evaluation.runDirectory) is a run of "\(name)", which is not a built-in environment (those are \(known.joined(separator: ", "))). \
                    Evaluate it with the program that defines it (for the examples' own tasks: custom-environment evaluate \(evaluation.runDirectory)) \
                    or from code: TrainingRun(opening:registry:) with a registry that builds "\(name)".
                    """)
            }
        }
    }
}
