import SwasmBytecode
import SwasmTranslator
import WasmBinary

/// What makes cached code valid for this engine: the format, the bytecode (opcode table), the runtime version,
/// the machine and every setting that changes the translator's output. See cache-format/SPEC.md.
public enum CacheIdentity {
  /// Version of the file layout (cache-format/SPEC.md). Bump it with any change to the layout.
  public static let formatVersion: UInt32 = 6
  /// swasm's version, printed by `swasm --version`.
  public static let runtimeVersion = "0.1.0"

  /// SHA-256 of the opcode table (every opcode's id, name, size, operand fields, the accumulator it writes and
  /// what a pinned-local form reads from or writes to `l0`), computed by the generator.
  public static let opcodeTableHash: [UInt8] = {
    let hex = Array(Opcode.tableHash.utf8)
    func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
    return stride(from: 0, to: hex.count, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) }
  }()

  /// The description of the opcode table that `Opcode.tableHash` hashes, rebuilt from the table itself.
  public static var opcodeTableText: String {
    var text = ""
    for op in Opcode.allCases {
      text += String(op.rawValue) + " " + op.name + " " + String(op.size)
      for f in op.fields {
        text += " " + f.name + ":" + String(f.kind.rawValue) + ":" + String(f.slot) + ":" + String(f.shift)
      }
      if let accumulator = op.writtenAccumulator {
        text += " writes:" + String(accumulator.rawValue)
        // The field whose value it leaves there, when not `rd`.
        let position = Opcode.accumulatorDestinationPosition[Int(op.rawValue)]
        if let field = op.fields.first(where: { $0.slot << 8 | $0.shift == Int(position) }), field.name != "rd" {
          text += ":" + field.name
        }
      }
      // The pinned-local forms: the field read from `l0`; a destination form.
      if let field = op.pinnedReadField { text += " l0read:" + op.fields[field].name }
      if Opcode.writesPinned[Int(op.rawValue)] { text += " l0dest" }
      text += "\n"
    }
    return text
  }

  static var architecture: String {
    #if arch(x86_64)
      let arch = "x86_64"
    #elseif arch(arm64)
      let arch = "arm64"
    #else
      let arch = "other"
    #endif
    return "\(arch)-\(MemoryLayout<Int>.size * 8)bit-\(1.littleEndian == 1 ? "le" : "be")"
  }

  /// The text the fingerprint hashes, one `name=value` line per input (readable in `swasm cache stats`).
  public static func fingerprintText(options: TranslationOptions) -> String {
    """
    format=\(formatVersion)
    opcodes=\(opcodeTableHash.hexString)
    runtime=\(runtimeVersion)
    arch=\(architecture)
    meterFuel=\(options.meterFuel ? "true" : "false")
    features=\(options.features.rawValue)

    """
  }

  /// SHA-256 of `fingerprintText`: equal for two engines exactly when their translations are interchangeable.
  public static func fingerprint(options: TranslationOptions) -> [UInt8] {
    SHA256.hash(Array(fingerprintText(options: options).utf8))
  }

  /// The cache key of one module: SHA-256 of the fingerprint followed by the module's bytes that can change how
  /// it runs (`Module.rangesThatMatter`: all but custom sections other than `name`), or all of its bytes when
  /// they are not well-formed sections.
  public static func key(moduleBytes: [UInt8], fingerprint: [UInt8]) -> [UInt8] {
    var h = SHA256()
    h.update(fingerprint)
    moduleBytes.withUnsafeBytes { all in
      for range in Module.rangesThatMatter(of: moduleBytes) ?? [0..<moduleBytes.count] {
        h.update(UnsafeRawBufferPointer(rebasing: all[range]))
      }
    }
    return h.finalize()
  }
}
