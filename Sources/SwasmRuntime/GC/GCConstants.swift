import WasmBinary

/// The GC instructions of constant expressions (globals, tables and element segments that allocate), evaluated at
/// instantiation on the evaluator's stack of slots. Collections are paused meanwhile: what these make is not
/// where the roots can see it until instantiation has stored it.
extension Store {
  func evaluateConstant(_ instruction: GCInstruction, _ stack: inout [UInt64],
                        gcTypes: UnsafeMutablePointer<UnsafeMutablePointer<GCTypeInfo>?>?) throws {
    func pop() -> UInt64 { stack.popLast() ?? 0 }
    func type(_ index: UInt32) -> UnsafeMutablePointer<GCTypeInfo> { gcTypes![Int(index)]! }
    func new(_ info: UnsafeMutablePointer<GCTypeInfo>, dataBytes: Int, length: Int) throws -> UnsafeMutableRawPointer {
      guard length <= Int(UInt32.max),
            let object = gc.allocate(info, dataBytes: dataBytes, length: UInt32(length), roots: { gcRoots(running: nil) })
      else { throw Trap(.allocationTooLarge) }
      return object
    }
    /// Pops the top `slots` values of the stack, in order, for `body` to read.
    func popSlots(_ slots: Int, _ body: (UnsafeMutablePointer<UInt64>) -> Void) {
      var values = Array(stack.suffix(slots))
      stack.removeLast(values.count)
      values.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
    func push(_ object: UnsafeMutableRawPointer) { stack.append(UInt64(UInt(bitPattern: object))) }
    switch instruction {
    case .structNew(let x):
      let info = type(x)
      let object = try new(info, dataBytes: info.pointee.size, length: 0)
      let slots = (0..<info.pointee.fieldCount).reduce(0) { $0 + info.pointee.slots(ofField: $1) }
      popSlots(slots) { info.pointee.storeFields(from: $0, into: object.gcData) }
      push(object)
    case .structNewDefault(let x):
      let info = type(x)
      push(try new(info, dataBytes: info.pointee.size, length: 0))
    case .arrayNew(let x), .arrayNewDefault(let x):
      let info = type(x)
      let count = Int(UInt32(truncatingIfNeeded: pop()))
      let object = try new(info, dataBytes: count * info.pointee.size, length: count)
      if case .arrayNew = instruction {
        popSlots(info.pointee.slots(ofField: 0)) { info.pointee.fill(count, with: $0, into: object.gcData) }
      }
      push(object)
    case .arrayNewFixed(let x, let n):
      let info = type(x)
      let object = try new(info, dataBytes: Int(n) * info.pointee.size, length: Int(n))
      popSlots(Int(n) * info.pointee.slots(ofField: 0)) { info.pointee.storeElements(Int(n), from: $0, into: object.gcData) }
      push(object)
    case .refI31:
      stack.append(UInt64(UInt32(truncatingIfNeeded: pop()) & 0x7FFF_FFFF) << 1 | 1)
    case .anyConvertExtern:
      let value = pop()
      if value == 0 || value & (1 << 63) != 0 {
        stack.append(value & ~(1 << 63))
      } else {
        let box = try new(externBoxType, dataBytes: 8, length: 0)
        box.gcData.storeBytes(of: value, as: UInt64.self)
        push(box)
      }
    case .externConvertAny:
      stack.append(gcExternConvertAny(pop()))
    default:
      throw Trap(.invalidCachedCode)  // not a constant instruction: validation refuses it
    }
  }
}
