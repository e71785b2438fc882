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
            let object = gc.allocate(info, dataBytes: dataBytes, length: UInt32(length), roots: { gcRoots(stackTop: state.pointee.stackStart) })
      else { throw Trap(.allocationTooLarge) }
      return object
    }
    /// Writes the last `count` values of the stack (each `slots` slots) at `at`, `stride` bytes apart, and pops them.
    func storeValues(_ count: Int, _ info: UnsafeMutablePointer<GCTypeInfo>, at data: UnsafeMutableRawPointer) {
      var values: [UInt64] = []
      if info.pointee.isArray {
        let storage = info.pointee.storage[0], slots = storage == .v128 ? 2 : 1
        values = Array(stack.suffix(count * slots))
        stack.removeLast(values.count)
        values.withUnsafeMutableBufferPointer { buffer in
          for i in 0..<count { storeSlot(buffer.baseAddress! + i * slots, storage, at: data + i * info.pointee.size) }
        }
      } else {
        let slots = (0..<info.pointee.fieldCount).reduce(0) { $0 + (info.pointee.storage[$1] == .v128 ? 2 : 1) }
        values = Array(stack.suffix(slots))
        stack.removeLast(values.count)
        values.withUnsafeMutableBufferPointer { buffer in
          var slot = buffer.baseAddress!
          for f in 0..<info.pointee.fieldCount {
            storeSlot(slot, info.pointee.storage[f], at: data + info.pointee.offsets[f])
            slot += info.pointee.storage[f] == .v128 ? 2 : 1
          }
        }
      }
    }
    func push(_ object: UnsafeMutableRawPointer) { stack.append(UInt64(UInt(bitPattern: object))) }
    switch instruction {
    case .structNew(let x):
      let info = type(x)
      let object = try new(info, dataBytes: info.pointee.size, length: 0)
      storeValues(1, info, at: object.gcData)
      push(object)
    case .structNewDefault(let x):
      let info = type(x)
      push(try new(info, dataBytes: info.pointee.size, length: 0))
    case .arrayNew(let x), .arrayNewDefault(let x):
      let info = type(x)
      let count = Int(UInt32(truncatingIfNeeded: pop()))
      let object = try new(info, dataBytes: count * info.pointee.size, length: count)
      if case .arrayNew = instruction {
        let storage = info.pointee.storage[0]
        var value = [pop()]
        if storage == .v128 { value.insert(pop(), at: 0) }
        value.withUnsafeMutableBufferPointer { v in
          for i in 0..<count { storeSlot(v.baseAddress!, storage, at: object.gcData + i * info.pointee.size) }
        }
      }
      push(object)
    case .arrayNewFixed(let x, let n):
      let info = type(x)
      let object = try new(info, dataBytes: Int(n) * info.pointee.size, length: Int(n))
      storeValues(Int(n), info, at: object.gcData)
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
