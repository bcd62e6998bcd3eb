extension CRL {
    /// The critic's score f(φ(s, a), ψ(g)) of each row's state, action and goal (row-major, `rows`
    /// rows of ``stateSize``, ``actionSize`` and ``goalSize`` numbers), in the configured
    /// ``Energy``: the logit the contrastive loss gives a positive pair, higher meaning the critic
    /// deems the goal nearer. Computed in Double from the Float representations.
    public func criticScores(states: [Float], actions: [Float], goals: [Float], rows: Int) -> [Double] {
        precondition(rows >= 0 && states.count == rows * stateSize && actions.count == rows * actionSize && goals.count == rows * goalSize,
                     "criticScores: \(rows) rows need \(rows * stateSize) state, \(rows * actionSize) action and \(rows * goalSize) goal numbers, got \(states.count), \(actions.count), \(goals.count)")
        guard rows > 0 else { return [] }
        var stateActions = [Float](repeating: 0, count: rows * (stateSize + actionSize))
        for k in 0..<rows {
            let row = k * (stateSize + actionSize)
            for j in 0..<stateSize { stateActions[row + j] = states[k * stateSize + j] }
            for j in 0..<actionSize { stateActions[row + stateSize + j] = actions[k * actionSize + j] }
        }
        let phi = stateActionEncoder(Tensor(shape: [rows, stateSize + actionSize], scalars: stateActions)).scalars
        let psi = goalEncoder(Tensor(shape: [rows, goalSize], scalars: goals)).scalars
        let size = phi.count / rows
        return (0..<rows).map { k in
            var squared = 0.0, dot = 0.0, phiNorm = 0.0, psiNorm = 0.0
            for j in 0..<size {
                let a = Double(phi[k * size + j]), b = Double(psi[k * size + j])
                squared += (a - b) * (a - b)
                dot += a * b
                phiNorm += a * a
                psiNorm += b * b
            }
            switch configuration.energy {
            case .negativeL2: return -squared.squareRoot()
            case .negativeSquaredL2: return -squared
            case .dot: return dot
            case .cosine: return dot / Swift.max((phiNorm * psiNorm).squareRoot(), 1e-12)
            }
        }
    }
}
