import Environments
import Foundation

/// A top view of a maze, drawn as its grid is written (row 0 at the top, column 0 at the left;
/// world x grows downwards with the row, world y to the right with the column), with optional
/// trajectories, goals and a heat map over the free space.
public struct MazePicture: Sendable {
    /// One recorded path of the agent's achieved goal (x, y) in world coordinates.
    public struct Path: Sendable {
        /// The positions, one per step, starting at the reset.
        public var points: [(x: Double, y: Double)]
        /// The goal of the episode.
        public var goal: (x: Double, y: Double)
        /// Whether the episode came within the success threshold at some step.
        public var reachedGoal: Bool
        /// Why the episode terminated early, when it did and its task says why
        /// (`TerminationExplaining`); otherwise `nil`.
        public var terminationCause: String?

        /// Creates a path.
        public init(
            points: [(x: Double, y: Double)], goal: (x: Double, y: Double), reachedGoal: Bool, terminationCause: String? = nil
        ) {
            self.points = points
            self.goal = goal
            self.reachedGoal = reachedGoal
            self.terminationCause = terminationCause
        }
    }

    /// Values drawn as coloured squares centred on world positions (a heat map).
    public struct Heat: Sendable {
        /// Sample positions (world coordinates) and their values.
        public var samples: [(x: Double, y: Double, value: Double)]
        /// Side of each square in metres.
        public var squareSize: Double
        /// What the values mean, for the colour bar.
        public var label: String

        /// Creates a heat map layer.
        public init(samples: [(x: Double, y: Double, value: Double)], squareSize: Double, label: String) {
            self.samples = samples
            self.squareSize = squareSize
            self.label = label
        }
    }

    /// The maze.
    public var layout: MazeLayout
    /// Side of a cell in metres (`PointMazeConfiguration.cellSize`).
    public var cellSize: Double
    /// Radius of the circle drawn around each goal (the success threshold), in metres.
    public var successThreshold: Double
    /// Paths to draw over the maze.
    public var paths: [Path] = []
    /// An optional heat map drawn under the paths.
    public var heat: Heat?
    /// Extra goal markers (for example the goal of a heat map).
    public var markedGoals: [(x: Double, y: Double)] = []
    /// The picture's title.
    public var title: String
    /// Pixels per maze cell.
    public var pixelsPerCell: Double = 64

    /// A picture of `maze`'s layout at its cell size and success threshold.
    public init(maze: PointMaze, title: String) {
        self.init(
            layout: maze.layout, cellSize: Double(maze.configuration.cellSize),
            successThreshold: Double(maze.successThreshold), title: title)
    }

    /// A picture of `layout` with cells of `cellSize` metres.
    public init(layout: MazeLayout, cellSize: Double, successThreshold: Double, title: String) {
        self.layout = layout
        self.cellSize = cellSize
        self.successThreshold = successThreshold
        self.title = title
    }

