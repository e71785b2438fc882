import WasmBinary

/// Writes a decoded binary module as a WAT module that encodes back to the same module (custom sections aside:
/// of the `name` section only function names are kept, as `$names`).
///
/// Every index is numeric but functions', which are `$names` where the `name` section gives usable ones
/// (`FunctionNames`); each definition is followed by its index in a comment, `(func $f (;3;) ...)`. Instructions are flat (not folded), one a line,
/// indented by block depth. The fields come in the order `wasm-tools print` uses: types, imports, tables,
/// memories, tags, globals, exports, start, element segments, functions, data segments.
public enum TextPrinter {
  /// The text of `module`. Meant for modules that validate; one that does not decode all its function bodies,
  /// or holds something with no text form, throws (`DecodeError`, `PrintError`).
  public static func text(of module: Module) throws -> String {
    var writer = ModuleWriter(module: module)
    try writer.write()
    return writer.lines.text
  }
}

/// The module's fields, written in order into `lines`.
private struct ModuleWriter {
  let module: Module
  let code: CodeText
  var functions: FunctionNames { code.instructions.functions }
  var lines = TextLines()

  init(module: Module) {
    self.module = module
    code = CodeText(module: module)
  }

  mutating func write() throws {
    lines.line(0, "(module")
    writeTypes()
    try writeImports()
    try writeTables()
    writeMemories()
    writeTags()
    try writeGlobals()
    writeExports()
    if let start = module.start { lines.line(1, "(start " + functions.reference(start) + ")") }
    try writeElements()
    try writeFunctions()
    try writeData()
    lines.line(0, ")")
  }

  /// `(type N)` followed by the type's parameters and results, for functions, imports and tags.
  func typeUse(_ index: UInt32) -> String {
    guard Int(index) < module.types.count, let type = module.types[Int(index)].functionType else { return "(type \(index))" }
    return "(type \(index))" + InstructionText.signature(type)
  }

  /// Each recursion group: a type alone as `(type ...)`, a group of several (or none) in `(rec ...)`.
  mutating func writeTypes() {
    for group in module.recGroups {
      let inGroup = group.count != 1
      if inGroup { lines.line(1, "(rec") }
      for index in group {
        lines.line(inGroup ? 2 : 1, "(type (;\(index);) " + Self.definition(module.types[index]) + ")")
      }
      if inGroup { lines.line(1, ")") }
    }
  }

  /// `(func ...)`, `(struct (field ...)*)` or `(array ...)`, inside `(sub final? N? ...)` unless final without
  /// a supertype.
  static func definition(_ type: SubType) -> String {
    func field(_ f: FieldType) -> String { f.isMutable ? "(mut \(f.storage))" : "\(f.storage)" }
    let composite: String
    switch type.composite {
    case .function(let f): composite = "(func" + InstructionText.signature(f) + ")"
    case .structure(let fields): composite = "(struct" + fields.map { " (field " + field($0) + ")" }.joined() + ")"
    case .array(let f): composite = "(array " + field(f) + ")"
    }
    if type.isFinal && type.supertype == nil { return composite }
    return "(sub" + (type.isFinal ? " final" : "") + (type.supertype.map { " \($0)" } ?? "") + " " + composite + ")"
  }

  mutating func writeImports() throws {
    // Each kind of import takes the next index of its own index space.
    var functions = 0, tables = 0, memories = 0, globals = 0, tags = 0
    for entry in module.imports {
      let description: String
      switch entry.descriptor {
      case .function(let type):
        description = "(func " + self.functions.definition(UInt32(functions)) + "(;\(functions);) " + typeUse(type) + ")"
        functions += 1
      case .table(let type):
        description = "(table (;\(tables);) " + Self.table(type) + ")"
        tables += 1
      case .memory(let type):
        description = "(memory (;\(memories);) " + Self.memory(type) + ")"
        memories += 1
      case .global(let type):
        description = "(global (;\(globals);) " + Self.global(type) + ")"
        globals += 1
      case .tag(let type):
        description = "(tag (;\(tags);) " + typeUse(type) + ")"
        tags += 1
      }
      lines.line(1, "(import \(StringText.quoted(entry.module)) \(StringText.quoted(entry.name)) \(description))")
    }
  }

  mutating func writeTables() throws {
    let first = module.importedTables.count
    for (i, type) in module.tables.enumerated() {
      let initializer = try module.tableInitializers[i].map { " " + (try code.expression($0)) } ?? ""
      lines.line(1, "(table (;\(first + i);) " + Self.table(type) + initializer + ")")
    }
  }

  mutating func writeMemories() {
    let first = module.importedMemories.count
    for (i, type) in module.memories.enumerated() {
      lines.line(1, "(memory (;\(first + i);) " + Self.memory(type) + ")")
    }
  }

