// Activation recomputation (gradient checkpointing): run a sub-network without keeping its
// intermediate values, then run it again during the backward pass to get its gradients.

extension Variable {
    /// Applies `body` to this value, saving only the input on this tape; during backward `body`
    /// runs again on a private tape to produce gradients for the input and `parameters`.
    ///
    /// `body` must compute the same function both times and read its weights only from
    /// `parameters` (through `tape.variable(_:)` on the tape of its argument).
    public func recomputing(parameters: [Parameter], _ body: @escaping (Variable) -> Variable) -> Variable {
        let outer = tape
        let parameterLeaves = parameters.map { outer.variable($0) }
        let trainable = parameterLeaves.map { outer.needsGradient($0) }
        let input = value
        let inputNeedsGradient = outer.needsGradient(self)
        let output = body(Tape().constant(input)).value
        return outer.record(output, inputs: [self] + parameterLeaves) { g in
            let inner = Tape()
            inner.freeze(zip(parameters, trainable).filter { !$0.1 }.map(\.0))
            let x = inputNeedsGradient ? inner.variable(input) : inner.constant(input)
            let gradients = inner.gradients(of: body(x), seed: g)
            return [gradients[x]] + parameters.map { gradients[$0] }
        }
    }
}
