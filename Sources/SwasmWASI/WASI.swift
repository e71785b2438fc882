#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SwasmRuntime
import WasmBinary

/// WASI preview 1 (`wasi_snapshot_preview1`) for one guest program: its arguments, environment, clocks,
/// randomness and file descriptors. The guest reaches only the folders it is given as preopens.
public final class WASI {
  let arguments: [String]
  let environment: [String]
  let files = FileTable()

  /// A folder the guest may use: `hostPath` on this machine, seen by the guest as `guestPath`.
  public struct Preopen {
    /// The folder on this machine.
    public var hostPath: String
    /// The path the guest sees it at, such as `/data`.
    public var guestPath: String
    /// A preopen of `hostPath`, seen by the guest as `guestPath`.
    public init(hostPath: String, guestPath: String) {
      self.hostPath = hostPath
      self.guestPath = guestPath
    }
  }

  /// WASI state for a program whose standard streams are host file descriptors (by default the host's own).
  /// `arguments` includes the program name first. `environment` is NAME=VALUE strings.
  /// Throws `WASIError` when a preopened folder cannot be opened.
  /// `listeners` are listening sockets handed to the guest (numbered right after stdio, before the preopens);
  /// the guest accepts connections on them with sock_accept. WASI takes ownership of them.
  public convenience init(arguments: [String], environment: [String], preopens: [Preopen], listeners: [Int32] = [],
                          stdin: Int32 = 0, stdout: Int32 = 1, stderr: Int32 = 2) throws {
    try self.init(arguments: arguments, environment: environment, preopens: preopens, listeners: listeners,
                  standardInput: .fileDescriptor(stdin), standardOutput: .fileDescriptor(stdout),
                  standardError: .fileDescriptor(stderr))
  }

  /// WASI state for a program whose standard streams the embedder chooses: input from bytes, output and error
  /// into a buffer or a closure (`WASIOutputBuffer`, `WASIOutput.closure`), or host descriptors. The other
  /// parameters are as for the other initialiser.
  public init(arguments: [String], environment: [String] = [], preopens: [Preopen] = [], listeners: [Int32] = [],
              standardInput: WASIInput, standardOutput: WASIOutput, standardError: WASIOutput) throws {
    self.arguments = arguments
    self.environment = environment
    files[0] = WASI.standardEntry(0, input: standardInput)
    files[1] = WASI.standardEntry(1, output: standardOutput)
    files[2] = WASI.standardEntry(2, output: standardError)
    for listener in listeners {
      _ = try files.add(FileEntry(hostFD: listener, type: .socketStream, rightsBase: WASI.listenerRights,
                                  rightsInheriting: WASI.connectionRights))
    }
    for preopen in preopens {
      let fd = open(preopen.hostPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      guard fd >= 0 else {
        throw WASIError("cannot open folder \(preopen.hostPath): \(String(cString: strerror(errno)))")
      }
      _ = try files.add(FileEntry(hostFD: fd, type: .directory, rightsBase: Rights.directory,
                                  rightsInheriting: Rights.directory.union(Rights.file),
                                  preopenName: preopen.guestPath))
    }
  }

  /// The module name of WASI preview 1's functions.
  public static let moduleName = "wasi_snapshot_preview1"

  /// Defines every `wasi_snapshot_preview1` function in `imports`, bound once to this WASI state.
  public func define(in imports: inout Imports, store: Store) {
    define(store: store, where: { _ in true }) { imports.define(module: WASI.moduleName, name: $0, .function($1)) }
  }

  /// Defines only the `wasi_snapshot_preview1` functions that `modules` import: a program imports a fraction of
  /// the 46, and making each costs a store entry, a type id and a closure on every start.
  public func define(in imports: inout Imports, store: Store, importedBy modules: [Module]) {
    let wanted = modules.flatMap { $0.imports.filter { $0.module == WASI.moduleName }.map(\.name) }
    define(store: store, where: { wanted.contains($0) }) { imports.define(module: WASI.moduleName, name: $0, .function($1)) }
  }

  /// Makes the WASI functions `isWanted` names in `store`, and hands each to `define` with its name.
  func define(store: Store, where isWanted: (String) -> Bool, _ define: (String, Function) -> Void) {
    for (name, params, body) in WASI.functions where isWanted(name) {
      let type = FuncType(params: params, results: [.i32])
      // The closures keep this WASI state alive as long as the store has them.
      let function = store.rawHostFunction(type: type, name: "wasi:\(name)") { caller, slots in
        let result: Errno
        do {
          guard let memory = caller.memory else { throw Errno.fault }
          guard !memory.type.is64 else { throw WASIMemory64Unsupported(function: name) }
          result = try memory.withUnsafeMutableBytes { bytes in
            try body(self, GuestMemory(bytes: bytes), slots)
            return .success
          }
        } catch let errno as Errno {
          result = errno
        }
        slots[0] = UInt64(result.rawValue)
      }
      define(name, function)
    }
    guard isWanted("proc_exit") else { return }
    let exit = store.rawHostFunction(type: FuncType(params: [.i32], results: []), name: "wasi:proc_exit") { _, slots in
      throw WASIExit(code: Int32(bitPattern: UInt32(truncatingIfNeeded: slots[0])))
    }
    define("proc_exit", exit)
  }

  typealias Implementation = (WASI, GuestMemory, UnsafeMutablePointer<UInt64>) throws -> Void
}

/// A problem setting WASI up (not a guest error).
public struct WASIError: Error, CustomStringConvertible {
  /// What failed, such as a preopened folder that cannot be opened.
  public let description: String
  init(_ description: String) { self.description = description }
}

/// Argument access for the implementations: i32 and i64 parameters by position.
extension UnsafeMutablePointer where Pointee == UInt64 {
  @inline(__always) func u32(_ i: Int) -> UInt32 { UInt32(truncatingIfNeeded: self[i]) }
  @inline(__always) func u64(_ i: Int) -> UInt64 { self[i] }
}
