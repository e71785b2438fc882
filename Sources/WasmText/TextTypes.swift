/// Types in the text format: value types, reference and heap types, function signatures, limits, and the type
/// definitions of the type section (function types, and the struct, array, `sub` and `rec` forms of Wasm 3.0).

/// A function signature, its value types already encoded (a reference type may take several bytes).
struct Signature: Hashable {
  var params: [[UInt8]] = []
  var results: [[UInt8]] = []

  func encoded() -> [UInt8] {
    var w = BinaryWriter()
    w.byte(0x60)
    w.u32(UInt32(params.count))
    for p in params { w.bytes += p }
    w.u32(UInt32(results.count))
    for r in results { w.bytes += r }
    return w.bytes
  }
}

/// Heap types written by name, with their one-byte encodings.
let abstractHeapTypes: [Substring: UInt8] = [
  "func": 0x70, "extern": 0x6F, "any": 0x6E, "eq": 0x6D, "i31": 0x6C, "struct": 0x6B, "array": 0x6A, "exn": 0x69,
  "noexn": 0x74, "nofunc": 0x73, "noextern": 0x72, "none": 0x71,
]

/// Value types written as one keyword.
let valueTypeKeywords: [Substring: UInt8] = [
  "i32": 0x7F, "i64": 0x7E, "f32": 0x7D, "f64": 0x7C, "v128": 0x7B,
  "funcref": 0x70, "externref": 0x6F, "anyref": 0x6E, "eqref": 0x6D, "i31ref": 0x6C, "structref": 0x6B,
  "arrayref": 0x6A, "exnref": 0x69, "nullexnref": 0x74, "nullfuncref": 0x73, "nullexternref": 0x72, "nullref": 0x71,
]

extension ModuleParser {
  /// A heap type: an abstract one by name, or a type index.
  func heapType() throws -> [UInt8] {
    if let t = cursor.current, t.kind == .keyword, let byte = abstractHeapTypes[t.text] {
      cursor.advance()
      return [byte]
    }
    guard cursor.current?.kind == .number || cursor.current?.kind == .id else { throw cursor.expected("a heap type") }
    var w = BinaryWriter()
    w.s64(Int64(try index(.type)))
    return w.bytes
  }

  /// A value type: a keyword, or `(ref null? heaptype)`.
  func valueType() throws -> [UInt8] {
    if let t = cursor.current, t.kind == .keyword, let byte = valueTypeKeywords[t.text] {
      cursor.advance()
      return [byte]
    }
    guard cursor.takeGroup("ref") else { throw cursor.expected("a value type") }
    let nullable = cursor.takeKeyword("null")
    let heap = try heapType()
    try cursor.expectRightParen()
    // `(ref null func)` is `funcref`: the one-byte form, as every encoder writes it.
    if nullable && heap.count == 1 && abstractHeapTypes.values.contains(heap[0]) { return heap }
    return [nullable ? 0x63 : 0x64] + heap
  }

  func isValueTypeNext() -> Bool {
    if let t = cursor.current, t.kind == .keyword, valueTypeKeywords[t.text] != nil { return true }
    return cursor.isGroup("ref")
  }

  /// A reference type (a table's elements, an element segment's type).
  func referenceType() throws -> [UInt8] {
    let start = cursor.index
    let type = try valueType()
    guard type[0] <= 0x74 else {
      cursor.index = start
      throw cursor.expected("a reference type")
    }
    return type
  }

  /// `(param ...)*` and `(result ...)*`, binding parameter names into `names` when given.
  func signature(paramNames: inout [String?], allowNames: Bool = true) throws -> Signature {
    var signature = Signature()
    while cursor.takeGroup("param") {
      if cursor.current?.kind == .id && !allowNames { throw cursor.error("unexpected token: a parameter name here") }
      if let t = cursor.current, t.kind == .id, paramNames.contains(String(t.text)) {
        throw cursor.error("duplicate local $\(t.text)")
      }
      if let name = cursor.takeID() {
        signature.params.append(try valueType())
        paramNames.append(name)
      } else {
        while !cursor.isRightParen {
          signature.params.append(try valueType())
          paramNames.append(nil)
        }
      }
      try cursor.expectRightParen()
    }
    while cursor.takeGroup("result") {
      while !cursor.isRightParen { signature.results.append(try valueType()) }
      try cursor.expectRightParen()
    }
    if cursor.isGroup("param") { throw cursor.error("unexpected token: parameter after result") }
    return signature
  }

