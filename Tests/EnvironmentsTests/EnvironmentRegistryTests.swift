import Testing
@testable import Environments

@Suite struct EnvironmentRegistryTests {
    @Test func builtInTasksAreListedAndMade() throws {
        let registry = EnvironmentRegistry()
        let expected = ["point-arena", "point-maze-big", "point-maze-big-far", "point-maze-big-near", "point-maze-hardest",
                        "point-maze-hardest-far", "point-maze-hardest-near", "point-maze-u", "point-maze-u4", "point-maze-u5"]
        #expect(registry.names == expected)
        let layouts: [String: MazeLayout] = [
            "point-arena": .arena, "point-maze-big": .bigMaze, "point-maze-hardest": .hardestMaze,
            "point-maze-u": .uMaze, "point-maze-u4": .u4Maze, "point-maze-u5": .u5Maze,
            "point-maze-big-near": .bigMaze, "point-maze-big-far": .bigMaze,
            "point-maze-hardest-near": .hardestMaze, "point-maze-hardest-far": .hardestMaze,
        ]
        for name in expected {
            let environment = try registry.make(name)
            #expect((environment as? PointMaze)?.layout == layouts[name])
        }
    }

    @Test func unknownNamesThrowAndListTheKnownOnes() {
        let registry = EnvironmentRegistry()
        do {
            _ = try registry.make("point-maze-v")
            Issue.record("an unknown name was accepted")
        } catch let error as EnvironmentError {
            #expect(error == .unknownEnvironment(name: "point-maze-v", known: registry.names))
            #expect(error.description.contains("point-maze-u, point-maze-u4"))
            #expect(error.description.contains("\"point-maze-v\""))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func usersRegisterTheirOwnEnvironments() throws {
        let registry = EnvironmentRegistry()
        let layout = try MazeLayout(grid: "11111/1RG01/11111")
        registry.register("tiny") { try PointMaze(layout: layout) }
        #expect(registry.names.contains("tiny"))
        let vector = try VectorEnvironment(named: "tiny", count: 2, seed: 0, threads: 1, registry: registry)
        #expect(vector.environments.allSatisfy { ($0 as? PointMaze)?.layout == layout })
        #expect(!EnvironmentRegistry().names.contains("tiny"))
    }
}
