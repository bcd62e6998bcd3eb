import Environments
import MuJoCoEnvironments
import Testing

@Suite struct HumanoidAndArmTests {
    @Test func humanoidMazeStartsAndGoalsFollowTheLayout() throws {
        let humanoid = try Humanoid(layout: .uMaze)
        let goals = Set(MazeLayout.uMaze.goalCells.map { [Float($0.row) * 2, Float($0.column) * 2, 1.25] })
        for seed in 0..<20 {
            let first = humanoid.reset(seed: UInt64(seed))
            #expect(goals.contains(first.desiredGoal))
            // No reset noise: the torso stands exactly over the R cell centre (2, 2).
            #expect(first.achievedGoal[0] == 2 && first.achievedGoal[1] == 2)
        }
    }

    @Test func humanoidIsDeterministicAndFallsOver() throws {
        let zero = [Float](repeating: 0, count: 17)
        func run() throws -> (observations: [[Float]], terminatedAt: Int?) {
            let humanoid = try Humanoid()
            var observations = [humanoid.reset(seed: 5).observation]
            for step in 0..<200 {
                let result = try humanoid.step(action: zero)
                observations.append(result.observation)
                if result.terminated { return (observations, step) }
            }
            return (observations, nil)
        }
        let first = try run(), second = try run()
        #expect(first.observations == second.observations)
        // Without control the humanoid collapses: its torso drops below 1.0 m and the episode ends.
        #expect(first.terminatedAt != nil)
        #expect(try Humanoid().terminationCause(lastObservation: first.observations.last![...]) == "torso below 1.0 m")
    }

    @Test(arguments: ArmTask.allCases)
    func armGoalsAreOnTheTableAndAwayFromTheCube(task: ArmTask) throws {
        let arm = try Arm(task: task)
        for seed in 0..<20 {
            let first = arm.reset(seed: UInt64(seed))
            #expect(abs(first.desiredGoal[2] - 0.025) < 1e-6)
            let distance = arm.goalDistance(achieved: first.achievedGoal, desired: first.desiredGoal)
            #expect(distance > arm.successThreshold, "episode starts solved: \(distance)")
            if task.usesBins {
                #expect(abs(first.desiredGoal[0] - 0.35) <= 0.04 + 1e-6 && abs(first.desiredGoal[1] - 0.3) <= 0.04 + 1e-6)
            }
        }
    }

    @Test func armServosFollowActions() throws {
        let arm = try Arm(task: .pushEasy)
        let start = arm.reset(seed: 0).observation
        // Lower the lift fully and close the gripper: the gripper point drops, the fingers close.
        var last = start
        for _ in 0..<20 { last = try arm.step(action: [0, 0, -1, 1]).observation }
        #expect(last[8] < start[8] - 0.15, "gripper z went from \(start[8]) to \(last[8])")
        #expect(last[12] > 0.04, "finger closure \(last[12])")
    }
}
