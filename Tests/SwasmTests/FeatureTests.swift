import Foundation
import Swasm
import XCTest

/// `EngineConfiguration.features`: modules that use a disabled feature fail validation, naming the feature.
final class FeatureTests: XCTestCase {
  let bytes = Array(try! Data(contentsOf: EmbeddingTests.modules.appendingPathComponent("features.wasm")))

  func load(_ features: WasmFeatures, cacheFolder: URL? = nil) throws -> PreparedModule {
    try Engine(configuration: EngineConfiguration(features: features, cacheFolder: cacheFolder)).loadModule(bytes: bytes)
  }

  func testEveryFeatureIsOnByDefault() throws {
    XCTAssertEqual(EngineConfiguration().features, .all)
    XCTAssertNoThrow(try load(.all))
  }

  func testDisabledFeaturesAreRefusedByName() throws {
    for (missing, name) in [(WasmFeatures.signExtension, "sign-extension"), (.bulkMemory, "bulk memory"),
                            (.multiValue, "multi-value")] {
      XCTAssertThrowsError(try load(WasmFeatures.all.subtracting(missing))) { error in
        XCTAssertTrue(error is ValidationError, "\(error)")
        XCTAssertTrue("\(error)".contains(name), "\(error)")
      }
    }
    XCTAssertThrowsError(try load(.mvp))
  }

  func testCacheEntriesDoNotCrossFeatureSettings() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swasm-features-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try load(.all, cacheFolder: folder)  // writes the entry
    XCTAssertNoThrow(try load(.all, cacheFolder: folder))
    // An engine without bulk memory must not pick up the entry validated with it.
    XCTAssertThrowsError(try load(WasmFeatures.all.subtracting(.bulkMemory), cacheFolder: folder))
  }
}
