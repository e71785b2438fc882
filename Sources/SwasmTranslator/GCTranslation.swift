import SwasmBytecode
import WasmBinary

/// The GC instructions (tools/isa/gc.py): one bytecode instruction each. Operands come from registers; those with
/// many operands (struct.new, array.new_fixed, array.fill, array.copy, array.init_*) take them from consecutive
/// temporaries from `base`, placed as a call's arguments are. A v128 value is always read from two consecutive
/// slots. `br_on_cast` and `br_on_cast_fail` are a `ref_test` into the temporary above the stack and a branch on it.
extension FunctionTranslator {
  mutating func gc(_ instruction: GCInstruction) throws {
    func reference(_ index: UInt32) -> ValueType { .ref(RefType(nullable: false, .concrete(index))) }
    switch instruction {
    case .structNew(let x):
      let slots = structFields(x).map(\.storage.unpacked).slotCount
      let base = takeRange(slots)
      emitGC(.struct_new, [UInt64(registers.temp(base)), UInt64(registers.temp(base)), UInt64(x)])
      noteSafepoint(operands: tracedSlots(from: registers.temp(base), structFields(x).map(\.storage.unpacked)))
      finish(reference(x))
    case .structNewDefault(let x):
      emitGC(.struct_new_default, [UInt64(registers.temp(height)), UInt64(x)])
      noteSafepoint()
      finish(reference(x))
    case .structGet(let x, let f, let ext):
      let op: Opcode = ext == .signed ? .struct_get_s : ext == .unsigned ? .struct_get_u : .struct_get
      let object = popRegisters(1)[0]
      emitGC(op, [UInt64(registers.temp(height)), UInt64(object), UInt64(x), UInt64(f)])
      finish(structFields(x)[Int(f)].storage.unpacked)
    case .structSet(let x, let f):
      let value = popValueRegister(structFields(x)[Int(f)].storage.unpacked)
      let object = popRegisters(1)[0]
      emitGC(.struct_set, [UInt64(object), UInt64(value), UInt64(x), UInt64(f)])
      clearPeephole()
    case .arrayNew(let x):
      let count = popRegisters(1)[0]
      let value = popValueRegister(arrayElement(x).storage.unpacked)
      emitGC(.array_new, [UInt64(registers.temp(height)), UInt64(value), UInt64(count), UInt64(x)])
      noteSafepoint(operands: tracedSlots(from: value, [arrayElement(x).storage.unpacked]))
      finish(reference(x))
    case .arrayNewDefault(let x):
      let count = popRegisters(1)[0]
      emitGC(.array_new_default, [UInt64(registers.temp(height)), UInt64(count), UInt64(x)])
      noteSafepoint()
      finish(reference(x))
    case .arrayNewFixed(let x, let n):
      let base = takeRange(Int(n) * arrayElement(x).storage.unpacked.slotCount)
      emitGC(.array_new_fixed, [UInt64(registers.temp(base)), UInt64(registers.temp(base)), UInt64(x), UInt64(n)])
      let elements = [ValueType](repeating: arrayElement(x).storage.unpacked, count: Int(n))
      noteSafepoint(operands: tracedSlots(from: registers.temp(base), elements))
      finish(reference(x))
    case .arrayNewData(let x, let segment), .arrayNewElem(let x, let segment):
      let regs = popRegisters(2)
      let op: Opcode
      if case .arrayNewData = instruction { op = .array_new_data } else { op = .array_new_elem }
      emitGC(op, [UInt64(registers.temp(height)), UInt64(regs[0]), UInt64(regs[1]), UInt64(x), UInt64(segment)])
      noteSafepoint()
      finish(reference(x))
    case .arrayGet(let x, let ext):
      let op: Opcode = ext == .signed ? .array_get_s : ext == .unsigned ? .array_get_u : .array_get
      let regs = popRegisters(2)
      emitGC(op, [UInt64(registers.temp(height)), UInt64(regs[0]), UInt64(regs[1]), UInt64(x)])
      finish(arrayElement(x).storage.unpacked)
    case .arraySet(let x):
      let value = popValueRegister(arrayElement(x).storage.unpacked)
      let regs = popRegisters(2)
      emitGC(.array_set, [UInt64(regs[0]), UInt64(regs[1]), UInt64(value), UInt64(x)])
      clearPeephole()
    case .arrayLen:
      let object = popRegisters(1)[0]
      emitGC(.array_len, [UInt64(registers.temp(height)), UInt64(object)])
      finish(.i32)
    case .arrayFill(let x):
      let base = takeRange(3 + arrayElement(x).storage.unpacked.slotCount)
      emitGC(.array_fill, [UInt64(registers.temp(base)), UInt64(x)])
      clearPeephole()
    case .arrayCopy(let x, let y):
      let base = takeRange(5)
      emitGC(.array_copy, [UInt64(registers.temp(base)), UInt64(x), UInt64(y)])
      clearPeephole()
    case .arrayInitData(let x, let segment), .arrayInitElem(let x, let segment):
      let base = takeRange(4)
      let op: Opcode
      if case .arrayInitData = instruction { op = .array_init_data } else { op = .array_init_elem }
      emitGC(op, [UInt64(registers.temp(base)), UInt64(x), UInt64(segment)])
      clearPeephole()
    case .refTest(let type):
      let object = popRegisters(1)[0]
      emitGC(.ref_test, [UInt64(registers.temp(height)), UInt64(object), UInt64(castTarget(type))])
      finish(.i32)
    case .refCast(let type):
      let object = popRegisters(1)[0]
      emitGC(.ref_cast, [UInt64(registers.temp(height)), UInt64(object), UInt64(castTarget(type))])
      finish(.ref(type))
    case .brOnCast(let depth, let from, let to), .brOnCastFail(let depth, let from, let to):
      // The reference stays on the stack: it is the label's last value, and what follows when not taken.
      let isFail: Bool
      if case .brOnCastFail = instruction { isFail = true } else { isFail = false }
      let object = register(stack[height - 1], at: height - 1)
      push(.temp, .i32)  // the test's result, in the temporary above the stack (which the frame must have)
      let condition = registers.temp(height - 1)
      _ = pop()
      emitGC(.ref_test, [UInt64(condition), UInt64(object), UInt64(castTarget(to))])
      try branchOn(condition, taken: isFail ? .br_i32_eqz : .br_i32_nez, notTaken: isFail ? .br_i32_nez : .br_i32_eqz,
                   depth: Int(depth))
      let kept = isFail ? to : RefType(nullable: from.isNullable && !to.isNullable, from.heapType)
      stack[height - 1].type = .ref(kept)
    case .anyConvertExtern, .externConvertAny, .refI31, .i31Get:
      let op: Opcode
      let result: ValueType
      switch instruction {
      case .anyConvertExtern: (op, result) = (.any_convert_extern, .ref(RefType(nullable: true, .any)))
      case .externConvertAny: (op, result) = (.extern_convert_any, .externref)
      case .refI31: (op, result) = (.ref_i31, .ref(RefType(nullable: false, .i31)))
      case .i31Get(let signed): (op, result) = (signed ? .i31_get_s : .i31_get_u, .i32)
      default: preconditionFailure()
      }
      let operand = popRegisters(1)[0]
      emitGC(op, [UInt64(registers.temp(height)), UInt64(operand)])
      if op.allocatesGCObject { noteSafepoint(operands: [operand]) }
      finish(result)
    }
  }

