/// A maze as a grid of cells: walls (`1`), free cells (`0`), start cells (`R`) and goal cells (`G`).
///
/// Row `i`, column `j` is the cell whose centre lies at x = i·cellSize, y = j·cellSize (x from
/// the row, y from the column, as in D4RL and JaxGCRL). Everything outside the grid counts as wall.
public struct MazeLayout: Equatable, Sendable, CustomStringConvertible {
    /// One cell of the grid.
    public enum Cell: Character, Sendable {
        /// A wall (`1`): the ball cannot enter it.
        case wall = "1"
        /// A free cell (`0`).
        case free = "0"
        /// A free cell where episodes start (`R`).
        case start = "R"
        /// A free cell where goals are placed (`G`).
        case goal = "G"
    }

    /// A cell's row and column.
    public struct Position: Hashable, Sendable {
        /// The row (world x = row × cell size).
        public var row: Int
        /// The column (world y = column × cell size).
        public var column: Int

        /// Creates a position.
        public init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }
    }

    /// Number of rows (the x direction).
    public let rows: Int
    /// Number of columns (the y direction).
    public let columns: Int
    /// All cells, row-major.
    public let cells: [Cell]
    /// The `R` cells, where episodes start (row-major order).
    public let startCells: [Position]
    /// The `G` cells, where goals are placed (row-major order).
    public let goalCells: [Position]

    /// Parses a grid such as `"1 1 1\n1 R 1\n1 G 1\n1 1 1"` or `"111/1R1/1G1/111"`: rows are
    /// separated by newlines or `/`, cells within a row may be separated by spaces, blank rows are
    /// ignored. Throws ``EnvironmentError`` for characters other than `1 0 R G`, rows of different
    /// lengths, and grids without an `R` or a `G` cell.
    public init(grid: String) throws {
        let lines = grid.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "/" }
            .map { $0.filter { !$0.isWhitespace } }
            .filter { !$0.isEmpty }
        var parsed: [[Cell]] = []
        for (row, line) in lines.enumerated() {
            var cells: [Cell] = []
            for (column, character) in line.enumerated() {
                guard let cell = Cell(rawValue: character) else {
                    throw EnvironmentError.invalidLayoutCharacter(character, row: row, column: column)
                }
                cells.append(cell)
            }
            parsed.append(cells)
        }
        try self.init(cells: parsed)
    }

    /// Creates a layout from rows of cells, with the same checks as ``init(grid:)``.
    public init(cells grid: [[Cell]]) throws {
        guard let first = grid.first, !first.isEmpty else { throw EnvironmentError.emptyLayout }
        for (row, cells) in grid.enumerated() where cells.count != first.count {
            throw EnvironmentError.raggedLayout(row: row, cells: cells.count, expected: first.count)
        }
        rows = grid.count
        columns = first.count
        cells = grid.flatMap { $0 }
        var starts: [Position] = []
        var goals: [Position] = []
        for row in 0..<rows {
            for column in 0..<columns {
                switch grid[row][column] {
                case .start: starts.append(Position(row: row, column: column))
                case .goal: goals.append(Position(row: row, column: column))
                case .wall, .free: break
                }
            }
        }
        guard !starts.isEmpty else { throw EnvironmentError.missingStartCell }
        guard !goals.isEmpty else { throw EnvironmentError.missingGoalCell }
        startCells = starts
        goalCells = goals
    }

    /// The cell at `row`, `column`; outside the grid, a wall.
    public subscript(row: Int, column: Int) -> Cell {
        guard (0..<rows).contains(row), (0..<columns).contains(column) else { return .wall }
        return cells[row * columns + column]
    }

    /// The number of steps between edge-sharing free cells from `start` to every free cell it
    /// can reach (around walls; `start` itself at 0). Cells it cannot reach are absent.
    public func cellDistances(from start: Position) -> [Position: Int] {
        guard self[start.row, start.column] != .wall else { return [:] }
        var distances = [start: 0]
        var frontier = [start]
        while !frontier.isEmpty {
            var next: [Position] = []
            for cell in frontier {
                for (dr, dc) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
                    let neighbour = Position(row: cell.row + dr, column: cell.column + dc)
                    if self[neighbour.row, neighbour.column] != .wall, distances[neighbour] == nil {
                        distances[neighbour] = distances[cell]! + 1
                        next.append(neighbour)
                    }
                }
            }
            frontier = next
        }
        return distances
    }

    /// The grid in the one-line format ``init(grid:)`` reads, rows separated by `/`.
    public var description: String {
        (0..<rows).map { row in
            String((0..<columns).map { self[row, $0].rawValue })
        }.joined(separator: "/")
    }
}

extension MazeLayout {
    /// D4RL's U-maze (5 × 5), as in JaxGCRL's `simple_u_maze`.
    public static let uMaze = builtIn("""
        1 1 1 1 1
        1 R G G 1
        1 1 1 G 1
        1 G G G 1
        1 1 1 1 1
        """)

    /// The paper's U4 maze (7 × 5).
    public static let u4Maze = builtIn("11111/1GGG1/1R1G1/111G1/1G1G1/1GGG1/11111")

    /// The paper's U5 maze (7 × 8).
    public static let u5Maze = builtIn("11111111/1GGGGGG1/1R1111G1/111111G1/1G1111G1/1GGGGGG1/11111111")

    /// D4RL's big maze (8 × 8), as in JaxGCRL's `simple_big_maze`.
    public static let bigMaze = builtIn("""
        1 1 1 1 1 1 1 1
        1 R G 1 1 G G 1
        1 G G 1 G G G 1
        1 1 G G G 1 1 1
        1 G G 1 G G G 1
        1 G 1 G G 1 G 1
        1 G G G 1 G G 1
        1 1 1 1 1 1 1 1
        """)

    /// D4RL's hardest maze (9 × 12), as in JaxGCRL's `simple_hardest_maze`.
    public static let hardestMaze = builtIn("""
        1 1 1 1 1 1 1 1 1 1 1 1
        1 R G G G 1 G G G G G 1
        1 G 1 1 G 1 G 1 G 1 G 1
        1 G G G G G G 1 G G G 1
        1 G 1 1 1 1 G 1 1 1 G 1
        1 G G 1 G 1 G G G G G 1
        1 1 G 1 G 1 G 1 G 1 1 1
        1 G G 1 G G G 1 G G G 1
        1 1 1 1 1 1 1 1 1 1 1 1
        """)

    /// An open arena: a walled 7 × 7 grid whose 5 × 5 interior (20 m × 20 m at cell size 4) is free,
    /// with the start in the centre cell and goals in every other interior cell. Our own task (no
    /// JaxGCRL counterpart): navigation without corridors, useful as the easiest sanity check.
    public static let arena = builtIn("""
        1 1 1 1 1 1 1
        1 G G G G G 1
        1 G G G G G 1
        1 G G R G G 1
        1 G G G G G 1
        1 G G G G G 1
        1 1 1 1 1 1 1
        """)

    private static func builtIn(_ grid: String) -> MazeLayout {
        do {
            return try MazeLayout(grid: grid)
        } catch {
            preconditionFailure("built-in maze layout is invalid: \(error)")
        }
    }
}
