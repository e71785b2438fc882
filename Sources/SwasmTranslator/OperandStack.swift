import SwasmBytecode
import WasmBinary

/// Where a value on the simulated Wasm operand stack lives. `local.get` and constants emit no code: they
/// push a reference to the local or the constant, and the instruction that consumes them reads it directly.
enum Operand: Equatable {
  /// The value is in local `index` (and the local has not been written since).
  case local(Int)
  /// A constant (i32/f32 zero-extended, as they sit in a frame slot).
  case constant(UInt64)
  /// The value is in the temporary slot of its stack position.
  case temp
}

/// One 64-bit slot's worth of a value on the simulated operand stack. A v128 value is two entries, its low half
/// first, both of type v128: they always move together, and as two slots every rule that places values by stack
/// height (block results, call arguments, canonical slots) places a v128 in two consecutive slots.
struct StackEntry {
  var operand: Operand
  var type: ValueType
}

/// Where each local lives in the frame: local `i` in slot `i`, unless a v128 local or parameter (two slots) comes
/// before it.
struct LocalLayout {
  /// Each local's first slot; nil when every local takes one slot (local `i` is slot `i`).
  let slots: [Int]?
  /// Each local's type; nil when there is no v128 among them (then only the parameters' types matter).
  let types: [ValueType]?
  /// Slots the parameters and declared locals take.
  let slotCount: Int
  /// The slots of the parameters and locals whose values a garbage collection must see (`traced` says which
  /// types), in order: every stack map lists them (StackMapTranslation.swift).
  let tracedSlots: [Int]

  init(params: [ValueType], locals: [(count: UInt32, type: ValueType)], traced: (ValueType) -> Bool) {
    var tracedSlots: [Int] = []
    var slot = 0
    for group in params.map({ (count: UInt32(1), type: $0) }) + locals {
      let isTraced = traced(group.type)
      for _ in 0..<group.count {
        if isTraced { tracedSlots.append(slot) }
        slot += group.type.slotCount
      }
    }
    self.tracedSlots = tracedSlots
    guard params.contains(.v128) || locals.contains(where: { $0.type == .v128 }) else {
      slots = nil
      types = nil
      slotCount = locals.reduce(params.count) { $0 + Int($1.count) }
      return
    }
    var types = params
    for group in locals { types += repeatElement(group.type, count: Int(group.count)) }
    var slots: [Int] = []
    slots.reserveCapacity(types.count)
    var next = 0
    for t in types {
      slots.append(next)
      next += t.slotCount
    }
    self.slots = slots
    self.types = types
    slotCount = next
  }
}

/// Pre-relocation register numbering used while translating; `Relocation` maps it onto the final frame
/// layout [params+locals][constants][temporaries][scratch] once the number of constants and the maximum stack
/// height are known. In wide mode (`frameMap` set, WideFrames.swift) the numbers are virtual: locals, then
/// temporaries, which the code builder maps to frame slots as it emits; there is no constant area.
struct RegisterSpace {
  let localCount: Int
  let frameMap: FrameMap?
  var wide: Bool { frameMap != nil }

  init(localCount: Int, frameMap: FrameMap? = nil) {
    self.localCount = localCount
    self.frameMap = frameMap
  }

  /// Temporaries are numbered right after the locals while translating.
  func temp(_ stackIndex: Int) -> Reg { Reg(truncatingIfNeeded: localCount + stackIndex) }
  /// The scratch slot (for breaking cycles in parallel moves) is the top register of 16-bit fields while
  /// translating (in wide mode, the staging block's last slot).
  var scratch: Reg { wide ? FrameMap.scratch : Reg(narrowRegisterLimit - 1) }
  /// Constant `k` is numbered down from just below the scratch slot while translating.
  func constant(_ k: Int) -> Reg { Reg(truncatingIfNeeded: narrowRegisterLimit - 2 - k) }
}
