import Algorithms

/// Aggregate statistics over the runs (seeds) of one setting, as the rliable library reports them
/// (Agarwal et al. 2021, "Deep Reinforcement Learning at the Edge of the Statistical Precipice"):
/// the interquartile mean, robust to a few failed or lucky seeds, with a percentile-bootstrap
/// confidence interval. Invalid input gives NaN rather than an error, so a report shows a gap.
public enum StudyStatistics {
    /// The interquartile mean of some runs with its bootstrap confidence interval.
    public struct Summary: Sendable, Equatable {
        /// The interquartile mean (``StudyStatistics/interquartileMean(_:)``).
        public var interquartileMean: Double
        /// Lower end of the confidence interval.
        public var lower: Double
        /// Upper end of the confidence interval.
        public var upper: Double
        /// How many values were summarized.
        public var count: Int

        /// Creates a summary from its parts.
        public init(interquartileMean: Double, lower: Double, upper: Double, count: Int) {
            self.interquartileMean = interquartileMean
            self.lower = lower
            self.upper = upper
            self.count = count
        }
    }

    /// The mean of the middle 50 % of `values`, as rliable computes it with
    /// `scipy.stats.trim_mean(values, 0.25)`: sort, drop ⌊n/4⌋ values from each end, average the
    /// rest. Fewer than four values are averaged whole. NaN when `values` is empty or holds a NaN.
    public static func interquartileMean(_ values: [Double]) -> Double {
        guard !values.isEmpty, !values.contains(where: \.isNaN) else { return .nan }
        let sorted = values.sorted()
        let cut = sorted.count / 4
        let middle = sorted[cut..<(sorted.count - cut)]
        // Summing offsets from the first kept value makes identical values average exactly.
        let origin = middle[middle.startIndex]
        return origin + middle.reduce(0) { $0 + ($1 - origin) } / Double(middle.count)
    }

    /// A percentile-bootstrap confidence interval for `statistic` of `values`: `statistic` of
    /// `resamples` resamples drawn with replacement, and the `(1 - confidence) / 2` and
    /// `(1 + confidence) / 2` quantiles of those (linear interpolation, NumPy's default).
    ///
    /// The same `seed` gives the same interval. One value gives `(v, v)` for a statistic that
    /// returns a lone value unchanged. Empty `values`, `confidence` outside (0, 1), `resamples`
    /// below one, or a NaN statistic give NaN for both ends.
    public static func bootstrapInterval(
        _ values: [Double], confidence: Double = 0.95, resamples: Int = 2000, seed: UInt64 = 0,
        statistic: ([Double]) -> Double = StudyStatistics.interquartileMean
    ) -> (lower: Double, upper: Double) {
        let missing = (lower: Double.nan, upper: Double.nan)
        guard !values.isEmpty, confidence > 0, confidence < 1, resamples >= 1 else { return missing }
        if values.count == 1 {
            let value = statistic(values)
            return (value, value)
        }
        var generator = RandomGenerator(seed: seed)
        var resample = values
        var estimates: [Double] = []
        estimates.reserveCapacity(resamples)
        for _ in 0..<resamples {
            for index in resample.indices { resample[index] = values[generator.nextIndex(below: values.count)] }
            estimates.append(statistic(resample))
        }
        guard !estimates.contains(where: \.isNaN) else { return missing }
        estimates.sort()
        let tail = (1 - confidence) / 2
        return (quantile(estimates, tail), quantile(estimates, 1 - tail))
    }

    /// The interquartile mean of `values` with its percentile-bootstrap confidence interval (see
    /// ``bootstrapInterval(_:confidence:resamples:seed:statistic:)``).
    public static func summary(
        _ values: [Double], confidence: Double = 0.95, resamples: Int = 2000, seed: UInt64 = 0
    ) -> Summary {
        let interval = bootstrapInterval(values, confidence: confidence, resamples: resamples, seed: seed)
        return Summary(
            interquartileMean: interquartileMean(values), lower: interval.lower, upper: interval.upper,
            count: values.count)
    }

    /// The `probability` quantile of non-empty ascending `sorted`, interpolating linearly between
    /// neighbours like `numpy.percentile`; never outside the two neighbours.
    static func quantile(_ sorted: [Double], _ probability: Double) -> Double {
        let position = probability * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = Swift.min(below + 1, sorted.count - 1)
        let low = sorted[below], high = sorted[above]
        let value = low + (high - low) * (position - Double(below))
        return Swift.min(Swift.max(value, low), high)
    }
}
