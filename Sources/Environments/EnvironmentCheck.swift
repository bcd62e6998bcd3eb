/// Checks that an environment keeps the ``GoalEnvironment`` contract, as Gymnasium's `check_env`
/// does: run it on a new task before training on it.
///
/// ```swift
/// let report = try EnvironmentCheck.run { try SpiralMaze() }
/// for warning in report.warnings { print("warning:", warning) }
/// ```
///
/// A broken rule throws ``EnvironmentError/checkFailed(check:found:expected:)`` naming one of the
/// checks `sizes`, `observations`, `determinism`, `reward`, `truncation`, `action clipping` or
/// `action validation`. What may be intended (the same start for every seed, a fixed goal) becomes a
/// warning in the ``Report``.
public enum EnvironmentCheck {
    /// What a run found when no rule was broken.
    public struct Report: Equatable, Sendable {
        /// One line per check that passed, saying what it covered.
        public var passed: [String]
        /// Findings that break no rule but are often mistakes.
        public var warnings: [String]
    }

    /// Runs every check on fresh environments made by `makeEnvironment` (called several times):
    /// `episodes` full episodes reset with seeds `seed`, `seed + 1`, … and stepped with uniform
    /// random actions drawn from `seed`, on two instances side by side. Throws
    /// ``EnvironmentError/checkFailed(check:found:expected:)`` at the first broken rule, and
    /// rethrows the factory's errors.
    public static func run(
        _ makeEnvironment: () throws -> any GoalEnvironment, episodes: Int = 3, seed: UInt64 = 0
    ) throws -> Report {
        guard episodes > 0 else {
            throw EnvironmentError.invalidSetting(name: "episodes", value: "\(episodes)", expected: "at least 1")
        }
        var report = Report(passed: [], warnings: [])
        let environment = try makeEnvironment(), twin = try makeEnvironment()
        try checkSizes(of: environment, twin: twin)
        report.passed.append(
            "sizes: state \(environment.stateSize), goal \(environment.goalSize) at \(environment.goalRange), "
                + "action \(environment.actionSize), successThreshold \(environment.successThreshold), "
                + "episodeLength \(environment.episodeLength)")

        var actions = RandomGenerator(seed: seed)
        var steps = 0
        for episode in 0..<episodes {
            let episodeSeed = seed &+ UInt64(episode)
            let place = "episode \(episode) (seed \(episodeSeed))"
            let start = environment.reset(seed: episodeSeed), twinStart = twin.reset(seed: episodeSeed)
            try checkObservation(start.observation, start.achievedGoal, start.desiredGoal, of: environment, at: "the reset of \(place)")
            try requireEqual(fields(start), fields(twinStart), at: "the reset of \(place)")
            for step in 1...environment.episodeLength {
                let action = (0..<environment.actionSize).map { _ in Float(actions.nextUniform() * 2 - 1) }
                let stepPlace = "step \(step) of \(place)"
                let result = try attempt(action, on: environment, at: stepPlace)
                let twinResult = try attempt(action, on: twin, at: stepPlace)
                steps += 1
                try checkObservation(result.observation, result.achievedGoal, result.desiredGoal, of: environment, at: stepPlace)
                try requireEqual(fields(result), fields(twinResult), at: stepPlace)
                try checkReward(result, of: environment, at: stepPlace)
                let isLast = step == environment.episodeLength
                try require(isLast ? result.truncated || result.terminated : !result.truncated, "truncation",
                            found: "\(stepPlace) has truncated \(result.truncated), terminated \(result.terminated)",
                            expected: "truncated \(isLast) (episodeLength \(environment.episodeLength) ends the episode after exactly that many steps)")
                if result.terminated || result.truncated { break }
            }
        }
        report.passed.append("observations: sizes, finite values and achievedGoal == state[goalRange] over \(steps) steps")
        report.passed.append("determinism: two instances agree on \(episodes) episodes with the same seeds and actions")
        report.passed.append("reward: every step's reward equals computeReward(achieved:desired:)")
        report.passed.append("truncation: episodes end by termination or after exactly episodeLength steps")

        report.warnings += try checkFreshEpisodes(try makeEnvironment(), seed: seed)
        try checkClipping(try makeEnvironment(), try makeEnvironment(), seed: seed)
        report.passed.append("action clipping: actions outside [-1, 1] act as their clipped values")
        try checkValidation(try makeEnvironment(), seed: seed)
        report.passed.append("action validation: NaN, infinite and wrong-length actions and steps before reset throw")
        return report
    }

