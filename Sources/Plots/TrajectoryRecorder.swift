import Algorithms
import Foundation

/// Runs one episode in every copy of an environment with an agent's deterministic actor, scoring
/// them and keeping the path of the achieved goal, for pictures.
public enum TrajectoryRecorder {
    /// One episode per copy of `environment`, scored as Algorithms' `evaluate(_:in:seed:observing:)`
    /// scores them (it runs them), with their paths. Positions are the first two elements of the
    /// achieved goal; each path starts at the reset and has one point per step, and says why it
    /// terminated when its task can tell (`TerminationExplaining`).
    public static func record(
        _ agent: any Agent, in environment: VectorEnvironment, seed: UInt64
    ) throws -> (result: EvaluationResult, paths: [MazePicture.Path]) {
        let count = environment.count, goalSize = environment.goalSize, stateSize = environment.stateSize
        precondition(goalSize >= 2, "trajectories need goals of at least two elements (x, y), got \(goalSize)")
        let start = environment.reset(seed: seed)  // the very reset `evaluate` makes with this seed
        var points: [[(x: Double, y: Double)]] = (0..<count).map { k in
            let goal = start.achievedGoal(k)
            return [(Double(goal[0]), Double(goal[1]))]
        }
        let goals: [(x: Double, y: Double)] = (0..<count).map { k in
            let observation = start.observation(k)
            return (Double(observation[stateSize]), Double(observation[stateSize + 1]))
        }
        var reached = [Bool](repeating: false, count: count), causes = [String?](repeating: nil, count: count)
        let observationSize = environment.observationSize
        let result = try evaluate(agent, in: environment, seed: seed) { batch, k in
            let goal = batch.isDone(k) ? Array(batch.finalAchievedGoals[k * goalSize..<(k + 1) * goalSize]) : batch.achievedGoal(k)
            points[k].append((Double(goal[0]), Double(goal[1])))
            if batch.successes[k] { reached[k] = true }
            if batch.terminated[k], let task = environment.environments[k] as? any TerminationExplaining {
                causes[k] = task.terminationCause(lastObservation: batch.finalObservations[k * observationSize..<(k + 1) * observationSize])
            }
        }
        return (result, (0..<count).map {
            MazePicture.Path(points: points[$0], goal: goals[$0], reachedGoal: reached[$0], terminationCause: causes[$0])
        })
    }
}
