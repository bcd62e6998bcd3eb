/// A define-by-run record of differentiable operations, for one reverse-mode pass.
///
/// Create a tape, lift inputs and parameters onto it as ``Variable``s, compute with them, then call
/// ``gradients(of:seed:parameterGradient:)`` once. Nothing is global: two tapes in one process never interact.
/// Backward frees each operation's saved tensors as soon as they are used.
public final class Tape {
    struct Node {
        var inputs: [Int]
        var needsGradient: Bool
        /// Maps the gradient of this node's value to gradients of its inputs (nil where not needed).
        var pullback: ((Tensor) -> [Tensor?])?
    }

    var nodes: [Node] = []
    private var parameterNodes: [ObjectIdentifier: Int] = [:]
    private var parameterOfNode: [Int: Parameter] = [:]
    private var frozen: Set<ObjectIdentifier> = []
    private var consumed = false

    /// Creates an empty tape.
    public init() {}

    /// The number of recorded nodes (leaves and operations).
    public var nodeCount: Int { nodes.count }

    /// A leaf whose gradient will be computed.
    public func variable(_ value: Tensor) -> Variable {
        addLeaf(value, needsGradient: true)
    }

    /// A leaf treated as a constant: no gradient flows into it.
    public func constant(_ value: Tensor) -> Variable {
        addLeaf(value, needsGradient: false)
    }

    /// The leaf for `parameter`; the same parameter always maps to the same leaf on one tape, so its
    /// gradient accumulates over every use. Frozen parameters become constants.
    public func variable(_ parameter: Parameter) -> Variable {
        let id = ObjectIdentifier(parameter)
        if let index = parameterNodes[id] {
            return Variable(tape: self, index: index, value: parameter.value)
        }
        let leaf = addLeaf(parameter.value, needsGradient: !frozen.contains(id))
        parameterNodes[id] = leaf.index
        parameterOfNode[leaf.index] = parameter
        return leaf
    }

    /// Treats `parameters` as constants on this tape from now on (e.g. the critic inside the actor
    /// loss), which also skips computing their gradients.
    public func freeze(_ parameters: [Parameter]) {
        for parameter in parameters { frozen.insert(ObjectIdentifier(parameter)) }
    }

    private func addLeaf(_ value: Tensor, needsGradient: Bool) -> Variable {
        precondition(!consumed, "Tape: already used for a backward pass")
        nodes.append(Node(inputs: [], needsGradient: needsGradient, pullback: nil))
        return Variable(tape: self, index: nodes.count - 1, value: value)
    }

    /// Records an operation's result; `pullback` maps the result's gradient to its inputs' gradients.
    /// Operations whose inputs need no gradient record no pullback.
    public func record(
        _ value: Tensor, inputs: [Variable], pullback: @escaping (Tensor) -> [Tensor?]
    ) -> Variable {
        precondition(!consumed, "Tape: already used for a backward pass")
        let indices = inputs.map { input in
            precondition(input.tape === self, "Tape: an input comes from a different tape")
            return input.index
        }
        let needs = indices.contains { nodes[$0].needsGradient }
        nodes.append(Node(inputs: indices, needsGradient: needs, pullback: needs ? pullback : nil))
        return Variable(tape: self, index: nodes.count - 1, value: value)
    }

    /// Whether the node for `variable` needs a gradient (it depends on a non-constant leaf).
    public func needsGradient(_ variable: Variable) -> Bool { nodes[variable.index].needsGradient }

    /// Runs the reverse pass from `output` and returns the gradients of every leaf that needs one.
    ///
    /// - Parameters:
    ///   - output: the value to differentiate; a one-element tensor unless `seed` is given.
    ///   - seed: the gradient of the final objective with respect to `output` (ones by default).
    ///   - parameterGradient: when given, receives each parameter's gradient as soon as it is
    ///     complete (every later use has been differentiated), and the gradient is then dropped
    ///     instead of returned, so a caller can update and free parameters during the pass.
    public func gradients(
        of output: Variable, seed: Tensor? = nil, parameterGradient: ((Parameter, Tensor) -> Void)? = nil
    ) -> Gradients {
        precondition(output.tape === self, "Tape.gradients: the output comes from a different tape")
        precondition(!consumed, "Tape.gradients: the tape was already used for a backward pass")
        consumed = true
        let start = seed ?? Tensor(repeating: 1, shape: output.shape)
        precondition(
            seed != nil || output.value.count == 1,
            "Tape.gradients: output of shape \(output.shape) is not a scalar; pass a seed")
        precondition(
            start.shape == output.shape,
            "Tape.gradients: seed shape \(start.shape) differs from output shape \(output.shape)")
        var grads = [Tensor?](repeating: nil, count: nodes.count)
        grads[output.index] = start
        for index in stride(from: output.index, through: 0, by: -1) {
            if let parameterGradient, let parameter = parameterOfNode[index], let gradient = grads[index] {
                grads[index] = nil
                parameterGradient(parameter, gradient)
                continue
            }
            guard let pullback = nodes[index].pullback, let gradient = grads[index] else { continue }
            let inputGradients = pullback(gradient)
            nodes[index].pullback = nil
            grads[index] = nil
            for (input, inputGradient) in zip(nodes[index].inputs, inputGradients) {
                guard let inputGradient, nodes[input].needsGradient else { continue }
                if grads[input] == nil {
                    grads[input] = inputGradient
                } else {
                    grads[input]!.add(inputGradient, op: "Tape.gradients")
                }
            }
        }
        var byParameter: [ObjectIdentifier: Tensor] = [:]
        for (node, parameter) in parameterOfNode {
            if let gradient = grads[node] { byParameter[ObjectIdentifier(parameter)] = gradient }
        }
        parameterOfNode.removeAll()
        nodes.removeAll()
        return Gradients(leaves: grads, parameters: byParameter)
    }
}

/// The gradients produced by one backward pass.
public struct Gradients {
    let leaves: [Tensor?]
    let parameters: [ObjectIdentifier: Tensor]

    /// The gradient of a leaf variable (nil when no gradient reached it).
    public subscript(variable: Variable) -> Tensor? {
        variable.index < leaves.count ? leaves[variable.index] : nil
    }

    /// The gradient of a parameter (nil when it was unused or frozen).
    public subscript(parameter: Parameter) -> Tensor? {
        parameters[ObjectIdentifier(parameter)]
    }
}

/// A tensor recorded on a ``Tape``: the operations on it are differentiable.
public struct Variable {
    /// The tape this value lives on.
    public let tape: Tape
    let index: Int
    /// The forward value.
    public let value: Tensor

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// A constant on the same tape (no gradient flows into it).
    public func constant(_ value: Tensor) -> Variable { tape.constant(value) }
}
