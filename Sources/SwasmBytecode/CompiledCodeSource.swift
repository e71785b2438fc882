/// Where a module's translated functions come from when they are not all at hand: a cache file or precompiled
/// bundle whose functions are decoded (and verified) one at a time, on first call, or the translator itself,
/// translating each function on its first call.
///
/// Implementations are shared by every store that instantiates the module, on any thread.
public protocol CompiledCodeSource: AnyObject, Sendable {
  /// Frame size of defined function `index`, when it is known before its code is produced (a stored function's:
  /// calls check stack space first); nil when only producing the code tells (a function translated on first
  /// call: the first call then checks again for the frame's real size).
  func frameSize(ofFunction index: Int) -> Int?
  /// Defined function `index`, decoded and verified. Throws when the stored code is damaged or fails verification.
  func function(_ index: Int) throws -> CompiledFunction
  /// Calls `body` with the code slots of defined function `index`, decoded and verified, and its frame size, valid
  /// only during the call (no array of its own: a store copies the code into its dispatch form anyway). Throws
  /// as `function`.
  func withFunctionCode<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt64>, Int) throws -> R) throws -> R
}
