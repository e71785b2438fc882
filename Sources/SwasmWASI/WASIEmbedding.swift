import Swasm
import SwasmRuntime

extension WASI {
  /// Defines every `wasi_snapshot_preview1` function in `linker` (in its store), bound once to this WASI state:
  /// `wasi.define(in: &linker)`, then `linker.instantiate(module)`.
  public func define(in linker: inout Linker) {
    define(store: linker.store, where: { _ in true }) { linker.define(WASI.moduleName, $0, .function($1)) }
  }

  /// Runs a WASI command: calls `instance`'s `_start` and returns its exit status (the `proc_exit` code, or 0 when
  /// `_start` returns). Throws the `Trap` or uncaught `WasmException` that stopped it, and `EmbeddingError` when
  /// the instance exports no `_start`.
  public func start(_ instance: Instance) throws -> Int32 {
    guard let start = instance.function("_start") else { throw EmbeddingError("no _start export: not a WASI command") }
    do {
      _ = try start.invoke([])
      return 0
    } catch let exit as WASIExit {
      return exit.code
    }
  }
}
