/// Helpers to nest the named tensors of an agent's parts under prefixes (`actor.…`,
/// `optimizer.critic.…`) in one checkpoint dictionary, and to take them out again.
extension Dictionary where Key == String, Value == Tensor {
    /// Adds `entries` as `prefix.name`.
    mutating func insert(_ entries: [String: Tensor], under prefix: String) {
        for (name, value) in entries { self["\(prefix).\(name)"] = value }
    }

    /// The entries whose names start with `prefix.`, with that prefix removed.
    func entries(under prefix: String) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (key, value) in self where key.hasPrefix(prefix + ".") { result[String(key.dropFirst(prefix.count + 1))] = value }
        return result
    }

    /// A counter stored as two whole floats (high and low 20 bits), exact up to 2⁴⁰.
    static func counter(_ value: Int) -> Tensor {
        Tensor([Float(value >> 20), Float(value & 0xFFFFF)])
    }

    /// Reads a counter written by ``counter(_:)``; throws naming `name` when it is missing or malformed.
    func counter(named name: String) throws -> Int {
        guard let t = self[name], t.shape == [2], let high = Int(exactly: t.scalars[0]), let low = Int(exactly: t.scalars[1]),
              (0...(1 << 24)).contains(high), (0..<(1 << 20)).contains(low)
        else {
            throw LayersError.stateMismatch(
                "missing or malformed counter '\(name)' (shape [2]: whole numbers, high part in 0...2^24, low part below 2^20)")
        }
        return high << 20 + low
    }

    /// The `[1]`-shaped scalar `name`; throws when it is missing or of another shape.
    func scalarParameter(named name: String) throws -> Tensor {
        guard let t = self[name], t.shape == [1] else {
            throw LayersError.stateMismatch("missing parameter '\(name)' of shape [1]")
        }
        return t
    }
}