    /// The picture: one grey `rect` per wall cell, heat squares, a `polyline` per
    /// path (green when it reached its goal, red otherwise), a `circle` per start and goal.
    public var svg: SVGDocument {
        let margin = 12.0, titleHeight = 30.0, barWidth = heat == nil ? 0.0 : 90.0
        let mazeWidth = Double(layout.columns) * pixelsPerCell, mazeHeight = Double(layout.rows) * pixelsPerCell
        var document = SVGDocument(width: mazeWidth + 2 * margin + barWidth, height: mazeHeight + 2 * margin + titleHeight + 30)
        let originX = margin, originY = margin + titleHeight
        let scale = pixelsPerCell / cellSize
        // World (x from the row, y from the column) to pixels; cell centres sit at (i + ½, j + ½) cells.
        func pixel(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
            (originX + (y / cellSize + 0.5) * pixelsPerCell, originY + (x / cellSize + 0.5) * pixelsPerCell)
        }
        document.text(title, x: margin, y: margin + 16, size: 14, bold: true)
        document.rectangle(x: originX, y: originY, width: mazeWidth, height: mazeHeight, fill: "#fafafa")

        if let heat, !heat.samples.isEmpty {
            let values = heat.samples.map(\.value).filter(\.isFinite)
            let low = values.min() ?? 0, high = Swift.max(values.max() ?? 1, low + 1e-9)
            let side = heat.squareSize * scale
            for sample in heat.samples {
                let centre = pixel(sample.x, sample.y)
                document.rectangle(
                    x: centre.x - side / 2, y: centre.y - side / 2, width: side, height: side,
                    fill: viridis((sample.value - low) / (high - low)),
                    title: String(format: "(%.2f, %.2f): %.3f", sample.x, sample.y, sample.value))
            }
            colorBar(into: &document, x: originX + mazeWidth + 24, y: originY, height: mazeHeight, low: low, high: high, label: heat.label)
        }
        for row in 0..<layout.rows {
            for column in 0..<layout.columns where layout[row, column] == .wall {
                document.rectangle(
                    x: originX + Double(column) * pixelsPerCell, y: originY + Double(row) * pixelsPerCell,
                    width: pixelsPerCell, height: pixelsPerCell, fill: "#4a4a4a")
            }
        }
        for start in layout.startCells {
            let centre = pixel(Double(start.row) * cellSize, Double(start.column) * cellSize)
            document.circle(cx: centre.x, cy: centre.y, radius: 5, fill: "#0072B2", title: "start cell")
        }
        for path in paths {
            let color = path.reachedGoal ? "#009E73" : "#D55E00"
            document.polyline(path.points.map { pixel($0.x, $0.y) }, stroke: color, width: 2, opacity: 0.8)
            if let first = path.points.first {
                let p = pixel(first.x, first.y)
                document.circle(cx: p.x, cy: p.y, radius: 3, fill: color)
            }
        }
        for goal in paths.map(\.goal) + markedGoals {
            let centre = pixel(goal.x, goal.y)
            document.circle(cx: centre.x, cy: centre.y, radius: successThreshold * scale, fill: "none", stroke: "#CC79A7", strokeWidth: 2.5, title: "goal")
            document.circle(cx: centre.x, cy: centre.y, radius: 2.5, fill: "#CC79A7")
        }
        let captionY = originY + mazeHeight + 18
        if !paths.isEmpty {
            let reached = paths.filter(\.reachedGoal).count
            document.text("\(reached) of \(paths.count) episodes reached their goal (green)", x: margin, y: captionY, size: 11, fill: "#555")
            document.text("others red; blue: start cells; pink: goals", x: margin, y: captionY + 14, size: 11, fill: "#555")
        } else if heat != nil {
            document.text("pink: the goal (ring = success threshold)", x: margin, y: captionY, size: 11, fill: "#555")
            document.text("blue: start cells; grey: walls", x: margin, y: captionY + 14, size: 11, fill: "#555")
        }
        return document
    }

    private func colorBar(into document: inout SVGDocument, x: Double, y: Double, height: Double, low: Double, high: Double, label: String) {
        let steps = 32
        for step in 0..<steps {
            let fraction = 1 - (Double(step) + 0.5) / Double(steps)
            document.rectangle(x: x, y: y + Double(step) * height / Double(steps), width: 14, height: height / Double(steps) + 0.5, fill: viridis(fraction))
        }
        document.rectangle(x: x, y: y, width: 14, height: height, fill: "none", stroke: "#555")
        document.text(String(format: "%.2f", high), x: x + 18, y: y + 10, size: 10)
        document.text(String(format: "%.2f", low), x: x + 18, y: y + height, size: 10)
        document.text(label, x: x + 40, y: y + height / 2, size: 11, anchor: .middle, rotation: 90)
    }
}

/// The viridis colour map at `fraction` in [0, 1] (clamped), as `#rrggbb`.
public func viridis(_ fraction: Double) -> String {
    let anchors: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ]
    let t = fraction.isFinite ? Swift.min(Swift.max(fraction, 0), 1) * Double(anchors.count - 1) : 0
    let index = Swift.min(Int(t), anchors.count - 2), weight = t - Double(index)
    let (a, b) = (anchors[index], anchors[index + 1])
    func mix(_ u: Double, _ v: Double) -> Int { Int((u + (v - u) * weight).rounded()) }
    return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}
