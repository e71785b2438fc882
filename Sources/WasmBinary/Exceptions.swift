/// Exception handling (Wasm 3.0, and the legacy instructions that toolchains still emit): tags, how the
/// instructions decode, and how they validate.
///
/// Standard: `throw x`, `throw_ref`, `try_table bt catch*`, where each clause branches to a label with the
/// exception's payload (`catch`), the payload and the exception (`catch_ref`), nothing (`catch_all`) or the exception
/// (`catch_all_ref`). Legacy: `try bt ... catch x ... catch_all ... end`, `try bt ... delegate l`, `rethrow l`.

/// One clause of a `try_table`: which exceptions it catches and the label it branches to. Labels count from the
/// context around the `try_table` (its own label is not in scope of its clauses).
public struct CatchClause: Hashable, Sendable {
  public enum Kind: UInt8, Sendable {
    /// Exceptions of `tag`; the label receives the payload.
    case `catch` = 0
    /// Exceptions of `tag`; the label receives the payload, then the exception (an `exnref`).
    case catchRef = 1
    /// Any exception; the label receives nothing.
    case catchAll = 2
    /// Any exception; the label receives it (an `exnref`).
    case catchAllRef = 3

    public var hasTag: Bool { self == .catch || self == .catchRef }
    public var passesReference: Bool { self == .catchRef || self == .catchAllRef }
  }

  public var kind: Kind
  /// The tag, for `catch` and `catch_ref` (0 otherwise).
  public var tag: UInt32
  public var label: UInt32

  public init(kind: Kind, tag: UInt32 = 0, label: UInt32) {
    self.kind = kind
    self.tag = tag
    self.label = label
  }
}

extension InstructionReader {
  /// `try_table` (0x1F): a block type, then its catch clauses.
  mutating func tryTable() throws -> Instruction {
    let type = try blockType()
    let count = try reader.count(minElementSize: 2)
    var clauses: [CatchClause] = []
    clauses.reserveCapacity(count)
    for _ in 0..<count {
      let kindAt = reader.position
      guard let kind = CatchClause.Kind(rawValue: try reader.byte()) else {
        throw DecodeError("malformed catch clause", at: kindAt)
      }
      let tag = kind.hasTag ? try reader.u32() : 0
      clauses.append(CatchClause(kind: kind, tag: tag, label: try reader.u32()))
    }
    return .tryTable(type, clauses)
  }
}

/// A tag's type in the tag section or an import: an attribute byte (0, "exception"), then a function type index.
func tagType(_ r: inout ByteReader) throws -> UInt32 {
  let attributeAt = r.position
  guard try r.byte() == 0 else { throw DecodeError("malformed tag attribute", at: attributeAt) }
  return try r.u32()
}

extension ModuleContext {
  /// The function type of tag `index` (tag index space).
  func tagType(_ index: UInt32) throws -> FuncType {
    guard Int(index) < tagTypeIndices.count else { throw ValidationError("unknown tag \(index)") }
    return module.functionType(tagTypeIndices[Int(index)])
  }

  /// A tag's type must exist and have no results.
  func validateTagType(_ typeIndex: UInt32) throws {
    guard try type(typeIndex).results.isEmpty else { throw ValidationError("non-empty tag result type") }
  }
}

extension FunctionValidator {
  mutating func checkException(_ instruction: Instruction) throws {
    switch instruction {
    case .throw(let tag):
      try pop(try context.tagType(tag).params)
      setUnreachable()
    case .throwRef:
      try pop(ValueType.exnref)
      setUnreachable()
    case .tryTable(let bt, let clauses):
      let (params, results) = try blockSignature(bt)
      for clause in clauses { try checkCatchClause(clause) }
      try pop(params)
      pushFrame(.tryTable, params, results)
    case .try(let bt):
      let (params, results) = try blockSignature(bt)
      try pop(params)
      pushFrame(.legacyTry, params, results)
    case .catch(let tag):
      let payload = try context.tagType(tag).params
      let frame = try popHandlerFrame("catch")
      frames.append(Frame(kind: .legacyCatch, params: frame.params, results: frame.results, height: values.count))
      push(payload)
    case .catchAll:
      let frame = try popHandlerFrame("catch_all")
      frames.append(Frame(kind: .legacyCatchAll, params: frame.params, results: frame.results, height: values.count))
    case .delegate(let depth):
      guard frames[frames.count - 1].kind == .legacyTry else { throw ValidationError("delegate without a try") }
      let frame = try popFrame()
      _ = try label(depth)  // counted from the context around the try
      push(frame.results)
    case .rethrow(let depth):
      let kind = try label(depth).kind
      guard kind == .legacyCatch || kind == .legacyCatchAll else { throw ValidationError("invalid rethrow label") }
      setUnreachable()
    default:
      preconditionFailure("not an exception instruction: \(instruction)")
    }
  }

  /// The frame a legacy `catch` or `catch_all` ends: a try, or a catch of it (not a catch_all: it comes last).
  mutating func popHandlerFrame(_ what: String) throws -> Frame {
    let kind = frames[frames.count - 1].kind
    guard kind == .legacyTry || kind == .legacyCatch else { throw ValidationError("\(what) without a try") }
    return try popFrame()
  }

  /// A clause's label must take what the clause passes: the tag's payload and/or the exception.
  func checkCatchClause(_ clause: CatchClause) throws {
    var passed = clause.kind.hasTag ? try context.tagType(clause.tag).params : []
    if clause.kind.passesReference { passed.append(.ref(RefType(nullable: false, .exn))) }
    guard areSubtypes(passed, of: try labelTypes(clause.label)) else {
      throw ValidationError("type mismatch: catch clause passes \(passed) to a label of \(try labelTypes(clause.label))")
    }
  }
}
