/// The `_w` forms of the GC instructions (`Opcode.gcInstructions`, generated from tools/isa/gc.py), for frames beyond
/// 16-bit registers: the same instructions with every register field 32 bits wide, so that the translator stages
/// nothing (their slot ranges and v128 values, two slots, could not be staged one register at a time).
extension Opcode {
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
