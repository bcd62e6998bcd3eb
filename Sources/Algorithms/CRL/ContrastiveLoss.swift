/// What one critic update measured (JaxGCRL's names in the metrics file).
public struct ContrastiveMetrics: Sendable, Equatable, Codable {
    /// Share of rows whose largest logit is their own goal (the diagonal).
    public var categoricalAccuracy: Float
    /// Mean diagonal logit.
    public var logitsPositive: Float
    /// Mean off-diagonal logit.
    public var logitsNegative: Float
    /// Mean row logsumexp.
    public var logsumexp: Float
}

/// The `[B, B]` logits matrix: entry (i, j) scores state-action i against goal j.
func energyLogits(_ phi: Variable, _ psi: Variable, energy: Energy) -> Variable {
    switch energy {
    case .negativeL2: return -pairwiseDistance(phi, psi)
    case .negativeSquaredL2: return -pairwiseDistance(phi, psi).squared()
    case .dot: return matmul(phi, psi, transposeB: true)
    case .cosine:
        func normalized(_ x: Variable) -> Variable { x / sqrt(x.squared().sum(alongAxis: 1, keepingDimension: true) + 1e-12) }
        return matmul(normalized(phi), normalized(psi), transposeB: true)
    }
}

/// The per-row energy of matching pairs (the diagonal of ``energyLogits``) without the B × B matrix.
func pairedEnergy(_ phi: Variable, _ psi: Variable, energy: Energy) -> Variable {
    switch energy {
    case .negativeL2: return -sqrt((phi - psi).squared().sum(alongAxis: 1) + 1e-12)
    case .negativeSquaredL2: return -(phi - psi).squared().sum(alongAxis: 1)
    case .dot: return (phi * psi).sum(alongAxis: 1)
    case .cosine:
        let dot = (phi * psi).sum(alongAxis: 1)
        return dot / sqrt(phi.squared().sum(alongAxis: 1) * psi.squared().sum(alongAxis: 1) + 1e-12)
    }
}

/// The critic loss for `logits` (row i's positive is column i), plus `penalty` · mean(logsumexp²)
/// over rows (over columns for the backward objective).
func contrastiveLoss(_ logits: Variable, objective: ContrastiveObjective, penalty: Float) -> (loss: Variable, metrics: ContrastiveMetrics) {
    let diagonal = logits.diagonal()
    let rowLSE = logits.logSumExp(alongAxis: 1)
    let loss: Variable
    var regularized = rowLSE
    switch objective {
    case .forwardInfoNCE:
        loss = (rowLSE - diagonal).mean()
    case .backwardInfoNCE:
        regularized = logits.logSumExp(alongAxis: 0)
        loss = (regularized - diagonal).mean()
    case .symmetricInfoNCE:
        loss = (rowLSE - diagonal).mean() + (logits.logSumExp(alongAxis: 0) - diagonal).mean()
    case .binaryNCE:
        let identity = Tensor.filling(identityOf: logits.shape[0])
        let labels = logits.constant(identity), negatives = logits.constant(1 - identity)
        loss = -(labels * logSigmoid(logits) + negatives * logSigmoid(-logits)).mean()
    }
    let total = loss + (regularized + 1e-6).squared().mean() * penalty
    return (total, contrastiveMetrics(logits.value, rowLSE: rowLSE.value))
}

func contrastiveMetrics(_ logits: Tensor, rowLSE: Tensor) -> ContrastiveMetrics {
    let size = logits.shape[0]
    var correct = 0, positive: Double = 0, total: Double = 0
    logits.scalars.withUnsafeBufferPointer { x in
        for i in 0..<size {
            let row = x.baseAddress! + i * size
            var best = 0
            var sum: Float = 0
            for j in 0..<size {
                if row[j] > row[best] { best = j }
                sum += row[j]
            }
            if best == i { correct += 1 }
            positive += Double(row[i])
            total += Double(sum)
        }
    }
    let negative = total - positive
    return ContrastiveMetrics(
        categoricalAccuracy: Float(correct) / Float(size),
        logitsPositive: Float(positive / Double(size)),
        logitsNegative: size > 1 ? Float(negative / Double(size * (size - 1))) : 0,
        logsumexp: rowLSE.mean().scalar)
}

extension Tensor {
    /// The `size × size` identity matrix.
    static func filling(identityOf size: Int) -> Tensor {
        var scalars = [Float](repeating: 0, count: size * size)
        for i in 0..<size { scalars[i * size + i] = 1 }
        return Tensor(shape: [size, size], scalars: scalars)
    }
}
