/// Layer normalization over the last axis with a learnable scale (init 1) and offset (init 0),
/// epsilon 1e-6.
public final class LayerNorm: Module, Layer {
    /// The learnable per-feature scale, initialized to 1.
    public let scale: Parameter
    /// The learnable per-feature offset, initialized to 0.
    public let offset: Parameter

    /// Creates a normalization for rows of `width` features.
    public init(width: Int) throws {
        try requirePositive(width, "LayerNorm width")
        scale = Parameter(.ones([width]))
        offset = Parameter(.zeros([width]))
        super.init()
    }

    /// Normalizes every row of `x`, then scales and offsets it.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        layerNorm(x, scale: scale.value, offset: offset.value)
    }

    /// Normalizes every row of `x` on its tape.
    public func callAsFunction(_ x: Variable) -> Variable {
        layerNorm(x, scale: x.tape.variable(scale), offset: x.tape.variable(offset))
    }
}
