import Algorithms

/// How well a CRL critic orders the states of the agent's own successful episodes by the steps
/// they are from the goal: a representation score that sees real velocities and the states the
/// agent visits (a map of zero-velocity positions was seen not to predict success).
///
/// Every copy of the environment runs one episode with the deterministic actor. For each episode
/// that reaches its goal, first at step T, every step t < T pairs the critic's score of (state,
/// deterministic action, the episode's goal) with −(T − t), the steps left. The score is Spearman's
/// rank correlation over all such pairs: 1 when the critic ranks states exactly by time to goal.
/// The same correlation of −‖position − goal‖ (the straight-line distance a topology-blind critic
/// would learn) is the baseline.
public struct PathScore: Sendable, Equatable {
    /// Spearman's correlation of the critic's score with −(steps left); NaN without two steps.
    public var critic: Double
    /// Spearman's correlation of −(straight-line distance) with −(steps left); NaN likewise.
    public var straightLine: Double
    /// Successful episodes scored.
    public var episodes: Int
    /// Steps scored.
    public var steps: Int

    /// Scores `agent` on one episode per copy of `environment`, reset with `seed`.
    public init(agent: CRL, environment: VectorEnvironment, seed: UInt64) throws {
        let count = environment.count, stateSize = environment.stateSize, goalSize = environment.goalSize
        let observationSize = environment.observationSize, actionSize = environment.actionSize
        var batch = environment.reset(seed: seed)
        var generator = RandomGenerator(seed: seed)
        // Per copy, the steps of its first episode until it first succeeds.
        var visited: [[(state: [Float], action: [Float], goal: [Float])]] = Array(repeating: [], count: count)
        var reachedAt = [Int?](repeating: nil, count: count)
        var finished = [Bool](repeating: false, count: count)
        for step in 0..<environment.episodeLength where finished.contains(false) {
            let actions = agent.act(observations: batch.observations, rows: count, deterministic: true, generator: &generator)
            for k in 0..<count where !finished[k] {
                let observation = batch.observations[k * observationSize..<(k + 1) * observationSize]
                visited[k].append((Array(observation.prefix(stateSize)), Array(actions[k * actionSize..<(k + 1) * actionSize]),
                                   Array(observation.suffix(goalSize))))
            }
            try environment.step(actions: actions, into: &batch)
            for k in 0..<count where !finished[k] {
                if batch.successes[k] { reachedAt[k] = step + 1 }
                if batch.successes[k] || batch.isDone(k) { finished[k] = true }
            }
        }
        var states: [Float] = [], actions: [Float] = [], goals: [Float] = []
        var stepsLeft: [Double] = [], straightLine: [Double] = []
        for k in 0..<count {
            guard let end = reachedAt[k] else { continue }
            for (t, visit) in visited[k].prefix(end).enumerated() {
                states += visit.state
                actions += visit.action
                goals += visit.goal
                stepsLeft.append(-Double(end - t))
                let achieved = visit.state[environment.goalRange]
                straightLine.append(-zip(achieved, visit.goal).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot())
            }
        }
        let scores = agent.criticScores(states: states, actions: actions, goals: goals, rows: stepsLeft.count)
        critic = Self.spearman(scores, stepsLeft)
        self.straightLine = Self.spearman(straightLine, stepsLeft)
        episodes = reachedAt.compactMap { $0 }.count
        steps = stepsLeft.count
    }

    /// Spearman's rank correlation (average ranks for ties); NaN for fewer than two pairs or a
    /// constant side.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "spearman needs equally long lists, got \(a.count) and \(b.count)")
        guard a.count >= 2 else { return .nan }
        let (ra, rb) = (ranks(a), ranks(b))
        let (ma, mb) = (ra.reduce(0, +) / Double(ra.count), rb.reduce(0, +) / Double(rb.count))
        var covariance = 0.0, va = 0.0, vb = 0.0
        for (x, y) in zip(ra, rb) {
            covariance += (x - ma) * (y - mb)
            va += (x - ma) * (x - ma)
            vb += (y - mb) * (y - mb)
        }
        return va > 0 && vb > 0 ? covariance / (va * vb).squareRoot() : .nan
    }

    /// The 1-based ranks of `values`, tied values sharing their average rank.
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            let average = Double(start + end) / 2 + 1
            for i in start...end { ranks[order[i]] = average }
            start = end + 1
        }
        return ranks
    }
}
