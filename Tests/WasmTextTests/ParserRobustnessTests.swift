import Foundation
import SwasmTestSupport
import WasmText
import XCTest

/// Malformed text gets an error, never a crash: the spec suite's scripts, truncated and mutated (a fixed,
/// deterministic slice; `tools/fuzz/libfuzzer.sh wat` runs longer campaigns), and nesting deeper than the parser allows.
final class ParserRobustnessTests: XCTestCase {
  /// Deterministic edits (the same on every run).
  struct Mutator {
    var random: SplitMix64
    mutating func below(_ n: Int) -> Int { random.below(n) }

    /// One to four edits: truncation, a byte replaced by one that matters to the lexer, a range deleted or
    /// repeated.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
      var b = bytes
      for _ in 0...below(4) where !b.isEmpty {
        let at = below(b.count)
        switch below(4) {
        case 0: b.removeSubrange(at...)
        case 1: b[at] = Array("()\";$0\\@-.x= \n\u{7F}".utf8)[below(15)]
        case 2: b.removeSubrange(at..<min(b.count, at + 1 + below(64)))
        default: b.insert(contentsOf: b[at..<min(b.count, at + 1 + below(256))], at: at)
        }
      }
      return b
    }
  }

  func scripts() throws -> [URL] {
    let folder = sharedFolder.appendingPathComponent("spectest/wast")
    guard FileManager.default.fileExists(atPath: folder.path) else {
      print("SKIPPED: spec suite scripts not found at \(folder.path) (set SWASM_SHARED)")
      throw XCTSkip("spec suite scripts not found")
    }
    let all = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".wast") }.sorted()
    return all.map { folder.appendingPathComponent($0) }
  }

  func testMutatedScriptsGetErrorsNotCrashes() throws {
    var mutator = Mutator(random: SplitMix64(seed: 2026_12_06))
    var parsed = 0
    var refused = 0
    for url in try scripts() {
      let original = Array(try Data(contentsOf: url))
      for _ in 0..<2 {
        let text = String(decoding: mutator.mutate(original), as: UTF8.self)
        guard let commands = try? WastScript.commands(text) else {
          refused += 1
          continue
        }
        parsed += 1
        for case let quoted as [UInt8] in commands.compactMap({ $0["module_quote"] }) {
          _ = try? WAT.parse(bytes: quoted)
          _ = try? WAT.parse(bytes: mutator.mutate(quoted))
        }
      }
    }
    print("mutated scripts: \(parsed) read into commands, \(refused) refused as a whole")
    XCTAssertGreaterThan(parsed + refused, 500)
  }

  func testDeepNestingIsAnErrorNotAStackOverflow() {
    let depth = 100_000
    let folded = "(module (func " + String(repeating: "(block ", count: depth) + String(repeating: ")", count: depth) + "))"
    let flat = "(module (func " + String(repeating: "block ", count: depth) + String(repeating: "end ", count: depth) + "))"
    for text in [folded, flat] {
      XCTAssertThrowsError(try WAT.parse(text)) { error in
        XCTAssertTrue("\(error)".contains("nested more than 1000 deep"), "\(error)")
      }
    }
    let fine = "(module (func " + String(repeating: "(block ", count: 500) + String(repeating: ")", count: 500) + "))"
    XCTAssertNoThrow(try WAT.parse(fine))
    let either = "(assert_return (invoke \"f\") " + String(repeating: "(either ", count: depth) + String(repeating: ")", count: depth) + ")"
    XCTAssertNoThrow(try WastScript.commands(either), "a script error is recorded on its command")
  }
}
