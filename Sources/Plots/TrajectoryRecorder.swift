import Algorithms
import Foundation

/// Runs one episode in every copy of an environment with an agent's deterministic actor and
/// keeps the path of the achieved goal, for pictures.
public enum TrajectoryRecorder {
    /// One episode per copy of `environment` (reset with `seed`, as Algorithms' `evaluate(_:in:seed:)`
    /// does, so the same seed gives the episodes it scored). Positions are the first two elements
    /// of the achieved goal; each path starts at the reset and has one point per step.
    public static func record(_ agent: any Agent, in environment: VectorEnvironment, seed: UInt64) throws -> [MazePicture.Path] {
        var batch = environment.reset(seed: seed)
        var generator = RandomGenerator(seed: seed)
        let count = environment.count, goalSize = environment.goalSize, stateSize = environment.stateSize
        precondition(goalSize >= 2, "trajectories need goals of at least two elements (x, y), got \(goalSize)")
        var points: [[(x: Double, y: Double)]] = (0..<count).map { k in
            let goal = batch.achievedGoal(k)
            return [(Double(goal[0]), Double(goal[1]))]
        }
        let goals: [(x: Double, y: Double)] = (0..<count).map { k in
            let observation = batch.observation(k)
            return (Double(observation[stateSize]), Double(observation[stateSize + 1]))
        }
        var reached = [Bool](repeating: false, count: count)
        var finished = [Bool](repeating: false, count: count)
        for _ in 0..<environment.episodeLength {
            let actions = agent.act(observations: batch.observations, rows: count, deterministic: true, generator: &generator)
            try environment.step(actions: actions, into: &batch)
            for k in 0..<count where !finished[k] {
                let goal = batch.isDone(k) ? Array(batch.finalAchievedGoals[k * goalSize..<(k + 1) * goalSize]) : batch.achievedGoal(k)
                points[k].append((Double(goal[0]), Double(goal[1])))
                if batch.successes[k] { reached[k] = true }
                if batch.isDone(k) { finished[k] = true }
            }
        }
        return (0..<count).map { MazePicture.Path(points: points[$0], goal: goals[$0], reachedGoal: reached[$0]) }
    }
}
