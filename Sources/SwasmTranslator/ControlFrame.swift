import SwasmBytecode
import WasmBinary

/// A forward branch waiting for its target's address.
enum Fixup {
  /// A branch-offset field of the instruction at `at`.
  case field(at: Int, field: OperandField)
  /// One offset slot of a br_table whose header is at `table`.
  case tableSlot(slot: Int, table: Int)
  /// Where clause `clause` of handler scope `scope` lands (HandlerTableBuilder).
  case handler(scope: Int, clause: Int)
}

/// A Wasm control construct being translated.
struct ControlFrame {
  /// `tryTable` and `legacyTry` are blocks whose body a handler scope covers; `legacyCatch` (and `legacyCatchAll`) is
  /// the body of a legacy try's handler, translated out of line (ExceptionTranslation.swift).
  enum Kind { case function, block, loop, `if`, `else`, tryTable, legacyTry, legacyCatch, legacyCatchAll }

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
  /// Identifies the construct (a legacy try and its handlers share it), for `labelPositions`.
  var id = 0
  /// The handler scope in effect around the frame, and for the code directly inside it (a try's own scope; for a
  /// legacy handler body, the scope around its try). See HandlerTableBuilder.
  var outerScope = 0
  var innerScope = 0
  /// Where a branch to this label lands, when that is known already: a legacy handler body is translated after the
  /// function's body, when every label around it is closed.
  var resolvedTarget: Int?
  /// For a legacy handler body: the slot holding the exception it caught, for `rethrow`.
  var caughtException: Reg?

  /// Values a branch to this label carries.
  var labelTypes: [ValueType] { kind == .loop ? params : results }
}
