import SwasmBytecode
import SwasmTranslator
import WasmBinary

// Functions a cache entry holds untranslated (cache-format/SPEC.md: a record in no group, the module's code
// section kept beside the declarations). A first run writes the entry at once with no function translated, and
// every run adds what it translated (`rewriteEntryInFirstUseOrder`): a start-up translates only what it runs,
// and never what an earlier run translated. The Wasm bodies are as untrusted as the rest of the file: each is
// validated before it is translated, so a forged one is refused like damaged code.

extension StoredCode {
  /// Untranslated function `index`, validated and translated on its first use (under the lock), and kept.
  func translation(_ index: Int) throws -> CompiledFunction {
    try lock.withLock { _ in
      if translatedHere.isEmpty { translatedHere = Array(repeating: nil, count: records.count) }
      if let done = translatedHere[index] { return done }
      guard let options else { throw CacheFileError("no translation settings for an untranslated function") }
      if withCode == nil {
        guard let section = try file.codeSectionBytes(of: member, decoder: decoder) else {
          throw CacheFileError("module \(file.members[member].name): no code section")
        }
        do {
          let module = try declarations.withCodeSection(section)
          withCode = (module, try FunctionBodyValidator(module: module, features: options.features),
                      ModuleTranslator(module: module, validation: ValidationInfo(maxStackHeights: []), options: options))
        } catch {
          throw CacheFileError("module \(file.members[member].name): code section: \(error)")
        }
      }
      let (_, validator, translator) = withCode!
      let translated: CompiledFunction
      do {
        try validator?.validate(definedFunction: index)
        translated = try translator.translate(definedFunction: index)
      } catch {
        throw CacheFileError("module \(file.members[member].name), function \(index): \(error)")
      }
      translatedHere[index] = translated
      verified[index] = true
      firstUse.append(index)
      usedSlots += translated.code.count
      return translated
    }
  }
}

extension StoredCode {
  /// For an entry just written from `module`, which was validated whole in memory: the functions the entry
  /// holds untranslated are translated from `module` itself, without decompressing the entry's copy of the code
  /// section (74 MB for CPython) or validating each body again. The caller guarantees that `module` is the one
  /// the entry was written from.
  public func translateFromValidatedModule(_ module: Module) {
    guard let options else { return }
    lock.withLock { _ in
      guard withCode == nil else { return }
      withCode = (module, nil, ModuleTranslator(module: module, validation: ValidationInfo(maxStackHeights: []), options: options))
    }
  }
}
