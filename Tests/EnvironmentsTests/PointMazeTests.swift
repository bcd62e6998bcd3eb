import Testing
@testable import Environments

/// How far the ball's disc reaches into the nearest wall cell (≤ 0 means no overlap).
private func wallPenetration(of maze: PointMaze, x: Float, y: Float) -> Float {
    let size = maze.configuration.cellSize
    let radius = maze.configuration.ballRadius
    var deepest: Float = -.infinity
    for row in -1...maze.layout.rows {
        for column in -1...maze.layout.columns where maze.layout[row, column] == .wall {
            // Distance from the ball's centre to the wall's square.
            let dx = max(abs(x - Float(row) * size) - size / 2, 0)
            let dy = max(abs(y - Float(column) * size) - size / 2, 0)
            deepest = max(deepest, radius - (dx * dx + dy * dy).squareRoot())
        }
    }
    return deepest
}

@Suite struct PointMazeTests {
    @Test func observationLayoutMatchesJaxGCRL() throws {
        let maze = try PointMaze()
        #expect(maze.stateSize == 4 && maze.goalSize == 2 && maze.actionSize == 2)
        #expect(maze.observationSize == 6)
        #expect(maze.goalRange == 0..<2)
        #expect(maze.successThreshold == 0.5)
        #expect(maze.episodeLength == 1001)
        let first = maze.reset(seed: 3)
        #expect(first.observation.count == 6)
        #expect(Array(first.observation[0..<2]) == first.achievedGoal)
        #expect(Array(first.observation[4..<6]) == first.desiredGoal)
    }

    @Test func resetIsDeterministicPerSeed() throws {
        let a = try PointMaze(layout: .bigMaze)
        let b = try PointMaze(layout: .bigMaze)
        let seeds: [UInt64] = [0, 1, 2, 99]
        let firstRun = seeds.map { a.reset(seed: $0) }
        let secondRun = seeds.map { b.reset(seed: $0) }
        #expect(firstRun == secondRun)
        #expect(Set(firstRun.map(\.observation)).count == seeds.count)
        // Continuing without a seed follows the seeded sequence.
        a.reset(seed: 5)
        b.reset(seed: 5)
        #expect(a.reset(seed: nil) == b.reset(seed: nil))
    }

    @Test func resetStartsAtAnRCentreAndAimsAtAGCentre() throws {
        let maze = try PointMaze(layout: .bigMaze)
        let goalCentres = Set(MazeLayout.bigMaze.goalCells.map { [Float($0.row) * 4, Float($0.column) * 4] })
        for seed in UInt64(0)..<50 {
            let first = maze.reset(seed: seed)
            #expect(Array(first.observation[0..<2]) == [4, 4])
            #expect(abs(first.observation[2]) < 0.6 && abs(first.observation[3]) < 0.6)
            #expect(goalCentres.contains(first.desiredGoal))
        }
    }

    @Test func freeFlightFollowsTheDefaultPhysics() throws {
        let maze = try PointMaze(layout: .arena)
        _ = maze.reset(seed: 0)
        let start = maze.state
        let step = try maze.step(action: [1, -0.5])
        // Force 5 N on 1 kg for 10 substeps of 0.005 s, semi-implicit Euler.
        let dt: Float = 0.005
        #expect(abs(step.observation[2] - (start[2] + 5 * 10 * dt)) < 1e-5)
        #expect(abs(step.observation[3] - (start[3] - 2.5 * 10 * dt)) < 1e-5)
        let expectedX = start[0] + 10 * start[2] * dt + 5 * dt * dt * 55
        #expect(abs(step.observation[0] - expectedX) < 1e-5)
    }

    @Test(arguments: [MazeLayout.uMaze, .u4Maze, .u5Maze, .bigMaze, .hardestMaze, .arena])
    func ballNeverOverlapsAWall(layout: MazeLayout) throws {
        var configuration = PointMazeConfiguration()
        configuration.episodeLength = 400
        let maze = try PointMaze(layout: layout, configuration: configuration)
        var generator = RandomGenerator(seed: 11)
        maze.reset(seed: 11)
        var action: [Float] = [0, 0]
        var worst: Float = -.infinity
        var fastest: Float = 0
        for stepIndex in 0..<6_000 {
            // Hold actions for a while (often full force, sometimes beyond and clipped) to build speed.
            if stepIndex % 37 == 0 {
                let kind = generator.nextIndex(below: 3)
                action = (0..<2).map { _ in
                    let random = Float(generator.nextUniform() * 2 - 1)
                    return kind == 0 ? (random < 0 ? -1 : 1) : kind == 1 ? random * 3 : random
                }
            }
            let step = try maze.step(action: action)
            worst = max(worst, wallPenetration(of: maze, x: step.observation[0], y: step.observation[1]))
            fastest = max(fastest, abs(step.observation[2]), abs(step.observation[3]))
            if step.truncated { maze.reset(seed: nil) }
        }
        #expect(worst <= 1e-4, "the ball's disc entered a wall by \(worst) m")
        #expect(fastest > 2, "the test should reach real speeds, reached \(fastest) m/s")
    }

