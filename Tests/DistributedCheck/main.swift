import Distributed
import Foundation
import Layers
import Tensor

// Checks the communicator's collective operations on every rank of an `mpirun` job and prints
// one line per rank; exits 1 (ending the job) at the first wrong answer. With
// `--fail-on-rank R`, rank R throws instead, as a failing training step would.

/// The largest difference between two networks trained by every rank on its share of a batch
/// with averaged gradients and the same networks trained on the whole batch in one process,
/// after three Adam steps (through `update`, `minimize`, and `gradients(of:)` with `update`), and
/// the largest change the steps made. With `overlapping` averagers, in the last step even ranks
/// start the first network's reductions first and odd ranks the second's: each averager's own
/// channel keeps them apart.
func dataParallelDifference(_ world: Communicator, rowsPerRank: Int, overlapping: Bool) throws -> (difference: Float, change: Float) {
    let rows = rowsPerRank * world.size
    var data = RandomGenerator(seed: 11)
    let inputs = Tensor.randomNormal([rows, 6], using: &data)
    let targets = [Tensor.randomNormal([rows, 2], using: &data), Tensor.randomNormal([rows, 2], using: &data)]
    func networks() throws -> [ResidualMLP] {
        var generator = RandomGenerator(seed: 7)
        return try (0..<2).map { _ in try ResidualMLP(inputSize: 6, width: 16, depth: 8, outputSize: 2, generator: &generator) }
    }
    func slice(_ tensor: Tensor, _ range: Range<Int>) -> Tensor {
        let width = tensor.shape[1]
        return Tensor(shape: [range.count, width], scalars: Array(tensor.scalars[range.lowerBound * width..<range.upperBound * width]))
    }
    func train(_ models: [ResidualMLP], _ optimizers: [Adam], on range: Range<Int>, firstStarting: Int) {
        func loss(_ index: Int, _ tape: Tape) -> Variable {
            (models[index](tape.constant(slice(inputs, range))) - tape.constant(slice(targets[index], range))).squared().mean()
        }
        for index in 0..<2 {
            let first = Tape()
            optimizers[index].update(first.gradients(of: loss(index, first)))
            Adam.minimize(loss(index, Tape()), with: [optimizers[index]])
        }
        let order = firstStarting == 0 ? [0, 1] : [1, 0]
        let incoming = order.map { optimizers[$0].gradients(of: loss($0, Tape())) }
        for (index, gradients) in zip(order, incoming) { optimizers[index].update(gradients) }
    }
    let configuration = Adam.Configuration(learningRate: 1e-2)
    let whole = try networks(), initial = whole.map { $0.parameters.map(\.value.scalars) }
    train(whole, try whole.map { try Adam(for: $0, configuration: configuration) }, on: 0..<rows, firstStarting: 0)
    let shared = try networks(), averaging = try shared.map { try Adam(for: $0, configuration: configuration) }
    for optimizer in averaging { optimizer.gradientReducer = try GradientAverager(world, overlapping: overlapping) }
    train(shared, averaging, on: world.rank * rowsPerRank..<(world.rank + 1) * rowsPerRank, firstStarting: overlapping ? world.rank % 2 : 0)
    var difference: Float = 0, change: Float = 0
    for network in 0..<2 {
        for (index, (a, b)) in zip(whole[network].parameters, shared[network].parameters).enumerated() {
            for (x, (y, x0)) in zip(a.value.scalars, zip(b.value.scalars, initial[network][index])) {
                difference = max(difference, abs(x - y))
                change = max(change, abs(x - x0))
            }
        }
    }
    return (difference, change)
}

func require(_ condition: Bool, _ what: String, on world: Communicator) {
    if !condition { world.abort("wrong answer: \(what)") }
}

do {
    let world = try Communicator.world()
    let arguments = CommandLine.arguments
    if let index = arguments.firstIndex(of: "--fail-on-rank"), index + 1 < arguments.count,
       let failing = Int(arguments[index + 1]), failing == world.rank {
        world.abort("\(DistributedError.invalidSetting(name: "step", value: "NaN", expected: "a finite loss"))")
    }
    let r = Float(world.rank)
    var broadcast: [Float] = world.rank == 0 ? [1, 2, 3] : [0, 0, 0]
    try world.broadcast(&broadcast)
    require(broadcast == [1, 2, 3], "broadcast from rank 0 gave \(broadcast)", on: world)
    var last: [Float] = [r]
    try world.broadcast(&last, from: world.size - 1)
    require(last == [Float(world.size - 1)], "broadcast from the last rank gave \(last)", on: world)

    let n = Float(world.size)
    var sum: [Float] = [r + 1, 10 * (r + 1), -r]
    try world.allreduceSum(&sum)
    let expectedSum: [Float] = [n * (n + 1) / 2, 10 * n * (n + 1) / 2, -n * (n - 1) / 2]
    require(sum == expectedSum, "sum \(sum), expected \(expectedSum)", on: world)
    var mean: [Float] = [r + 1, 2 * r]
    try world.allreduceAverage(&mean)
    require(mean == [(n + 1) / 2, n - 1], "average \(mean)", on: world)
    var large = [Float](repeating: r, count: 1_000_003)  // more than one message's worth
    try world.allreduceSum(&large)
    require(large.allSatisfy { $0 == n * (n - 1) / 2 }, "sum of a large buffer", on: world)
    let duplicate = try world.duplicate()
    var viaDuplicate: [Float] = [r]
    try duplicate.allreduceSum(&viaDuplicate)
    require(viaDuplicate == [n * (n - 1) / 2] && duplicate.rank == world.rank, "sum over a duplicate \(viaDuplicate)", on: world)
    var empty: [Float] = []
    try world.allreduceSum(&empty)

    do {
        var buffer: [Float] = [1]
        try world.broadcast(&buffer, from: world.size)
        require(false, "a broadcast from rank \(world.size) was accepted", on: world)
    } catch let error as DistributedError {
        require("\(error)".contains("root is \(world.size)"), "error \(error)", on: world)
    }
    var difference: Float = 0
    for overlapping in [false, true] {
        let (worst, change) = try dataParallelDifference(world, rowsPerRank: 8, overlapping: overlapping)
        require(change > 1e-3 && worst <= 1e-4 * change,
                "data-parallel steps (overlapping: \(overlapping)) differ from the whole batch's by \(worst) (steps moved weights by up to \(change))", on: world)
        difference = max(difference, worst)
    }
    require(world.communicationSeconds > 0, "no time counted in collectives", on: world)
    try world.barrier()
    print("rank \(world.rank) of \(world.size): ok (data-parallel steps within \(difference) of the whole batch's)")
} catch {
    FileHandle.standardError.write(Data("distributed-check: \(error)\n".utf8))
    exit(1)
}
