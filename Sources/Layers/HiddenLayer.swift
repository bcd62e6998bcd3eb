/// One hidden layer of the paper's networks: Dense → LayerNorm → activation.
///
/// With LayerNorm and swish (the default) the normalization and activation run as one fused kernel.
public final class HiddenLayer: Module, Layer {
    /// The linear part.
    public let dense: Dense
    /// The normalization, or nil when the layer has none.
    public let norm: LayerNorm?
    /// The nonlinearity applied last.
    public let activation: Activation

    /// Creates a hidden layer mapping `inputSize` features to `outputSize`.
    public init(
        inputSize: Int, outputSize: Int, layerNorm: Bool = true, activation: Activation = .swish,
        generator: inout RandomGenerator
    ) throws {
        dense = try Dense(inputSize: inputSize, outputSize: outputSize, generator: &generator)
        norm = layerNorm ? try LayerNorm(width: outputSize) : nil
        self.activation = activation
        super.init()
    }

    /// Applies Dense, LayerNorm (if any) and the activation to a batch.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = dense(x)
        guard let norm else { return activation(y) }
        if activation == .swish { return layerNormSwish(y, scale: norm.scale.value, offset: norm.offset.value) }
        return activation(norm(y))
    }

    /// Applies the layer on `x`'s tape.
    public func callAsFunction(_ x: Variable) -> Variable {
        let y = dense(x)
        guard let norm else { return activation(y) }
        if activation == .swish {
            return layerNormSwish(y, scale: x.tape.variable(norm.scale), offset: x.tape.variable(norm.offset))
        }
        return activation(norm(y))
    }
}
