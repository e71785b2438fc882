// The embedding API: `import Swasm` brings the engine, linker and runtime types (Store, Instance, Function,
// Memory, Global, Table, Value, Trap) and the module types (Module, FuncType, ValueType, errors).
@_exported import SwasmRuntime
@_exported import WasmBinary
// CacheFileError, TranslationCache and CacheIdentity, for embedders that manage caches and bundles.
@_exported import SwasmCache
// TextError (malformed WAT), WAT.parse and TextPrinter, for embedders that read or write the text format.
@_exported import WasmText
