/// The outcome of running the deterministic actor on fresh episodes.
public struct EvaluationResult: Sendable, Equatable, Codable {
    /// Share of episodes within the success threshold at some step (JaxGCRL's `episode_success_any`).
    public var successAny: Float
    /// Mean number of steps per episode within the threshold (the paper's headline "time at goal").
    public var timeAtGoal: Float
    /// Share of episodes within the threshold at their last step.
    public var successFinal: Float
}

/// Runs one episode in every copy of `environment` with the deterministic actor of `agent`; a copy
/// whose episode ends early (terminates) counts nothing of the episode that follows its reset, as
/// JaxGCRL's evaluator counts only each copy's first episode.
///
/// `observe` sees every step of those episodes: after each step, the step's batch and the index
/// of each copy whose episode was still running before it (a recorder of paths, for example).
public func evaluate(
    _ agent: Agent, in environment: VectorEnvironment, seed: UInt64, observing observe: (StepBatch, Int) -> Void = { _, _ in }
) throws -> EvaluationResult {
    var batch = environment.reset(seed: seed)
    var generator = RandomGenerator(seed: seed)
    let count = environment.count
    var reached = [Bool](repeating: false, count: count), stepsAtGoal = [Int](repeating: 0, count: count)
    var finalSuccess = [Bool](repeating: false, count: count), running = [Bool](repeating: true, count: count)
    for _ in 0..<environment.episodeLength where running.contains(true) {
        let actions = agent.act(observations: batch.observations, rows: count, deterministic: true, generator: &generator)
        try environment.step(actions: actions, into: &batch)
        for k in 0..<count where running[k] {
            observe(batch, k)
            if batch.successes[k] {
                reached[k] = true
                stepsAtGoal[k] += 1
            }
            finalSuccess[k] = batch.successes[k]
            running[k] = !batch.isDone(k)
        }
    }
    let n = Float(count)
    return EvaluationResult(
        successAny: Float(reached.filter { $0 }.count) / n,
        timeAtGoal: Float(stepsAtGoal.reduce(0, +)) / n,
        successFinal: Float(finalSuccess.filter { $0 }.count) / n)
}
