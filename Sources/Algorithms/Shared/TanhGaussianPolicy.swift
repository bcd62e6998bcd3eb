import Foundation

/// The actor's action distribution: a Gaussian squashed by tanh, parameterized by the network's
/// `mean` and raw log-std heads, with logStd = −5 + 3.5 · (tanh(raw) + 1) ∈ [−5, 2].
enum TanhGaussianPolicy {
    static let minLogStd: Float = -5
    static let maxLogStd: Float = 2

    /// Splits the actor output into mean and bounded log standard deviation.
    static func heads(_ output: Variable, actionSize: Int) -> (mean: Variable, logStd: Variable) {
        let raw = output.slicingColumns(actionSize..<(2 * actionSize))
        let logStd = (tanh(raw) + 1) * (0.5 * (maxLogStd - minLogStd)) + minLogStd
        return (output.slicingColumns(0..<actionSize), logStd)
    }

    /// A reparameterized sample tanh(mean + exp(logStd) · ε) and its log-probability (one per row):
    /// Σ [Normal log-density of the pre-tanh sample − log(1 − action² + 1e-6)].
    static func sample(mean: Variable, logStd: Variable, noise: Tensor) -> (action: Variable, logProbability: Variable) {
        let epsilon = mean.constant(noise)
        let action = tanh(mean + exp(logStd) * epsilon)
        let gaussian = (epsilon * epsilon) * -0.5 - logStd - 0.5 * Float(Foundation.log(2 * Double.pi))
        let squash = log(1 + 1e-6 - action.squared())
        return (action, (gaussian - squash).sum(alongAxis: 1))
    }

    /// Actions without a tape: deterministic tanh(mean) or a sample.
    static func act(_ output: Tensor, actionSize: Int, noise: Tensor?) -> Tensor {
        let mean = output.slicingColumns(0..<actionSize)
        guard let noise else { return tanh(mean) }
        let raw = output.slicingColumns(actionSize..<(2 * actionSize))
        let logStd = (tanh(raw) + 1) * (0.5 * (maxLogStd - minLogStd)) + minLogStd
        return tanh(mean + exp(logStd) * noise)
    }
}
