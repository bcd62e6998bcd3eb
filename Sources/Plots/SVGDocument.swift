import Foundation

/// A minimal SVG 1.1 writer: shapes and text appended in drawing order, rendered as one
/// well-formed XML document. Coordinates are in pixels, y pointing down.
public struct SVGDocument: Sendable {
    /// Width of the picture in pixels.
    public var width: Double
    /// Height of the picture in pixels.
    public var height: Double
    /// The elements drawn so far, as XML.
    public private(set) var elements: [String] = []

    /// An empty picture of the given size with a white background.
    public init(width: Double, height: Double, background: String? = "white") {
        self.width = width
        self.height = height
        if let background {
            rectangle(x: 0, y: 0, width: width, height: height, fill: background)
        }
    }

    /// Appends a rectangle.
    public mutating func rectangle(
        x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
        strokeWidth: Double = 1, title: String? = nil
    ) {
        var attributes = "x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(width))\" height=\"\(format(height))\" fill=\"\(escape(fill))\""
        if let stroke { attributes += " stroke=\"\(escape(stroke))\" stroke-width=\"\(format(strokeWidth))\"" }
        append("rect", attributes, title: title)
    }

    /// Appends a line segment.
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dashed: Bool = false) {
        var attributes = "x1=\"\(format(x1))\" y1=\"\(format(y1))\" x2=\"\(format(x2))\" y2=\"\(format(y2))\" stroke=\"\(escape(stroke))\" stroke-width=\"\(format(width))\""
        if dashed { attributes += " stroke-dasharray=\"4 3\"" }
        append("line", attributes)
    }

    /// Appends an open polyline through `points` (nothing for fewer than two points).
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5, opacity: Double = 1) {
        guard points.count >= 2 else { return }
        let list = points.map { "\(format($0.x)),\(format($0.y))" }.joined(separator: " ")
        append("polyline", "points=\"\(list)\" fill=\"none\" stroke=\"\(escape(stroke))\" stroke-width=\"\(format(width))\" stroke-opacity=\"\(format(opacity))\" stroke-linejoin=\"round\" stroke-linecap=\"round\"")
    }

    /// Appends a closed polygon through `points`, filled and without an outline (nothing for
    /// fewer than three points).
    public mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, opacity: Double = 1) {
        guard points.count >= 3 else { return }
        let list = points.map { "\(format($0.x)),\(format($0.y))" }.joined(separator: " ")
        append("polygon", "points=\"\(list)\" fill=\"\(escape(fill))\" fill-opacity=\"\(format(opacity))\" stroke=\"none\"")
    }

    /// Appends a circle.
    public mutating func circle(cx: Double, cy: Double, radius: Double, fill: String, stroke: String? = nil, strokeWidth: Double = 1, title: String? = nil) {
        var attributes = "cx=\"\(format(cx))\" cy=\"\(format(cy))\" r=\"\(format(radius))\" fill=\"\(escape(fill))\""
        if let stroke { attributes += " stroke=\"\(escape(stroke))\" stroke-width=\"\(format(strokeWidth))\"" }
        append("circle", attributes, title: title)
    }

    /// Text anchors.
    public enum Anchor: String, Sendable {
        case start, middle, end
    }

    /// Appends text with its baseline at (`x`, `y`), optionally rotated by `rotation` degrees about that point.
    public mutating func text(
        _ string: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start, fill: String = "#222",
        bold: Bool = false, rotation: Double = 0
    ) {
        var attributes = "x=\"\(format(x))\" y=\"\(format(y))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"\(format(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(escape(fill))\""
        if bold { attributes += " font-weight=\"bold\"" }
        if rotation != 0 { attributes += " transform=\"rotate(\(format(rotation)) \(format(x)) \(format(y)))\"" }
        elements.append("<text \(attributes)>\(escape(string))</text>")
    }

    /// Draws `other` with its top-left corner at (`x`, `y`) (its background included).
    public mutating func embed(_ other: SVGDocument, x: Double, y: Double) {
        elements.append("<g transform=\"translate(\(format(x)) \(format(y)))\">")
        elements.append(contentsOf: other.elements)
        elements.append("</g>")
    }

    /// The document as XML text.
    public var xml: String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(format(width))\" height=\"\(format(height))\" viewBox=\"0 0 \(format(width)) \(format(height))\">\n"
        for element in elements { text += element + "\n" }
        text += "</svg>\n"
        return text
    }

    /// Writes ``xml`` to `url` atomically.
    public func write(to url: URL) throws {
        try Data(xml.utf8).write(to: url, options: .atomic)
    }

    private mutating func append(_ name: String, _ attributes: String, title: String? = nil) {
        if let title {
            elements.append("<\(name) \(attributes)><title>\(escape(title))</title></\(name)>")
        } else {
            elements.append("<\(name) \(attributes)/>")
        }
    }
}

/// A number with at most two decimals and no trailing zeros, for attributes.
func format(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    return String(format: "%.2f", rounded).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
}

/// Escapes the five XML special characters.
func escape(_ string: String) -> String {
    var result = ""
    result.reserveCapacity(string.count)
    for character in string {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        default: result.append(character)
        }
    }
    return result
}
