import Testing
@testable import Environments

@Suite struct MazeLayoutTests {
    @Test(arguments: [
        (MazeLayout.uMaze, 5, 5, 1, 6),
        (MazeLayout.u4Maze, 7, 5, 1, 10),
        (MazeLayout.u5Maze, 7, 8, 1, 16),
        (MazeLayout.bigMaze, 8, 8, 1, 25),
        (MazeLayout.hardestMaze, 9, 12, 1, 45),
        (MazeLayout.arena, 7, 7, 1, 24),
    ])
    func builtInLayoutsHaveTheFactsShape(layout: MazeLayout, rows: Int, columns: Int, starts: Int, goals: Int) {
        #expect(layout.rows == rows)
        #expect(layout.columns == columns)
        #expect(layout.startCells.count == starts)
        #expect(layout.goalCells.count == goals)
    }

    @Test func uMazeMatchesTheFacts() {
        #expect(MazeLayout.uMaze.description == "11111/1RGG1/111G1/1GGG1/11111")
        #expect(MazeLayout.uMaze.startCells == [MazeLayout.Position(row: 1, column: 1)])
    }

    @Test func arenaStartsInTheCentre() {
        #expect(MazeLayout.arena.startCells == [MazeLayout.Position(row: 3, column: 3)])
        #expect(!MazeLayout.arena.goalCells.contains(MazeLayout.Position(row: 3, column: 3)))
    }

    @Test func slashAndNewlineFormsAgree() throws {
        let slashes = try MazeLayout(grid: "111/1R1/1G1/111")
        let lines = try MazeLayout(grid: "\n 1 1 1\n 1 R 1\n 1 G 1\n 1 1 1\n")
        #expect(slashes == lines)
        #expect(slashes[1, 1] == .start)
        #expect(slashes[2, 1] == .goal)
        #expect(slashes[-1, 0] == .wall)
        #expect(slashes[0, 7] == .wall)
    }

    @Test func badCharacterIsNamedWithItsPlace() {
        #expect(throws: EnvironmentError.invalidLayoutCharacter("x", row: 1, column: 2)) {
            try MazeLayout(grid: "111/1Rx/1G1")
        }
        let message = EnvironmentError.invalidLayoutCharacter("x", row: 1, column: 2).description
        #expect(message.contains("\"x\"") && message.contains("row 1") && message.contains("column 2"))
    }

    @Test func raggedRowsAreRejected() {
        #expect(throws: EnvironmentError.raggedLayout(row: 2, cells: 2, expected: 3)) {
            try MazeLayout(grid: "111/1RG/11")
        }
    }

    @Test func missingCellsAndEmptyGridsAreRejected() {
        #expect(throws: EnvironmentError.missingStartCell) { try MazeLayout(grid: "111/1G1/111") }
        #expect(throws: EnvironmentError.missingGoalCell) { try MazeLayout(grid: "111/1R1/111") }
        #expect(throws: EnvironmentError.emptyLayout) { try MazeLayout(grid: " \n / ") }
    }
}
