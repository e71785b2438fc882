import SwasmBytecode

/// The slow path of `load_code`: decodes and verifies the function of a cached module whose frame was just set
/// up, installs its code in the entry (later calls go straight to it) and returns it. Nil when the cached code is
/// damaged or fails verification; the caller traps with `TrapCode.invalidCachedCode`.
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
    guard source.frameSize(ofFunction: index) == entry.pointee.frameSize,
          let code = try? source.withFunctionCode(index, { loadCode($0) })
    else { return nil }
    installCode(code, in: entry)
    functionInfos[entry.pointee.infoIndex].codePending = false
    return entry.pointee.code
  }
}
