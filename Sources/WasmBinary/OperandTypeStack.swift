/// The validator's operand stack: the type of each value (`nil`, the unknown type of unreachable code), in a
/// buffer it owns. Pushes and pops are the validator's commonest work, and an `Array`'s check that its storage is
/// not shared, at each of them, was a tenth of validation's time. Popped entries stay in the buffer until pushed
/// over, so lowering `count` and raising it back restores them (`br_table` checks each target that way).
final class OperandTypeStack {
  private var base: UnsafeMutablePointer<ValueType?>
  private var capacity: Int
  /// The number of values; may be set back up to a count the stack had, with nothing pushed since.
  var count = 0

  init() {
    capacity = 64
    base = .allocate(capacity: capacity)
  }

  deinit { base.deallocate() }  // ValueType is trivial: nothing to deinitialize

  @inline(__always)
  func append(_ type: ValueType?) {
    if count == capacity { grow() }
    (base + count).initialize(to: type)
    count += 1
  }

  @inline(__always)
  func removeLast() -> ValueType? {
    count -= 1
    return base[count]
  }

  private func grow() {
    let larger = UnsafeMutablePointer<ValueType?>.allocate(capacity: capacity * 2)
    larger.moveInitialize(from: base, count: count)
    base.deallocate()
    base = larger
    capacity *= 2
  }
}
