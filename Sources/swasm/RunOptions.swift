/// What `swasm run` was asked to do: the options of `Run`, as plain values.
///
/// `swasm run` is what users launch again and again, so its common command lines skip ArgumentParser, whose
/// reflection over the commands' property wrappers cost every launch more time than a warm start's own work
/// (`init(quickParsing:)`). Anything that parser does not fully understand (help, an unknown or repeated
/// option, a missing value) goes through ArgumentParser, which gives the usual messages; a test checks that the
/// two agree.
struct RunOptions: Equatable {
  var invoke: String?
  var entry: String?
  var dispatch: DispatchOption = .threaded
  var dir: [String] = []
  var env: [String] = []
  var inheritEnv = false
  var tcplisten: [String] = []
  var preload: [String] = []
  var file = ""
  var args: [String] = []
  var cache = false
  var cacheDir: String?
  var verbose = false
  var fuel: String?
  var timeout: String?
  var maxMemory: String?
  var maxWasmStack: String?
  var argv0: String?
  /// wasmtime's `-W` and `-S` options, each a `KEY[=VALUE],...` group (RunSettings.swift).
  var wasmtimeOptions: [String] = []
  var wasiOptions: [String] = []
}

extension RunOptions {
  /// Parses `swasm run`'s arguments (after `run`) the way `Run` declares them: long options with a separate or
  /// `=` value, then FILE (or `--`, then FILE), then every remaining argument for the guest, verbatim. Nil when
  /// ArgumentParser should handle them; throws `UsageError` for what neither may read as the user meant:
  /// `--NAME=` without a value (ArgumentParser would take the next argument, the FILE, as the value), except
  /// `--invoke=`, which names the export whose name is empty (as in wasmtime).
  init?(quickParsing arguments: [String]) throws {
    var i = 0
    var seen: [String] = []  // (an array: a Set's first use costs a conformance scan at start-up)
    while i < arguments.count {
      let argument = arguments[i]
      if argument == "--" {
        i += 1
        break
      }
      guard argument.hasPrefix("-") else { break }
      guard argument.hasPrefix("--") else { return nil }  // -h and the like
      var name = String(argument.dropFirst(2)), inlineValue: String?
      // Split at the first "=" scalar: a value starting with a combining mark would join the "=" in one Character
      // (an export named "\u{301}x" made `--invoke=\u{301}x` an unknown option).
      if let eq = name.unicodeScalars.firstIndex(of: "=") {
        inlineValue = String(name.unicodeScalars[name.unicodeScalars.index(after: eq)...])
        name = String(name.unicodeScalars[..<eq])
        if inlineValue == "" && name != "invoke" { throw UsageError("--\(name)= needs a value after the =") }
      }
      i += 1
      func value() -> String? {
        if let inlineValue { return inlineValue }
        guard i < arguments.count, !arguments[i].hasPrefix("-") else { return nil }
        defer { i += 1 }
        return arguments[i]
      }
      func once() -> Bool {
        defer { seen.append(name) }
        return !seen.contains(name)
      }
      switch name {
      case "invoke":
        guard once(), let v = value() else { return nil }
        invoke = v
      case "entry":
        guard once(), let v = value() else { return nil }
        entry = v
      case "dispatch":
        guard once(), let v = value(), let mode = DispatchOption(rawValue: v) else { return nil }
        dispatch = mode
      case "dir", "env", "tcplisten", "preload":
        guard let v = value() else { return nil }
        switch name {
        case "dir": dir.append(v)
        case "env": env.append(v)
        case "tcplisten": tcplisten.append(v)
        default: preload.append(v)
        }
      case "cache-dir", "fuel", "timeout", "max-memory", "max-wasm-stack", "argv0":
        guard once(), let v = value() else { return nil }
        switch name {
        case "cache-dir": cacheDir = v
        case "fuel": fuel = v
        case "timeout": timeout = v
        case "max-memory": maxMemory = v
        case "max-wasm-stack": maxWasmStack = v
        default: argv0 = v
        }
      case "inherit-env", "cache", "verbose":
        guard once(), inlineValue == nil else { return nil }
        switch name {
        case "inherit-env": inheritEnv = true
        case "cache": cache = true
        default: verbose = true
        }
      default:
        return nil  // --help, --version, unknown options
      }
    }
    guard i < arguments.count else { return nil }  // no FILE
    file = arguments[i]
    args = Array(arguments[(i + 1)...])
    // ArgumentParser reads every argument before the first `--` before it hands the rest to the guest: it
    // refuses some forms and acts on its own requests wherever they appear. Leave those command lines to it.
    for argument in arguments[..<(arguments.firstIndex(of: "--") ?? arguments.count)] {
      if argument.hasPrefix("---") || argument.hasPrefix("-=") || argument.hasPrefix("--generate-completion-script")
        || argument.hasPrefix("--experimental-dump-help") {
        return nil
      }
    }
  }
}

/// A command line that cannot mean what its user meant: one line on stderr, exit status 1.
struct UsageError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