    @Test func ballCannotTunnelAtExtremeSpeed() throws {
        var configuration = PointMazeConfiguration()
        configuration.forcePerAction = 20_000  // tens of metres per substep: several cells
        let maze = try PointMaze(layout: .hardestMaze, configuration: configuration)
        var generator = RandomGenerator(seed: 5)
        maze.reset(seed: 5)
        for _ in 0..<3_000 {
            let action = (0..<2).map { _ in Float(generator.nextUniform() * 2 - 1) }
            let step = try maze.step(action: action)
            #expect(wallPenetration(of: maze, x: step.observation[0], y: step.observation[1]) <= 1e-4)
        }
    }

    @Test(arguments: ["point-maze-u", "point-maze-big", "point-maze-hardest"])
    func manyBallsWithActionsOfAllScalesNeverOverlapAWall(name: String) throws {
        let vector = try VectorEnvironment(named: name, count: 32, seed: 3, threads: 2)
        vector.episodeLength = 500
        vector.minimumCopiesPerThread = 1
        let maze = try #require(vector.environments[0] as? PointMaze)
        var generator = RandomGenerator(seed: 4)
        var batch = vector.reset()
        var actions = [Float](repeating: 0, count: 64)
        for stepIndex in 0..<1_500 {
            // Actions of scale 1, 0.01 and 0.0001, held for a while: slow balls creeping into
            // walls are the hard case for contact tolerances.
            if stepIndex % 25 == 0 {
                for index in actions.indices {
                    let scale: Float = [1, 0.01, 0.0001][generator.nextIndex(below: 3)]
                    actions[index] = scale * Float(generator.nextUniform() * 2 - 1)
                }
            }
            try vector.step(actions: actions, into: &batch)
            for copy in 0..<32 {
                let penetration = wallPenetration(of: maze, x: batch.observations[copy * 6], y: batch.observations[copy * 6 + 1])
                #expect(penetration <= 1e-4, "copy \(copy) at step \(stepIndex) entered a wall by \(penetration) m")
                if penetration > 1e-4 { return }
            }
        }
    }

    @Test func aBallRestingAgainstAWallDoesNotSinkIntoIt() throws {
        let maze = try PointMaze(layout: .arena)
        maze.reset(seed: 1)
        for _ in 0..<100 { _ = try maze.step(action: [0, -1]) }  // rest against the wall at y = 2
        #expect(maze.state[1] == 2 + 0.25)
        var generator = RandomGenerator(seed: 2)
        for _ in 0..<3_000 {
            let creep = Float(generator.nextUniform()) * -1e-3  // tiny pushes into the wall
            let along = Float(generator.nextUniform() * 2 - 1) * 1e-2
            let step = try maze.step(action: [along, creep])
            #expect(step.observation[1] >= 2 + 0.25 - 1e-5)
        }
    }

    @Test func ballStopsFlushAgainstAWallAndSlidesAlongIt() throws {
        let maze = try PointMaze(layout: .arena)
        maze.reset(seed: 1)
        // Push towards +x (the wall row 6, face at x = 22) and +y for a long time.
        var last = try maze.step(action: [1, 0.2])
        for _ in 0..<200 { last = try maze.step(action: [1, 0.2]) }
        #expect(last.observation[0] == 22 - 0.25)
        #expect(last.observation[2] == 0)
        // Pushing along the wall keeps sliding until the corner.
        #expect(last.observation[1] == 22 - 0.25)
        #expect(last.observation[3] == 0)
        let away = try maze.step(action: [-1, -1])
        #expect(away.observation[0] < 22 - 0.25 && away.observation[1] < 22 - 0.25)
    }

