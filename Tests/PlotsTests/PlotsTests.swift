import Algorithms
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Plots
import Testing

/// Parses `xml` and counts its elements by name; fails the test when it is not well-formed.
private func elementCounts(_ xml: String) -> [String: Int] {
    final class Counter: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
        }
    }
    let parser = XMLParser(data: Data(xml.utf8))
    let counter = Counter()
    parser.delegate = counter
    let parsed = parser.parse()
    #expect(parsed, "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
    return counter.counts
}

private func record(_ steps: Int, success: Float, loss: Float) -> MetricsRecord {
    // EvaluationResult has no public memberwise initializer: build the record as metrics.jsonl holds it.
    let line = """
        {"env_steps": \(steps), "gradient_steps": \(steps / 40), "wall_seconds": \(Double(steps) / 1000),
         "success_any": \(success), "time_at_goal": \(success * 300), "success_final": \(success / 2),
         "updates_per_second": 30, "env_steps_per_second": 5000,
         "critic_loss": \(loss), "actor_loss": \(-loss), "alpha": 0.1, "categorical_accuracy": 0.5}
        """
    return try! JSONDecoder().decode(MetricsRecord.self, from: Data(line.utf8))
}

@Test func lineChartIsWellFormedWithOnePolylinePerSeries() {
    let chart = LineChart(
        title: "A & B <test>", xLabel: "steps", yLabel: "value",
        series: [
            .init(label: "one", points: [(0, 0), (1, 0.5), (2, 1)]),
            .init(label: "two \"quoted\"", points: [(0, 1), (1, .nan), (2, 0)]),
        ])
    let counts = elementCounts(chart.svg.xml)
    #expect(counts["svg"] == 1)
    #expect(counts["polyline"] == 2)
    #expect(counts["circle"] == 5)   // non-finite points are skipped
    #expect((counts["text"] ?? 0) >= 5)
}

@Test func learningCurvesDrawSuccessTimeAtGoalAndLosses() throws {
    let records = [record(128_000, success: 0, loss: 5.2), record(300_000, success: 0.4, loss: 4.1), record(600_000, success: 0.9, loss: 3.3)]
    let xml = LearningCurves.svg(records, title: "test run").xml
    let counts = elementCounts(xml)
    // success_any, success_final, time_at_goal, actor_loss, critic_loss
    #expect(counts["polyline"] == 5)
    #expect(counts["g"] == 3)
    #expect(xml.contains("critic_loss") && xml.contains("success_any") && xml.contains("time_at_goal"))
}

@Test func metricsAreReadBackFromJSONLines() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("plots-metrics-\(UUID().uuidString).jsonl")
    defer { try? FileManager.default.removeItem(at: url) }
    let encoder = JSONEncoder()
    let lines = try [record(1000, success: 0.25, loss: 2), record(2000, success: 0.5, loss: 1)].map {
        String(decoding: try encoder.encode($0), as: UTF8.self)
    }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
    let records = try MetricsRecord.read(from: url)
    #expect(records.map(\.environmentSteps) == [1000, 2000])
    #expect(records[1].evaluation.successAny == 0.5)
    #expect(records[1].training["critic_loss"] == 1)
}

@Test func aBadMetricsLineIsNamed() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("plots-bad-\(UUID().uuidString).jsonl")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("{\"env_steps\": 1}\n".utf8).write(to: url)
    #expect(throws: AlgorithmsError.self) { try MetricsRecord.read(from: url) }
}

@Test func sweepTableAndComparisonHaveARowAndALinePerSetting() {
    let runs = [
        (label: "depth 4", records: [record(1000, success: 0.1, loss: 3), record(2000, success: 0.2, loss: 2)]),
        (label: "depth 8", records: [record(1000, success: 0.3, loss: 3), record(2000, success: 0.6, loss: 2)]),
    ]
    let csv = LearningCurves.csv(runs).split(separator: "\n")
    #expect(csv.count == 5)
    #expect(csv[0].hasPrefix("setting,env_steps"))
    #expect(csv[3].hasPrefix("depth 8,1000,"))
    let counts = elementCounts(LearningCurves.comparison(runs, title: "sweep").xml)
    #expect(counts["polyline"] == 2)
}