    // MARK: The checks

    private static func checkSizes(of environment: any GoalEnvironment, twin: any GoalEnvironment) throws {
        let sizes = [("stateSize", environment.stateSize), ("goalSize", environment.goalSize),
                     ("actionSize", environment.actionSize), ("episodeLength", environment.episodeLength)]
        for (name, size) in sizes {
            try require(size >= 1, "sizes", found: "\(name) is \(size)", expected: "at least 1")
        }
        let range = environment.goalRange
        try require(range.lowerBound >= 0 && range.upperBound <= environment.stateSize && range.count == environment.goalSize,
                    "sizes", found: "goalRange is \(range)",
                    expected: "\(environment.goalSize) elements (goalSize) inside 0..<\(environment.stateSize) (stateSize)")
        let threshold = environment.successThreshold
        try require(threshold.isFinite && threshold > 0, "sizes", found: "successThreshold is \(threshold)", expected: "a positive number")
        let shape = { (e: any GoalEnvironment) in "state \(e.stateSize), goal \(e.goalSize) at \(e.goalRange), action \(e.actionSize)" }
        try require(shape(environment) == shape(twin), "sizes", found: "two fresh instances have \(shape(environment)) and \(shape(twin))",
                    expected: "the same sizes from every instance")
    }

    private static func checkObservation(
        _ observation: [Float], _ achieved: [Float], _ desired: [Float], of environment: any GoalEnvironment, at place: String
    ) throws {
        let check = "observations"
        let (stateSize, goalSize) = (environment.stateSize, environment.goalSize)
        try require(observation.count == stateSize + goalSize, check, found: "\(place) has \(observation.count) observation elements",
                    expected: "\(stateSize + goalSize) (stateSize \(stateSize) + goalSize \(goalSize))")
        for (name, goal) in [("achieved", achieved), ("desired", desired)] {
            try require(goal.count == goalSize, check, found: "\(place) has \(goal.count) \(name) goal elements", expected: "\(goalSize) (goalSize)")
        }
        for (name, values) in [("observation", observation), ("achieved goal", achieved), ("desired goal", desired)] {
            if let index = values.firstIndex(where: { !$0.isFinite }) {
                throw EnvironmentError.checkFailed(
                    check: check, found: "\(place) has \(name) element \(index) = \(values[index])", expected: "a finite number")
            }
        }
        let stateGoal = Array(observation[environment.goalRange])
        try require(achieved == stateGoal, check, found: "\(place) has achieved goal \(achieved)",
                    expected: "state[\(environment.goalRange)] = \(stateGoal)")
        let shownGoal = Array(observation[stateSize...])
        try require(desired == shownGoal, check, found: "\(place) has desired goal \(desired)",
                    expected: "the observation's last \(goalSize) elements, \(shownGoal)")
    }

    private static func checkReward(_ result: GoalStep, of environment: any GoalEnvironment, at place: String) throws {
        let expected = environment.computeReward(achieved: result.achievedGoal, desired: result.desiredGoal)
        try require(result.reward.isFinite, "reward", found: "\(place) has reward \(result.reward)", expected: "a finite number")
        try require(abs(result.reward - expected) <= 1e-5 * max(1, abs(expected)), "reward",
                    found: "\(place) has reward \(result.reward)",
                    expected: "\(expected), computeReward(achieved: \(result.achievedGoal), desired: \(result.desiredGoal))")
    }

    /// Resets with ten seeds, then ten times without one, and warns when starts or goals never change.
    private static func checkFreshEpisodes(_ environment: any GoalEnvironment, seed: UInt64) throws -> [String] {
        let seeded = try (0..<10).map { offset -> GoalObservation in
            let start = environment.reset(seed: seed &+ UInt64(offset))
            try checkObservation(start.observation, start.achievedGoal, start.desiredGoal, of: environment,
                                 at: "the reset with seed \(seed &+ UInt64(offset))")
            return start
        }
        let unseeded = (0..<10).map { _ in environment.reset(seed: nil) }
        var warnings: [String] = []
        if Set(seeded.map(\.observation)).count == 1 {
            warnings.append("seeds \(seed) to \(seed &+ 9) all give the same first observation \(seeded[0].observation); "
                + "expected a start or goal drawn from the seed, unless the task is meant to be fixed")
        }
        for (resets, goals) in [("with seeds \(seed) to \(seed &+ 9)", seeded), ("without a seed", unseeded)]
        where Set(goals.map(\.desiredGoal)).count == 1 {
            warnings.append("10 resets \(resets) all give the desired goal \(goals[0].desiredGoal); "
                + "expected fresh goals on reset, unless the task has a single goal")
        }
        return warnings
    }

