import FoundationEssentials
import Synchronization
import SwasmBytecode
import SwasmTranslator
import WasmBinary

/// A module read from a cache file or bundle: its declarations, decoded and validated, and its functions,
/// decoded and verified one at a time when first asked for.
public struct StoredModule {
  public let name: String
  /// The module without function bodies (`Module(bytes:withoutCode:)`); enough to link and instantiate.
  public let module: Module
  /// Import module name -> index of the earlier bundle member that provides it.
  public let wiring: [(importModule: String, member: Int)]
  public let code: StoredCode
}

extension CacheFile {
  /// Reads member `m`: decodes and validates its declarations and checks that the file has code for each of its
  /// functions. Function bodies are left for `StoredCode` to decode on demand. `options` are the settings the
  /// file was written for (its fingerprint's), needed to translate the functions it holds untranslated: a member
  /// with such functions and no options is refused.
  public func storedModule(_ m: Int, options: TranslationOptions? = nil) throws -> StoredModule {
    let member = members[m]
    let decoder = Zstd.Decoder()  // for the declarations, then kept for the code
    var module: Module
    do {
      module = try Module(bytes: try declarationBytes(of: m, decoder: decoder), withoutCode: true)
      try module.validateDeclarations()
      if member.nameSections != nil {
        // Decompressed when a message first names a function (a damaged frame gives no names).
        module.nameSection = NameSection { [self] in (try? nameSectionBytes(of: m, decoder: Zstd.Decoder())) ?? [] }
      }
    } catch let error as CacheFileError {
      throw error
    } catch {
      throw CacheFileError("module \(member.name): \(error)")
    }
    guard module.functions.count == member.functions.count else {
      throw CacheFileError("module \(member.name) declares \(module.functions.count) functions, the file holds \(member.functions.count)")
    }
    guard member.codeChunks.isEmpty || options != nil else {
      throw CacheFileError("module \(member.name) holds functions to translate, and no translation settings were given")
    }
    return StoredModule(name: member.name, module: module, wiring: member.wiring,
                        code: StoredCode(file: self, member: m, module: module, decoder: decoder, options: options))
  }

  /// Every member, in order (libraries before the modules that import them).
  public func storedModules(options: TranslationOptions? = nil) throws -> [StoredModule] {
    try members.indices.map { try storedModule($0, options: options) }
  }
}

/// The functions of one stored module, decompressed a group at a time and verified one at a time, on first use;
/// those the file holds untranslated are validated and translated on first use (StoredCodeTranslation.swift).
/// Shared by every store that instantiates the module; thread-safe.
public final class StoredCode: CompiledCodeSource, @unchecked Sendable {
  let file: CacheFile
  let member: Int
  /// The member's function records (where each function's code is), held here: reading them through
  /// `file.members[member]` copied the member's description, with its arrays, on every call.
  let records: [CacheFile.FunctionRecord]
  let verifier: BytecodeVerifier
  /// The module's types, and each defined function's type index.
  let types: [SubType]
  let definedFunctionTypeIndices: [UInt32]
  /// Guards the groups, the verification state and first-use record, the translations, and the decoder below.
  let lock = Mutex(())
  let decoder: Zstd.Decoder
  /// Decompressed groups (indexed by group); a function's code is read from its group, never copied here.
  private var groups: [[UInt64]?]
  var verified: [Bool]
  /// Functions in the order of their first call, and how many code slots they and the groups decompressed so
  /// far hold (`rewriteEntryInFirstUseOrder`).
  var firstUse: [Int] = []
  var usedSlots = 0, decompressedSlots = 0
  /// For functions the file holds untranslated: the settings to translate with, the declarations, and, once one
  /// is first called, a body validator and a translator, the code chunks decompressed so far (their entries and
  /// the bodies located in them, by chunk index), and each translation made (kept for other stores and for the
  /// entry's rewrite).
  let options: TranslationOptions?
  let declarations: Module
  var translating: Translating?
  enum Translating {
    /// Bodies read from the code chunks, each validated before it is translated.
    case fromChunks(FunctionBodyValidator, ModuleTranslator)
    /// Bodies of the module the entry was just written from, validated whole (`translateFromValidatedModule`).
    case fromValidatedModule(ModuleTranslator)
  }
  var codeChunks: [(entries: [UInt8], bodies: [FunctionBody])?] = []
  var translatedHere: [CompiledFunction?] = []
  /// The translation-cache entry the code was read from (set by `TranslationCache.load`), or nil (a bundle).
  var cacheEntry: (cache: TranslationCache, id: TranslationCache.EntryID)?

  init(file: CacheFile, member: Int, module: Module, decoder: Zstd.Decoder, options: TranslationOptions?) {
    self.file = file
    self.decoder = decoder
    self.member = member
    self.options = options
    declarations = module
    records = file.members[member].functions
    self.verifier = BytecodeVerifier(module: module, fuelMetered: options?.meterFuel ?? false)
    types = module.types
    definedFunctionTypeIndices = module.functions
    groups = Array(repeating: nil, count: file.members[member].groups.count)
    verified = Array(repeating: false, count: module.functions.count)
  }

  public func frameSize(ofFunction index: Int) -> Int? {
    records[index].isUntranslated ? nil : records[index].frameSize
  }

