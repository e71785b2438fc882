import Foundation
import SwasmRuntime
import WasmBinary

/// Reads and decodes a module file, turning every problem into a one-line error.
func loadModule(_ path: String) -> Module {
  guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
  do {
    return try Module(bytes: Array(data))
  } catch {
    fail("\(path): \(error)")
  }
}
