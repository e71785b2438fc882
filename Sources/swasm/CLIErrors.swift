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

/// Reports a trap with its backtrace (innermost function first) and exits with the trap status.
func reportTrap(_ trap: Trap) -> Never {
  var text = "error: trap: \(trap.message)\n"
  for line in backtraceLines(trap.backtrace) { text += "  \(line)\n" }
  writeStderr(text)
  exit(ExitStatus.trap)
}

/// A backtrace (innermost first) as lines to print: a run of one function calling itself is one line and a
/// count, and of a very deep stack (runaway recursion through several functions) only both ends are shown.
func backtraceLines(_ backtrace: [String], head: Int = 30, tail: Int = 10) -> [String] {
  var lines: [String] = []
  var i = 0
  while i < backtrace.count {
    var run = 1
    while i + run < backtrace.count, backtrace[i + run] == backtrace[i] { run += 1 }
    lines.append("at \(backtrace[i])")
    if run > 1 { lines.append("[the frame above repeated \(run - 1) more time\(run == 2 ? "" : "s")]") }
    i += run
  }
  guard lines.count > head + tail + 1 else { return lines }
  return Array(lines[..<head]) + ["... \(lines.count - head - tail) more lines ..."] + Array(lines[(lines.count - tail)...])
}
