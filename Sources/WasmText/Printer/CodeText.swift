import WasmBinary

/// Lines of text, each indented by two spaces a level.
struct TextLines {
  private(set) var text = ""

  mutating func line(_ level: Int, _ content: String) {
    text += String(repeating: "  ", count: level) + content + "\n"
  }
}

/// Function bodies and constant expressions as flat instruction sequences.
struct CodeText {
  let instructions: InstructionText

  init(module: Module) {
    instructions = InstructionText(types: module.types, functions: FunctionNames(module: module))
  }

  /// A constant expression on one line, its instructions one after the other (`global.get 0 i32.const 1 i32.add`).
  func expression(_ expression: ConstExpr) throws -> String {
    try expression.instructions.map(instructions.text).joined(separator: " ")
  }

  /// The instructions of `body` (in `bytes`), one a line, indented from `level` by the block they are in. A block's
  /// `else`, `catch` and `catch_all` are at the level of the block's start, its `end` too; `delegate` ends a `try`
  /// like `end`. The body's own final `end` is not written (the function's closing parenthesis stands for it).
  func body(_ body: FunctionBody, bytes: [UInt8], level: Int, into lines: inout TextLines) throws {
    var reader = InstructionReader(bytes: bytes, range: body.codeRange)
    var depth = 0
    while !reader.isAtEnd {
      let offset = reader.offset
      let instruction = try reader.next()
      switch instruction {
      case .block, .loop, .if, .try, .tryTable:
        lines.line(level + depth, try instructions.text(instruction))
        depth += 1
      case .else, .catch, .catchAll:
        guard depth > 0 else { throw PrintError("\(instruction) outside a block at offset \(offset)") }
        lines.line(level + depth - 1, try instructions.text(instruction))
      case .end, .delegate:
        if depth == 0 {
          guard case .end = instruction, reader.isAtEnd else {
            throw PrintError("instructions after the end of a function body at offset \(offset)")
          }
          return
        }
        depth -= 1
        lines.line(level + depth, try instructions.text(instruction))
      default:
        lines.line(level + depth, try instructions.text(instruction))
      }
    }
    throw PrintError("function body without its final end at offset \(reader.offset)")
  }
}