  private func castTarget(_ type: RefType) -> UInt32 {
    switch type.heapType {
    case .abstract(let a): return CastTarget.encode(nullable: type.isNullable, abstractHeapType: a.rawValue)
    case .concrete(let i): return CastTarget.encode(nullable: type.isNullable, typeIndex: i)
    case .recGroupMember: return CastTarget.encode(nullable: type.isNullable, abstractHeapType: AbstractHeapType.none.rawValue)
    }
  }

  private func structFields(_ index: UInt32) -> [FieldType] {
    if case .structure(let fields) = module.types[Int(index)].composite { return fields }
    return []
  }

  private func arrayElement(_ index: UInt32) -> FieldType {
    if case .array(let element) = module.types[Int(index)].composite { return element }
    return FieldType(storage: .i8, isMutable: false)
  }

  /// Emits GC instruction `op`, in its `_w` form in a frame beyond 16-bit registers: there each register would be
  /// staged on its own (WideFrames.swift), which slot ranges and v128 values (two slots) do not allow; the `_w`
  /// forms name every slot with 32 bits instead. Returns where it starts.
  @discardableResult
  private mutating func emitGC(_ op: Opcode, _ values: [UInt64]) -> Int {
    builder.emit(registers.wide ? op.wideGCForm! : op, values)
  }

  /// The registers of the traced references among values of `types` in consecutive slots from `first`.
  private func tracedSlots(from first: Reg, _ types: [ValueType]) -> [Reg] {
    var slots: [Reg] = [], next = first
    for type in types {
      if isTracedReference(type, in: module) { slots.append(next) }
      next += Reg(type.slotCount)
    }
    return slots
  }

  /// Moves the top `slots` stack entries into their temporaries and pops them; returns the first one's index.
  private mutating func takeRange(_ slots: Int) -> Int {
    let base = height - slots
    materialize(from: base)
    stack.removeLast(slots)
    return base
  }

  /// Pops a value of `type`: its register, the first of two consecutive slots for a v128.
  private mutating func popValueRegister(_ type: ValueType) -> Reg {
    type == .v128 ? popVectorRegister() : popRegisters(1)[0]
  }

  /// The instruction just emitted wrote a value of `type` to the temporary at the stack's top.
  private mutating func finish(_ type: ValueType) {
    clearPeephole()
    pushTemporaries([type])
  }
}
