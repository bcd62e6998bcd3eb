import Foundation

/// Adam as optax defines it (bias-corrected moments), with optional decoupled weight decay
/// (AdamW) and optional clipping of the global gradient norm.
///
/// Moment state is kept per parameter name; ``state()`` and ``load(state:)`` move it in and out of
/// checkpoints.
public final class Adam {
    /// Hyper-parameters; defaults are optax's `adam` (learning rate 3e-4 as in the paper).
    public struct Configuration: Sendable, Equatable, Codable {
        /// The step size. Default 3e-4.
        public var learningRate: Float = 3e-4
        /// Decay of the first-moment estimate. Default 0.9.
        public var beta1: Float = 0.9
        /// Decay of the second-moment estimate. Default 0.999.
        public var beta2: Float = 0.999
        /// Added to the root of the second moment. Default 1e-8.
        public var epsilon: Float = 1e-8
        /// Decoupled weight decay (AdamW) applied as `−learningRate · weightDecay · parameter`; 0 is Adam.
        public var weightDecay: Float = 0
        /// When set, gradients are scaled so their global L2 norm is at most this value.
        public var maxGradientNorm: Float? = nil

        /// Creates a configuration; every argument defaults to optax's `adam`.
        public init(
            learningRate: Float = 3e-4, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
            weightDecay: Float = 0, maxGradientNorm: Float? = nil
        ) {
            self.learningRate = learningRate
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
            self.maxGradientNorm = maxGradientNorm
        }

        /// optax's `adamw` defaults: weight decay 1e-4.
        public static func adamW(learningRate: Float = 3e-4, weightDecay: Float = 1e-4) -> Configuration {
            Configuration(learningRate: learningRate, weightDecay: weightDecay)
        }
    }

    /// The hyper-parameters used by the next ``update(_:)``.
    public var configuration: Configuration
    /// The number of updates applied so far.
    public private(set) var step = 0
    /// Combines each gradient across processes before it is applied (data-parallel training);
    /// nil, the default: gradients are applied as computed. Gradient clipping sees the combined
    /// gradients.
    public var gradientReducer: (any GradientReducer)?
    private let named: [(name: String, parameter: Parameter)]
    private var firstMoments: [Tensor]
    private var secondMoments: [Tensor]

    /// An optimizer for the named parameters (e.g. a module's ``Module/namedParameters``).
    public init(namedParameters: [(name: String, parameter: Parameter)], configuration: Configuration = Configuration()) throws {
        var seen = Set<String>()
        if let duplicate = namedParameters.map(\.name).first(where: { !seen.insert($0).inserted }) {
            throw LayersError.invalidSetting(name: "parameter name '\(duplicate)'", value: "used twice", expected: "unique names")
        }
        guard configuration.learningRate > 0, configuration.learningRate.isFinite else {
            throw LayersError.invalidSetting(name: "learning rate", value: "\(configuration.learningRate)", expected: "positive and finite")
        }
        named = namedParameters
        self.configuration = configuration
        firstMoments = namedParameters.map { Tensor.zeros($0.parameter.shape) }
        secondMoments = firstMoments
    }

    /// An optimizer for every parameter of `module`.
    public convenience init(for module: Module, configuration: Configuration = Configuration()) throws {
        try self.init(namedParameters: module.namedParameters, configuration: configuration)
    }

    /// The global L2 norm of the gradients this optimizer would apply (before any reduction).
    public func gradientNorm(_ gradients: Gradients) -> Float {
        Self.norm(named.map { gradients[$0.parameter] })
    }

    private static func norm(_ gradients: [Tensor?]) -> Float {
        var total: Double = 0
        for case let g? in gradients {
            for v in g.scalars { total += Double(v) * Double(v) }
        }
        return Float(total.squareRoot())
    }

    /// `gradient` combined by ``gradientReducer``, or as it is without one.
    private func reduced(_ gradient: Tensor) -> Tensor {
        guard let gradientReducer else { return gradient }
        var scalars = gradient.scalars
        gradientReducer.reduce(&scalars)
        return Tensor(shape: gradient.shape, scalars: scalars)
    }

