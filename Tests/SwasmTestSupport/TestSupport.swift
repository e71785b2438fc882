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
