/// Two independent Q networks over `concat(state, action, goal)` (clipped double Q-learning,
/// Fujimoto et al. 2018): SAC and TD3 regress both on one target built from the smaller of their
/// target copies, which counters the overestimation of a single critic.
public final class TwinCritic: Module {
    public let first: ResidualMLP
    public let second: ResidualMLP

    /// Two `ResidualMLP`s with one output each, initialized one after the other from `generator`.
    public init(
        inputSize: Int, width: Int, depth: Int, options: ResidualMLP.Options, generator: inout RandomGenerator
    ) throws {
        first = try ResidualMLP(inputSize: inputSize, width: width, depth: depth, outputSize: 1, options: options, generator: &generator)
        second = try ResidualMLP(inputSize: inputSize, width: width, depth: depth, outputSize: 1, options: options, generator: &generator)
        super.init()
    }

    /// Both Q values for rows of `concat(state, action, goal)`, each of shape `[rows]`.
    public func callAsFunction(_ input: Tensor) -> (Tensor, Tensor) {
        let rows = input.shape[0]
        return (first(input).reshaped(to: [rows]), second(input).reshaped(to: [rows]))
    }

    /// Both Q values on `input`'s tape, each of shape `[rows]`.
    public func callAsFunction(_ input: Variable) -> (Variable, Variable) {
        let rows = input.shape[0]
        return (first(input).reshaped(to: [rows]), second(input).reshaped(to: [rows]))
    }

    /// One Adam step of both critics toward fixed `targets` on rows of `concat(state, action, goal)`;
    /// returns the loss and the first critic's mean Q, both from before the step.
    func step(on input: Tensor, toward targets: Tensor, optimizer: Adam) -> (loss: Float, qMean: Float) {
        let tape = Tape()
        let q = self(tape.constant(input))
        let loss = Self.loss(q, targets: targets)
        Adam.minimize(loss, with: [optimizer])
        return (loss.value.scalar, q.0.value.mean().scalar)
    }

    /// The twin regression loss ½ · (mean((Q₁ − y)²) + mean((Q₂ − y)²)) toward fixed `targets` y.
    static func loss(_ q: (Variable, Variable), targets: Tensor) -> Variable {
        let y = q.0.constant(targets)
        return ((q.0 - y).squared().mean() + (q.1 - y).squared().mean()) * 0.5
    }
}

/// The one-step Bellman targets y = r + γ · (1 − terminal) · V(s'), row by row.
///
/// `terminals` is 1 where s' ends the episode inside the task, so nothing is bootstrapped past it;
/// a time-limit truncation is not terminal and bootstraps like any other step.
public func bellmanTargets(rewards: [Float], terminals: [Float], nextValues: Tensor, discount: Float) -> Tensor {
    precondition(
        rewards.count == terminals.count && rewards.count == nextValues.count,
        "bellmanTargets: \(rewards.count) rewards, \(terminals.count) terminals, \(nextValues.count) next values")
    return Tensor(shape: [rewards.count], scalars: (0..<rewards.count).map { i in
        rewards[i] + discount * (1 - terminals[i]) * nextValues.scalars[i]
    })
}

/// `concat(state, action, goal)` rows for the critics.
func criticInput(states: Tensor, actions: Tensor, goals: Tensor) -> Tensor {
    Tensor.concatenatingColumns([states, actions, goals])
}
