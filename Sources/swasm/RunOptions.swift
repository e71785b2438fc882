/// What `swasm run` was asked to do: the options of `Run`, as plain values.
///
/// `swasm run` is what users launch again and again, so its common command lines skip ArgumentParser, whose
/// reflection over the commands' property wrappers cost every launch more time than a warm start's own work
/// (`init(quickParsing:)`). Anything that parser does not fully understand (help, an unknown or repeated
/// option, a missing value) goes through ArgumentParser, which gives the usual messages; a test checks that the
/// two agree.
struct RunOptions: Equatable {
  var invoke: String?
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
}

extension RunOptions {
  /// Parses `swasm run`'s arguments (after `run`) the way `Run` declares them: long options with a separate or
  /// `=` value, then FILE (or `--`, then FILE), then every remaining argument for the guest, verbatim. Nil when
  /// ArgumentParser should handle them.
  init?(quickParsing arguments: [String]) {
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
      if let eq = name.firstIndex(of: "=") {
        inlineValue = String(name[name.index(after: eq)...])
        name = String(name[..<eq])
        guard inlineValue != "" else { return nil }  // ArgumentParser reads the next argument then
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
      case "cache-dir":
        guard once(), let v = value() else { return nil }
        cacheDir = v
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
