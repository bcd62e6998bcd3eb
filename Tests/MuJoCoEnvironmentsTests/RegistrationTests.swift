import Environments
import MuJoCoEnvironments
import Testing

@Suite struct RegistrationTests {
    static let expected: [(name: String, state: Int, goal: Range<Int>, action: Int, threshold: Float)] = [
        ("ant", 29, 0..<2, 8, 0.5), ("ant-u-maze", 29, 0..<2, 8, 0.5), ("ant-u4-maze", 29, 0..<2, 8, 0.5),
        ("ant-u5-maze", 29, 0..<2, 8, 0.5), ("ant-big-maze", 29, 0..<2, 8, 0.5), ("ant-hardest-maze", 29, 0..<2, 8, 0.5),
        ("humanoid", 278, 0..<3, 17, 0.5), ("humanoid-u-maze", 278, 0..<3, 17, 0.5), ("humanoid-big-maze", 278, 0..<3, 17, 0.5),
        ("arm-push-easy", 17, 0..<3, 4, 0.1), ("arm-push-hard", 17, 0..<3, 4, 0.1),
        ("arm-binpick-easy", 17, 0..<3, 4, 0.1), ("arm-binpick-hard", 17, 0..<3, 4, 0.1),
    ]

    @Test func registersEveryTaskName() {
        let registry = EnvironmentRegistry()
        MuJoCoEnvironments.register(in: registry)
        for task in Self.expected { #expect(registry.names.contains(task.name), "\(task.name)") }
        #expect(MuJoCoEnvironments.names.sorted() == Self.expected.map(\.name).sorted())
    }

    /// Every task loads, resets and steps; sizes, goal slices and the observation layout are right.
    @Test(arguments: expected.map(\.name))
    func taskLoadsAndSteps(name: String) throws {
        let task = try #require(Self.expected.first { $0.name == name })
        let registry = EnvironmentRegistry()
        MuJoCoEnvironments.register(in: registry)
        let environment = try registry.make(name)
        #expect(environment.stateSize == task.state)
        #expect(environment.goalRange == task.goal)
        #expect(environment.goalSize == task.goal.count)
        #expect(environment.actionSize == task.action)
        #expect(environment.successThreshold == task.threshold)
        #expect(environment.observationSize == task.state + task.goal.count)
        let first = environment.reset(seed: 1)
        #expect(first.observation.count == environment.observationSize)
        #expect(Array(first.observation[task.goal]) == first.achievedGoal)
        #expect(Array(first.observation[task.state...]) == first.desiredGoal)
        var generator = RandomGenerator(seed: 2)
        var moved = false
        for _ in 0..<5 {
            let action = (0..<task.action).map { _ in Float(2 * generator.nextUniform() - 1) }
            let step = try environment.step(action: action)
            #expect(step.observation.allSatisfy { $0.isFinite })
            #expect(Array(step.observation[task.goal]) == step.achievedGoal)
            #expect(Array(step.observation[task.state...]) == first.desiredGoal)
            if step.observation != first.observation { moved = true }
            if step.terminated { break }
        }
        #expect(moved, "stepping changed nothing")
    }
}
