import SwasmBytecode
import SwasmTranslator

/// The slow path of `load_code`: decodes and verifies the function of a cached module, or translates the function
/// of a module translated on first call, whose frame was just set up; installs its code in the entry (later calls
/// go straight to it) and returns it. Nil when the cached code is damaged or fails verification, or translation
/// fails; the caller traps (`lazyCodeFailure`). The entry's frame size is then the real one: the caller checks
/// the stack has room for it (the call checked only for the size known before).
@inline(never)
func loadLazyCode(_ st: St, _ entry: UnsafeMutablePointer<FunctionEntry>) -> Pc? {
  let store = st.pointee.store.unsafelyUnwrapped.takeUnretainedValue()
  return store.loadLazyCode(entry)
}

extension Store {
  func loadLazyCode(_ entry: UnsafeMutablePointer<FunctionEntry>) -> Pc? {
    let info = functionInfos[entry.pointee.infoIndex]
    guard info.codePending, let (source, firstDefined) = functionOrigins[Int(info.origin)].lazyCode else { return nil }
    let index = Int(info.index) - firstDefined
    let known = source.frameSize(ofFunction: index)
    guard let code = try? source.withFunctionCode(index, { code, frameSize -> Pc? in
      guard known == nil || known == frameSize else { return nil }
      entry.pointee.frameSize = frameSize
      return loadCode(code)
    }) else { return nil }
    installCode(code, in: entry)
    functionInfos[entry.pointee.infoIndex].codePending = false
    return entry.pointee.code
  }
}

/// Why `load_code` failed for `entry`: stored code (or a stored Wasm body) that is damaged or fails verification,
/// or a function of a module translated on first call that the translator refused (an implementation limit).
@inline(never)
func lazyCodeFailure(_ st: St, _ entry: UnsafeMutablePointer<FunctionEntry>) -> TrapCode {
  let store = st.pointee.store.unsafelyUnwrapped.takeUnretainedValue()
  let info = store.functionInfos[entry.pointee.infoIndex]
  guard let (source, _) = store.functionOrigins[Int(info.origin)].lazyCode, source is TranslationOnFirstCall else {
    return .invalidCachedCode
  }
  return .untranslatableFunction
}
