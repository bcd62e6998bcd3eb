/// Future-goal relabeling: which later step of the same episode becomes a step's goal.
///
/// Inside a window, step t takes goal step t' with probability ∝ γ^(t'−t) for t < t' ≤ e, where e
/// is the last step of t's episode inside the window, plus a weight of 1e-5 on t' = t (so a step
/// that ends its episode can take its own state). This is the reference's N × N probability
/// matrix, one row at a time: the row is a truncated geometric law, drawn by inverse CDF with a
/// binary search in a table of cumulative discount powers, O(log window) per sample and no
/// per-window matrix.
struct FutureOffsetSampler: Sendable {
    /// The weight of t' = t, as in the reference.
    static let selfWeight: Double = 1e-5

    /// The discount γ of the offsets' geometric law.
    let discount: Float

    /// `cumulativeWeights[Δ]` = Σ_{k=1}^{Δ} γ^k (0 for Δ = 0), in `Double` so that the 1e-5
    /// self-weight is resolved exactly next to sums of order 1 / (1 − γ).
    private let cumulativeWeights: [Double]

    /// The largest offset the table covers (a window's length − 1).
    var maximumOffset: Int { cumulativeWeights.count - 1 }

    /// A sampler for offsets up to `maximumOffset`; `discount` in (0, 1].
    init(discount: Float, maximumOffset: Int) {
        precondition(discount > 0 && discount <= 1 && maximumOffset >= 0)
        self.discount = discount
        let gamma = Double(discount)
        var weights = [Double](repeating: 0, count: maximumOffset + 1)
        var power = 1.0
        var sum = 0.0
        for offset in weights.indices.dropFirst() {
            power *= gamma
            sum += power
            weights[offset] = sum
        }
        cumulativeWeights = weights
    }

    /// The probability of offset Δ when the episode (or window) leaves `available` steps after t.
    func probability(ofOffset offset: Int, available: Int) -> Double {
        precondition(available >= 0 && available <= maximumOffset)
        guard offset >= 0 && offset <= available else { return 0 }
        let total = Self.selfWeight + cumulativeWeights[available]
        if offset == 0 { return Self.selfWeight / total }
        return (cumulativeWeights[offset] - cumulativeWeights[offset - 1]) / total
    }

    /// The offset Δ ∈ 0...available whose cumulative probability first exceeds `uniform` ∈ [0, 1):
    /// 0 takes the first 1e-5 / W of the unit interval, then Δ = 1, 2, … in order of γ^Δ / W,
    /// where W = 1e-5 + Σ_{k=1}^{available} γ^k.
    func offset(uniform: Double, available: Int) -> Int {
        precondition(available >= 0 && available <= maximumOffset)
        if available == 0 { return 0 }
        let target = uniform * (Self.selfWeight + cumulativeWeights[available])
        if target < Self.selfWeight { return 0 }
        let remainder = target - Self.selfWeight
        // Smallest Δ in 1...available with cumulativeWeights[Δ] > remainder; `available` when
        // rounding puts `uniform · W` on the total itself.
        var low = 1
        var high = available
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > remainder {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}
