import Foundation
import SwasmBytecode
import SwasmCache
import SwasmTestSupport
import SwasmTranslator
import WasmBinary

let vectorsFolder = packageRoot.appendingPathComponent("cache-format/vectors")

/// The fingerprint the test vector is written with: fixed, so that the vector does not change with the opcode
/// table or the machine (those are covered by `CacheIdentity.fingerprint`, checked separately).
let vectorFingerprint = SHA256.hash(Array("swasm cache-format test vector".utf8))

func sampleModuleBytes() throws -> [UInt8] {
  Array(try Data(contentsOf: vectorsFolder.appendingPathComponent("sample.wasm")))
}

/// Translates `bytes` as the engine does with default settings.
func translate(_ bytes: [UInt8], options: TranslationOptions = TranslationOptions()) throws -> (Module, [CompiledFunction]) {
  let module = try Module(bytes: bytes)
  let translator = ModuleTranslator(module: module, validation: try module.validate(), options: options)
  return (module, try (0..<module.codes.count).map { try translator.translate(definedFunction: $0) })
}

/// The sample module's cache file as this engine writes it.
func encodeSample(level: Int32 = 19) throws -> [UInt8] {  // the vector's level (cache-format/SPEC.md)
  let bytes = try sampleModuleBytes()
  let (module, functions) = try translate(bytes)
  return CacheFileWriter.encode(
    members: [CacheMember(name: "sample", moduleBytesWithoutCode: module.bytesWithoutCode, functions: functions)],
    fingerprint: vectorFingerprint, key: CacheIdentity.key(moduleBytes: bytes, fingerprint: vectorFingerprint),
    bundle: false, level: level)
}
