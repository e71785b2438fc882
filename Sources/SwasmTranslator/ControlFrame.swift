import SwasmBytecode
import WasmBinary

/// A forward branch waiting for its target's address.
enum Fixup {
  /// A branch-offset field of the instruction at `at`.
  case field(at: Int, field: OperandField)
  /// One offset slot of a br_table whose header is at `table`.
  case tableSlot(slot: Int, table: Int)
}

/// A Wasm control construct being translated.
struct ControlFrame {
  enum Kind { case function, block, loop, `if`, `else` }

  var kind: Kind
  var params: [ValueType]
  var results: [ValueType]
  /// Operand-stack height below the frame's parameters.
  var height: Int
  /// Code position of the loop header (loops only): where branches to this label go.
  var loopStart: Int = 0
  /// Forward branches to the end of the frame.
  var endFixups: [Fixup] = []
  /// For `if`: the branch taken when the condition is false, to be patched to `else` or `end`.
  var elseFixup: Fixup?
  /// For `if`: the parameter entries at entry, restored at `else`.
  var entryParams: [StackEntry] = []
  /// The rest of the frame's body cannot be reached (after br, return, unreachable, br_table).
  var unreachable = false
  /// The whole frame was entered while unreachable: its body is skipped.
  var dead = false

  /// Values a branch to this label carries.
  var labelTypes: [ValueType] { kind == .loop ? params : results }
}