@Test func mazePictureDrawsWallsPathsAndGoals() throws {
    let maze = try PointMaze(layout: .uMaze)
    var picture = MazePicture(maze: maze, title: "U-maze")
    picture.paths = [
        .init(points: [(4, 4), (4, 8), (4, 12), (8, 12)], goal: (8, 12), reachedGoal: true),
        .init(points: [(4, 4), (4, 5)], goal: (12, 4), reachedGoal: false),
    ]
    let counts = elementCounts(picture.svg.xml)
    let walls = MazeLayout.uMaze.cells.filter { $0 == .wall }.count
    #expect(counts["rect"] == 1 + 1 + walls)             // background, floor, walls
    #expect(counts["polyline"] == 2)
    // per path: start dot; per goal: threshold ring and centre dot; one start cell
    #expect(counts["circle"] == 2 + 2 * 2 + 1)
}

@Test func criticMapScoresEveryFreeCellAndDrawsAHeatMap() throws {
    let maze = try PointMaze(layout: .uMaze)
    var settings = CRLConfiguration()
    (settings.criticWidth, settings.actorWidth, settings.representationSize) = (16, 16, 8)
    let agent = try CRL(stateSize: 4, goalSize: 2, actionSize: 2, configuration: settings, seed: 3)
    let map = CriticDistanceMap(agent: agent, maze: maze, goal: [12, 4], samplesPerCellSide: 2)
    let free = MazeLayout.uMaze.cells.filter { $0 != .wall }.count
    #expect(map.samples.count == free * 4)
    #expect(map.samples.allSatisfy { $0.value.isFinite && $0.value <= 0 })   // −‖φ − ψ‖
    #expect(map.squareSize == 2)
    let counts = elementCounts(map.picture(of: maze, title: "critic").svg.xml)
    let walls = MazeLayout.uMaze.cells.filter { $0 == .wall }.count
    // background, floor, heat squares, 32 colour-bar steps + its frame, walls
    #expect(counts["rect"] == 2 + free * 4 + 33 + walls)
    #expect(counts["title"] == free * 4 + 2)   // each heat square, the start cell and the goal
}

@Test func trajectoriesFollowTheAchievedGoalForAWholeEpisode() throws {
    let environment = try VectorEnvironment(named: "point-maze-u", count: 3, seed: 0, threads: 1)
    environment.episodeLength = 20
    var settings = CRLConfiguration()
    (settings.criticWidth, settings.actorWidth) = (8, 8)
    let agent = try CRL(for: environment, configuration: settings, seed: 0)
    let (result, paths) = try TrajectoryRecorder.record(agent, in: environment, seed: 5)
    #expect(paths.count == 3)
    #expect(paths.allSatisfy { $0.points.count == 21 })
    #expect(paths.allSatisfy { $0.points[0].x == 4 && $0.points[0].y == 4 })   // the R cell's centre
    let evaluation = try evaluate(agent, in: environment, seed: 5)
    #expect(result == evaluation)
    #expect(Float(paths.filter(\.reachedGoal).count) / 3 == evaluation.successAny)
}

/// A U-maze whose episodes terminate once the point is 5 cm from where it started, saying so.
private final class FencedMaze: PointMaze, TerminationExplaining {
    override func computeTerminated(achieved: [Float], desired: [Float]) -> Bool {
        let (dx, dy) = (achieved[0] - 4, achieved[1] - 4)
        return (dx * dx + dy * dy).squareRoot() > 0.05
    }

    func terminationCause(lastObservation: ArraySlice<Float>) -> String {
        let (dx, dy) = (lastObservation[lastObservation.startIndex] - 4, lastObservation[lastObservation.startIndex + 1] - 4)
        return (dx * dx + dy * dy).squareRoot() > 0.05 ? "left the fence" : "inside the fence"
    }
}

@Test func theRecorderSaysWhyEpisodesTerminated() throws {
    let environment = try VectorEnvironment(count: 8, seed: 0, threads: 1) { try FencedMaze(layout: .uMaze) }
    environment.episodeLength = 50
    let agent = try CRL(for: environment, configuration: CRLConfiguration(), seed: 3)
    let (result, paths) = try TrajectoryRecorder.record(agent, in: environment, seed: 2)
    #expect(result == (try evaluate(agent, in: environment, seed: 2)))
    let terminated = paths.filter { $0.points.count - 1 < 50 }
    #expect(!terminated.isEmpty)
    // The cause is read from each episode's own last observation (before the reset that follows).
    #expect(terminated.allSatisfy { $0.terminationCause == "left the fence" })
    #expect(paths.filter { $0.points.count - 1 == 50 }.allSatisfy { $0.terminationCause == nil })
    let outcomes = EpisodeOutcomes(paths, episodeLength: 50)
    #expect(outcomes.terminationCauses.map(\.cause) == ["left the fence"] && outcomes.terminationCauses[0].episodes == terminated.count)
}

