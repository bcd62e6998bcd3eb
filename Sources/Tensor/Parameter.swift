/// A trainable tensor owned by a model: optimizers update `value` in place; a `Tape` records it
/// as a leaf whose gradient is collected by identity.
public final class Parameter {
    /// The current value.
    public var value: Tensor

    /// Creates a parameter holding `value`.
    public init(_ value: Tensor) {
        self.value = value
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }
}
