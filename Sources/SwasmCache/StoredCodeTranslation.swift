import SwasmBytecode
import SwasmTranslator
import WasmBinary

// Functions a cache entry holds untranslated (cache-format/SPEC.md: a record in no group, its body in a code
// chunk beside the declarations). A first run writes the entry at once with no function translated, and every
// run adds what it translated (`rewriteEntryInFirstUseOrder`): a start-up translates only what it runs, and
// never what an earlier run translated. The Wasm bodies are as untrusted as the rest of the file: each is
// validated before it is translated, so a forged one is refused like damaged code.

extension StoredCode {
  /// Untranslated function `index`, validated and translated on its first use (under the lock), and kept.
  func translation(_ index: Int) throws -> CompiledFunction {
    try lock.withLock { _ in
      if translatedHere.isEmpty { translatedHere = Array(repeating: nil, count: records.count) }
      if let done = translatedHere[index] { return done }
      guard let options else { throw CacheFileError("no translation settings for an untranslated function") }
      let name = file.members[member].name
      if translating == nil {
        do {
          translating = .fromChunks(try FunctionBodyValidator(module: declarations, features: options.features),
                                    ModuleTranslator(module: declarations, validation: ValidationInfo(maxStackHeights: []), options: options))
        } catch {
          throw CacheFileError("module \(name): \(error)")
        }
      }
      let translated: CompiledFunction
      do {
        switch translating! {
        case .fromValidatedModule(let translator):
          translated = try translator.translate(definedFunction: index)
        case .fromChunks(let validator, let translator):
          let (entries, body) = try chunkBody(of: index)
          try validator.validate(definedFunction: index, body: body, in: entries)
          translated = try translator.translate(definedFunction: index, body: body, in: entries)
        }
      } catch {
        throw CacheFileError("module \(name), function \(index): \(error)")
      }
      translatedHere[index] = translated
      verified[index] = true
      firstUse.append(index)
      usedSlots += translated.code.count
      return translated
    }
  }

  /// The body of untranslated function `index` and the entries of the code chunk it lies in, which is
  /// decompressed on first use (under the lock). The index was checked to give every untranslated function a
  /// chunk; a chunk whose entries are not its functions' bodies is damaged.
  private func chunkBody(of index: Int) throws -> (entries: [UInt8], body: FunctionBody) {
    let chunks = file.members[member].codeChunks
    if codeChunks.isEmpty { codeChunks = Array(repeating: nil, count: chunks.count) }
    // The last chunk starting at or before `index` (they go by increasing function index).
    var low = 0, high = chunks.count
    while high - low > 1 {
      let middle = (low + high) / 2
      if chunks[middle].firstFunction <= index { low = middle } else { high = middle }
    }
    guard low < chunks.count, chunks[low].functions.contains(index) else { throw CacheFileError("no code for the function") }
    if codeChunks[low] == nil {
      let entries = try file.codeChunkEntries(of: member, chunk: low, decoder: decoder)
      do {
        codeChunks[low] = (entries, try Module.functionBodies(inEntries: entries, count: chunks[low].functionCount))
      } catch {
        throw CacheFileError("damaged code chunk \(low): \(error)")
      }
    }
    let chunk = codeChunks[low]!
    return (chunk.entries, chunk.bodies[index - chunks[low].firstFunction])
  }
}

extension StoredCode {
  /// For an entry just written from `module`, which was validated whole in memory: the functions the entry
  /// holds untranslated are translated from `module` itself, without decompressing the entry's code chunks or
  /// validating each body again. The caller guarantees that `module` is the one the entry was written from.
  public func translateFromValidatedModule(_ module: Module) {
    guard let options else { return }
    lock.withLock { _ in
      guard translating == nil else { return }
      translating = .fromValidatedModule(ModuleTranslator(module: module, validation: ValidationInfo(maxStackHeights: []), options: options))
    }
  }
}