  /// A type use: `(type x)?` then params and results. Returns the type index (adding a type for an inline
  /// signature with no equal one yet) and the parameter names.
  func typeUse(allowNames: Bool = true) throws -> (index: UInt32, paramNames: [String?]) {
    var names: [String?] = []
    if cursor.takeGroup("type") {
      let index = try self.index(.type)
      try cursor.expectRightParen()
      let inline = try signature(paramNames: &names, allowNames: allowNames)
      let written = !(inline.params.isEmpty && inline.results.isEmpty)
      guard let defined = functionSignature(index) else {
        guard !written else {
          let what = Int(index) < signatures.count ? "not a function type" : "unknown type"
          throw cursor.error("\(what): type \(index) cannot be checked against the inline parameters and results")
        }
        return (index, names)
      }
      if !written {
        names = Array(repeating: nil, count: defined.params.count)
      } else if inline != defined {
        throw cursor.error("inline function type does not match the type it names")
      }
      return (index, names)
    }
    let inline = try signature(paramNames: &names, allowNames: allowNames)
    return (typeIndex(of: inline), names)
  }

  /// `min max?` in the width of the address type (64 bits for every memory and table once memory64 is on: the
  /// decoder and validator then check a 32-bit one's range).
  func limits(bits: Int) throws -> (min: UInt64, max: UInt64?) {
    let bits = features.contains(.memory64) ? 64 : bits
    let min = try cursor.takeNatural(bits: bits)
    let max = cursor.isNumber ? try cursor.takeNatural(bits: bits) : nil
    return (min, max)
  }

  static func encodeLimits(_ limits: (min: UInt64, max: UInt64?), is64: Bool, shared: Bool = false) -> [UInt8] {
    var w = BinaryWriter()
    w.byte((limits.max != nil ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0))
    w.u64(limits.min)
    if let max = limits.max { w.u64(max) }
    return w.bytes
  }

  // MARK: the type section's definitions

  /// `(type $t? comptype-or-sub)`, after `(type`: its encoding, its signature if it is a function type, and
  /// whether it is a plain one (not `sub`), which an inline type use may stand for.
  func typeDefinition() throws -> (encoding: [UInt8], signature: Signature?, plain: Bool) {
    _ = cursor.takeID()
    let result: (encoding: [UInt8], signature: Signature?, plain: Bool)
    if cursor.takeGroup("sub") {
      let final = cursor.takeKeyword("final")
      var supertypes: [UInt32] = []
      while cursor.isNumber || cursor.current?.kind == .id { supertypes.append(try index(.type)) }
      var w = BinaryWriter()
      w.byte(final ? 0x4F : 0x50)
      w.u32(UInt32(supertypes.count))
      for s in supertypes { w.u32(s) }
      let composite = try compositeType()
      w.bytes += composite.encoding
      try cursor.expectRightParen()
      result = (w.bytes, composite.signature, false)
    } else {
      let composite = try compositeType()
      result = (composite.encoding, composite.signature, true)
    }
    try cursor.expectRightParen()
    return result
  }

  /// `(func ...)`, `(struct (field ...)*)` or `(array fieldtype)`.
  private func compositeType() throws -> (encoding: [UInt8], signature: Signature?) {
    if cursor.takeGroup("func") {
      var names: [String?] = []
      let signature = try self.signature(paramNames: &names)
      try cursor.expectRightParen()
      return (signature.encoded(), signature)
    }
    var w = BinaryWriter()
    if cursor.takeGroup("struct") {
      var fields: [[UInt8]] = []
      // The type being defined is the next index (`defineTypes` appends it after this returns).
      let typeIndex = UInt32(signatures.count)
      while cursor.takeGroup("field") {
        if let name = cursor.takeID() {
          guard fieldNames[typeIndex]?[name] == nil else { throw cursor.error("duplicate field $\(name)", at: cursor.index - 1) }
          fieldNames[typeIndex, default: [:]][name] = UInt32(fields.count)
          fields.append(try fieldType())
        } else {
          while !cursor.isRightParen { fields.append(try fieldType()) }
        }
        try cursor.expectRightParen()
      }
      w.byte(0x5F)
      w.u32(UInt32(fields.count))
      for f in fields { w.bytes += f }
    } else if cursor.takeGroup("array") {
      w.byte(0x5E)
      w.bytes += try fieldType()
    } else {
      throw cursor.expected("`(func`, `(struct` or `(array`")
    }
    try cursor.expectRightParen()
    return (w.bytes, nil)
  }

  /// `storagetype` or `(mut storagetype)`; a storage type is a value type, `i8` or `i16`.
  private func fieldType() throws -> [UInt8] {
    let mutable = cursor.takeGroup("mut")
    let storage: [UInt8]
    if cursor.takeKeyword("i8") {
      storage = [0x78]
    } else if cursor.takeKeyword("i16") {
      storage = [0x77]
    } else {
      storage = try valueType()
    }
    if mutable { try cursor.expectRightParen() }
    return storage + [mutable ? 1 : 0]
  }
}
