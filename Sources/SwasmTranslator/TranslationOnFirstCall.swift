import SwasmBytecode
import WasmBinary

/// A validated module whose functions are translated one at a time, on first call: a start-up translates only what
/// it runs (CPython's 89,000 functions, most of which a program never calls), and code that is never called is
/// never materialised. Each store that instantiates the module asks for a function once and keeps its own copy
/// in its dispatch form, so nothing is kept here.
///
/// Thread-safe: the module and the translator are immutable, and each translation is independent.
public final class TranslationOnFirstCall: CompiledCodeSource, @unchecked Sendable {
  let translator: ModuleTranslator

  /// The module must have passed validation (`validation`), so translation meets only the translator's limits.
  public init(module: Module, validation: ValidationInfo, options: TranslationOptions) {
    translator = ModuleTranslator(module: module, validation: validation, options: options)
  }

  /// Unknown until the function is translated.
  public func frameSize(ofFunction index: Int) -> Int? { nil }

  public func function(_ index: Int) throws -> CompiledFunction {
    try translator.translate(definedFunction: index)
  }

  public func withFunctionCode<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt64>, Int) throws -> R) throws -> R {
    let translated = try function(index)
    return try translated.code.withUnsafeBufferPointer { try body($0, translated.frameSize) }
  }
}
