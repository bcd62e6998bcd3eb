import Foundation

/// A line chart: one or more named series of (x, y) points on linear axes, with ticks, grid and
/// a legend. Points with a non-finite coordinate are skipped.
public struct LineChart: Sendable {
    /// One line of the chart.
    public struct Series: Sendable {
        /// The legend entry.
        public var label: String
        /// The points, in drawing order.
        public var points: [(x: Double, y: Double)]
        /// Stroke colour; nil picks the next colour of ``LineChart/palette``.
        public var color: String?
        /// A shaded band from `lower` to `upper` at each `x` (a confidence interval, say), drawn
        /// under the lines in the series colour; entries with a non-finite value are skipped.
        public var band: [(x: Double, lower: Double, upper: Double)]?

        /// Creates a series, optionally with a band around it.
        public init(
            label: String, points: [(x: Double, y: Double)], color: String? = nil,
            band: [(x: Double, lower: Double, upper: Double)]? = nil
        ) {
            self.label = label
            self.points = points
            self.color = color
            self.band = band
        }
    }

    /// Colours given to series in order (colour-blind-safe, after Okabe and Ito).
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    /// The chart's title, drawn above the plot area.
    public var title: String
    /// The x-axis label.
    public var xLabel: String
    /// The y-axis label.
    public var yLabel: String
    /// The lines.
    public var series: [Series]
    /// Fixed y range; nil fits the data.
    public var yRange: ClosedRange<Double>?
    /// Picture size in pixels.
    public var width: Double
    /// Picture size in pixels.
    public var height: Double

    /// Creates a chart.
    public init(
        title: String, xLabel: String, yLabel: String, series: [Series], yRange: ClosedRange<Double>? = nil,
        width: Double = 640, height: Double = 360
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
        self.width = width
        self.height = height
    }

    /// The chart as an SVG picture: one translucent `polygon` per band with at least two entries
    /// (under the legend and the lines), one `polyline` per series with at least two points, a
    /// `circle` per point, axes with ticks and a legend. Fitted ranges cover the bands.
    public var svg: SVGDocument {
        var document = SVGDocument(width: width, height: height)
        let left = 64.0, right = 16.0, top = 34.0, bottom = 48.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let bands = series.map { ($0.band ?? []).filter { $0.x.isFinite && $0.lower.isFinite && $0.upper.isFinite } }
        let bandEntries = bands.joined()
        let xs = niceRange(finite.map(\.x) + bandEntries.map(\.x), fallback: 0...1)
        let ys = yRange ?? niceRange(finite.map(\.y) + bandEntries.flatMap { [$0.lower, $0.upper] }, fallback: 0...1)
        func px(_ x: Double) -> Double { left + (x - xs.lowerBound) / (xs.upperBound - xs.lowerBound) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - (y - ys.lowerBound) / (ys.upperBound - ys.lowerBound)) * plotHeight }

        document.text(title, x: left, y: 20, size: 14, bold: true)
        for tick in ticks(ys) {
            document.line(x1: left, y1: py(tick), x2: left + plotWidth, y2: py(tick), stroke: "#e5e5e5")
            document.text(tickLabel(tick), x: left - 6, y: py(tick) + 4, size: 11, anchor: .end, fill: "#555")
        }
        for tick in ticks(xs) {
            document.line(x1: px(tick), y1: top + plotHeight, x2: px(tick), y2: top + plotHeight + 4, stroke: "#555")
            document.text(tickLabel(tick), x: px(tick), y: top + plotHeight + 17, size: 11, anchor: .middle, fill: "#555")
        }
        document.rectangle(x: left, y: top, width: plotWidth, height: plotHeight, fill: "none", stroke: "#555")
        document.text(xLabel, x: left + plotWidth / 2, y: height - 10, size: 12, anchor: .middle)
        document.text(yLabel, x: 16, y: top + plotHeight / 2, size: 12, anchor: .middle, rotation: -90)

        func seriesColor(_ index: Int) -> String { series[index].color ?? Self.palette[index % Self.palette.count] }
        // The outline runs along the upper edge, then back along the lower edge.
        for (index, band) in bands.enumerated() where band.count >= 2 {
            let outline = band.map { (x: px($0.x), y: py($0.upper)) } + band.reversed().map { (x: px($0.x), y: py($0.lower)) }
            document.polygon(outline, fill: seriesColor(index), opacity: 0.2)
        }
        if !series.isEmpty {
            let longest = Double(series.map(\.label.count).max() ?? 0)
            document.rectangle(
                x: left + 4, y: top + 3, width: 36 + longest * 6.5, height: Double(series.count) * 16 + 2,
                fill: "white", stroke: "#ddd")
        }
        for (index, line) in series.enumerated() {
            let color = seriesColor(index)
            let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }.map { (x: px($0.x), y: py($0.y)) }
            document.polyline(points, stroke: color, width: 2)
            for point in points { document.circle(cx: point.x, cy: point.y, radius: 2.5, fill: color) }
            let legendY = top + 14 + Double(index) * 16
            document.line(x1: left + 10, y1: legendY - 4, x2: left + 28, y2: legendY - 4, stroke: color, width: 2.5)
            document.text(line.label, x: left + 33, y: legendY, size: 11)
        }
        return document
    }
}

/// Stacks pictures vertically into one.
public func stacked(_ pictures: [SVGDocument]) -> SVGDocument {
    let width = pictures.map(\.width).max() ?? 0
    var document = SVGDocument(width: width, height: pictures.map(\.height).reduce(0, +))
    var y = 0.0
    for picture in pictures {
        document.embed(picture, x: 0, y: y)
        y += picture.height
    }
    return document
}

/// The data's range widened to round tick values (a degenerate range is padded).
func niceRange(_ values: [Double], fallback: ClosedRange<Double>) -> ClosedRange<Double> {
    guard var low = values.min(), var high = values.max() else { return fallback }
    if high - low < 1e-12 {
        let pad = Swift.max(abs(low) * 0.1, 1e-3)
        low -= pad
        high += pad
    }
    let step = tickStep(high - low)
    return (low / step).rounded(.down) * step...(high / step).rounded(.up) * step
}

/// A round step (1, 2 or 5 times a power of ten) giving about five ticks over `span`.
func tickStep(_ span: Double) -> Double {
    let raw = span / 5
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let fraction = raw / magnitude
    return (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * magnitude
}

/// Tick values inside `range` at the round step.
func ticks(_ range: ClosedRange<Double>) -> [Double] {
    let step = tickStep(range.upperBound - range.lowerBound)
    var value = (range.lowerBound / step).rounded(.up) * step
    var result: [Double] = []
    while value <= range.upperBound + step * 1e-6, result.count < 50 {
        result.append(abs(value) < step * 1e-9 ? 0 : value)
        value += step
    }
    return result
}

/// A short tick label: 1.2M, 400k, 0.25, 12.
func tickLabel(_ value: Double) -> String {
    let magnitude = abs(value)
    if magnitude >= 1e6 { return trimmed(value / 1e6) + "M" }
    if magnitude >= 1e4 { return trimmed(value / 1e3) + "k" }
    return trimmed(value)
}

private func trimmed(_ value: Double) -> String {
    var text = String(format: "%.3f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
}