@Test func goalCellSummaryGroupsEpisodesByTheCellOfTheirGoal() {
    func path(to goal: (x: Double, y: Double), closest: Double, reached: Bool) -> MazePicture.Path {
        MazePicture.Path(points: [(0, 0), (goal.x + closest, goal.y), (goal.x + 2, goal.y)], goal: goal, reachedGoal: reached)
    }
    let paths = [
        path(to: (12, 4), closest: 0.6, reached: false), path(to: (4, 8), closest: 0.1, reached: true),
        path(to: (12, 4), closest: 0.8, reached: false), path(to: (12, 4), closest: 0.3, reached: true),
        path(to: (4, 8), closest: 0.2, reached: true),
    ]
    let summary = GoalCellSummary.summarize(paths, cellSize: 4)
    #expect(summary.map(\.cell) == [MazeLayout.Position(row: 1, column: 2), MazeLayout.Position(row: 3, column: 1)])
    #expect(summary.map(\.episodes) == [2, 3] && summary.map(\.reached) == [2, 1])
    #expect(abs(summary[0].medianClosestDistance - 0.15) < 1e-9)   // even count: mean of the middle two
    #expect(abs(summary[1].medianClosestDistance - 0.6) < 1e-9)
}

@Test func episodeOutcomesTellTerminatedEpisodesFromThoseThatRanOut() {
    // Episodes of at most 4 steps (5 points when they run out); the goal is at (10, 0).
    func path(_ xs: [Double], reached: Bool) -> MazePicture.Path {
        MazePicture.Path(points: xs.map { ($0, 0) }, goal: (10, 0), reachedGoal: reached)
    }
    let paths = [
        path([0, 4, 9.8, 10, 10], reached: true),    // reached, ran out
        path([0, 1, 9.9], reached: true),            // reached, then terminated
        path([0, 1], reached: false),                // terminated before reaching
        path([0, 2, 3, 8, 7], reached: false),       // ran out 2 m short
        path([0, 1, 1, 1, 4], reached: false),       // ran out 6 m short
        path([0, 5, 6, 6, 9], reached: false),       // ran out 1 m short
    ]
    let outcomes = EpisodeOutcomes(paths, episodeLength: 4)
    #expect(outcomes.episodes == 6 && outcomes.reached == 2)
    #expect(outcomes.terminated == 2 && outcomes.terminatedBeforeReaching == 1)
    #expect(outcomes.medianClosestDistanceOfTheRest == 2)
    #expect(outcomes.description == "6 episodes: 2 reached the goal; 2 terminated early (1 before reaching it); the other 3 came within 2.00 m (median closest distance)")
    #expect(EpisodeOutcomes(Array(paths.prefix(2)), episodeLength: 4).medianClosestDistanceOfTheRest == nil)
}

@Test func episodeOutcomesCountTerminationCauses() {
    func path(steps: Int, reached: Bool, cause: String?) -> MazePicture.Path {
        MazePicture.Path(points: (0...steps).map { (Double($0), 0) }, goal: (10, 0), reachedGoal: reached, terminationCause: cause)
    }
    let paths = [
        path(steps: 3, reached: false, cause: "too high"), path(steps: 9, reached: true, cause: "too low"),
        path(steps: 5, reached: false, cause: "too high"), path(steps: 20, reached: false, cause: "too high"),
        path(steps: 2, reached: false, cause: nil),                         // terminated, no cause known
        path(steps: 30, reached: true, cause: nil), path(steps: 30, reached: false, cause: "too low"),  // ran out
    ]
    let outcomes = EpisodeOutcomes(paths, episodeLength: 30)
    #expect(outcomes.terminated == 5 && outcomes.terminatedBeforeReaching == 4)
    #expect(outcomes.terminationCauses.map(\.cause) == ["too high", "too low"])
    #expect(outcomes.terminationCauses.map(\.episodes) == [3, 1] && outcomes.terminationCauses.map(\.beforeReaching) == [3, 0])
    #expect(outcomes.terminationCauses.map(\.medianSteps) == [5, 9])
    #expect(outcomes.description.hasPrefix(
        "7 episodes: 2 reached the goal; 5 terminated early (4 before reaching it): 3 too high (3 before reaching, median step 5), 1 too low (0 before reaching, median step 9); "))
}

@Test func viridisRunsFromPurpleToYellow() {
    #expect(viridis(0) == "#440154")
    #expect(viridis(1) == "#fde725")
    #expect(viridis(.nan) == "#440154")
}
