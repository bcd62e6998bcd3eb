import Algorithms
import Testing
@testable import Studies

// Expected interquartile means follow scipy.stats.trim_mean(values, 0.25), worked by hand: sort,
// drop ⌊n/4⌋ values from each end, average the rest.
@Test(arguments: [
    ([7], 7.0),                                  // n = 1: cut 0
    ([1, 9], 5.0),                               // n = 2: cut 0, (1 + 9) / 2
    ([1, 2, 30], 11.0),                          // n = 3: cut 0, 33 / 3
    ([1, 2, 3, 4], 2.5),                         // n = 4: cut 1, (2 + 3) / 2
    ([1, 2, 3, 4, 5, 6, 7, 8], 4.5),             // n = 8: cut 2, (3 + 4 + 5 + 6) / 4
    ([10, 1, 100, 2, 3, 4, 5, 6], 4.5),          // sorted 1 2 3 4 5 6 10 100: the outliers 10, 100 are cut
    ([5, -1, 3, 2, 100], 10.0 / 3),              // n = 5: cut 1, sorted -1 2 3 5 100 → (2 + 3 + 5) / 3
] as [([Double], Double)])
func interquartileMeanMatchesTheTrimMeanRule(values: [Double], expected: Double) {
    #expect(abs(StudyStatistics.interquartileMean(values) - expected) < 1e-12)
}

// Cross-checked against scipy 1.17.1: scipy.stats.trim_mean(values, 0.25) printed these values.
@Test(arguments: [
    ([0.31, 0.72, 0.05, 0.98, 0.44, 0.61, 0.27], 0.4699999999999999),
    ([12.5, 3.25, 7.0, 9.75, 1.5, 15.0, 4.5, 6.25, 11.0, 2.0], 6.958333333333333),
    ([0.9, 0.1, 0.5, 0.7, 0.3, 0.2, 0.8, 0.6, 0.4, 0.0, 1.0, 0.55, 0.45], 0.5),
] as [([Double], Double)])
func interquartileMeanAgreesWithSciPy(values: [Double], scipy: Double) {
    #expect(abs(StudyStatistics.interquartileMean(values) - scipy) < 1e-12)
}

@Test func interquartileMeanIsNaNForNoValuesOrANaN() {
    #expect(StudyStatistics.interquartileMean([]).isNaN)
    #expect(StudyStatistics.interquartileMean([1, .nan, 3]).isNaN)
}

@Test func interquartileMeanOfIdenticalValuesIsExact() {
    #expect(StudyStatistics.interquartileMean(Array(repeating: 0.1, count: 7)) == 0.1)
}

@Test func bootstrapIntervalContainsTheInterquartileMeanAndIsDeterministic() {
    let values = [0.31, 0.72, 0.05, 0.98, 0.44, 0.61, 0.27, 0.52, 0.66, 0.12]
    let interval = StudyStatistics.bootstrapInterval(values, seed: 7)
    let iqm = StudyStatistics.interquartileMean(values)
    #expect(interval.lower < iqm && iqm < interval.upper)
    let again = StudyStatistics.bootstrapInterval(values, seed: 7)
    #expect(again.lower == interval.lower && again.upper == interval.upper)
    let other = StudyStatistics.bootstrapInterval(values, seed: 8)
    #expect(other.lower != interval.lower || other.upper != interval.upper)
}

@Test func bootstrapIntervalNarrowsWhenTheValuesAgree() {
    let offsets = [-1.0, 0.4, -0.3, 0.9, 0.1, -0.7, 0.6, -0.2, 0.3, -0.5]
    let spread = StudyStatistics.bootstrapInterval(offsets.map { 0.5 + 0.3 * $0 })
    let agreeing = StudyStatistics.bootstrapInterval(offsets.map { 0.5 + 0.01 * $0 })
    #expect(agreeing.upper - agreeing.lower < (spread.upper - spread.lower) / 10)
}

@Test func bootstrapIntervalOfIdenticalOrSingleValuesIsThatValue() {
    let identical = StudyStatistics.bootstrapInterval(Array(repeating: 0.1, count: 6))
    #expect(identical.lower == 0.1 && identical.upper == 0.1)
    let single = StudyStatistics.bootstrapInterval([0.37])
    #expect(single.lower == 0.37 && single.upper == 0.37)
}

@Test func bootstrapIntervalIsNaNForInvalidInput() {
    for interval in [
        StudyStatistics.bootstrapInterval([]),
        StudyStatistics.bootstrapInterval([1, 2, 3], confidence: 1),
        StudyStatistics.bootstrapInterval([1, 2, 3], confidence: 0),
        StudyStatistics.bootstrapInterval([1, 2, 3], resamples: 0),
        StudyStatistics.bootstrapInterval([1, .nan, 3]),
    ] {
        #expect(interval.lower.isNaN && interval.upper.isNaN)
    }
}

@Test func bootstrapIntervalUsesTheGivenStatistic() {
    let values = [1.0, 2, 3, 4, 5, 6, 7, 8]
    let maximum = StudyStatistics.bootstrapInterval(values) { $0.max()! }
    #expect(maximum.upper == 8)
    #expect(maximum.lower > StudyStatistics.bootstrapInterval(values).lower)
}

@Test func quantileInterpolatesLikeNumPy() {
    // numpy.percentile([1, 2, 3, 4, 5], [0, 2.5, 50, 97.5, 100]) = [1, 1.1, 3, 4.9, 5]
    let sorted = [1.0, 2, 3, 4, 5]
    #expect(StudyStatistics.quantile(sorted, 0) == 1)
    #expect(abs(StudyStatistics.quantile(sorted, 0.025) - 1.1) < 1e-12)
    #expect(StudyStatistics.quantile(sorted, 0.5) == 3)
    #expect(abs(StudyStatistics.quantile(sorted, 0.975) - 4.9) < 1e-12)
    #expect(StudyStatistics.quantile(sorted, 1) == 5)
}

@Test(arguments: 0..<25)
func bootstrapIntervalBracketsTheEstimateWithinTheData(seed: Int) {
    var generator = RandomGenerator(seed: UInt64(seed) &* 0x9E37_79B9)
    let count = 1 + generator.nextIndex(below: 30)
    let scale = [0.01, 1, 1000][generator.nextIndex(below: 3)]
    // Uniform values, and on every third seed heavy-tailed ones (products of two normals) that skew
    // the bootstrap distribution.
    let values = (0..<count).map { _ in
        seed % 3 == 0 ? scale * generator.nextNormal() * generator.nextNormal() : scale * generator.nextUniform()
    }
    let summary = StudyStatistics.summary(values, seed: UInt64(seed))
    #expect(summary.count == count)
    #expect(summary.lower <= summary.interquartileMean && summary.interquartileMean <= summary.upper, "\(values)")
    #expect(summary.lower >= values.min()! && summary.upper <= values.max()!)
}
