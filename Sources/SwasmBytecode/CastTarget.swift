/// The target of `ref_test` and `ref_cast` (tools/isa/gc.py), encoded in one u32: bit 31, null is of it; bit 30,
/// an abstract heap type (its binary encoding in the low 8 bits); else a type index of the module.
public enum CastTarget {
  public static let nullable: UInt32 = 1 << 31
  public static let abstract: UInt32 = 1 << 30

  public static func encode(nullable: Bool, abstractHeapType byte: UInt8) -> UInt32 {
    abstract | UInt32(byte) | (nullable ? Self.nullable : 0)
  }

  public static func encode(nullable: Bool, typeIndex: UInt32) -> UInt32 {
    typeIndex | (nullable ? Self.nullable : 0)
  }
}
