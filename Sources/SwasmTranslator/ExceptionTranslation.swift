import SwasmBytecode
import WasmBinary

/// Exception handling. Throwing is an instruction (`throw_tag`, `throw_ref`); catching is a table
/// (HandlerTableBuilder) that the unwinder searches, so entering or leaving a `try_table` or a legacy `try` emits
/// nothing: the handlers' scope changes with the code position.
/// - A `try_table` clause lands on its label as a branch does, the unwinder writing the payload (and the exception)
///   into the label's canonical slots; a clause of the function's label lands on a `ret` after the body.
/// - A legacy `try`'s handler bodies (`catch`, `catch_all`) are translated after the function's body, out of the
///   normal path: the body falls through to the try's end. Each handler keeps the exception it caught in a slot
///   below its payload, for `rethrow`. When they are translated every label around them is closed, so branches
///   from them go straight to their targets (`ControlFrame.resolvedTarget`).
/// - `delegate l` covers the try's body with the handlers around label `l` instead of its own.

/// A legacy handler body waiting for the function's body to be translated.
struct DeferredHandler {
  /// Where its instructions start in the module, and where the function's end.
  var start: Int
  var end: Int
  /// The tag it catches (nil: catch_all).
  var tag: UInt32?
  /// Its clause in the handler table.
  var scope: Int
  var clause: Int
  /// The try it belongs to, the frames around it, and the operand stack below the try.
  var tryFrame: ControlFrame
  var enclosing: [ControlFrame]
  var stackBelow: [StackEntry]
}

extension FunctionTranslator {
  // MARK: scopes

  /// From here on, `scope` covers the code. Nothing fuses across the change: a throwing instruction stays on the side
  /// of it where it was emitted.
  mutating func setScope(_ scope: Int) {
    guard scope != currentScope else { return }
    currentScope = scope
    handlers.enter(scope, at: builder.code.count)
    labelAt = builder.code.count
    clearPeephole()
  }

  func tagPayload(_ tag: UInt32) -> [ValueType] { tagTypes[Int(tag)].params }

  // MARK: throwing

  mutating func throwTag(_ tag: UInt32) {
    let payload = tagPayload(tag).slotCount
    let base = height - payload
    materialize(from: base)
    stack.removeLast(payload)
    builder.emitRU(.throw_tag, registers.temp(base), tag)
    markUnreachable()
  }

  mutating func throwReference() {
    builder.emitR(.throw_ref, popRegisters(1)[0])
    markUnreachable()
  }

  /// `rethrow`: the exception the handler body of label `depth` caught.
  mutating func rethrow(_ depth: UInt32) {
    builder.emitR(.throw_ref, control[control.count - 1 - Int(depth)].caughtException!)
    markUnreachable()
  }

  // MARK: try_table

  mutating func enterTryTable(_ bt: BlockType, _ clauses: [CatchClause]) {
    let (params, results) = blockSignature(bt)
    let base = height - params.slotCount
    materializeLocals()
    let scope = handlers.newScope(parent: currentScope)
    for clause in clauses {
      // Labels count from the context around the try_table.
      let target = control.count - 1 - Int(clause.label)
      let payload = clause.kind.hasTag ? tagPayload(clause.tag).slotCount : 0
      // A label's values go to its canonical slots; the function's, as results, to the frame's first slots.
      let destination: Reg = control[target].kind == .function ? 0 : registers.temp(control[target].height)
      handlers.scopes[scope].clauses.append(HandlerTableBuilder.Clause(
        tag: clause.kind.hasTag ? clause.tag : HandlerTable.anyTag, destination: destination,
        exception: clause.kind.passesReference ? destination + Reg(payload) : nil))
      let fixup = Fixup.handler(scope: scope, clause: handlers.scopes[scope].clauses.count - 1)
      if control[target].kind == .function {
        returnPads.append(fixup)
      } else {
        branch(fixup, toLabelOf: target)
      }
    }
    var frame = newFrame(.tryTable, params, results, height: base)
    frame.innerScope = scope
    control.append(frame)
    setScope(scope)
  }

  // MARK: legacy try

  mutating func enterLegacyTry(_ bt: BlockType) {
    let (params, results) = blockSignature(bt)
    let base = height - params.slotCount
    materializeLocals()
    let scope = handlers.newScope(parent: currentScope)
    var frame = newFrame(.legacyTry, params, results, height: base)
    frame.innerScope = scope
    control.append(frame)
    setScope(scope)
  }

