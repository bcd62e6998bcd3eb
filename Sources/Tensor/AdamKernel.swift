import CTensorKernels

/// The hyper-parameters of one Adam step (bias corrections already computed for its step number).
public struct AdamStep: Sendable {
    /// The step size.
    public var learningRate: Float
    /// Decay of the first-moment (mean) estimate.
    public var beta1: Float
    /// Decay of the second-moment (uncentred variance) estimate.
    public var beta2: Float
    /// Added to the square root of the second moment to avoid division by zero.
    public var epsilon: Float
    /// Decoupled weight decay (AdamW); 0 is plain Adam.
    public var weightDecay: Float
    /// 1 − β1^t and 1 − β2^t.
    public var corrections: (first: Float, second: Float)
    /// A factor applied to the gradient first (global-norm clipping).
    public var gradientScale: Float

    /// Creates the hyper-parameters of one step.
    public init(
        learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float,
        corrections: (first: Float, second: Float), gradientScale: Float
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.corrections = corrections
        self.gradientScale = gradientScale
    }
}

extension Tensor {
    /// Applies one Adam step to this tensor in place with a vectorized kernel, updating the moment
    /// estimates `firstMoment` and `secondMoment` (same shape) as it goes.
    public mutating func applyAdam(_ step: AdamStep, gradient: Tensor, firstMoment: inout Tensor, secondMoment: inout Tensor) {
        precondition(
            gradient.shape == shape && firstMoment.shape == shape && secondMoment.shape == shape,
            "applyAdam: gradient \(gradient.shape) and moments \(firstMoment.shape), \(secondMoment.shape) must match \(shape)")
        guard count > 0 else { return }
        // Memory-bound: large tensors are split across the ``Parallelism`` threads.
        let ranges = Tensor.rowRanges(rows: count, parts: Swift.max(1, Swift.min(Parallelism.availableThreads, count / 16384)))
        scalars.withUnsafeMutableBufferPointer { p in
            gradient.scalars.withUnsafeBufferPointer { g in
                firstMoment.scalars.withUnsafeMutableBufferPointer { m in
                    secondMoment.scalars.withUnsafeMutableBufferPointer { v in
                        inParallel(ranges.count) { part in
                            let (start, n) = (ranges[part].lowerBound, ranges[part].count)
                            dcrl_adam_update(
                                p.baseAddress! + start, g.baseAddress! + start, m.baseAddress! + start,
                                v.baseAddress! + start, n, step.learningRate, step.beta1, step.beta2, step.epsilon,
                                step.weightDecay, step.corrections.first, step.corrections.second, step.gradientScale)
                        }
                    }
                }
            }
        }
    }
}
