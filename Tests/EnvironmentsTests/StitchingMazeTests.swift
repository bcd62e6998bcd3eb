import Testing
import Environments

/// Start–goal pairs by their distance in cells: the mazes the stitching study trains and
/// evaluates on.
@Suite struct StitchingMazeTests {
    @Test func cellDistancesGoAroundWalls() {
        // The U-maze from its R cell (1, 1): along the top, down the right, back along the bottom.
        let distances = MazeLayout.uMaze.cellDistances(from: .init(row: 1, column: 1))
        let expected: [(Int, Int, Int)] = [(1, 1, 0), (1, 2, 1), (1, 3, 2), (2, 3, 3), (3, 3, 4), (3, 2, 5), (3, 1, 6)]
        #expect(distances.count == expected.count)
        for (row, column, distance) in expected {
            #expect(distances[.init(row: row, column: column)] == distance, "(\(row), \(column))")
        }
        #expect(MazeLayout.uMaze.cellDistances(from: .init(row: 0, column: 0)).isEmpty)  // a wall
    }

    @Test(arguments: [("point-maze-big-near", 1...3), ("point-maze-big-far", 4...Int.max),
                      ("point-maze-hardest-near", 1...3), ("point-maze-hardest-far", 4...Int.max)])
    func everyEpisodeStartsAndAimsAtCellsThatFarApart(name: String, range: ClosedRange<Int>) throws {
        let maze = try #require(try EnvironmentRegistry.shared.make(name) as? PointMaze)
        let size = maze.configuration.cellSize
        var seen = Set<Int>()
        for seed in 0..<200 as Range<UInt64> {
            let first = maze.reset(seed: seed)
            let start = MazeLayout.Position(row: Int((first.achievedGoal[0] / size).rounded()), column: Int((first.achievedGoal[1] / size).rounded()))
            let goal = MazeLayout.Position(row: Int((first.desiredGoal[0] / size).rounded()), column: Int((first.desiredGoal[1] / size).rounded()))
            #expect(maze.layout[goal.row, goal.column] == .goal)
            #expect([.start, .goal].contains(maze.layout[start.row, start.column]))
            let distance = try #require(maze.layout.cellDistances(from: start)[goal])
            #expect(range.contains(distance), "\(name): \(start) → \(goal) is \(distance) cells")
            seen.insert(distance)
        }
        #expect(seen.count >= 3, "\(name) draws pairs of several distances, saw \(seen.sorted())")
    }

    @Test func aDistanceNoPairHasIsRefusedNamingTheMazesRange() {
        var configuration = PointMazeConfiguration()
        configuration.pairDistance = 7...9
        #expect {
            _ = try PointMaze(layout: .uMaze, configuration: configuration)
        } throws: { error in
            "\(error)".contains("pairDistance") && "\(error)".contains("0...6")
        }
        configuration.pairDistance = -2...1
        #expect(throws: EnvironmentError.self) { _ = try PointMaze(layout: .uMaze, configuration: configuration) }
    }
}
