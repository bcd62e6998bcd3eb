import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Plots
import Testing

/// Parses `xml` into its elements in document order; fails the test when it is not well-formed.
private func svgElements(_ xml: String) -> [(name: String, attributes: [String: String])] {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes))
        }
    }
    let parser = XMLParser(data: Data(xml.utf8))
    let collector = Collector()
    parser.delegate = collector
    let parsed = parser.parse()
    #expect(parsed, "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
    return collector.elements
}

/// The coordinates of a `points` attribute ("x,y x,y …").
private func coordinates(_ points: String?) -> [(x: Double, y: Double)] {
    (points ?? "").split(separator: " ").map { pair in
        let parts = pair.split(separator: ",").map { Double($0)! }
        return (parts[0], parts[1])
    }
}

@Test func aBandIsOneTranslucentPolygonUnderTheLinesSpanningItsRange() {
    // The band spans 0...1, which fits exactly to the y range 0...1, so its outline reaches the
    // plot area's top (y = 34) and bottom (34 + 360 - 34 - 48 = 312); the line alone spans 0.2...0.8.
    let band = [(x: 0.0, lower: 0.0, upper: 0.5), (x: 1, lower: 0.1, upper: 0.7), (x: 2, lower: .nan, upper: 0.9),
                (x: 3, lower: 0.6, upper: 1.0)]
    let chart = LineChart(
        title: "IQM & 95 % interval", xLabel: "steps", yLabel: "success",
        series: [
            .init(label: "plain", points: [(0, 0.3), (3, 0.4)]),
            .init(label: "with band", points: [(0, 0.2), (1, 0.4), (3, 0.8)], color: "#D55E00", band: band),
        ])
    let elements = svgElements(chart.svg.xml)
    let polygons = elements.filter { $0.name == "polygon" }
    #expect(polygons.count == 1)
    #expect(elements.filter { $0.name == "polyline" }.count == 2)
    guard let polygon = polygons.first else { return }
    #expect(polygon.attributes["fill"] == "#D55E00")
    #expect(polygon.attributes["fill-opacity"] == "0.2")
    #expect(polygon.attributes["stroke"] == "none")
    // Three finite entries: three points along the upper edge and three back along the lower one.
    let outline = coordinates(polygon.attributes["points"])
    #expect(outline.count == 6)
    #expect(outline.map(\.y).min() == 34 && outline.map(\.y).max() == 312)
    let line = coordinates(elements.last { $0.name == "polyline" }?.attributes["points"])
    #expect(line.allSatisfy { $0.y > 34 && $0.y < 312 })
    // Drawn before every line, so the lines stay on top.
    let polygonIndex = elements.firstIndex { $0.name == "polygon" }!
    #expect(elements.firstIndex { $0.name == "polyline" }! > polygonIndex)
}

@Test func theFittedRangesCoverABandBeyondThePoints() {
    let chart = LineChart(
        title: "wide band", xLabel: "x", yLabel: "y",
        series: [.init(label: "a", points: [(1, 5), (2, 6)], band: [(0, -20, 10), (4, 0, 40)])])
    let elements = svgElements(chart.svg.xml)
    let frame = elements.first { $0.name == "rect" && $0.attributes["fill"] == "none" }!.attributes
    let (left, top) = (Double(frame["x"]!)!, Double(frame["y"]!)!)
    let (right, bottom) = (left + Double(frame["width"]!)!, top + Double(frame["height"]!)!)
    let outline = coordinates(elements.first { $0.name == "polygon" }?.attributes["points"])
    #expect(outline.count == 4)
    #expect(outline.allSatisfy { $0.x >= left && $0.x <= right && $0.y >= top && $0.y <= bottom })
}

@Test func bandsWithFewerThanTwoEntriesDrawNothing() {
    for band in [[], [(x: 1.0, lower: 0.0, upper: 1.0)]] {
        let chart = LineChart(
            title: "t", xLabel: "x", yLabel: "y", series: [.init(label: "a", points: [(0, 0), (1, 1)], band: band)])
        #expect(!chart.svg.xml.contains("<polygon"))
    }
}

@Test func chartsWithoutBandsAreUnchanged() {
    let series: [LineChart.Series] = [
        .init(label: "a", points: [(0, 0.2), (1, 0.5), (2, .nan), (3, 0.9)]),
        .init(label: "b", points: [(0, 1), (3, 0.1)], color: "#123456", band: nil),
    ]
    let xml = LineChart(title: "t", xLabel: "x", yLabel: "y", series: series, width: 200, height: 120).svg.xml
    // Recorded from LineChart before bands existed (commit 384e28d): element counts, the lines'
    // points, and the whole text's length and 64-bit FNV-1a hash.
    let names = svgElements(xml).map(\.name)
    let counts = Dictionary(names.map { ($0, 1) }, uniquingKeysWith: +)
    #expect(counts == ["svg": 1, "rect": 3, "text": 18, "line": 15, "polyline": 2, "circle": 5])
    #expect(xml.contains(##"<polyline points="64,64.4 104,53 184,37.8" fill="none" stroke="#0072B2""##))
    #expect(xml.contains(##"<polyline points="64,34 184,68.2" fill="none" stroke="#123456""##))
    #expect(xml.utf8.count == 4287)
    let hash = xml.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    #expect(hash == 0x4850_4ce0_6567_b5bc)
}
