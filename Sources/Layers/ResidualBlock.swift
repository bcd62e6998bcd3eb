/// The paper's residual block: 4 × (Dense → LayerNorm → Swish), plus the block's input added to
/// its output (`x = f(x) + x`). With `residual` off the skip is really removed.
public final class ResidualBlock: Module, Layer {
    /// The hidden layers, applied in order.
    public let layers: [HiddenLayer]
    /// Whether the block's input is added to its output.
    public let residual: Bool

    /// Creates a block of `layerCount` hidden layers of `width` features.
    public init(
        width: Int, layerCount: Int = 4, residual: Bool = true, layerNorm: Bool = true,
        activation: Activation = .swish, generator: inout RandomGenerator
    ) throws {
        try requirePositive(layerCount, "ResidualBlock layerCount")
        var layers: [HiddenLayer] = []
        for _ in 0..<layerCount {
            layers.append(try HiddenLayer(
                inputSize: width, outputSize: width, layerNorm: layerNorm, activation: activation,
                generator: &generator))
        }
        self.layers = layers
        self.residual = residual
        super.init()
    }

    /// Applies the layers and, if ``residual``, adds `x`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = layers.reduce(x) { $1($0) }
        return residual ? y + x : y
    }

    /// Applies the block on `x`'s tape.
    public func callAsFunction(_ x: Variable) -> Variable {
        let y = layers.reduce(x) { $1($0) }
        return residual ? y + x : y
    }
}
