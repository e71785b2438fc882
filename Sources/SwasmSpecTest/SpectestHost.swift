import SwasmRuntime
import WasmBinary

/// The `spectest` module the suite imports from (see ../shared/spectest/README.md).
func spectestImports(_ store: Store) -> Imports {
  var imports = Imports()
  let prints: [(String, [ValueType])] = [
    ("print", []), ("print_i32", [.i32]), ("print_i64", [.i64]), ("print_f32", [.f32]), ("print_f64", [.f64]),
    ("print_i32_f32", [.i32, .f32]), ("print_f64_f64", [.f64, .f64]),
  ]
  for (name, params) in prints {
    imports.define(module: "spectest", name: name,
                   .function(store.hostFunction(type: FuncType(params: params, results: []), name: name) { _ in [] }))
  }
  let globals: [(String, ValueType, Value)] = [
    ("global_i32", .i32, .i32(666)), ("global_i64", .i64, .i64(666)),
    ("global_f32", .f32, .f32(Float(666.6).bitPattern)), ("global_f64", .f64, .f64(Double(666.6).bitPattern)),
  ]
  for (name, type, value) in globals {
    // (Each value is of its global's type: creating it cannot fail.)
    if let global = try? store.createGlobal(type: GlobalType(valueType: type, mutable: false), value: value) {
      imports.define(module: "spectest", name: name, .global(global))
    }
  }
  for (name, addressType) in [("table", ValueType.i32), ("table64", .i64)] {
    let type = TableType(elementType: .funcref, limits: Limits(min: 10, max: 20), addressType: addressType)
    if let table = try? store.createTable(type: type, initial: .funcref(nil)) {  // null fits a funcref table
      imports.define(module: "spectest", name: name, .table(table))
    }
  }
  // A two-page reservation cannot fail where the suite runs at all.
  if let memory = try? store.createMemory(type: MemoryType(limits: Limits(min: 1, max: 2))) {
    imports.define(module: "spectest", name: "memory", .memory(memory))
  }
  if let shared = try? store.createMemory(type: MemoryType(limits: Limits(min: 1, max: 2), isShared: true)) {
    imports.define(module: "spectest", name: "shared_memory", .memory(shared))
  }
  return imports
}
