/// The nonlinearity of hidden layers.
public enum Activation: String, Sendable, Codable, CaseIterable {
    /// x · sigmoid(x), the paper's choice.
    case swish
    /// max(x, 0).
    case relu

    func callAsFunction(_ x: Tensor) -> Tensor { self == .swish ? swishTensor(x) : reluTensor(x) }
    func callAsFunction(_ x: Variable) -> Variable { self == .swish ? swishVariable(x) : reluVariable(x) }
}

// File-scope forwarders: inside `Activation`, `swish` names the enum case, not the function.
private func swishTensor(_ x: Tensor) -> Tensor { swish(x) }
private func reluTensor(_ x: Tensor) -> Tensor { relu(x) }
private func swishVariable(_ x: Variable) -> Variable { swish(x) }
private func reluVariable(_ x: Variable) -> Variable { relu(x) }

/// The swish activation x · sigmoid(x) as a layer.
public final class Swish: Module, Layer {
    /// Creates the layer (it has no parameters).
    public override init() { super.init() }
    /// Applies swish to every element.
    public func callAsFunction(_ x: Tensor) -> Tensor { Activation.swish(x) }
    /// Applies swish to every element, on the tape.
    public func callAsFunction(_ x: Variable) -> Variable { Activation.swish(x) }
}

/// The rectifier max(x, 0) as a layer.
public final class ReLU: Module, Layer {
    /// Creates the layer (it has no parameters).
    public override init() { super.init() }
    /// Applies max(x, 0) to every element.
    public func callAsFunction(_ x: Tensor) -> Tensor { Activation.relu(x) }
    /// Applies max(x, 0) to every element, on the tape.
    public func callAsFunction(_ x: Variable) -> Variable { Activation.relu(x) }
}
