/// The GC instructions (tools/isa/gc.py), and their `_w` forms for frames beyond 16-bit registers: the same
/// instructions with every register field 32 bits wide, so that the translator stages nothing (their slot ranges and
/// v128 values, two slots, could not be staged one register at a time).
extension Opcode {
  public static let gcInstructions: [Opcode] = [
    .struct_new, .struct_new_default, .struct_get, .struct_get_s, .struct_get_u, .struct_set, .array_new,
    .array_new_default, .array_new_fixed, .array_new_data, .array_new_elem, .array_get, .array_get_s, .array_get_u,
    .array_set, .array_len, .array_fill, .array_copy, .array_init_data, .array_init_elem, .ref_test, .ref_cast,
    .any_convert_extern, .extern_convert_any, .ref_i31, .i31_get_s, .i31_get_u,
  ]

  /// The `_w` form of a GC instruction; nil for any other opcode.
  public var wideGCForm: Opcode? { gcForms.wide[Int(rawValue)] }
  /// The GC instruction a `_w` form stands for; the opcode itself for any other.
  public var narrowGCForm: Opcode { gcForms.narrow[Int(rawValue)] ?? self }
}

/// Both directions, by opcode id, matched by name (`NAME` and `NAME_w`).
private let gcForms: (wide: [Opcode?], narrow: [Opcode?]) = {
  let count = Int(Opcode.allCases.map(\.rawValue).max()!) + 1
  var wide = [Opcode?](repeating: nil, count: count), narrow = [Opcode?](repeating: nil, count: count)
  let byName = Dictionary(uniqueKeysWithValues: Opcode.allCases.map { ($0.name, $0) })
  for op in Opcode.gcInstructions {
    let w = byName[op.name + "_w"]!
    wide[Int(op.rawValue)] = w
    narrow[Int(w.rawValue)] = op
  }
  return (wide, narrow)
}()