  public func function(_ index: Int) throws -> CompiledFunction {
    if records[index].isUntranslated { return try translation(index) }
    return try withFunctionCode(index) { code, _ in compiledFunction(index, code: Array(code)) }
  }

  /// Defined function `index` as a CompiledFunction holding `code` (its slots, from its group).
  private func compiledFunction(_ index: Int, code: [UInt64]) -> CompiledFunction {
    let record = records[index]
    let type = types[Int(definedFunctionTypeIndices[index])].functionType ?? FuncType(params: [], results: [])
    return CompiledFunction(code: code, paramCount: type.params.slotCount, localCount: record.localCount,
                            resultCount: type.results.slotCount, constBase: record.constBase, constants: [],
                            frameSize: record.frameSize)
  }

  public func withFunctionCode<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt64>, Int) throws -> R) throws -> R {
    if records[index].isUntranslated {
      let translated = try translation(index)
      return try translated.code.withUnsafeBufferPointer { try body($0, translated.frameSize) }
    }
    return try lock.withLock { _ in
      let record = records[index]
      let group = try decompressedGroup(record.group)
      return try group.withUnsafeBufferPointer { slots in
        let code = UnsafeBufferPointer(rebasing: slots[record.start..<(record.start + record.slots)])
        if !verified[index] {
          do {
            try verifier.verify(code: code, frameSize: record.frameSize, definedFunction: index)
          } catch let error as CacheFileError {
            throw CacheFileError("module \(file.members[member].name), function \(index): \(error.message)")
          }
          verified[index] = true
          firstUse.append(index)
          usedSlots += record.slots
        }
        return try body(code, record.frameSize)
      }
    }
  }

  /// Group `g`, decompressed on first use (under the lock).
  private func decompressedGroup(_ g: Int) throws -> [UInt64] {
    if let group = groups[g] { return group }
    let group = try file.groupSlots(member: member, group: g, decoder: decoder)
    groups[g] = group
    decompressedSlots += group.count
    return group
  }

  /// For a translation-cache entry this run added translations to (functions it held untranslated), or whose
  /// functions called so far lie spread over much more code than they fill, so that a start-up decompresses code
  /// it does not run: rewrites the entry. When the called functions lie spread, every translated function is laid
  /// out again, those called first in the order of their first call, so that the next start finds them in the
  /// first groups. Otherwise the new translations are appended, in the order of their first call, after the
  /// entry's groups, which are copied compressed as they are: a run that translates a few functions more does
  /// not pay for compressing the entry's code again (CPython's: 0.6 s). The declarations, names and code section
  /// are copied compressed as they are; every load verifies the code again. Returns whether the entry was
  /// rewritten; a failure leaves the entry as it was.
  public func rewriteEntryInFirstUseOrder() -> Bool {
    guard let cacheEntry else { return false }
    let (order, used, decompressed, translated) = lock.withLock { _ in
      (firstUse, usedSlots, decompressedSlots, translatedHere)
    }
    // Laid out in first-call order, the waste is under a group; ask for more than two, and for more than half
    // of the code used, so that a workload which calls a few functions more does not rewrite the entry again.
    let spread = decompressed - used > max(2 * CacheFileLayout.groupSlots, used / 2)
    guard translated.contains(where: { $0 != nil }) || spread else { return false }
    do {
      let records = file.members[member].functions
      // An append keeps the entry's groups as they are; a re-layout recompresses them.
      let (parts, groupFrames) = try file.reusableParts(of: member, groups: !spread)
      let rewritten: CacheMember
      if spread {
        // The groups this run decompressed, and the others decompressed now (not kept: the entry is being replaced).
        let decoder = Zstd.Decoder()
        let groupSlots = try file.members[member].groups.indices.map { g in
          try lock.withLock { _ in groups[g] } ?? file.groupSlots(member: member, group: g, decoder: decoder)
        }
        let functions = records.enumerated().map { i, r -> CompiledFunction? in
          if r.isUntranslated { return translated.isEmpty ? nil : translated[i] }
          return compiledFunction(i, code: Array(groupSlots[r.group][r.start..<(r.start + r.slots)]))
        }
        rewritten = CacheMember(name: file.members[member].name, parts: parts, functions: functions, leadingFunctions: order)
      } else {
        let kept = CacheMember.KeptGroups(frames: groupFrames, records: records.map { $0.isUntranslated ? nil : $0 })
        rewritten = CacheMember(name: file.members[member].name, parts: parts, kept: kept, functions: translated,
                                leadingFunctions: order.filter { records[$0].isUntranslated })
      }
      let bytes = CacheFileWriter.encode(members: [rewritten], fingerprint: cacheEntry.id.fingerprint, key: cacheEntry.id.key,
                                         bundle: false, level: cacheEntry.cache.compressionLevel,
                                         leadingLevel: cacheEntry.cache.leadingCompressionLevel)
      try TranslationCache.writeAtomically(bytes, toPath: cacheEntry.cache.entryPath(key: cacheEntry.id.key))
      return true
    } catch {
      return false
    }
  }

  /// Decodes and verifies every function now (the spec suite's cache round trip, so that a verifier rejecting
  /// valid code fails the tests instead of surfacing as a trap).
  public func verifyAll() throws {
    for i in 0..<definedFunctionTypeIndices.count { _ = try function(i) }
  }
}
