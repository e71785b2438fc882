/// How the call instructions differ: what the translator, the verifier and the collector ask of an opcode.
extension Opcode {
  /// A call of any form: its callee's frame starts at its `base` register.
  public var isCall: Bool {
    switch self {
    case .call, .call_import, .call_indirect, .call_copy, .call_indirect_copy, .call_const, .call_copy2,
         .call_copy_const, .call_w, .call_import_w, .call_indirect_w, .call_ref, .call_ref_w:
      return true
    default: return isTailCall
    }
  }

  /// The instruction may run code of this or another function before the next instruction of its own (a call; a
  /// throw, which may land in a handler of this function), which may leave anything in the pinned-local register
  /// `l0` (tools/isa/pinned.py: the translator pins no local across one, and the cache's verifier forgets `l0` there).
  public var mayRunOtherCode: Bool {
    isCall || self == .throw_tag || self == .throw_tag_w || self == .throw_ref
  }

  /// A tail call (tools/isa/tailcalls.py): the callee takes over the frame; nothing after it runs.
  public var isTailCall: Bool {
    switch self {
    case .return_call, .return_call_import, .return_call_indirect, .return_call_w, .return_call_import_w,
         .return_call_indirect_w, .return_call_ref, .return_call_ref_w:
      return true
    default: return false
    }
  }

  /// A call through a table: its callee's type is its `type` field.
  public var isIndirectCall: Bool {
    switch self {
    case .call_indirect, .call_indirect_copy, .call_indirect_w, .return_call_indirect, .return_call_indirect_w: return true
    default: return false
    }
  }

  /// A call through a reference (`call_ref`): its callee's type is its `type` field, the reference in `ra`.
  public var isReferenceCall: Bool {
    switch self {
    case .call_ref, .call_ref_w, .return_call_ref, .return_call_ref_w: return true
    default: return false
    }
  }

  /// A call whose callee's type is its `type` field: through a table or a reference.
  public var callsThroughType: Bool { isIndirectCall || isReferenceCall }
}