  /// `try ... delegate l`: the try's body is covered by the handlers around label `l` (counted from outside the try).
  mutating func delegate(_ depth: UInt32) {
    let i = control.count - 1
    if !control[i].unreachable { moveResults(to: control[i].height, count: control[i].results.slotCount) }
    handlers.scopes[control[i].innerScope].delegate = control[i - 1 - Int(depth)].innerScope
    closeFrame()
  }

  /// The first `catch` or `catch_all` of the legacy try on top: its body ends, and falls through to the try's end.
  /// The handler bodies up to that end are read past, to be translated after the function's body.
  mutating func legacyHandlers(_ first: Instruction, _ reader: inout InstructionReader) throws {
    let i = control.count - 1
    if !control[i].unreachable { moveResults(to: control[i].height, count: control[i].results.slotCount) }
    let tryFrame = control[i]
    let bodies = try skipHandlerBodies(first, &reader)
    let stackBelow = Array(stack[..<tryFrame.height])
    closeFrame()
    for body in bodies {
      let scope = tryFrame.innerScope
      // The slot below the payload keeps the exception (for rethrow); the payload follows.
      handlers.scopes[scope].clauses.append(HandlerTableBuilder.Clause(
        tag: body.tag ?? HandlerTable.anyTag, destination: registers.temp(tryFrame.height + 1),
        exception: registers.temp(tryFrame.height)))
      deferredHandlers.append(DeferredHandler(
        start: body.start, end: reader.end, tag: body.tag, scope: scope, clause: handlers.scopes[scope].clauses.count - 1,
        tryFrame: tryFrame, enclosing: Array(control), stackBelow: stackBelow))
    }
  }

  /// Reads past a legacy try's handler bodies, from its first `catch` or `catch_all` (just read) through its `end`.
  func skipHandlerBodies(_ first: Instruction, _ reader: inout InstructionReader) throws -> [(tag: UInt32?, start: Int)] {
    func tag(_ instruction: Instruction) -> UInt32? {
      if case .catch(let t) = instruction { return t }
      return nil
    }
    var bodies = [(tag: tag(first), start: reader.offset)]
    var depth = 0
    while true {
      let instruction = try reader.next()
      switch instruction {
      case .block, .loop, .if, .try, .tryTable: depth += 1
      case .delegate: depth -= 1  // ends a try nested in a handler body
      case .end:
        if depth == 0 { return bodies }
        depth -= 1
      case .catch, .catchAll:
        if depth == 0 { bodies.append((tag(instruction), reader.offset)) }
      default: break
      }
    }
  }

  /// Translates the legacy handler bodies read past, after the function's body (and those nested in them), then the
  /// `ret` that clauses of the function's label land on.
  mutating func translateDeferredHandlers() throws {
    while !deferredHandlers.isEmpty {
      let handler = deferredHandlers.removeFirst()
      try translateHandlerBody(handler)
    }
    if !returnPads.isEmpty {
      labelAt = builder.code.count
      builder.emitNone(.ret)
      for fixup in returnPads { patch(fixup, to: labelAt) }
      returnPads.removeAll()
    }
  }

  mutating func translateHandlerBody(_ handler: DeferredHandler) throws {
    // Every label around the handler is closed by now: branches go straight to where it ended.
    control = handler.enclosing.map { frame in
      var frame = frame
      if frame.kind != .function && frame.kind != .loop { frame.resolvedTarget = labelPositions[frame.id] }
      frame.endFixups = []
      frame.elseFixup = nil
      return frame
    }
    var frame = handler.tryFrame
    frame.kind = handler.tag == nil ? .legacyCatchAll : .legacyCatch
    frame.resolvedTarget = labelPositions[frame.id]
    frame.innerScope = frame.outerScope
    frame.caughtException = registers.temp(frame.height)
    frame.unreachable = false
    frame.endFixups = []
    control.append(frame)
    stack = handler.stackBelow
    push(.temp, .exnref)
    pushTemporaries(handler.tag.map(tagPayload) ?? [])
    clearPeephole()
    setScope(frame.innerScope)
    labelAt = builder.code.count
    patch(.handler(scope: handler.scope, clause: handler.clause), to: builder.code.count)
    if meterFuel { openFuelCheck() }
    var reader = InstructionReader(bytes: bodyBytes, range: handler.start..<handler.end)
    let depth = control.count
    while true {
      let instruction = try reader.next()
      if control.count == depth {
        switch instruction {
        case .catch, .catchAll, .end:
          // The handler body ends, at the next handler of its try or at the try's end: its results go to the try's.
          if !control[depth - 1].unreachable {
            moveResults(to: frame.height, count: frame.results.slotCount)
            emitJump(to: depth - 1)
          }
          if meterFuel { closeFuelCheck() }
          control.removeAll()
          return
        default: break
        }
      }
      try step(instruction, &reader)
    }
  }
}
