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

struct StackEntry {
  var operand: Operand
  var type: ValueType
}

/// Pre-relocation register numbering used while translating; `Relocation` maps it onto the final frame
/// layout [params+locals][constants][temporaries][scratch] once the number of constants and the maximum stack
/// height are known.
struct RegisterSpace {
  let localCount: Int

  /// Temporaries are numbered right after the locals while translating.
  func temp(_ stackIndex: Int) -> Reg { Reg(truncatingIfNeeded: localCount + stackIndex) }
  /// The scratch slot (for breaking cycles in parallel moves) is the top register while translating.
  var scratch: Reg { Reg.max }
  /// Constant `k` is numbered down from just below the scratch slot while translating.
  func constant(_ k: Int) -> Reg { Reg(truncatingIfNeeded: Int(Reg.max) - 1 - k) }
}
