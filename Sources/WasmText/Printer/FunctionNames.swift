import WasmBinary

/// The functions' names from the `name` section, written as `$name` where a function is defined or referred to,
/// so that printed code reads like its source (and the names survive printing and parsing back: the parser
/// writes a `name` section from them). A name that is not a plain identifier, or that two functions share, is
/// left out: those functions keep their indices.
struct FunctionNames {
  private var names: [UInt32: String] = [:]

  init(module: Module) {
    var seen: [String: Int] = [:]
    // Only names of functions that exist (the section is not validated) and that read back as identifiers.
    let count = module.importedFunctionTypes.count + module.functions.count
    let usable = module.names.functionNames.filter { index, name in
      Int(index) < count && !name.isEmpty && name.utf8.allSatisfy { Lexer.isIdChar($0) }
    }
    for name in usable.values { seen[name, default: 0] += 1 }
    names = usable.filter { seen[$0.value] == 1 }
  }

  /// How code refers to function `index`: `$name`, or the index.
  func reference(_ index: UInt32) -> String { names[index].map { "$" + $0 } ?? "\(index)" }

  /// `$name ` before a definition's index comment, or nothing.
  func definition(_ index: UInt32) -> String { names[index].map { "$" + $0 + " " } ?? "" }
}
