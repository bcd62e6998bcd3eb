import Environments
import Foundation

/// Maze walls as MJCF boxes, and the model text with walls inserted.
///
/// Cell (row i, column j) is centred at x = i·cellSize, y = j·cellSize (CRL-FACTS). Each run of
/// wall cells along a row (consecutive columns) becomes one box of half-size
/// (cellSize/2, run·cellSize/2, height/2) standing on the floor, so the walls tile the wall cells
/// exactly; merging runs keeps the number of geoms (and collision pairs) small. Walls collide
/// with everything (`contype` = `conaffinity` = 1).
enum MazeWalls {
    /// The marker in a bundled model file where walls or fixtures are inserted.
    static let wallMarker = "<!--DEEPCRL-WALLS-->"

    /// The bundled model `name` with the walls of `layout` inserted (none when `layout` is nil)
    /// and the `replacements` (marker, text) made, loaded once per distinct text; also returns the
    /// description used in error messages.
    static func model(
        bundled name: String, layout: MazeLayout?, cellSize: Double, wallHeight: Double,
        replacing replacements: [(marker: String, text: String)] = []
    ) throws -> (model: MuJoCoModel, source: String) {
        let file = "Models/\(name).xml"
        let walls = layout.map { geoms(layout: $0, cellSize: cellSize, height: wallHeight) } ?? ""
        var xml = try inserting(walls, at: wallMarker, into: MuJoCoModel.bundledXML(named: name), source: file)
        for (marker, text) in replacements { xml = try inserting(text, at: marker, into: xml, source: file) }
        let source = layout.map { "\(file) in maze \($0)" } ?? file
        return (try MuJoCoModel.shared(xml: xml, source: source), source)
    }

    /// The `<geom>` elements of the walls of `layout`.
    static func geoms(layout: MazeLayout, cellSize: Double, height: Double) -> String {
        var lines: [String] = []
        for row in 0..<layout.rows {
            var column = 0
            while column < layout.columns {
                guard layout[row, column] == .wall else {
                    column += 1
                    continue
                }
                let first = column
                while column < layout.columns && layout[row, column] == .wall { column += 1 }
                let last = column - 1
                let x = Double(row) * cellSize
                let y = Double(first + last) / 2 * cellSize
                let halfLength = Double(last - first + 1) * cellSize / 2
                lines.append(
                    "<geom name=\"wall_\(row)_\(first)\" type=\"box\" pos=\"\(x) \(y) \(height / 2)\" "
                        + "size=\"\(cellSize / 2) \(halfLength) \(height / 2)\" contype=\"1\" conaffinity=\"1\" "
                        + "condim=\"3\" rgba=\"0.55 0.55 0.6 1\"/>")
            }
        }
        return lines.joined(separator: "\n    ")
    }

    /// `xml` with `insertion` in place of `marker`; throws when the marker is missing.
    static func inserting(_ insertion: String, at marker: String, into xml: String, source: String) throws -> String {
        guard xml.contains(marker) else {
            throw MuJoCoError.unexpectedModel(model: source, detail: "no \(marker) marker to insert walls, fixtures or settings at")
        }
        return xml.replacingOccurrences(of: marker, with: insertion)
    }
}