    @Test func rewardAndSuccessAgreeWithComputeReward() throws {
        // A PD controller in the open arena reaches its goal.
        let maze = try PointMaze(layout: .arena)
        var observation = maze.reset(seed: 4).observation
        var reached = false
        for _ in 0..<400 {
            let action: [Float] = (0..<2).map { (axis: Int) -> Float in
                let error = observation[4 + axis] - observation[axis]
                return 2 * error - 3 * observation[2 + axis]
            }
            let step = try maze.step(action: action)
            observation = step.observation
            #expect(step.reward == maze.computeReward(achieved: step.achievedGoal, desired: step.desiredGoal))
            #expect(step.info.success == (step.info.distance < 0.5))
            #expect(step.reward == (step.info.success ? 1 : 0))
            let distance = maze.goalDistance(achieved: step.achievedGoal, desired: step.desiredGoal)
            #expect(abs(step.info.distance - distance) < 1e-6)
            #expect(!step.terminated)
            reached = reached || step.info.success
        }
        #expect(reached)
        #expect(maze.computeReward(achieved: [4, 4], desired: [4, 4.49]) == 1)
        #expect(maze.computeReward(achieved: [4, 4], desired: [4, 4.51]) == 0)
    }

    @Test func episodesAreTruncatedAtTheirLength() throws {
        let maze = try PointMaze()
        maze.episodeLength = 3
        maze.reset(seed: 0)
        let flags = try (0..<3).map { _ in try maze.step(action: [0, 0]).truncated }
        #expect(flags == [false, false, true])
    }

    @Test func badActionsThrowAndLargeActionsAreClipped() throws {
        let maze = try PointMaze()
        #expect(throws: EnvironmentError.stepBeforeReset) { try maze.step(action: [0, 0]) }
        maze.reset(seed: 0)
        #expect(throws: EnvironmentError.wrongActionLength(count: 3, expected: 2, copies: nil)) {
            try maze.step(action: [0, 0, 0])
        }
        #expect(throws: EnvironmentError.nonFiniteAction(value: .infinity, index: 1, copy: nil)) {
            try maze.step(action: [0, .infinity])
        }
        do {
            _ = try maze.step(action: [.nan, 0])
            Issue.record("NaN action was accepted")
        } catch {
            #expect("\(error)".contains("element 0 is nan"))
        }
        let twin = try PointMaze()
        maze.reset(seed: 8)
        twin.reset(seed: 8)
        #expect(try maze.step(action: [7, -30]) == twin.step(action: [1, -1]))
    }

    @Test func badConfigurationsThrow() {
        var configuration = PointMazeConfiguration()
        configuration.ballRadius = 2
        #expect(throws: EnvironmentError.self) { try PointMaze(configuration: configuration) }
        configuration = PointMazeConfiguration()
        configuration.substeps = 0
        #expect(throws: EnvironmentError.invalidSetting(name: "substeps", value: "0", expected: "at least 1")) {
            try PointMaze(configuration: configuration)
        }
    }

    /// A user's maze: its own layout (through the class) and a dense reward.
    final class CorridorMaze: PointMaze {
        override class var defaultLayout: MazeLayout {
            // swiftlint:disable:next force_try
            try! MazeLayout(grid: "1111111/1R0GGG1/1111111")
        }

        override func computeReward(achieved: [Float], desired: [Float]) -> Float {
            -goalDistance(achieved: achieved, desired: desired)
        }
    }

    @Test func userSubclassWithOwnLayoutAndRewardWorksEndToEnd() throws {
        let maze = try CorridorMaze()
        #expect(maze.layout.columns == 7)
        let first = maze.reset(seed: 2)
        #expect(Array(first.observation[0..<2]) == [4, 4])
        #expect([12, 16, 20].contains(first.desiredGoal[1]))
        var rewards: [Float] = []
        for _ in 0..<300 {
            let step = try maze.step(action: [1, 1])
            #expect(step.reward == -step.info.distance)
            #expect(wallPenetration(of: maze, x: step.observation[0], y: step.observation[1]) <= 1e-4)
            rewards.append(step.reward)
        }
        // Pushed along the corridor, the ball ends against its far wall.
        #expect(maze.state[1] == 22 - 0.25)
        #expect(maze.state[0] == 4 + 2 - 0.25)

        let vector = try VectorEnvironment(count: 3, seed: 1, threads: 2) { try CorridorMaze() }
        var batch = vector.reset()
        try vector.step(actions: [Float](repeating: 1, count: 6), into: &batch)
        #expect(batch.rewards.allSatisfy { $0 < 0 })
    }
}
