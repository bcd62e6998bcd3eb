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

    /// The hyper-parameters used by the next `update(_:)`.
    public var configuration: Configuration
    /// The number of updates applied so far.
    public private(set) var step = 0
    /// Combines each gradient across processes before it is applied (data-parallel training);
    /// nil, the default: gradients are applied as computed. Gradient clipping sees the combined
    /// gradients.
    public var gradientReducer: (any GradientReducer)?
    private let named: [(name: String, parameter: Parameter)]
    private let indexOfParameter: [ObjectIdentifier: Int]
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
        indexOfParameter = Dictionary(namedParameters.enumerated().map { (ObjectIdentifier($1.parameter), $0) }, uniquingKeysWith: { first, _ in first })
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

    /// A gradient on its way to being applied: as computed, or being combined by the reducer.
    fileprivate enum IncomingGradient {
        case computed(Tensor)
        case reducing(PendingReduction, shape: [Int])

        var isReady: Bool {
            if case .reducing(let pending, _) = self { return pending.isComplete }
            return true
        }

        func value() -> Tensor {
            switch self {
            case .computed(let gradient): gradient
            case .reducing(let pending, let shape): Tensor(shape: shape, scalars: pending.wait())
            }
        }
    }

    /// One backward pass's gradients of an optimizer's parameters, their combination by
    /// ``gradientReducer`` already under way: what ``gradients(of:)`` returns and
    /// `update(_:)` applies.
    public struct IncomingGradients {
        fileprivate let byIndex: [IncomingGradient?]
    }

    /// `gradient`, with its combination by ``gradientReducer`` started when there is one.
    private func incoming(_ gradient: Tensor) -> IncomingGradient {
        guard let gradientReducer else { return .computed(gradient) }
        return .reducing(gradientReducer.startReducing(gradient.scalars), shape: gradient.shape)
    }

    /// Differentiates `loss` on its tape and returns the gradients of this optimizer's
    /// parameters for `update(_:)`. Each one's combination by ``gradientReducer``
    /// starts as soon as the pass completes it, so with a reducer that works in the background
    /// communication overlaps the rest of the pass. Only this optimizer's parameters receive
    /// gradients from the pass.
    public func gradients(of loss: Variable) -> IncomingGradients {
        var byIndex = [IncomingGradient?](repeating: nil, count: named.count)
        _ = loss.tape.gradients(of: loss) { parameter, gradient in
            guard let index = self.indexOfParameter[ObjectIdentifier(parameter)] else { return }
            byIndex[index] = self.incoming(gradient)
        }
        return IncomingGradients(byIndex: byIndex)
    }

    /// Applies one update from `gradients`; parameters without a gradient keep their value.
    public func update(_ gradients: Gradients) {
        update(IncomingGradients(byIndex: named.map { gradients[$0.parameter].map(incoming) }))
    }

    /// Applies one update from gradients returned by ``gradients(of:)``, once combined.
    public func update(_ gradients: IncomingGradients) {
        let applied = gradients.byIndex.map { $0?.value() }
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
    /// networks train in a few GiB). With a ``gradientReducer``, each gradient's combination
    /// starts as soon as it is complete and it is applied once combined (so a reducer that works
    /// in the background overlaps the rest of the pass). The result equals the tape's
    /// `gradients(of:)` followed by `update(_:)` on each optimizer. Optimizers with gradient
    /// clipping need the global norm first, so with any of those the gradients are collected
    /// before updating.
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
        // Gradients in the order the pass completed them; each is applied once combined, the
        // ready ones during the pass and the rest after it.
        var arrived: [(parameter: Parameter, gradient: IncomingGradient)?] = []
        var applied = 0
        func apply(waiting: Bool) {
            while applied < arrived.count, let (parameter, gradient) = arrived[applied], waiting || gradient.isReady {
                let (optimizer, index, adamStep) = owners[ObjectIdentifier(parameter)]!
                parameter.value.applyAdam(
                    adamStep, gradient: gradient.value(), firstMoment: &optimizer.firstMoments[index],
                    secondMoment: &optimizer.secondMoments[index])
                arrived[applied] = nil
                applied += 1
            }
        }
        _ = loss.tape.gradients(of: loss) { parameter, gradient in
            guard let optimizer = owners[ObjectIdentifier(parameter)]?.optimizer else { return }
            arrived.append((parameter, optimizer.incoming(gradient)))
            apply(waiting: false)
        }
        apply(waiting: true)
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
