@_exported import SafeTensors
@_exported import Tensor

/// The base class of every network part: it owns `Parameter`s and child modules.
///
/// Subclass it and store parameters, child modules, or arrays of child modules in properties; the
/// names of the properties form the parameter names (`blocks.3.layers.1.dense.weight`), in the
/// order the properties are declared.
open class Module {
    /// Creates a module; subclasses set their parameters and children first.
    public init() {}

    /// Every parameter with its dotted path, in declaration order.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        var result: [(String, Parameter)] = []
        collect(into: &result, prefix: "")
        return result
    }

    /// Every parameter, in declaration order.
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// The number of scalars across all parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    private func collect(into result: inout [(String, Parameter)], prefix: String) {
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror {
            mirrors.insert(m, at: 0)
            mirror = m.superclassMirror
        }
        for m in mirrors {
            for child in m.children {
                guard let label = child.label else { continue }
                Module.collect(child.value, path: prefix + label, into: &result)
            }
        }
    }

    private static func collect(_ value: Any, path: String, into result: inout [(String, Parameter)]) {
        switch value {
        case let parameter as Parameter:
            result.append((path, parameter))
        case let module as Module:
            module.collect(into: &result, prefix: path + ".")
        case let modules as [Module]:
            for (i, module) in modules.enumerated() { module.collect(into: &result, prefix: "\(path).\(i).") }
        case let optional as Module?:
            if let module = optional { module.collect(into: &result, prefix: path + ".") }
        default:
            break
        }
    }

    /// The parameter values by name, for checkpoints.
    public func stateDictionary() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedParameters.map { ($0.name, $0.parameter.value) })
    }

    /// Replaces every parameter's value with the tensor of the same name.
    /// - Throws: ``LayersError/stateMismatch(_:)`` naming the first missing, unexpected or
    ///   wrongly shaped entry; nothing is changed then.
    public func load(_ state: [String: Tensor]) throws {
        let named = namedParameters
        for (name, parameter) in named {
            guard let value = state[name] else { throw LayersError.stateMismatch("missing parameter '\(name)'") }
            guard value.shape == parameter.shape else {
                throw LayersError.stateMismatch(
                    "parameter '\(name)' has shape \(value.shape), expected \(parameter.shape)")
            }
        }
        let known = Set(named.map(\.name))
        if let extra = state.keys.sorted().first(where: { !known.contains($0) }) {
            throw LayersError.stateMismatch("unexpected parameter '\(extra)'")
        }
        for (name, parameter) in named { parameter.value = state[name]! }
    }
}

/// A module mapping one tensor to one tensor, usable both for inference and under a `Tape`.
///
/// Both forwards stay on purpose: running the taped one on a tape that records nothing (inputs
/// constant, parameters frozen) cost 1.07–1.50× the plain one for 256 rows of width 256 and
/// 12–18× for a single row (depths 4–64, Zen 1 with oneDNN's AVX2 kernel, 2026-12-02), above the
/// 5 % the library allows for one code path. Tests check that the two agree.
public protocol Layer: Module {
    /// Inference: computes the output without recording anything.
    func callAsFunction(_ x: Tensor) -> Tensor
    /// Training: computes the output on `x`'s tape so gradients can flow.
    func callAsFunction(_ x: Variable) -> Variable
}
