// Ant step rate of DeepCRL's MuJoCoEnvironments, to set beside Benchmarks/mujoco/ant_steps.c (plain
// C on the same Debian MuJoCo) and Benchmarks/mujoco/ant_steps.py (Python's official bindings).
// Same MJCF (Sources/MuJoCoEnvironments/Models/ant.xml), frame skip 5, uniform random actions,
// resets when the torso leaves 0.2…1.0 or after 1000 steps.
//
//   swift run -c release --package-path Benchmarks mujoco-steps [steps] [copies]
//
// Prints: one copy on one thread (VectorEnvironment's fast path, count 1), then `copies` copies
// stepped by VectorEnvironment with 1 and with 2 threads.
import Dispatch
import Foundation
import Environments
import MuJoCoEnvironments

let arguments = CommandLine.arguments
let steps = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
let copies = arguments.count > 2 ? Int(arguments[2]) ?? 64 : 64

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Steps/s of `count` ant copies for `total` environment steps in all, on `threads` threads.
func rate(count: Int, threads: Int, total: Int) throws -> Double {
    let vector = try VectorEnvironment(count: count, seed: 1, threads: threads) { try Ant() }
    // MuJoCo copies cost ~50 µs a step: two threads pay off from 2 copies, unlike point mazes.
    vector.minimumCopiesPerThread = 1
    var batch = vector.reset()
    var generator = RandomGenerator(seed: 2)
    let block = 1_000
    let actions = (0..<block * count * vector.actionSize).map { _ in Float(2 * generator.nextUniform() - 1) }
    let rounds = max(1, total / count)
    let elapsed = try actions.withUnsafeBufferPointer { actions in
        try seconds {
            for round in 0..<rounds {
                let offset = (round % block) * count * vector.actionSize
                try vector.step(
                    actions: UnsafeBufferPointer(rebasing: actions[offset..<offset + count * vector.actionSize]), into: &batch)
            }
        }
    }
    return Double(rounds * count) / elapsed
}

print("MuJoCo \(MuJoCoModel.engineVersion), ant, frame skip 5, \(steps) steps per measurement")
let single = try rate(count: 1, threads: 1, total: steps)
print("swift single copy, 1 thread: \(Int(single)) steps/s")
let one = try rate(count: copies, threads: 1, total: steps)
let two = try rate(count: copies, threads: 2, total: steps)
print("swift \(copies) copies, 1 thread: \(Int(one)) steps/s")
print("swift \(copies) copies, 2 threads: \(Int(two)) steps/s  (speed-up \(String(format: "%.2f", two / one))×)")
