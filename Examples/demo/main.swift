// Trains a small residual MLP with Adam on a synthetic regression task and prints the loss falling.
//
//     swift run -c release demo --steps 1000 --seed 0

import ArgumentParser
import Foundation
import Layers

@main
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit y = sin(x0) + x1·x2 + 0.5·x3² with a residual MLP (width 64, depth 4) and Adam.")

    @Option(help: "Number of training steps.")
    var steps = 1000

    @Option(help: "Examples per training step.")
    var batchSize = 128

    @Option(help: "Seed for the data and the initial weights.")
    var seed: UInt64 = 0

    @Option(help: "Print the training loss every this many steps.")
    var logEvery = 100

    func validate() throws {
        guard steps >= 1, batchSize >= 1, logEvery >= 1 else {
            throw ValidationError("--steps, --batch-size and --log-every must be at least 1")
        }
    }

    func run() throws {
        var generator = RandomGenerator(seed: seed)
        let model = try ResidualMLP(inputSize: 4, width: 64, depth: 4, outputSize: 1, generator: &generator)
        let adam = try Adam(for: model, configuration: .init(learningRate: 1e-3))
        let (testInputs, testTargets) = Self.sample(count: 1024, using: &generator)
        print("ResidualMLP: \(model.parameterCount) parameters; test loss before training \(Self.loss(model, testInputs, testTargets))")

        let start = Date()
        for step in 1...steps {
            let (inputs, targets) = Self.sample(count: batchSize, using: &generator)
            let tape = Tape()
            let predictions = model(tape.variable(inputs))
            let loss = (predictions - tape.constant(targets)).squared().mean()
            adam.update(tape.gradients(of: loss))
            if step % logEvery == 0 || step == steps {
                print("step \(step): train loss \(loss.value.scalar)")
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print("test loss after \(steps) steps: \(Self.loss(model, testInputs, testTargets)) (\(String(format: "%.2f", seconds)) s)")
    }

    /// `count` inputs uniform in [-2, 2]⁴ and their targets y = sin(x0) + x1·x2 + 0.5·x3².
    static func sample(count: Int, using generator: inout RandomGenerator) -> (inputs: Tensor, targets: Tensor) {
        let x = Tensor.randomUniform([count, 4], in: -2...2, using: &generator)
        let y = (0..<count).map { row in
            Foundation.sin(x[row, 0]) + x[row, 1] * x[row, 2] + 0.5 * x[row, 3] * x[row, 3]
        }
        return (x, Tensor(shape: [count, 1], scalars: y))
    }

    /// The mean squared error of `model` on a data set (inference: nothing is recorded).
    static func loss(_ model: ResidualMLP, _ inputs: Tensor, _ targets: Tensor) -> Float {
        (model(inputs) - targets).squared().mean().scalar
    }
}
