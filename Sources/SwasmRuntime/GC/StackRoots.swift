import SwasmBytecode
import WasmBinary

// The roots a collection finds outside the heap, precisely: in the frames of the calls in progress (by their stack
// maps, SwasmBytecode/StackMaps.swift), the arguments of host functions being called and exception payloads (by
// their types), and the globals, tables and element segments that may hold GC references (by their types).

extension Store {
  /// The roots of a collection. `running`: the Wasm frame that allocates and where its code resumes after the
  /// allocating instruction; nil when the host allocates (then the frame on top, if any, is a host function's).
  func gcRoots(running: (fp: Fp, resume: Pc)?) -> GCRoots {
    var values: [UInt64] = []
    forEachFrameReference(running: running) { values.append($0) }
    forEachPayloadReference { values.append($0) }
    return GCRoots(stack: values, globals: gcGlobals, tables: gcTables, segments: gcSegments)
  }

  /// Calls `body` with the value of every frame slot that holds a reference of the any or extern hierarchy, from
  /// the top frame down, across runs nested in host calls. Each call frame record names the function running in
  /// the frame above its caller's; the record above it (or `running`, for the top one) tells where that frame is
  /// and where its code stands: a Wasm frame's slots are read by its stack map at that point, a host function's
  /// arguments by its type. A run's first frame returns to `haltPc`: below it is a host function's frame, or
  /// nothing; a host function called from the host, or tail-called, has no Wasm frame of its caller to read.
  func forEachFrameReference(running: (fp: Fp, resume: Pc)?, _ body: (UInt64) -> Void) {
    let halt = state.pointee.haltPc
    var record = state.pointee.frameTop
    var frame = running
    while record > frameStart {
      record -= 1
      let function = record.pointee.function
      if let code = function.pointee.code {
        if let (fp, resume) = frame, let header = function.pointee.stackMaps {
          StackMaps(header: header).forEachSlot(resumingAt: resume - code) { body(fp[$0]) }
        }
      } else {
        forEachTracedParameter(ofTypeID: function.pointee.typeID) { body(hostArguments[record - frameStart][$0]) }
      }
      frame = record.pointee.returnPc == halt ? nil : (record.pointee.callerFp, record.pointee.returnPc)
    }
  }

  /// Whether Wasm code runs and the host was entered other than by calling a host function (a callback in the
  /// middle of an instruction): no stack map describes the running frame there, so nothing may allocate.
  var runningWasmOutsideHostCall: Bool {
    let top = state.pointee.frameTop
    return top > frameStart && (top - 1).pointee.function.pointee.code != nil
  }

  /// Calls `body` with every reference of the any or extern hierarchy in an exception's payload (of every
  /// exception object, live or not: exceptions are freed by their own heap's collections).
  func forEachPayloadReference(_ body: (UInt64) -> Void) {
    for object in exceptions.objects {
      forEachTracedParameter(ofTypeID: object.pointee.tag.pointee.typeID) { body(object.payload[$0]) }
    }
  }

  /// The slots, from the first, of the parameters of the function type with store id `typeID` (a host
  /// function's, or a tag's payload) that are references of the any or extern hierarchy.
  func forEachTracedParameter(ofTypeID typeID: Int, _ body: (Int) -> Void) {
    var slot = 0
    for value in types.functionType(typeID).params {
      switch GCStorage(.value(value), types) {
      case .anyref, .externref: body(slot)
      default: break
      }
      slot += value.slotCount
    }
  }
}
