/// The walls of a maze as a padded occupancy grid, and the collision sweep of the ball against them.
///
/// Collision model (ours; JaxGCRL lets MuJoCo resolve sphere–box contacts):
/// - The ball collides as its axis-aligned bounding square (side 2·radius). Because the square
///   contains the disc, the disc never overlaps a wall; at a convex wall corner the ball may stop
///   up to radius·(√2 − 1) ≈ 0.1 m earlier than a round body would.
/// - Each substep moves along x, then along y. Each move is swept: every cell row (or column)
///   between the ball's leading face and its target is checked, so no speed lets the ball pass
///   through a wall. A blocked move stops the ball flush against the wall face and zeroes the
///   velocity component pointing into it (a perfectly inelastic contact, no friction); the other
///   component is untouched, so the ball slides along walls.
/// - Faces that merely touch the ball (within ``contactTolerance``) do not block motion parallel
///   to them; a leading face that went past a wall face by less than the tolerance is pushed
///   back flush.
/// - A step whose reachable box (from the current speed and action) touches no wall skips the
///   sweeps and runs the same arithmetic without them, which is what makes open space cheap.
///
/// Layout: walls are a row-major `[Bool]` of `(rows + 2) × (columns + 2)` cells with a border of
/// walls, so a sweep needs no bounds logic (it stops at the border at the latest) and touches only
/// the one or two cells the ball's cross-section spans, per cell crossed.
struct WallGrid: Sendable {
    let cellSize: Float
    let inverseCellSize: Float
    let radius: Float
    let rows: Int
    let columns: Int
    let paddedColumns: Int
    let walls: [Bool]

    /// Distance within which a face counts as touching rather than overlapping.
    static let contactTolerance: Float = 1e-5

    init(layout: MazeLayout, cellSize: Float, radius: Float) {
        self.cellSize = cellSize
        inverseCellSize = 1 / cellSize
        self.radius = radius
        rows = layout.rows
        columns = layout.columns
        paddedColumns = layout.columns + 2
        var walls = [Bool](repeating: true, count: (layout.rows + 2) * paddedColumns)
        for row in 0..<layout.rows {
            for column in 0..<layout.columns where layout[row, column] != .wall {
                walls[(row + 1) * paddedColumns + column + 1] = false
            }
        }
        self.walls = walls
    }

    /// The index of the cell (row along x, column along y) that contains a coordinate.
    /// (Truncation plus a correction is a floor that baseline x86-64 does without a libm call.)
    @inline(__always)
    func cellIndex(_ coordinate: Float) -> Int {
        let scaled = coordinate * inverseCellSize + 0.5
        let truncated = Int(scaled)
        return Float(truncated) > scaled ? truncated - 1 : truncated
    }

    /// Whether any wall cell overlaps or touches (within the contact tolerance) the box
    /// `x ∈ xLow...xHigh`, `y ∈ yLow...yHigh`. Conservative on purpose: it decides when collision
    /// sweeps may be skipped for a whole step, so a ball resting against a wall is always swept.
    @inline(__always)
    func touchesWall(xLow: Float, xHigh: Float, yLow: Float, yHigh: Float) -> Bool {
        let firstRow = cellIndex(xLow - Self.contactTolerance), lastRow = cellIndex(xHigh + Self.contactTolerance)
        let firstColumn = cellIndex(yLow - Self.contactTolerance)
        let lastColumn = cellIndex(yHigh + Self.contactTolerance)
        // Reaching the border (all wall) counts as touching; this also keeps the scan inside the grid.
        if firstRow < 0 || firstColumn < 0 || lastRow >= rows || lastColumn >= columns { return true }
        var row = firstRow
        while row <= lastRow {
            if blocked(along: row, across: firstColumn, lastColumn, alongRows: true) { return true }
            row += 1
        }
        return false
    }

    /// Whether any cell `across` (within `low...high`) at position `along` is a wall.
    @inline(__always)
    func blocked(along: Int, across low: Int, _ high: Int, alongRows: Bool) -> Bool {
        var across = low
        while across <= high {
            let row = alongRows ? along : across
            let column = alongRows ? across : along
            if walls[(row + 1) * paddedColumns + column + 1] { return true }
            across += 1
        }
        return false
    }

    /// Moves the ball's centre from `position` by `delta` along one axis (x when `alongRows`,
    /// else y), its centre being at `across` on the other axis. Returns the new position and
    /// whether a wall stopped the move.
    @inline(__always)
    func sweep(from position: Float, by delta: Float, across: Float, alongRows: Bool) -> (position: Float, blocked: Bool) {
        if delta == 0 { return (position, false) }
        let low = cellIndex(across - radius + Self.contactTolerance)
        let high = cellIndex(across + radius - Self.contactTolerance)
        if delta > 0 {
            // Scan from the first cell ahead of the leading face (or the cell the face touches
            // within the tolerance); cells the ball already overlaps never block, so a ball can
            // never be pushed backwards across a cell.
            let target = position + radius + delta
            var cell = cellIndex(position + radius - Self.contactTolerance) + 1
            let last = cellIndex(target)
            while cell <= last {
                if blocked(along: cell, across: low, high, alongRows: alongRows) {
                    let face = (Float(cell) - 0.5) * cellSize
                    return (min(face, target) - radius, true)
                }
                cell += 1
            }
        } else {
            let target = position - radius + delta
            var cell = cellIndex(position - radius + Self.contactTolerance) - 1
            let last = cellIndex(target)
            while cell >= last {
                if blocked(along: cell, across: low, high, alongRows: alongRows) {
                    let face = (Float(cell) + 0.5) * cellSize
                    return (max(face, target) + radius, true)
                }
                cell -= 1
            }
        }
        return (position + delta, false)
    }
}
