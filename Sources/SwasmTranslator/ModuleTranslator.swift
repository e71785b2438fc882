import SwasmBytecode
import WasmBinary

public struct TranslationError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { "translation error: \(message)" }
}

/// Settings that change which modules are accepted or what the translator emits (and so belong in any cache key).
public struct TranslationOptions: Hashable, Sendable {
  /// Emit a fuel check at every function entry and loop header, charging the Wasm instructions the block runs
  /// straight through: the basis of fuel limits and of interrupting a guest from another thread.
  public var meterFuel: Bool
  /// The features modules may use; validation rejects the others.
  public var features: WasmFeatures

  public init(meterFuel: Bool = false, features: WasmFeatures = .all) {
    self.meterFuel = meterFuel
    self.features = features
  }
}

/// Translates the validated functions of one module into register bytecode, one function at a time.
public struct ModuleTranslator {
  let module: Module
  let validation: ValidationInfo
  let options: TranslationOptions
  /// Type of every function in the function index space.
  let functionTypes: [FuncType]
  /// Type of every tag in the tag index space.
  let tagTypes: [FuncType]
  /// Every memory of the memory index space (`Module.allMemories` builds the array anew at each use).
  let memories: [MemoryType]

  public init(module: Module, validation: ValidationInfo, options: TranslationOptions = TranslationOptions()) {
    self.module = module
    self.validation = validation
    self.options = options
    self.functionTypes = module.allFunctionTypeIndices.map { module.functionType($0) }
    self.tagTypes = module.allTagTypeIndices.map { module.functionType($0) }
    self.memories = module.allMemories
  }

  /// Translates defined function `index` (0 is the first function after the imported ones).
  public func translate(definedFunction index: Int) throws -> CompiledFunction {
    try translate(definedFunction: index, body: module.codes[index], in: module.bytes)
  }

  /// Translates defined function `index` whose body is `body`, located in `bytes` (a chunk of the module's code
  /// section, `Module.functionBodies(inEntries:count:)`), for a module decoded without its code.
  public func translate(definedFunction index: Int, body: FunctionBody, in bytes: [UInt8]) throws -> CompiledFunction {
    let type = module.functionType(module.functions[index])
    let locals = LocalLayout(params: type.params, locals: body.locals) { isTracedReference($0, in: module) }
    // Results are returned in the frame's first slots; keep those out of the relocated temporaries.
    let localCount = max(locals.slotCount, type.results.slotCount)
    func translate(_ registers: RegisterSpace) throws -> CompiledFunction {
      var translator = FunctionTranslator(module: module, bodyBytes: bytes, functionTypes: functionTypes, tagTypes: tagTypes,
                                          memories: memories, type: type, locals: locals, registers: registers,
                                          meterFuel: options.meterFuel)
      var reader = InstructionReader(bytes: bytes, range: body.codeRange)
      try translator.translateBody(&reader)
      return try translator.finish()
    }
    do {
      do {
        return try translate(RegisterSpace(localCount: localCount))
      } catch is FrameTooLarge {
        // Beyond 16-bit registers: again, in wide mode (WideFrames.swift), the staging block after the slots
        // that parameters and results take.
        let blockStart = max(type.params.slotCount, type.results.slotCount)
        return try translate(RegisterSpace(localCount: localCount, frameMap: FrameMap(blockStart: blockStart)))
      }
    } catch let error as TranslationError {
      // Named here only: the first lookup decodes the whole name section (14 MB in CPython's module).
      let name = module.functionName(UInt32(functionTypes.count - module.functions.count + index))
      throw TranslationError("function \(name): \(error.message)")
    }
  }
}
