import Testing
import Environments

/// One way to break the environment contract, and the check that must catch it.
enum Fault: String, CaseIterable, Sendable {
    case denseRewardInStep, achievedGoalIsNotState, observationTooLong, neverTruncates
    case acceptsNaNAction, scalesActionBeforeClipping, resetUsesSystemRandom, stateBecomesNaN

    var check: String {
        switch self {
        case .denseRewardInStep: "reward"
        case .achievedGoalIsNotState, .observationTooLong, .stateBecomesNaN: "observations"
        case .neverTruncates: "truncation"
        case .acceptsNaNAction: "action validation"
        case .scalesActionBeforeClipping: "action clipping"
        case .resetUsesSystemRandom: "determinism"
        }
    }

    func makeEnvironment() throws -> any GoalEnvironment {
        switch self {
        case .resetUsesSystemRandom: try UnseededMaze()
        case .stateBecomesNaN: try DividingMaze()
        default: try TamperedMaze(self)
        }
    }
}

/// A point maze behind a hand-written `GoalEnvironment` conformance that alters what it returns,
/// as a wrapper or a task written without the base class might.
private final class TamperedMaze: GoalEnvironment {
    let maze: PointMaze
    let fault: Fault

    init(_ fault: Fault) throws {
        maze = try PointMaze()
        self.fault = fault
    }

    var stateSize: Int { maze.stateSize }
    var goalSize: Int { maze.goalSize }
    var actionSize: Int { maze.actionSize }
    var goalRange: Range<Int> { maze.goalRange }
    var successThreshold: Float { maze.successThreshold }
    var episodeLength: Int {
        get { maze.episodeLength }
        set { maze.episodeLength = newValue }
    }

    func reset(seed: UInt64?) -> GoalObservation {
        var first = maze.reset(seed: seed)
        if fault == .achievedGoalIsNotState { first.achievedGoal[0] += 1 }
        if fault == .observationTooLong { first.observation.append(0) }
        return first
    }

    func step(action: [Float]) throws -> GoalStep {
        var action = action
        if fault == .acceptsNaNAction { action = action.map { $0.isFinite ? $0 : 0 } }
        if fault == .scalesActionBeforeClipping { action = action.map { $0 / 2 } }
        var result = try maze.step(action: action)
        switch fault {
        case .denseRewardInStep: result.reward = -result.info.distance  // while computeReward stays sparse
        case .achievedGoalIsNotState: result.achievedGoal[0] += 1
        case .observationTooLong: result.observation.append(0)
        case .neverTruncates: result.truncated = false
        default: break
        }
        return result
    }

    func computeReward(achieved: [Float], desired: [Float]) -> Float {
        maze.computeReward(achieved: achieved, desired: desired)
    }
}

/// Draws its start velocity from the system generator instead of the seeded one.
private final class UnseededMaze: PointMaze {
    override func resetEpisode(state: inout [Float], goal: inout [Float], generator: inout RandomGenerator) {
        super.resetEpisode(state: &state, goal: &goal, generator: &generator)
        var system = SystemRandomNumberGenerator()
        state[2] = Float.random(in: -0.1...0.1, using: &system)
    }
}

/// Divides 0 by 0 in its dynamics at the tenth step, leaving NaN in the state.
private final class DividingMaze: PointMaze {
    override func advance(state: inout [Float], action: [Float]) {
        super.advance(state: &state, action: action)
        if elapsedSteps == 9 { state[3] = state[3] * 0 / 0 }
    }
}

@Suite struct EnvironmentCheckTests {
    @Test(arguments: EnvironmentRegistry().names)
    func builtInTasksPass(name: String) throws {
        let report = try EnvironmentCheck.run { try EnvironmentRegistry.shared.make(name) }
        #expect(report.warnings.isEmpty)
        #expect(report.passed.count == 7)
    }

    @Test(arguments: Fault.allCases)
    func brokenEnvironmentFailsTheCheckThatCoversIt(fault: Fault) throws {
        let error = #expect(throws: EnvironmentError.self) {
            try EnvironmentCheck.run { try fault.makeEnvironment() }
        }
        guard case let .checkFailed(check, _, _)? = error else {
            Issue.record("expected checkFailed, got \(String(describing: error))")
            return
        }
        #expect(check == fault.check, "\(error!)")
        #expect(error!.description.contains("expected"))
    }

    @Test func fixedStartAndGoalOnlyWarn() throws {
        var configuration = PointMazeConfiguration()
        configuration.initialVelocityScale = 0
        let corridor = try MazeLayout(grid: "1 1 1 1/1 R G 1/1 1 1 1")
        let report = try EnvironmentCheck.run { try PointMaze(layout: corridor, configuration: configuration) }
        #expect(report.passed.count == 7)
        #expect(report.warnings.count == 3)
        #expect(report.warnings.allSatisfy { $0.contains("expected") })
    }

    @Test func failureNamesCheckValueAndExpectation() {
        let error = EnvironmentError.checkFailed(check: "reward", found: "step 1 has reward 1.0", expected: "0.0")
        #expect(error.description == "environment check \"reward\" failed: step 1 has reward 1.0, expected 0.0")
    }

    @Test func zeroEpisodesIsRejected() {
        #expect(throws: EnvironmentError.invalidSetting(name: "episodes", value: "0", expected: "at least 1")) {
            try EnvironmentCheck.run({ try PointMaze() }, episodes: 0)
        }
    }
}