    /// Applies one update from `gradients`; parameters without a gradient keep their value.
    public func update(_ gradients: Gradients) {
        let applied = named.map { gradients[$0.parameter].map(reduced) }
        var clip: Float = 1
        if let maxNorm = configuration.maxGradientNorm {
            let norm = Self.norm(applied)
            if norm > maxNorm { clip = maxNorm / norm }
        }
        let adamStep = beginStep(gradientScale: clip)
        for (index, (_, parameter)) in named.enumerated() {
            guard let gradient = applied[index] else { continue }
            parameter.value.applyAdam(
                adamStep, gradient: gradient, firstMoment: &firstMoments[index], secondMoment: &secondMoments[index])
        }
    }

    /// Counts a new step and returns its hyper-parameters.
    private func beginStep(gradientScale: Float) -> AdamStep {
        step += 1
        let c = configuration, t = Float(step)
        return AdamStep(
            learningRate: c.learningRate, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon, weightDecay: c.weightDecay,
            corrections: (1 - Foundation.pow(c.beta1, t), 1 - Foundation.pow(c.beta2, t)), gradientScale: gradientScale)
    }

    /// Differentiates `loss` on its tape and updates the parameters of `optimizers` as their
    /// gradients complete, so a full set of gradients is never held at once (what lets depth-1024
    /// networks train in a few GiB). The result equals `gradients(of:)` followed by `update(_:)`
    /// on each optimizer. Optimizers with gradient clipping need the global norm first, so with
    /// any of those the gradients are collected before updating.
    public static func minimize(_ loss: Variable, with optimizers: [Adam]) {
        if optimizers.contains(where: { $0.configuration.maxGradientNorm != nil }) {
            let gradients = loss.tape.gradients(of: loss)
            for optimizer in optimizers { optimizer.update(gradients) }
            return
        }
        var owners: [ObjectIdentifier: (optimizer: Adam, index: Int, step: AdamStep)] = [:]
        for optimizer in optimizers {
            let adamStep = optimizer.beginStep(gradientScale: 1)
            for (index, (_, parameter)) in optimizer.named.enumerated() {
                owners[ObjectIdentifier(parameter)] = (optimizer, index, adamStep)
            }
        }
        _ = loss.tape.gradients(of: loss) { parameter, gradient in
            guard let (optimizer, index, adamStep) = owners[ObjectIdentifier(parameter)] else { return }
            parameter.value.applyAdam(
                adamStep, gradient: optimizer.reduced(gradient), firstMoment: &optimizer.firstMoments[index],
                secondMoment: &optimizer.secondMoments[index])
        }
    }

    /// The optimizer state as named tensors: `step`, `m.<name>` and `v.<name>`.
    public func state() -> [String: Tensor] {
        var result: [String: Tensor] = ["step": Tensor(Float(step))]
        for (index, (name, _)) in named.enumerated() {
            result["m.\(name)"] = firstMoments[index]
            result["v.\(name)"] = secondMoments[index]
        }
        return result
    }

    /// Restores state written by ``state()``.
    /// - Throws: ``LayersError/stateMismatch(_:)`` naming the first missing or wrongly shaped entry.
    public func load(state: [String: Tensor]) throws {
        guard let stepTensor = state["step"], stepTensor.count == 1, let loadedStep = Int(exactly: stepTensor.scalars[0]),
              loadedStep >= 0
        else {
            throw LayersError.stateMismatch(
                "optimizer entry 'step' is missing or not a whole number of steps, got \(state["step"]?.scalars ?? [])")
        }
        var first: [Tensor] = [], second: [Tensor] = []
        for (name, parameter) in named {
            for (prefix, target) in [("m", 0), ("v", 1)] {
                guard let t = state["\(prefix).\(name)"] else {
                    throw LayersError.stateMismatch("missing optimizer entry '\(prefix).\(name)'")
                }
                guard t.shape == parameter.shape else {
                    throw LayersError.stateMismatch(
                        "optimizer entry '\(prefix).\(name)' has shape \(t.shape), expected \(parameter.shape)")
                }
                if target == 0 { first.append(t) } else { second.append(t) }
            }
        }
        step = loadedStep
        firstMoments = first
        secondMoments = second
    }
}
