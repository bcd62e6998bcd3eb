import Distributed
import Foundation

// Checks the communicator's collective operations on every rank of an `mpirun` job and prints
// one line per rank; exits 1 (ending the job) at the first wrong answer. With
// `--fail-on-rank R`, rank R throws instead, as a failing training step would.

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
    var empty: [Float] = []
    try world.allreduceSum(&empty)

    do {
        var buffer: [Float] = [1]
        try world.broadcast(&buffer, from: world.size)
        require(false, "a broadcast from rank \(world.size) was accepted", on: world)
    } catch let error as DistributedError {
        require("\(error)".contains("root is \(world.size)"), "error \(error)", on: world)
    }
    try world.barrier()
    print("rank \(world.rank) of \(world.size): ok")
} catch {
    FileHandle.standardError.write(Data("distributed-check: \(error)\n".utf8))
    exit(1)
}
