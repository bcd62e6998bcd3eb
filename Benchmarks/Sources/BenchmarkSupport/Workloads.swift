import Layers

// The measured side: our ops and networks, forward and backward on a fresh tape, with the backward
// pass seeded by a fixed output gradient so no loss computation is timed.

/// Inputs of a Dense layer and of the LayerNorm-swish that follows it in a hidden layer.
public struct HiddenLayerInputs {
    public let x: Tensor
    public let weight: Tensor
    public let bias: Tensor
    public let scale: Tensor
    public let offset: Tensor
    public let outputGradient: Tensor

    public init(batch: Int, inputSize: Int, outputSize: Int, seed: UInt64 = 0) {
        var generator = RandomGenerator(seed: seed)
        let limit = (1 / Float(inputSize)).squareRoot()
        x = .randomNormal([batch, inputSize], using: &generator)
        weight = .randomUniform([inputSize, outputSize], in: -limit...limit, using: &generator)
        bias = .randomNormal([outputSize], standardDeviation: 0.1, using: &generator)
        scale = .randomUniform([outputSize], in: 0.5...1.5, using: &generator)
        offset = .randomNormal([outputSize], standardDeviation: 0.1, using: &generator)
        outputGradient = .randomNormal([batch, outputSize], using: &generator)
    }

    /// `dense(x, weight, bias)` forward and backward (gradients for x, weight and bias).
    public func denseForwardBackward() -> Gradients {
        let tape = Tape()
        let y = dense(tape.variable(x), weight: tape.variable(weight), bias: tape.variable(bias))
        return tape.gradients(of: y, seed: outputGradient)
    }

    /// `layerNormSwish` of the layer's pre-activation (`x` itself when in = out) forward and backward.
    public func layerNormSwishForwardBackward() -> Gradients {
        let tape = Tape()
        let input = x.shape == outputGradient.shape ? x : outputGradient
        let y = layerNormSwish(tape.variable(input), scale: tape.variable(scale), offset: tape.variable(offset))
        return tape.gradients(of: y, seed: outputGradient)
    }

    /// Dense → LayerNorm → Swish (one hidden layer) forward and backward.
    public func hiddenLayerForwardBackward() -> Gradients {
        let tape = Tape()
        let h = dense(tape.variable(x), weight: tape.variable(weight), bias: tape.variable(bias))
        let y = layerNormSwish(h, scale: tape.variable(scale), offset: tape.variable(offset))
        return tape.gradients(of: y, seed: outputGradient)
    }
}

/// A `ResidualMLP` of `width` features in, out and inside, with an input batch and output gradient.
public final class ResidualMLPWorkload {
    public let model: ResidualMLP
    public let input: Tensor
    public let outputGradient: Tensor
    /// The same network's GEMMs on raw buffers.
    public let gemms: ResidualMLPGEMMs

    public init(batch: Int, width: Int, depth: Int, recomputesActivations: Bool, seed: UInt64 = 0) throws {
        var generator = RandomGenerator(seed: seed)
        model = try ResidualMLP(
            inputSize: width, width: width, depth: depth, outputSize: width,
            options: .init(recomputesActivations: recomputesActivations), generator: &generator)
        input = .randomNormal([batch, width], using: &generator)
        outputGradient = .randomNormal([batch, width], using: &generator)
        gemms = ResidualMLPGEMMs(batch: batch, inputSize: width, width: width, depth: depth, outputSize: width)
    }

    /// One forward and backward pass (gradients for the input and every parameter).
    public func forwardBackward() -> Gradients {
        let tape = Tape()
        return tape.gradients(of: model(tape.variable(input)), seed: outputGradient)
    }
}
