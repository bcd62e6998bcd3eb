/// Why an episode of a task that terminates when its torso leaves a healthy height range ended:
/// the torso was above or below the range, or else (height in range) the physics diverged.
func heightTerminationCause(torsoHeight: Float, healthy: ClosedRange<Double>) -> String {
    if Double(torsoHeight) > healthy.upperBound { return "torso above \(healthy.upperBound) m" }
    if Double(torsoHeight) < healthy.lowerBound { return "torso below \(healthy.lowerBound) m" }
    return "physics diverged"
}
