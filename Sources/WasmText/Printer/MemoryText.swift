import WasmBinary

/// The immediates of memory accesses (memory index, `offset=`, `align=`) and the names of the plain loads and
/// stores (the SIMD and atomic accesses have theirs in `SimdOp.name` and `AtomicOp.name`).
enum MemoryText {
  /// A memarg as the text format writes it, for an access of `width` bytes: the memory index unless it is 0, then
  /// `offset=` unless it is 0, then `align=` (in bytes) unless it is the natural alignment, the access width.
  /// Empty when all are defaults. Starts with a space when not empty.
  static func memArg(_ memarg: MemArg, width: Int) throws -> String {
    var text = ""
    if memarg.memory != 0 { text += " \(memarg.memory)" }
    if memarg.offset != 0 { text += " offset=\(memarg.offset)" }
    // The binary holds log2 of the alignment; the text, the alignment itself (which a valid module keeps at
    // most the width; a larger one up to 2^63 is still written, beyond that it has no literal).
    guard memarg.align < 64 else { throw PrintError("alignment 2^\(memarg.align) has no text form") }
    let align = UInt64(1) << UInt64(memarg.align)
    if align != UInt64(width) { text += " align=\(align)" }
    return text
  }

  /// The memory operand of `memory.size`, `memory.grow` and `memory.fill`: none for memory 0.
  static func memoryIndex(_ index: UInt32) -> String { index == 0 ? "" : " \(index)" }
}

extension LoadOp {
  var textName: String {
    switch self {
    case .i32Load: return "i32.load"
    case .i64Load: return "i64.load"
    case .f32Load: return "f32.load"
    case .f64Load: return "f64.load"
    case .i32Load8S: return "i32.load8_s"
    case .i32Load8U: return "i32.load8_u"
    case .i32Load16S: return "i32.load16_s"
    case .i32Load16U: return "i32.load16_u"
    case .i64Load8S: return "i64.load8_s"
    case .i64Load8U: return "i64.load8_u"
    case .i64Load16S: return "i64.load16_s"
    case .i64Load16U: return "i64.load16_u"
    case .i64Load32S: return "i64.load32_s"
    case .i64Load32U: return "i64.load32_u"
    }
  }
}

extension StoreOp {
  var textName: String {
    switch self {
    case .i32Store: return "i32.store"
    case .i64Store: return "i64.store"
    case .f32Store: return "f32.store"
    case .f64Store: return "f64.store"
    case .i32Store8: return "i32.store8"
    case .i32Store16: return "i32.store16"
    case .i64Store8: return "i64.store8"
    case .i64Store16: return "i64.store16"
    case .i64Store32: return "i64.store32"
    }
  }
}
