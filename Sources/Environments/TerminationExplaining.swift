/// A task whose episodes can end early that can tell why one did from its last observation
/// (for example the ant: its torso jumped above or sank below the healthy height).
public protocol TerminationExplaining: GoalEnvironment {
    /// A short reason, such as "torso above 1.0 m", why the episode whose last observation
    /// (`observationSize` elements) is `lastObservation` terminated.
    func terminationCause(lastObservation: ArraySlice<Float>) -> String
}
