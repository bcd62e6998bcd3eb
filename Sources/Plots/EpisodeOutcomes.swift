import Foundation

/// How a set of evaluation episodes ended: how many reached the goal, how many terminated before
/// their last step (the ant: flipped over or jumped out of its healthy height), and how close the
/// episodes that did neither came to their goals. Tells "falls over" from "walks the wrong way".
public struct EpisodeOutcomes: Sendable, Equatable {
    /// Episodes summarized.
    public var episodes: Int
    /// Episodes that came within the success threshold at some step.
    public var reached: Int
    /// Episodes that ended before the episode length by termination.
    public var terminated: Int
    /// Terminated episodes that had not reached the goal before they ended.
    public var terminatedBeforeReaching: Int
    /// The median closest distance to the goal, in metres, of the episodes that ran to the episode
    /// length without reaching it; `nil` when there are none.
    public var medianClosestDistanceOfTheRest: Double?
    /// The terminated episodes whose task said why (``MazePicture/Path/terminationCause``), one
    /// entry per cause, most frequent first.
    public var terminationCauses: [TerminationCause]

    /// The terminated episodes of one cause.
    public struct TerminationCause: Sendable, Equatable {
        /// Why they terminated, e.g. "torso above 1.0 m".
        public var cause: String
        /// How many did.
        public var episodes: Int
        /// How many of those had not reached the goal before.
        public var beforeReaching: Int
        /// The median number of steps they lasted.
        public var medianSteps: Double
    }

    /// Summarizes `paths` (as ``TrajectoryRecorder/record(_:in:seed:)`` returns them: one point at
    /// the reset and one per step) of episodes at most `episodeLength` steps long.
    public init(_ paths: [MazePicture.Path], episodeLength: Int) {
        let endedEarly = paths.map { $0.points.count - 1 < episodeLength }
        episodes = paths.count
        reached = paths.filter(\.reachedGoal).count
        terminated = endedEarly.filter { $0 }.count
        terminatedBeforeReaching = zip(paths, endedEarly).filter { $1 && !$0.reachedGoal }.count
        let rest = zip(paths, endedEarly).filter { !$1 && !$0.reachedGoal }.map(\.0.closestDistance)
        medianClosestDistanceOfTheRest = rest.isEmpty ? nil : median(rest)
        let explained = Dictionary(grouping: zip(paths, endedEarly).filter { $1 }.map(\.0)) { $0.terminationCause }
        terminationCauses = explained.compactMap { cause, paths in
            cause.map {
                TerminationCause(cause: $0, episodes: paths.count, beforeReaching: paths.filter { !$0.reachedGoal }.count,
                                 medianSteps: median(paths.map { Double($0.points.count - 1) }))
            }
        }.sorted { ($0.episodes, $1.cause) > ($1.episodes, $0.cause) }
    }

    /// One sentence for people, e.g. "128 episodes: 47 reached the goal; 50 terminated early (45
    /// before reaching it): 38 torso above 1.0 m (35 before reaching, median step 212), 12 torso
    /// below 0.2 m (10 before reaching, median step 340); the other 36 came within 1.30 m (median
    /// closest distance)".
    public var description: String {
        var text = "\(episodes) episodes: \(reached) reached the goal; \(terminated) terminated early (\(terminatedBeforeReaching) before reaching it)"
        if !terminationCauses.isEmpty {
            text += ": " + terminationCauses.map {
                "\($0.episodes) \($0.cause) (\($0.beforeReaching) before reaching, median step \(String(format: "%.0f", $0.medianSteps)))"
            }.joined(separator: ", ")
        }
        if let distance = medianClosestDistanceOfTheRest {
            let rest = episodes - reached - terminatedBeforeReaching
            text += "; the other \(rest) came within \(String(format: "%.2f", distance)) m (median closest distance)"
        }
        return text
    }
}

extension MazePicture.Path {
    /// The closest the path came to its goal, in metres.
    public var closestDistance: Double {
        points.map { point in
            let (dx, dy) = (point.x - goal.x, point.y - goal.y)
            return (dx * dx + dy * dy).squareRoot()
        }.min() ?? .infinity
    }
}

/// The median of a non-empty list (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
