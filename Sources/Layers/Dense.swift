/// A fully connected layer `x · weight + bias`, weight `[inputSize, outputSize]`.
///
/// Initialized as the reference does: weights uniform in ±sqrt(1 / inputSize)
/// (`variance_scaling(1/3, fan_in, uniform)`), biases zero.
public final class Dense: Module, Layer {
    /// The weight matrix, `[inputSize, outputSize]`.
    public let weight: Parameter
    /// The bias vector, `[outputSize]`.
    public let bias: Parameter

    /// Creates a layer with freshly initialized weights drawn from `generator`.
    public init(inputSize: Int, outputSize: Int, generator: inout RandomGenerator) throws {
        try requirePositive(inputSize, "Dense inputSize")
        try requirePositive(outputSize, "Dense outputSize")
        let limit = (1 / Float(inputSize)).squareRoot()
        weight = Parameter(Tensor.randomUniform([inputSize, outputSize], in: -limit...limit, using: &generator))
        bias = Parameter(.zeros([outputSize]))
        super.init()
    }

    /// `x · weight + bias` for a batch `x` of `[rows, inputSize]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        dense(x, weight: weight.value, bias: bias.value)
    }

    /// `x · weight + bias`, recorded on `x`'s tape.
    public func callAsFunction(_ x: Variable) -> Variable {
        dense(x, weight: x.tape.variable(weight), bias: x.tape.variable(bias))
    }
}
