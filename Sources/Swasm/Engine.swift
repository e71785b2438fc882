import Foundation
import SwasmRuntime
import SwasmTranslator
import WasmBinary

/// Settings of an engine: how code runs and what guests may use.
public struct EngineConfiguration: Sendable {
  /// Threaded dispatch (fast) or the portable switch loop.
  public var dispatch: DispatchMode = .threaded
  /// Memory, table, stack and call-depth limits, and fuel metering, for every store of the engine.
  public var limits = StoreLimits()

  public init(dispatch: DispatchMode = .threaded, limits: StoreLimits = StoreLimits()) {
    self.dispatch = dispatch
    self.limits = limits
  }
}

/// Loads modules (decoded, validated and translated once) and makes stores to run them in.
///
/// An engine is immutable and may be shared between threads; each thread uses its own stores.
public final class Engine: Sendable {
  public let configuration: EngineConfiguration

  public init(configuration: EngineConfiguration = EngineConfiguration()) {
    self.configuration = configuration
  }

  /// Decodes, validates and translates a module. Throws `DecodeError`, `ValidationError` or `TranslationError`.
  public func loadModule(bytes: [UInt8]) throws -> PreparedModule {
    try PreparedModule(Module(bytes: bytes), options: TranslationOptions(meterFuel: configuration.limits.meterFuel))
  }

  /// Loads a module from a `.wasm` file.
  public func loadModule(contentsOf url: URL) throws -> PreparedModule {
    try loadModule(bytes: Array(try Data(contentsOf: url)))
  }

  /// A new store: the unit of isolation (its instances share memories, tables and functions). Not thread-safe;
  /// use one store per thread.
  public func makeStore() -> Store {
    Store(dispatch: configuration.dispatch, limits: configuration.limits)
  }
}