  mutating func writeTags() {
    let first = module.importedTags.count
    for (i, type) in module.tags.enumerated() {
      lines.line(1, "(tag (;\(first + i);) " + typeUse(type) + ")")
    }
  }

  mutating func writeGlobals() throws {
    let first = module.importedGlobals.count
    for (i, global) in module.globals.enumerated() {
      let initializer = try code.expression(global.initializer)
      lines.line(1, "(global (;\(first + i);) " + Self.global(global.type) + " " + initializer + ")")
    }
  }

  mutating func writeExports() {
    for export in module.exports {
      let kind: String
      switch export.kind {
      case .function: kind = "func"
      case .table: kind = "table"
      case .memory: kind = "memory"
      case .global: kind = "global"
      case .tag: kind = "tag"
      }
      let index = export.kind == .function ? functions.reference(export.index) : "\(export.index)"
      lines.line(1, "(export \(StringText.quoted(export.name)) (\(kind) \(index)))")
    }
  }

  /// `(elem (;N;) [mode] items)`: active segments name their table unless it is 0 and give `(offset ...)`;
  /// `declare` for declarative ones, nothing for passive ones. Items are `func` and function indices, or the
  /// reference type and an `(item ...)` for each expression.
  mutating func writeElements() throws {
    for (index, segment) in module.elements.enumerated() {
      var text = "(elem (;\(index);)"
      switch segment.mode {
      case .passive: break
      case .declarative: text += " declare"
      case .active(let table, let offset):
        if table != 0 { text += " (table \(table))" }
        text += " (offset " + (try code.expression(offset)) + ")"
      }
      switch segment.contents {
      case .functions(let indices):
        text += " func" + indices.map { " " + functions.reference($0) }.joined()
      case .expressions(let items):
        text += " \(segment.type)"
        for item in items { text += " (item " + (try code.expression(item)) + ")" }
      }
      lines.line(1, text + ")")
    }
  }

  mutating func writeFunctions() throws {
    // A module decoded without its code (`Module(bytes:withoutCode:)`) has functions but no bodies to write.
    guard module.codes.count == module.functions.count else {
      throw PrintError("\(module.functions.count) functions but \(module.codes.count) bodies: a module without its code")
    }
    let first = module.importedFunctionTypes.count
    for (i, body) in module.codes.enumerated() {
      let index = UInt32(first + i)
      lines.line(1, "(func " + functions.definition(index) + "(;\(index);) " + typeUse(module.functions[i]))
      let localCount = body.locals.reduce(UInt64(0)) { $0 + UInt64($1.count) }
      // The binary counts locals in runs, the text names each one: a malformed count of billions stops here.
      guard localCount <= UInt64(maxLocalsPerFunction) else {
        throw PrintError("function \(first + i) has \(localCount) locals, more than a valid function can have")
      }
      if localCount > 0 {
        let types = body.locals.flatMap { repeatElement(" \($0.type)", count: Int($0.count)) }
        lines.line(2, "(local" + types.joined() + ")")
      }
      try code.body(body, bytes: module.bytes, level: 2, into: &lines)
      lines.line(1, ")")
    }
  }

  /// `(data (;N;) [(memory M)] [(offset ...)] "...")`: the bytes in quoted strings of at most `chunk` bytes, a
  /// longer segment's strings one a line below it.
  mutating func writeData() throws {
    let chunk = 64
    for (index, segment) in module.data.enumerated() {
      var text = "(data (;\(index);)"
      if case .active(let memory, let offset) = segment.mode {
        if memory != 0 { text += " (memory \(memory))" }
        text += " (offset " + (try code.expression(offset)) + ")"
      }
      let bytes = segment.bytes
      if bytes.count <= chunk {
        lines.line(1, text + " " + StringText.quoted(bytes) + ")")
        continue
      }
      lines.line(1, text)
      for start in stride(from: bytes.startIndex, to: bytes.endIndex, by: chunk) {
        lines.line(2, StringText.quoted(bytes[start..<min(start + chunk, bytes.endIndex)]))
      }
      lines.line(1, ")")
    }
  }

  /// `[i64] min [max] reftype`.
  static func table(_ type: TableType) -> String {
    (type.addressType == .i64 ? "i64 " : "") + limits(type.limits) + " \(type.elementType)"
  }

  /// `[i64] min [max] [shared]`.
  static func memory(_ type: MemoryType) -> String {
    (type.is64 ? "i64 " : "") + limits(type.limits) + (type.isShared ? " shared" : "")
  }

  static func limits(_ limits: Limits) -> String {
    "\(limits.min)" + (limits.max.map { " \($0)" } ?? "")
  }

  /// `t` or `(mut t)`.
  static func global(_ type: GlobalType) -> String {
    type.mutable ? "(mut \(type.valueType))" : "\(type.valueType)"
  }
}
