import SwasmBytecode
import WasmBinary

extension ModuleTranslator {
  /// Every defined function, translated (a module translated whole: `swasm compile`, eager embedders). The
  /// functions are independent: a large module's are translated by several threads at once (`inConcurrentRuns`,
  /// as `Module.validate` validates them). The error thrown is the first failing function's, as one thread would
  /// find it.
  public func translateAll() throws -> [CompiledFunction] {
    let count = module.codes.count
    let functions = UnsafeMutableBufferPointer<CompiledFunction?>.allocate(capacity: count)
    functions.initialize(repeating: nil)
    defer {
      _ = functions.deinitialize()
      functions.deallocate()
    }
    if let (_, error) = inConcurrentRuns(count, threads: module.bodyThreads, state: {}, { _, i in
      functions[i] = try translate(definedFunction: i)
    }) {
      throw error
    }
    return functions.map { $0! }
  }
}
