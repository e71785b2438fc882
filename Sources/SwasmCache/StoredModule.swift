import FoundationEssentials
import Synchronization
import SwasmBytecode
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
  /// functions. Function bodies are left for `StoredCode` to decode on demand.
  public func storedModule(_ m: Int) throws -> StoredModule {
    let member = members[m]
    let decoder = Zstd.Decoder()  // for the declarations, then kept for the code
    let module: Module
    do {
      module = try Module(bytes: try moduleBytes(of: m, decoder: decoder), withoutCode: true)
      try module.validateDeclarations()
    } catch let error as CacheFileError {
      throw error
    } catch {
      throw CacheFileError("module \(member.name): \(error)")
    }
    guard module.functions.count == member.functions.count else {
      throw CacheFileError("module \(member.name) declares \(module.functions.count) functions, the file holds \(member.functions.count)")
    }
    return StoredModule(name: member.name, module: module, wiring: member.wiring,
                        code: StoredCode(file: self, member: m, module: module, decoder: decoder))
  }

  /// Every member, in order (libraries before the modules that import them).
  public func storedModules() throws -> [StoredModule] {
    try members.indices.map { try storedModule($0) }
  }
}

/// The functions of one stored module, decompressed a group at a time and verified one at a time, on first use.
/// Shared by every store that instantiates the module; thread-safe.
public final class StoredCode: CompiledCodeSource, @unchecked Sendable {
  let file: CacheFile
  let member: Int
  let verifier: BytecodeVerifier
  let signatures: [FuncType]
  /// Guards the two tables and the decoder below.
  private let lock = Mutex(())
  private let decoder: Zstd.Decoder
  /// Decompressed groups (indexed by group), kept until every function is verified.
  private var groups: [[UInt64]?]
  private var verified: [CompiledFunction?]
  private var verifiedCount = 0

  init(file: CacheFile, member: Int, module: Module, decoder: Zstd.Decoder) {
    self.file = file
    self.decoder = decoder
    self.member = member
    self.verifier = BytecodeVerifier(module: module)
    self.signatures = module.functions.map { module.types[Int($0)] }
    groups = Array(repeating: nil, count: file.members[member].groups.count)
    verified = Array(repeating: nil, count: signatures.count)
  }

  public func frameSize(ofFunction index: Int) -> Int { file.members[member].functions[index].frameSize }

  public func function(_ index: Int) throws -> CompiledFunction {
    try lock.withLock { _ in try loadFunction(index) }
  }

  /// `function(_:)` under the lock.
  private func loadFunction(_ index: Int) throws -> CompiledFunction {
    if let f = verified[index] { return f }
    let record = file.members[member].functions[index]
    let group: [UInt64]
    if let g = groups[record.group] {
      group = g
    } else {
      group = try file.groupSlots(member: member, group: record.group, decoder: decoder)
      groups[record.group] = group
    }
    let type = signatures[index]
    let function = CompiledFunction(
      code: Array(group[record.start..<(record.start + record.slots)]), paramCount: type.params.count,
      localCount: record.localCount, resultCount: type.results.count, constBase: record.constBase, constants: [],
      frameSize: record.frameSize)
    do {
      try verifier.verify(function, definedFunction: index)
    } catch let error as CacheFileError {
      throw CacheFileError("module \(file.members[member].name), function \(index): \(error.message)")
    }
    verified[index] = function
    verifiedCount += 1
    if verifiedCount == signatures.count { groups = [] }
    return function
  }

  /// Decodes and verifies every function now (the spec suite's cache round trip, so that a verifier rejecting
  /// valid code fails the tests instead of surfacing as a trap).
  public func verifyAll() throws {
    for i in 0..<signatures.count { _ = try function(i) }
  }
}
