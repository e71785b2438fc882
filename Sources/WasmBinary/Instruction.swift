/// One decoded Wasm instruction. Numeric instructions without immediates are grouped in `numeric`
/// (see NumericOp.generated.swift, generated from tools/isa/numeric.py); everything else carries its immediates.
public enum Instruction: Hashable, Sendable {
  // Control
  case unreachable
  case nop
  case block(BlockType)
  case loop(BlockType)
  case `if`(BlockType)
  case `else`
  case end
  case br(UInt32)
  case brIf(UInt32)
  case brTable(targets: [UInt32], default: UInt32)
  case `return`
  case call(UInt32)
  case callIndirect(typeIndex: UInt32, table: UInt32)
  /// Tail calls (TailCalls.swift): the callee replaces the caller's frame and returns to the caller's caller.
  case returnCall(UInt32)
  case returnCallIndirect(typeIndex: UInt32, table: UInt32)

  // Exception handling (Exceptions.swift): the standard instructions, then the legacy ones.
  case `throw`(UInt32)
  case throwRef
  case tryTable(BlockType, [CatchClause])
  case `try`(BlockType)
  case `catch`(UInt32)
  case catchAll
  case delegate(UInt32)
  case rethrow(UInt32)

  // Parametric
  case drop
  /// `select` without a type annotation (numeric operands only).
  case select
  /// `select t*` (0x1C) with its type annotation.
  case selectTyped([ValueType])

  // Variables
  case localGet(UInt32)
  case localSet(UInt32)
  case localTee(UInt32)
  case globalGet(UInt32)
  case globalSet(UInt32)

  // Tables
  case tableGet(UInt32)
  case tableSet(UInt32)
  case tableInit(elem: UInt32, table: UInt32)
  case elemDrop(UInt32)
  case tableCopy(dst: UInt32, src: UInt32)
  case tableGrow(UInt32)
  case tableSize(UInt32)
  case tableFill(UInt32)

  // Memory
  case load(LoadOp, MemArg)
  case store(StoreOp, MemArg)
  case memorySize(UInt32)
  case memoryGrow(UInt32)
  case memoryInit(data: UInt32, memory: UInt32)
  case dataDrop(UInt32)
  case memoryCopy(dst: UInt32, src: UInt32)
  case memoryFill(UInt32)

  // Constants (floats as IEEE bit patterns so NaN payloads survive)
  case i32Const(Int32)
  case i64Const(Int64)
  case f32Const(UInt32)
  case f64Const(UInt64)

  // References
  case refNull(HeapType)
  case refIsNull
  case refFunc(UInt32)
  // Typed function references (TypedFunctionReferences.swift) and GC's `ref.eq`.
  case refAsNonNull
  case brOnNull(UInt32)
  case brOnNonNull(UInt32)
  case callRef(UInt32)
  case returnCallRef(UInt32)
  case refEq
  /// The GC instructions (prefix 0xFB; GCInstructions.swift).
  case gc(GCInstruction)

  /// Every instruction without immediates that pops operands and pushes one result.
  case numeric(NumericOp)

  // SIMD (prefix 0xFD; SIMD.swift). Each instruction carries the immediates `SimdOp.immediate` says it has.
  case simd(SimdOp)
  case simdLane(SimdOp, lane: UInt8)
  case simdMemory(SimdOp, MemArg)
  case simdMemoryLane(SimdOp, MemArg, lane: UInt8)
  case v128Const(V128)
  /// The 16 lane indices, byte 0 (the first lane's) in the low byte of `low`.
  case i8x16Shuffle(V128)

  // Atomics (prefix 0xFE; Atomics.swift): the threads proposal.
  case atomic(AtomicOp, MemArg)
  case atomicFence
}

public enum LoadOp: UInt8, Hashable, Sendable, CaseIterable {
  case i32Load = 0x28, i64Load, f32Load, f64Load
  case i32Load8S, i32Load8U, i32Load16S, i32Load16U
  case i64Load8S, i64Load8U, i64Load16S, i64Load16U, i64Load32S, i64Load32U

  public var resultType: ValueType {
    switch self {
    case .i32Load, .i32Load8S, .i32Load8U, .i32Load16S, .i32Load16U: return .i32
    case .f32Load: return .f32
    case .f64Load: return .f64
    default: return .i64
    }
  }
  /// Access width in bytes (the natural alignment bound is log2 of this).
  public var width: Int {
    switch self {
    case .i32Load8S, .i32Load8U, .i64Load8S, .i64Load8U: return 1
    case .i32Load16S, .i32Load16U, .i64Load16S, .i64Load16U: return 2
    case .i32Load, .f32Load, .i64Load32S, .i64Load32U: return 4
    case .i64Load, .f64Load: return 8
    }
  }
}

public enum StoreOp: UInt8, Hashable, Sendable, CaseIterable {
  case i32Store = 0x36, i64Store, f32Store, f64Store
  case i32Store8, i32Store16, i64Store8, i64Store16, i64Store32

  public var valueType: ValueType {
    switch self {
    case .i32Store, .i32Store8, .i32Store16: return .i32
    case .f32Store: return .f32
    case .f64Store: return .f64
    default: return .i64
    }
  }
  public var width: Int {
    switch self {
    case .i32Store8, .i64Store8: return 1
    case .i32Store16, .i64Store16: return 2
    case .i32Store, .f32Store, .i64Store32: return 4
    case .i64Store, .f64Store: return 8
    }
  }
}