    /// Steps one instance with actions of ±10 and a twin with ±1; their results must agree.
    private static func checkClipping(_ environment: any GoalEnvironment, _ twin: any GoalEnvironment, seed: UInt64) throws {
        environment.reset(seed: seed)
        twin.reset(seed: seed)
        for step in 1...min(5, environment.episodeLength) {
            let signs = (0..<environment.actionSize).map { Float(($0 + step) % 2 == 0 ? 1 : -1) }
            let large = signs.map { $0 * 10 }
            let place = "step \(step) after reset(seed: \(seed))"
            let result = try attempt(large, on: environment, at: place, check: "action clipping")
            let clipped = try attempt(signs, on: twin, at: place, check: "action clipping")
            try require(result == clipped, "action clipping",
                        found: "\(place) with action \(large) gives observation \(result.observation), reward \(result.reward)",
                        expected: "the result of action \(signs): observation \(clipped.observation), reward \(clipped.reward)")
        }
    }

    private static func checkValidation(_ environment: any GoalEnvironment, seed: UInt64) throws {
        let size = environment.actionSize
        let zero = [Float](repeating: 0, count: size)
        try requireRejection(of: zero, by: environment, what: "step before the first reset")
        environment.reset(seed: seed)
        var withNaN = zero, withInfinity = zero
        withNaN[0] = .nan
        withInfinity[size - 1] = .infinity
        try requireRejection(of: withNaN, by: environment, what: "action \(withNaN)")
        try requireRejection(of: withInfinity, by: environment, what: "action \(withInfinity)")
        try requireRejection(of: zero + [0], by: environment, what: "action of \(size + 1) elements")
    }

    // MARK: Helpers

    private static func require(_ condition: Bool, _ check: String, found: @autoclosure () -> String,
                                expected: @autoclosure () -> String) throws {
        if !condition { throw EnvironmentError.checkFailed(check: check, found: found(), expected: expected()) }
    }

    /// Steps with a valid action; a thrown error breaks the contract.
    private static func attempt(_ action: [Float], on environment: any GoalEnvironment, at place: String,
                                check: String = "action validation") throws -> GoalStep {
        do {
            return try environment.step(action: action)
        } catch {
            throw EnvironmentError.checkFailed(check: check, found: "\(place) with action \(action) threw \"\(error)\"",
                                               expected: "the action accepted (finite actions are clipped to [-1, 1])")
        }
    }

    private static func requireRejection(of action: [Float], by environment: any GoalEnvironment, what: String) throws {
        let outcome: String
        do {
            _ = try environment.step(action: action)
            outcome = "was accepted"
        } catch is EnvironmentError {
            return
        } catch {
            outcome = "threw \(type(of: error)) \"\(error)\""
        }
        throw EnvironmentError.checkFailed(check: "action validation", found: "\(what) \(outcome)", expected: "an EnvironmentError")
    }

    private static func fields(_ start: GoalObservation) -> [(String, String)] {
        [("observation", "\(start.observation)"), ("achieved goal", "\(start.achievedGoal)"), ("desired goal", "\(start.desiredGoal)")]
    }

    private static func fields(_ step: GoalStep) -> [(String, String)] {
        [("observation", "\(step.observation)"), ("achieved goal", "\(step.achievedGoal)"), ("desired goal", "\(step.desiredGoal)"),
         ("reward", "\(step.reward)"), ("terminated", "\(step.terminated)"), ("truncated", "\(step.truncated)"), ("info", "\(step.info)")]
    }

    /// Compares two instances' results field by field (as text, which shows every bit of a Float).
    private static func requireEqual(_ first: [(String, String)], _ second: [(String, String)], at place: String) throws {
        for ((name, value), (_, other)) in zip(first, second) where value != other {
            throw EnvironmentError.checkFailed(
                check: "determinism", found: "\(place) gives \(name) \(value) on one instance and \(other) on another",
                expected: "identical results from instances reset with the same seed and given the same actions")
        }
    }
}
