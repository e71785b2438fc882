#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SwasmRuntime

/// Prints `error: MESSAGE` to stderr and exits: every failure the CLI reports is one line, never a crash.
func fail(_ message: String, status: Int32 = ExitStatus.error) -> Never {
  writeStderr("error: \(message)\n")
  exit(status)
}

func writeStderr(_ text: String) {
  fputs(text, stderr)
}

/// Reports a trap with its backtrace (innermost function first) and exits with the trap status. `limit` names the
/// command-line limit that stopped the guest, if one did.
func reportTrap(_ trap: Trap, limit: String? = nil) -> Never {
  var text = "error: trap: \(trap.message)\(limit.map { " (\($0))" } ?? "")\n"
  for line in backtraceLines(trap.backtrace) { text += "  \(line)\n" }
  writeStderr(text)
  exit(ExitStatus.trap)
}

/// Reports an exception no handler caught, with its tag, its payload and where it was thrown, and exits with the
/// trap status (as wasmtime does).
func reportUncaughtException(_ exception: WasmException) -> Never {
  var text = "error: trap: uncaught exception of tag \(exception.tag.name)"
  if !exception.payload.isEmpty { text += " carrying \(exception.payload.map(\.description).joined(separator: ", "))" }
  text += "\n"
  for line in backtraceLines(exception.backtrace) { text += "  \(line)\n" }
  writeStderr(text)
  exit(ExitStatus.trap)
}

/// A backtrace (innermost first) as lines to print: a run of one function calling itself is one frame and a
/// count, and of a very deep stack (runaway recursion through several functions) only the innermost `head` and
/// outermost `tail` runs are shown.
func backtraceLines(_ backtrace: [String], head: Int = 30, tail: Int = 10) -> [String] {
  var runs: [(name: String, count: Int)] = []
  for name in backtrace {
    if runs.last?.name == name { runs[runs.count - 1].count += 1 } else { runs.append((name, 1)) }
  }
  func lines(_ run: (name: String, count: Int)) -> [String] {
    ["at \(run.name)"] + (run.count > 1 ? ["[the frame above repeated \(run.count - 1) more time\(run.count == 2 ? "" : "s")]"] : [])
  }
  guard runs.count > head + tail + 1 else { return runs.flatMap(lines) }
  let omitted = runs[head..<(runs.count - tail)].reduce(0) { $0 + $1.count }
  return runs[..<head].flatMap(lines) + ["... \(omitted) more frames ..."] + runs[(runs.count - tail)...].flatMap(lines)
}
