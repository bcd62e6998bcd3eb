/// Moves every parameter of `target` toward the matching parameter of `source`:
/// θ' ← (1 − τ) · θ' + τ · θ (soft target updates, Lillicrap et al. 2016). The two modules must
/// have the same architecture; parameters are matched in declaration order.
public func polyakUpdate(target: Module, toward source: Module, rate: Float) {
    let targets = target.parameters, sources = source.parameters
    precondition(targets.count == sources.count, "polyakUpdate: \(targets.count) target vs \(sources.count) source parameters")
    for (t, s) in zip(targets, sources) {
        precondition(t.shape == s.shape, "polyakUpdate: shapes \(t.shape) and \(s.shape) differ")
        s.value.scalars.withUnsafeBufferPointer { source in
            t.value.withUnsafeMutableScalars { target in
                for i in 0..<target.count { target[i] += rate * (source[i] - target[i]) }
            }
        }
    }
}

/// Sets every parameter of `target` to the matching parameter of `source` (a hard copy).
func copyParameters(into target: Module, from source: Module) {
    for (t, s) in zip(target.parameters, source.parameters) { t.value = s.value }
}
