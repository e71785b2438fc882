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
  for name in trap.backtrace { text += "  at \(name)\n" }
  writeStderr(text)
  exit(ExitStatus.trap)
}
