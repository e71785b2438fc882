import WasmBinary

/// A Wasm exception: a tag and its payload. It is both what an uncaught exception reaches Swift as (`invoke` throws
/// it, with the backtrace of where it was thrown) and an `exnref` value (`Value.exnref`). A host function throws one
/// to throw into the Wasm code that called it, which may catch it as any other; catching one a guest threw is
/// catching this error. While the host holds it, the exception stays alive in its store.
public final class WasmException: Error, CustomStringConvertible, Hashable, @unchecked Sendable {
  /// The exception's tag: what `catch` clauses compare.
  public let tag: Tag
  /// The values the exception carries, of the tag's parameter types.
  public let payload: [Value]
  /// Functions from where it was thrown outward, innermost first (for an exception that reached the host).
  public internal(set) var backtrace: [String] = []
  /// The exception object in the store (pinned while this lives); nil until a host-made exception is thrown or
  /// passed into Wasm code.
  private var object: UnsafeMutablePointer<ExceptionHeader>?

  /// A new exception of `tag` carrying `payload`. Throws `EmbeddingError` when the values do not match the tag's
  /// parameter types.
  public init(tag: Tag, payload: [Value]) throws {
    guard tag.store.valuesMatch(payload, tag.type.params) else {
      throw EmbeddingError("exception payload \(payload) does not match the tag's types \(tag.type.params)")
    }
    for case .exnref(let inner?) in payload where inner.tag.store !== tag.store {
      throw EmbeddingError("exception payload holds an exception of another store")
    }
    self.tag = tag
    self.payload = payload
  }

  /// The exception whose object is at `reference` in `store`.
  init(store: Store, reference: UInt64) {
    let object = UnsafeMutablePointer<ExceptionHeader>(reference: reference)
    object.pinCount.wrappingIncrement(ordering: .acquiringAndReleasing)
    self.object = object
    tag = store.tag(object.pointee.tag)
    payload = store.values(at: object.payload, types: tag.type.params)
  }

  deinit {
    object?.pinCount.wrappingDecrement(ordering: .acquiringAndReleasing)
  }

  /// The exception as an exnref of its store: its object, made now if it has none yet.
  func reference() throws -> UInt64 {
    if let object { return object.reference }
    let store = tag.store
    var slots = [UInt64](repeating: 0, count: tag.type.params.slotCount)
    try slots.withUnsafeMutableBufferPointer { try store.write(payload, to: $0.baseAddress!) }
    // Pinned before anything else can collect: the payload's exceptions are pinned by `payload` meanwhile.
    let made = slots.withUnsafeBufferPointer { buffer in
      store.exceptions.allocate(tag: tag.entry, payload: buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!) {
        store.exceptionRoots(stackTop: store.hostStackTopOrStart)
      }
    }
    made.pinCount.wrappingIncrement(ordering: .acquiringAndReleasing)
    object = made
    return made.reference
  }

  /// Whether `a` and `b` are the same exception: one object, or one exception object in the store.
  public static func == (a: WasmException, b: WasmException) -> Bool {
    a === b || (a.object != nil && a.object == b.object)
  }

  /// By tag only: equal exceptions have one tag, and the object a host-made exception gets later must not change it.
  public func hash(into hasher: inout Hasher) { hasher.combine(tag) }

  /// `uncaught exception: tag NAME`, followed by the payload and ` (in FUNCTION)`, the innermost function of the
  /// backtrace, when there are any.
  public var description: String {
    var text = "uncaught exception: tag \(tag.name)"
    if !payload.isEmpty { text += " (\(payload.map(\.description).joined(separator: ", ")))" }
    if let top = backtrace.first { text += " (in \(top))" }
    return text
  }
}
