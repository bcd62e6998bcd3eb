import Environments

/// Registration of the MuJoCo tasks in an `EnvironmentRegistry`.
///
/// ```swift
/// import MuJoCoEnvironments
/// MuJoCoEnvironments.register()   // into EnvironmentRegistry.shared
/// let ants = try VectorEnvironment(named: "ant-u-maze", count: 64, seed: 0)
/// ```
public enum MuJoCoEnvironments {
    /// Every name ``register(in:)`` adds, with what it makes.
    public static let tasks: [(name: String, make: @Sendable () throws -> any GoalEnvironment)] = [
        ("ant", { try Ant() }),
        ("ant-u-maze", { try Ant(layout: .uMaze) }),
        ("ant-u4-maze", { try Ant(layout: .u4Maze) }),
        ("ant-u5-maze", { try Ant(layout: .u5Maze) }),
        ("ant-big-maze", { try Ant(layout: .bigMaze) }),
        ("ant-hardest-maze", { try Ant(layout: .hardestMaze) }),
        ("humanoid", { try Humanoid() }),
        ("humanoid-u-maze", { try Humanoid(layout: .uMaze) }),
        ("humanoid-big-maze", { try Humanoid(layout: .bigMaze) }),
        ("arm-push-easy", { try Arm(task: .pushEasy) }),
        ("arm-push-hard", { try Arm(task: .pushHard) }),
        ("arm-binpick-easy", { try Arm(task: .binPickEasy) }),
        ("arm-binpick-hard", { try Arm(task: .binPickHard) }),
    ]

    /// The names ``register(in:)`` adds.
    public static var names: [String] { tasks.map(\.name) }

    /// Registers every MuJoCo task under its name. Models compile when an environment is first
    /// made (once per model; copies share it), so registering costs nothing.
    public static func register(in registry: EnvironmentRegistry = .shared) {
        for task in tasks {
            registry.register(task.name, factory: task.make)
        }
    }
}
