import Foundation

/// Everything an environment rejects from outside: bad actions, bad layouts, unknown names,
/// impossible settings. Each message says what was wrong and what was expected.
public enum EnvironmentError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// An action (or a batch of actions) had the wrong number of elements.
    case wrongActionLength(count: Int, expected: Int, copies: Int?)
    /// An action element was NaN or infinite; `copy` is the environment copy in a vectorized step.
    case nonFiniteAction(value: Float, index: Int, copy: Int?)
    /// `step` was called before the first `reset`.
    case stepBeforeReset
    /// A maze grid contained a character other than `1`, `0`, `R` or `G`.
    case invalidLayoutCharacter(Character, row: Int, column: Int)
    /// A maze grid row had a different number of cells than the first row.
    case raggedLayout(row: Int, cells: Int, expected: Int)
    /// A maze grid had no rows at all.
    case emptyLayout
    /// A maze grid had no `R` (start) cell.
    case missingStartCell
    /// A maze grid had no `G` (goal) cell.
    case missingGoalCell
    /// No environment is registered under `name`; `known` lists the names that are.
    case unknownEnvironment(name: String, known: [String])
    /// A setting was out of its allowed range.
    case invalidSetting(name: String, value: String, expected: String)
    /// An ``EnvironmentCheck`` found the contract broken: `check` names the check, `found` what it saw.
    case checkFailed(check: String, found: String, expected: String)

    /// What was wrong and what was expected.
    public var description: String {
        switch self {
        case let .wrongActionLength(count, expected, copies?):
            return "action batch has \(count) elements, expected \(copies * expected) "
                + "(\(copies) copies × \(expected) action elements, row-major)"
        case let .wrongActionLength(count, expected, nil):
            return "action has \(count) elements, expected \(expected)"
        case let .nonFiniteAction(value, index, copy?):
            return "action element \(index) of copy \(copy) is \(value), expected a finite number "
                + "(finite actions are clipped to [-1, 1])"
        case let .nonFiniteAction(value, index, nil):
            return "action element \(index) is \(value), expected a finite number "
                + "(finite actions are clipped to [-1, 1])"
        case .stepBeforeReset:
            return "step called before reset; call reset(seed:) first"
        case let .invalidLayoutCharacter(character, row, column):
            return "maze grid has \"\(character)\" at row \(row), column \(column); "
                + "expected 1 (wall), 0 (free), R (start) or G (goal)"
        case let .raggedLayout(row, cells, expected):
            return "maze grid row \(row) has \(cells) cells, expected \(expected) like row 0 (every row must be equally long)"
        case .emptyLayout:
            return "maze grid is empty; expected rows of 1, 0, R, G separated by newlines or \"/\""
        case .missingStartCell:
            return "maze grid has no R cell; expected at least one start cell"
        case .missingGoalCell:
            return "maze grid has no G cell; expected at least one goal cell"
        case let .unknownEnvironment(name, known):
            return "no environment named \"\(name)\"; known environments: \(known.joined(separator: ", "))"
        case let .invalidSetting(name, value, expected):
            return "\(name) is \(value), expected \(expected)"
        case let .checkFailed(check, found, expected):
            return "environment check \"\(check)\" failed: \(found), expected \(expected)"
        }
    }

    /// The same as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
