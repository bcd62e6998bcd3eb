import CMuJoCo
import Environments
import MuJoCoEnvironments
import Testing

/// An ant whose torso starts at a chosen height and with a chosen velocity (for the tests).
final class LaunchedAnt: Ant {
    var height: Double?
    var velocity: (x: Double, y: Double, z: Double) = (0, 0, 0)
    var upsideDown = false

    override func placeInitialState(generator: inout RandomGenerator) {
        super.placeInitialState(generator: &generator)
        if let height { positions[2] = height }
        if upsideDown { (positions[3], positions[4], positions[5], positions[6]) = (0, 1, 0, 0) }  // half a turn about x
        velocities[0] = velocity.x
        velocities[1] = velocity.y
        velocities[2] = velocity.z
    }
}

@Suite struct AntTests {
    static func actions(count: Int, size: Int, seed: UInt64) -> [[Float]] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in (0..<size).map { _ in Float(2 * generator.nextUniform() - 1) } }
    }

    static func rollout(_ environment: any GoalEnvironment, seed: UInt64, actions: [[Float]]) throws -> [[Float]] {
        var observations = [environment.reset(seed: seed).observation]
        for action in actions { observations.append(try environment.step(action: action).observation) }
        return observations
    }

    @Test func sameSeedSameEpisodeDifferentSeedDifferentEpisode() throws {
        let actions = Self.actions(count: 30, size: 8, seed: 7)
        let first = try Self.rollout(Ant(layout: .uMaze), seed: 3, actions: actions)
        let again = try Self.rollout(Ant(layout: .uMaze), seed: 3, actions: actions)
        let other = try Self.rollout(Ant(layout: .uMaze), seed: 4, actions: actions)
        #expect(first == again)
        #expect(first[0] != other[0])
        #expect(first.last != other.last)
    }

    /// Episodes, of 16 with uniformly random actions, that leave the healthy height within 200 steps.
    static func earlyEnds(_ configuration: AntConfiguration) throws -> Int {
        let ant = try Ant(configuration: configuration)
        var ended = 0
        for seed in 0..<16 {
            ant.reset(seed: UInt64(seed))
            for action in Self.actions(count: 200, size: 8, seed: UInt64(100 + seed)) where try ant.step(action: action).terminated {
                ended += 1
                break
            }
        }
        return ended
    }

    @Test func braxDynamicsKeepRandomPlayWithinTheHealthyHeightWhereGymsDoNot() throws {
        #expect(AntConfiguration().dynamics == .brax)
        var gym = AntConfiguration()
        gym.dynamics = .gym
        // Brax's spring ant: every body 1 kg with unit inertia, 0.005 s steps; Gymnasium's masses
        // follow the geometry (a torso of 0.33 kg with its hips 0.49 kg), 0.01 s steps.
        let brax = try Ant(), light = try Ant(configuration: gym)
        #expect(brax.settings["dynamics"] == "brax" && light.settings["dynamics"] == "gym" && brax.settings["layout"] == "open")
        let masses = { (ant: Ant) in (1..<ant.model.bodyCount).map { ant.model.pointer.pointee.body_mass[$0] } }
        #expect(masses(brax) == Array(repeating: 1, count: 9))
        #expect(abs(masses(light)[0] - 0.484) < 0.001, "torso and hips: \(masses(light)[0]) kg")
        #expect(brax.stepDuration == 0.05 && light.stepDuration == 0.05)
        // Random play throws the light ant above 1 m within a few dozen steps; Brax's stays healthy
        // (Brax, Tools/ant-physics/random_play.py: 0.38 of 256 episodes leave within 1000 steps, none
        // within 10; this ant, the same protocol: 0.13, none within 10).
        let lightEnds = try Self.earlyEnds(gym), braxEnds = try Self.earlyEnds(AntConfiguration())
        #expect(lightEnds >= 14, "gym dynamics: \(lightEnds) of 16 ended early")
        #expect(braxEnds <= 6, "brax dynamics: \(braxEnds) of 16 ended early")
    }

    @Test func theMotorGearIsTheModelsTorque() throws {
        #expect(AntConfiguration().motorGear == 150)
        // The gear is the model's, not a scaled control (which MuJoCo would clip to the control
        // range): at full actions, 300 N·m moves the ant differently from 150.
        let fullActions = Self.actions(count: 5, size: 8, seed: 2).map { $0.map { $0 < 0 ? Float(-1) : 1 } }
        func rollout(gear: Double) throws -> [[Float]] {
            var configuration = AntConfiguration()
            configuration.motorGear = gear
            return try Self.rollout(Ant(configuration: configuration), seed: 1, actions: fullActions)
        }
        #expect(try rollout(gear: 150) == Self.rollout(Ant(), seed: 1, actions: fullActions))
        #expect(try rollout(gear: 300) != rollout(gear: 150))
        var invalid = AntConfiguration()
        for gear in [0, -1, .nan, .infinity] {
            invalid.motorGear = gear
            #expect(throws: MuJoCoError.invalidSetting(name: "AntConfiguration.motorGear", value: "\(gear)", expected: "a positive number of N·m")) {
                try Ant(configuration: invalid)
            }
        }
    }

    @Test func vectorizedStepsMatchAcrossThreadCounts() throws {
        func run(threads: Int) throws -> [Float] {
            let vector = try VectorEnvironment(count: 4, seed: 11, threads: threads) { try Ant() }
            var batch = vector.reset()
            for action in Self.actions(count: 10, size: 4 * 8, seed: 5) { try vector.step(actions: action, into: &batch) }
            return batch.observations
        }
        #expect(try run(threads: 1) == run(threads: 2))
    }

    /// The observation of the step that terminates `ant`'s episode, stepping with zero torques from a reset.
    func lastObservation(_ ant: Ant) throws -> [Float] {
        ant.reset(seed: 0)
        for _ in 0..<100 {
            let step = try ant.step(action: Array(repeating: 0, count: 8))
            if step.terminated { return step.observation }
        }
        Issue.record("no termination within 100 steps")
        return []
    }

    @Test func unhealthyHeightTerminates() throws {
        let ant = try LaunchedAnt()
        ant.height = 1.6  // above Brax's healthy range 0.2…1.0
        ant.reset(seed: 0)
        let step = try ant.step(action: Array(repeating: 0, count: 8))
        #expect(step.terminated)

        // Thrown upwards at 6 m/s, the torso leaves the healthy range within a few steps.
        let thrown = try LaunchedAnt()
        thrown.velocity = (0, 0, 6)
        thrown.reset(seed: 0)
        let terminated = try (0..<10).map { _ in try thrown.step(action: Array(repeating: 0, count: 8)).terminated }
        #expect(terminated.contains(true))

        // Flipped, only the feet touch the floor (as in JaxGCRL): the torso sinks below 0.2 and the
        // episode ends, instead of the ant resting on its back until the episode's last step.
        let flipped = try LaunchedAnt()
        (flipped.height, flipped.upsideDown) = (0.5, true)
        flipped.reset(seed: 0)
        let ended = try (0..<40).map { _ in try flipped.step(action: Array(repeating: 0, count: 8)).terminated }
        #expect(ended.contains(true))

        // Each says why from its last observation.
        #expect(thrown.terminationCause(lastObservation: try lastObservation(thrown)[...]) == "torso above 1.0 m")
        #expect(flipped.terminationCause(lastObservation: try lastObservation(flipped)[...]) == "torso below 0.2 m")

        // A normal start is healthy for a while under zero torques.
        let standing = try Ant()
        standing.reset(seed: 0)
        for _ in 0..<20 { #expect(try !standing.step(action: Array(repeating: 0, count: 8)).terminated) }
    }

    @Test func mazeWallsStopTheAnt() throws {
        // U-maze: the ant starts in cell (1, 1) at (4, 4); the wall cell (2, 1) begins at x = 6.
        // Launched along +x at 10 m/s it would pass x = 6 in 0.2 s without the wall.
        func furthestX(in layout: MazeLayout?) throws -> Double {
            let ant = try LaunchedAnt(layout: layout)
            ant.velocity = (10, 0, 0)
            ant.reset(seed: 0)
            if layout == nil {
                // The open ant starts at the origin; compare the same displacement.
                return try (0..<40).map { _ in Double(try ant.step(action: Array(repeating: 0, count: 8)).achievedGoal[0]) + 4 }.max()!
            }
            return try (0..<40).map { _ in Double(try ant.step(action: Array(repeating: 0, count: 8)).achievedGoal[0]) }.max()!
        }
        let walled = try furthestX(in: .uMaze)
        #expect(walled < 6 - 0.25 + 0.05, "the torso (radius 0.25) went to x = \(walled) past the wall face at x = 6")
        let open = try furthestX(in: nil)
        #expect(open > 6, "without walls the launched ant should pass x = 6, reached \(open)")
    }

    @Test(arguments: [("u", MazeLayout.uMaze), ("big", .bigMaze), ("hardest", .hardestMaze)])
    func startsAtStartCellsAndGoalsAtGoalCentres(name: String, layout: MazeLayout) throws {
        let ant = try Ant(layout: layout)
        let goals = Set(layout.goalCells.map { [Float($0.row) * 4, Float($0.column) * 4] })
        var seen = Set<[Float]>()
        for seed in 0..<60 {
            let first = ant.reset(seed: UInt64(seed))
            #expect(goals.contains(first.desiredGoal), "goal \(first.desiredGoal) is not a G cell centre")
            seen.insert(first.desiredGoal)
            let near = layout.startCells.contains { cell in
                abs(first.achievedGoal[0] - Float(cell.row) * 4) <= 0.1 + 1e-5
                    && abs(first.achievedGoal[1] - Float(cell.column) * 4) <= 0.1 + 1e-5
            }
            #expect(near, "start \(first.achievedGoal) is not within ±0.1 of an R cell centre")
        }
        #expect(seen.count > 1, "every reset sampled the same goal")
    }

    /// Resets start from the standing pose, within the reset noise of ±0.1 per coordinate.
    @Test func resetsStartFromTheStandingPoseWithNoFootInsideTheFloor() throws {
        var asIs = AntConfiguration()
        asIs.liftsFeetOutOfTheFloor = false
        let lifted = try Ant(), unlifted = try Ant(configuration: asIs)
        let feet = try ["front_left_foot", "front_right_foot", "back_left_foot", "back_right_foot"].map {
            try lifted.model.id(of: mjOBJ_GEOM, named: $0)
        }
        func lowestFoot(_ ant: Ant) -> Double {
            feet.map { ant.data.pointee.geom_xpos[3 * $0 + 2] - ant.model.pointer.pointee.geom_size[3 * $0] }.min()!
        }
        var deepest = 0.0
        for seed in 0..<64 {
            let start = lifted.reset(seed: UInt64(seed)).observation, asDrawn = unlifted.reset(seed: UInt64(seed)).observation
            for index in [2, 7, 8, 9, 10, 11, 12, 13, 14] {
                #expect(abs(Double(asDrawn[index]) - Ant.standingPose[index]) <= 0.1 + 1e-6, "coordinate \(index), seed \(seed)")
            }
            // The lift moves the torso up only, by exactly the depth of the lowest foot.
            #expect(Array(start[0..<2]) == Array(asDrawn[0..<2]) && Array(start[3...]) == Array(asDrawn[3...]))
            let depth = -min(0, lowestFoot(unlifted))
            #expect(abs(Double(start[2] - asDrawn[2]) - depth) < 1e-5, "seed \(seed)")
            #expect(lowestFoot(lifted) > -1e-6 && (depth == 0 || lowestFoot(lifted) < 1e-6), "seed \(seed): \(lowestFoot(lifted))")
            deepest = max(deepest, depth)
        }
        #expect(deepest > 0.2, "the noisy standing pose puts a foot \(deepest) m deep")
        // Recorded only when on: runs from before the setting existed match an ant with it off.
        #expect(lifted.settings["liftsFeetOutOfTheFloor"] == "true" && unlifted.settings["liftsFeetOutOfTheFloor"] == nil)
        #expect(unlifted.settings.count == lifted.settings.count - 1)
    }

    @Test func startsInsideTheFloorThrowTheAntOutOfItsHealthyHeightUnlessLifted() throws {
        // JaxGCRL's ant under Brax: 0 of 512 starts leave the healthy height within 30 steps of zero
        // torques (Tools/ant-physics/start_pop.py). MuJoCo's stiff contacts pop the deep starts.
        func popped(_ configuration: AntConfiguration) throws -> Int {
            let ant = try Ant(configuration: configuration)
            return try (0..<128).filter { seed in
                ant.reset(seed: UInt64(seed))
                return try (0..<30).contains { _ in try ant.step(action: Array(repeating: 0, count: 8)).terminated }
            }.count
        }
        var asIs = AntConfiguration()
        asIs.liftsFeetOutOfTheFloor = false
        #expect(try popped(AntConfiguration()) == 0)
        #expect(try popped(asIs) >= 4)
    }

    @Test func openAntGoalsLieTenMetresAway() throws {
        let ant = try Ant()
        for seed in 0..<10 {
            let goal = ant.reset(seed: UInt64(seed)).desiredGoal
            #expect(abs((goal[0] * goal[0] + goal[1] * goal[1]).squareRoot() - 10) < 1e-3)
        }
        #expect(abs(ant.stepDuration - 0.05) < 1e-12)
    }
}
