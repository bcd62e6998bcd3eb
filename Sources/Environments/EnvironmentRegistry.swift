import Foundation

/// Makes environments by name: the built-in tasks and any the user registers.
///
/// Built-in names: `point-arena`, `point-maze-u`, `point-maze-u4`, `point-maze-u5`,
/// `point-maze-big`, `point-maze-hardest` (``PointMaze`` with JaxGCRL's defaults on the matching
/// ``MazeLayout``); `point-maze-big-near`, `point-maze-big-far`, `point-maze-hardest-near` and
/// `point-maze-hardest-far`, the same mazes with start–goal pairs ``nearPairs`` or ``farPairs``
/// cells apart (``PointMazeConfiguration/pairDistance``), for stitching.
///
/// ```swift
/// EnvironmentRegistry.shared.register("spiral") { try SpiralMaze() }
/// let maze = try EnvironmentRegistry.shared.make("spiral")
/// ```
public final class EnvironmentRegistry: @unchecked Sendable {
    // `@unchecked Sendable`: the only mutable state, `factories`, is read and written under `lock`.

    /// Builds a fresh environment.
    public typealias Factory = @Sendable () throws -> any GoalEnvironment

    /// The registry that ``VectorEnvironment/init(named:count:seed:threads:registry:)`` uses by default,
    /// pre-filled with the built-in tasks.
    public static let shared = EnvironmentRegistry()

    /// The start–goal distances (in cells) of the `-near` mazes, which the stitching study trains on.
    public static let nearPairs = 1...3
    /// The start–goal distances (in cells) of the `-far` mazes, which the stitching study evaluates on.
    public static let farPairs = 4...Int.max

    private let lock = NSLock()
    private var factories: [String: Factory] = [:]

    /// Creates a registry holding the built-in tasks.
    public init() {
        let builtIns: [(String, MazeLayout)] = [
            ("point-arena", .arena),
            ("point-maze-u", .uMaze),
            ("point-maze-u4", .u4Maze),
            ("point-maze-u5", .u5Maze),
            ("point-maze-big", .bigMaze),
            ("point-maze-hardest", .hardestMaze),
        ]
        for (name, layout) in builtIns {
            factories[name] = { try PointMaze(layout: layout) }
        }
        // Stitching: near pairs to train on, far pairs to evaluate on.
        for (name, layout) in [("point-maze-big", MazeLayout.bigMaze), ("point-maze-hardest", .hardestMaze)] {
            for (suffix, distance) in [("near", Self.nearPairs), ("far", Self.farPairs)] {
                var pairs = PointMazeConfiguration()
                pairs.pairDistance = distance
                let configuration = pairs
                factories["\(name)-\(suffix)"] = { try PointMaze(layout: layout, configuration: configuration) }
            }
        }
    }

    /// The registered names, sorted.
    public var names: [String] {
        lock.withLock { factories.keys.sorted() }
    }

    /// Registers `factory` under `name`, replacing any environment registered under it before.
    public func register(_ name: String, factory: @escaping Factory) {
        lock.withLock { factories[name] = factory }
    }

    /// Makes a fresh environment registered as `name`. Throws
    /// ``EnvironmentError/unknownEnvironment(name:known:)`` listing the known names when there is
    /// none, and rethrows the factory's errors.
    public func make(_ name: String) throws -> any GoalEnvironment {
        let factory = lock.withLock { factories[name] }
        guard let factory else {
            throw EnvironmentError.unknownEnvironment(name: name, known: names)
        }
        return try factory()
    }
}
