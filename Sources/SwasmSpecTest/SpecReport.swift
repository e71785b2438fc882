/// One command that did not do what the suite expects.
public struct SpecFailure: Sendable {
  public var file: String
  public var line: Int
  public var command: String
  public var expected: String
  public var actual: String

  public var description: String { "\(file):\(line): \(command): expected \(expected), got \(actual)" }
}

/// Totals of one JSON command file.
public struct SpecFileResult: Sendable {
  public var file: String
  public var passed = 0
  public var failed = 0
  public var skipped = 0
  /// Why commands were skipped, with counts (e.g. "text module (needs a text parser)": 12).
  public var skipReasons: [String: Int] = [:]
  public var failures: [SpecFailure] = []

  mutating func skip(_ reason: String, count: Int = 1) {
    skipped += count
    skipReasons[reason, default: 0] += count
  }

  public var summary: String {
    var text = "\(file): \(passed) passed, \(failed) failed, \(skipped) skipped"
    if !skipReasons.isEmpty {
      text += " (" + skipReasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: "; ") + ")"
    }
    return text
  }
}

public struct SpecReport: Sendable {
  public var files: [SpecFileResult] = []
  public init() {}
  public var passed: Int { files.reduce(0) { $0 + $1.passed } }
  public var failed: Int { files.reduce(0) { $0 + $1.failed } }
  public var skipped: Int { files.reduce(0) { $0 + $1.skipped } }
  public var failures: [SpecFailure] { files.flatMap(\.failures) }
  /// The closing line: `N passed, N failed, N skipped`.
  public var totals: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}
