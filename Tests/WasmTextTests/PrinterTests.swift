import SwasmTestSupport
@testable import WasmText
import WasmBinary
import XCTest

/// The printer's text of hand-built modules, checked exactly, and float literals that read back to their bits. Each
/// module's bytes are `wasm-tools parse` of the WAT in the comment above them; the printed text was checked to
/// parse back (`wasm-tools parse`) to a module that `wasm-tools print` shows the same as the original.
final class PrinterTests: XCTestCase {
  func testEmptyModule() throws {
    let module = try Module(bytes: [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
    XCTAssertEqual(try TextPrinter.text(of: module), "(module\n)\n")
  }

  func testDeclarations() throws {
    XCTAssertEqual(try TextPrinter.text(of: try Module(bytes: Self.declarations)), #"""
      (module
        (type (;0;) (func (param i32 i64) (result f32)))
        (type (;1;) (func))
        (type (;2;) (func (param i32)))
        (import "env" "f" (func (;0;) (type 0) (param i32 i64) (result f32)))
        (import "env" "t" (table (;0;) 1 funcref))
        (import "env" "m" (memory (;0;) 1 2 shared))
        (import "env" "g" (global (;0;) i32))
        (import "env" "e" (tag (;0;) (type 2) (param i32)))
        (table (;1;) 2 10 funcref)
        (table (;2;) i64 3 externref)
        (memory (;1;) i64 1 5)
        (tag (;1;) (type 2) (param i32))
        (global (;1;) (mut f64) f64.const -0x1p-1)
        (global (;2;) i32 global.get 0 i32.const 1 i32.add)
        (export "f\22\5c\c3\a9" (func 0))
        (export "t" (table 1))
        (export "m" (memory 0))
        (export "g" (global 1))
        (export "e" (tag 1))
        (start 1)
        (elem (;0;) (offset i32.const 1) func 0 1)
        (elem (;1;) (table 1) (offset i32.const 0) func 1)
        (elem (;2;) (table 2) (offset i64.const 0) externref (item ref.null extern))
        (elem (;3;) func 1)
        (elem (;4;) declare func 0)
        (elem (;5;) funcref (item ref.func 0) (item ref.null func))
        (func (;1;) (type 1)
          (local i32 i32 v128)
        )
        (data (;0;) (offset i32.const 8) "a\00\0a\7f\ff")
        (data (;1;) (memory 1) (offset i64.const 0) "x")
        (data (;2;) "passive")
      )
      """# + "\n")
  }

  func testInstructions() throws {
    XCTAssertEqual(try TextPrinter.text(of: try Module(bytes: Self.instructions)), #"""
      (module
        (type (;0;) (func (param i32) (result i32)))
        (type (;1;) (func))
        (type (;2;) (func (param i32)))
        (table (;0;) 1 funcref)
        (memory (;0;) 1 1 shared)
        (memory (;1;) 1)
        (tag (;0;) (type 2) (param i32))
        (elem (;0;) funcref (item ref.func 0))
        (func (;0;) (type 0) (param i32) (result i32)
          (local i64 v128)
          block (result i32)
            loop
              local.get 0
              if
                br 1
              else
                i32.const -1
                br_table 0 1 1
              end
            end
            i32.const 0
            i32.load offset=4 align=1
            i32.const 0
            i64.load32_u 1 offset=8
            i64.store
            i32.const 0
            i32.const 0
            i32.const 0
            call_indirect 0 (type 0)
            return_call_indirect 0 (type 0)
          end
        )
        (func (;1;) (type 1)
          (local f32 f64)
          i64.const -9223372036854775808
          drop
          f32.const -inf
          local.set 0
          f64.const nan:0x4
          local.set 1
          f64.const -nan
          drop
          i32.const 0
          i32.const 0
          i32.const 1
          memory.init 1 0
          data.drop 0
          i32.const 0
          i32.const 0
          i32.const 1
          memory.copy 1 0
          i32.const 0
          i32.const 0
          i32.const 0
          table.init 0 0
          elem.drop 0
          memory.size 1
          memory.grow
          drop
          v128.const i32x4 0x00000001 0x00000002 0x00000003 0x00000004
          i32x4.extract_lane 3
          drop
          i32.const 0
          i32.const 0
          v128.load64_splat offset=16 align=4
          f64x2.sqrt
          v128.store 1
          i32.const 0
          i32.const 1
          i32.atomic.rmw8.add_u offset=1
          drop
          atomic.fence
          block (result i32)
            try_table (catch 0 0) (catch_all 1)
              i32.const 5
              throw 0
            end
            unreachable
          end
          drop
          try
            nop
          catch 0
            drop
            ref.null extern
            drop
          catch_all
            rethrow 0
          end
          try
            return_call 1
          delegate 0
        )
        (data (;0;) "d")
      )
      """# + "\n")
  }

  /// A segment longer than 64 bytes is written as strings of 64 bytes, one a line.
  func testLongDataSegmentIsSplitIntoLines() throws {
    let payload = (0..<100).map { UInt8($0) }
    // A data section (11) with one passive segment (flag 1) of 100 bytes.
    let bytes: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 11, 103, 1, 1, 100] + payload
    let text = try TextPrinter.text(of: try Module(bytes: bytes))
    let lines = text.split(separator: "\n")
    XCTAssertEqual(lines.count, 6)
    XCTAssertEqual(lines[1], "  (data (;0;)")
    XCTAssertEqual(lines[2], "    " + StringText.quoted(payload[0..<64]))
    XCTAssertEqual(lines[3], "    " + StringText.quoted(payload[64..<100]))
    XCTAssertEqual(lines[4], "  )")
    XCTAssertTrue(lines[3].hasPrefix(#"    "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\5c]^_`abc"#))
  }

  func testStringsEscapeAllButPrintableASCII() {
    XCTAssertEqual(StringText.quoted([0x61, 0x22, 0x5c, 0x00, 0x0a, 0x7e, 0x7f, 0xc3, 0xa9, 0x20]), #""a\22\5c\00\0a~\7f\c3\a9 ""#)
    XCTAssertEqual(StringText.quoted("é"), #""\c3\a9""#)
  }

  /// What has no text form, or no code to write, is an error rather than text that would read back differently.
  func testUnprintableModulesThrow() throws {
    var builder = ModuleBuilder()
    builder.memoryPages = 1
    // i32.const 0, i32.load with an alignment of 2^128 (a LEB128 128), drop, end.
    builder.function(builder.type([], []), body: [0x41, 0x00, 0x28, 0x80, 0x01, 0x00, 0x1A, 0x0B])
    XCTAssertThrowsError(try TextPrinter.text(of: try Module(bytes: builder.bytes))) { error in
      XCTAssertEqual((error as? PrintError)?.message, "alignment 2^128 has no text form")
    }

    let withoutCode = try Module(bytes: try Module(bytes: Self.instructions).bytesWithoutCode, withoutCode: true)
    XCTAssertThrowsError(try TextPrinter.text(of: withoutCode)) { error in
      XCTAssertEqual((error as? PrintError)?.message, "2 functions but 0 bodies: a module without its code")
    }
  }

  // MARK: float literals

  func testF32Literals() {
    let cases: [(UInt32, String)] = [
      (0x0000_0000, "0x0p+0"), (0x8000_0000, "-0x0p+0"), (0x3F80_0000, "0x1p+0"), (0xC040_0000, "-0x1.8p+1"),
      (0x3DCC_CCCD, "0x1.99999ap-4"), (0x0000_0001, "0x1p-149"), (0x8000_0003, "-0x1.8p-148"),
      (0x007F_FFFF, "0x1.fffffcp-127"), (0x0080_0000, "0x1p-126"), (0x7F7F_FFFF, "0x1.fffffep+127"),
      (0x7F80_0000, "inf"), (0xFF80_0000, "-inf"), (0x7FC0_0000, "nan"), (0xFFC0_0000, "-nan"),
      (0x7FA0_0000, "nan:0x200000"), (0x7F80_0001, "nan:0x1"), (0xFFFF_FFFF, "-nan:0x7fffff"),
    ]
    for (bits, text) in cases { XCTAssertEqual(FloatText.f32(bits), text, "bits 0x\(String(bits, radix: 16))") }
  }

  func testF64Literals() {
    let cases: [(UInt64, String)] = [
      (0x0000_0000_0000_0000, "0x0p+0"), (0x8000_0000_0000_0000, "-0x0p+0"), (0x3FF0_0000_0000_0000, "0x1p+0"),
      (0x3FB9_9999_9999_999A, "0x1.999999999999ap-4"), (0x0000_0000_0000_0001, "0x1p-1074"),
      (0x000F_FFFF_FFFF_FFFF, "0x1.ffffffffffffep-1023"), (0x0010_0000_0000_0000, "0x1p-1022"),
      (0x7FEF_FFFF_FFFF_FFFF, "0x1.fffffffffffffp+1023"), (0xC000_0000_0000_0000, "-0x1p+1"),
      (0x7FF0_0000_0000_0000, "inf"), (0xFFF0_0000_0000_0000, "-inf"), (0x7FF8_0000_0000_0000, "nan"),
      (0xFFF8_0000_0000_0000, "-nan"), (0x7FF0_0000_0000_0001, "nan:0x1"),
      (0xFFF4_0000_0000_0000, "-nan:0x4000000000000"), (0x7FFF_FFFF_FFFF_FFFF, "nan:0xfffffffffffff"),
    ]
    for (bits, text) in cases { XCTAssertEqual(FloatText.f64(bits), text, "bits 0x\(String(bits, radix: 16))") }
  }

  /// Edge values and a deterministic spread of bit patterns, every exponent and a variety of fractions, read back
  /// (finite values by Swift's own parser of hex floats, NaNs by their payload) to the same bits.
  func testFloatLiteralsRoundTrip() {
    var random = SplitMix64(seed: 0x5157_4153)
    var f32Bits: [UInt32] = [0, 0x8000_0000, 1, 0x8000_0001, 0x007F_FFFF, 0x0080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF,
                             0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0x7F80_0001, 0xFFBF_FFFF]
    var f64Bits: [UInt64] = [0, 0x8000_0000_0000_0000, 1, 0x000F_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000,
                             0x7FEF_FFFF_FFFF_FFFF, 0x7FF0_0000_0000_0000, 0x7FF8_0000_0000_0000, 0xFFF0_0000_0000_0001]
    for _ in 0..<20_000 {
      let r = random.next()
      f32Bits.append(UInt32(truncatingIfNeeded: r))
      f64Bits.append(r)
      // Subnormals, whose normalization is the part most easily wrong, on their own.
      f32Bits.append(UInt32(truncatingIfNeeded: r >> 32) & 0x807F_FFFF)
      f64Bits.append(r & 0x800F_FFFF_FFFF_FFFF)
    }
    for bits in f32Bits {
      let text = FloatText.f32(bits)
      XCTAssertEqual(Self.readBack(text, exponentBits: 8, fractionBits: 23), UInt64(bits), text)
    }
    for bits in f64Bits {
      let text = FloatText.f64(bits)
      XCTAssertEqual(Self.readBack(text, exponentBits: 11, fractionBits: 52), bits, text)
    }
  }

  /// The bits of a literal: `inf` and `nan` forms by hand, finite values by `Float(_:)` or `Double(_:)`.
  static func readBack(_ text: String, exponentBits: Int, fractionBits: Int) -> UInt64? {
    let negative = text.hasPrefix("-")
    let magnitude = negative ? String(text.dropFirst()) : text
    let sign: UInt64 = negative ? 1 << UInt64(exponentBits + fractionBits) : 0
    let infinity: UInt64 = ((1 << UInt64(exponentBits)) - 1) << UInt64(fractionBits)
    if magnitude == "inf" { return sign | infinity }
    if magnitude == "nan" { return sign | infinity | UInt64(1) << UInt64(fractionBits - 1) }
    if magnitude.hasPrefix("nan:0x") { return UInt64(magnitude.dropFirst(6), radix: 16).map { sign | infinity | $0 } }
    guard magnitude.hasPrefix("0x") else { return nil }
    if fractionBits == 23 { return Float(text).map { UInt64($0.bitPattern) } }
    return Double(text)?.bitPattern
  }

  // MARK: modules

  /*
    (module
      (type (func (param i32 i64) (result f32)))
      (type (func))
      (type (func (param i32)))
      (import "env" "f" (func (type 0)))
      (import "env" "t" (table 1 funcref))
      (import "env" "m" (memory 1 2 shared))
      (import "env" "g" (global i32))
      (import "env" "e" (tag (type 2)))
      (table 2 10 funcref)
      (table i64 3 externref)
      (memory i64 1 5)
      (tag (type 2))
      (global (mut f64) (f64.const -0.5))
      (global i32 (global.get 0) (i32.const 1) (i32.add))
      (export "f\"\\é" (func 0))
      (export "t" (table 1))
      (export "m" (memory 0))
      (export "g" (global 1))
      (export "e" (tag 1))
      (start 1)
      (elem (i32.const 1) func 0 1)
      (elem (table 1) (i32.const 0) func 1)
      (elem (table 2) (i64.const 0) externref (ref.null extern))
      (elem func 1)
      (elem declare func 0)
      (elem funcref (ref.func 0) (ref.null func))
      (func (type 1) (local i32 i32 v128))
      (data (i32.const 8) "a\00\n\7f\ff")
      (data (memory 1) (i64.const 0) "x")
      (data "passive")
    )
  */
  static let declarations: [UInt8] = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0e, 0x03, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7d, 0x60, 0x00, 0x00,
    0x60, 0x01, 0x7f, 0x00, 0x02, 0x2f, 0x05, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00, 0x03, 0x65, 0x6e, 0x76, 0x01,
    0x74, 0x01, 0x70, 0x00, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x6d, 0x02, 0x03, 0x01, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x01,
    0x67, 0x03, 0x7f, 0x00, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x65, 0x04, 0x00, 0x02, 0x03, 0x02, 0x01, 0x01, 0x04, 0x08, 0x02,
    0x70, 0x01, 0x02, 0x0a, 0x6f, 0x04, 0x03, 0x05, 0x04, 0x01, 0x05, 0x01, 0x05, 0x0d, 0x03, 0x01, 0x00, 0x02, 0x06, 0x15,
    0x02, 0x7c, 0x01, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0xbf, 0x0b, 0x7f, 0x00, 0x23, 0x00, 0x41, 0x01, 0x6a,
    0x0b, 0x07, 0x19, 0x05, 0x05, 0x66, 0x22, 0x5c, 0xc3, 0xa9, 0x00, 0x00, 0x01, 0x74, 0x01, 0x01, 0x01, 0x6d, 0x02, 0x00,
    0x01, 0x67, 0x03, 0x01, 0x01, 0x65, 0x04, 0x01, 0x08, 0x01, 0x01, 0x09, 0x2b, 0x06, 0x00, 0x41, 0x01, 0x0b, 0x02, 0x00,
    0x01, 0x02, 0x01, 0x41, 0x00, 0x0b, 0x00, 0x01, 0x01, 0x06, 0x02, 0x42, 0x00, 0x0b, 0x6f, 0x01, 0xd0, 0x6f, 0x0b, 0x01,
    0x00, 0x01, 0x01, 0x03, 0x00, 0x01, 0x00, 0x05, 0x70, 0x02, 0xd2, 0x00, 0x0b, 0xd0, 0x70, 0x0b, 0x0a, 0x08, 0x01, 0x06,
    0x02, 0x02, 0x7f, 0x01, 0x7b, 0x0b, 0x0b, 0x1b, 0x03, 0x00, 0x41, 0x08, 0x0b, 0x05, 0x61, 0x00, 0x0a, 0x7f, 0xff, 0x02,
    0x01, 0x42, 0x00, 0x0b, 0x01, 0x78, 0x01, 0x07, 0x70, 0x61, 0x73, 0x73, 0x69, 0x76, 0x65,
  ]

  /*
    (module
      (type (func (param i32) (result i32)))
      (type (func))
      (type (func (param i32)))
      (table 1 funcref)
      (memory 1 1 shared)
      (memory 1)
      (tag (type 2))
      (data "d")
      (elem funcref (ref.func 0))
      (func (type 0) (local i64 v128)
        block (result i32)
          loop
            local.get 0
            if
              br 1
            else
              i32.const -1
              br_table 0 1 1
            end
          end
          i32.const 0
          i32.load offset=4 align=1
          i32.const 0
          i64.load32_u 1 offset=8
          i64.store
          i32.const 0
          i32.const 0
          i32.const 0
          call_indirect (type 0)
          return_call_indirect (type 0)
        end
      )
      (func (type 1) (local f32 f64)
        i64.const -9223372036854775808
        drop
        f32.const -inf
        local.set 0
        f64.const nan:0x4
        local.set 1
        f64.const -nan
        drop
        i32.const 0
        i32.const 0
        i32.const 1
        memory.init 1 0
        data.drop 0
        i32.const 0
        i32.const 0
        i32.const 1
        memory.copy 1 0
        i32.const 0
        i32.const 0
        i32.const 0
        table.init 0 0
        elem.drop 0
        memory.size 1
        memory.grow
        drop
        v128.const i32x4 1 2 3 4
        i32x4.extract_lane 3
        drop
        i32.const 0
        i32.const 0
        v128.load64_splat offset=16 align=4
        f64x2.sqrt
        v128.store 1
        i32.const 0
        i32.const 1
        i32.atomic.rmw8.add_u offset=1
        drop
        atomic.fence
        block (result i32)
          try_table (catch 0 0) (catch_all 1)
            i32.const 5
            throw 0
          end
          unreachable
        end
        drop
        try
          nop
        catch 0
          drop
          ref.null extern
          drop
        catch_all
          rethrow 0
        end
        try
          return_call 1
        delegate 0
      )
    )
  */
  static let instructions: [UInt8] = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0d, 0x03, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60,
    0x01, 0x7f, 0x00, 0x03, 0x03, 0x02, 0x00, 0x01, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01, 0x05, 0x06, 0x02, 0x03, 0x01, 0x01,
    0x00, 0x01, 0x0d, 0x03, 0x01, 0x00, 0x02, 0x09, 0x07, 0x01, 0x05, 0x70, 0x01, 0xd2, 0x00, 0x0b, 0x0c, 0x01, 0x01, 0x0a,
    0xe7, 0x01, 0x02, 0x35, 0x02, 0x01, 0x7e, 0x01, 0x7b, 0x02, 0x7f, 0x03, 0x40, 0x20, 0x00, 0x04, 0x40, 0x0c, 0x01, 0x05,
    0x41, 0x7f, 0x0e, 0x02, 0x00, 0x01, 0x01, 0x0b, 0x0b, 0x41, 0x00, 0x28, 0x00, 0x04, 0x41, 0x00, 0x35, 0x42, 0x01, 0x08,
    0x37, 0x03, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x13, 0x00, 0x00, 0x0b, 0x0b, 0xae, 0x01, 0x02,
    0x01, 0x7d, 0x01, 0x7c, 0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f, 0x1a, 0x43, 0x00, 0x00, 0x80,
    0xff, 0x21, 0x00, 0x44, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x7f, 0x21, 0x01, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xf8, 0xff, 0x1a, 0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0xfc, 0x08, 0x00, 0x01, 0xfc, 0x09, 0x00, 0x41, 0x00, 0x41,
    0x00, 0x41, 0x01, 0xfc, 0x0a, 0x01, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0c, 0x00, 0x00, 0xfc, 0x0d, 0x00,
    0x3f, 0x01, 0x40, 0x00, 0x1a, 0xfd, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0x00, 0x00, 0x00, 0xfd, 0x1b, 0x03, 0x1a, 0x41, 0x00, 0x41, 0x00, 0xfd, 0x0a, 0x02, 0x10, 0xfd, 0xef, 0x01, 0xfd, 0x0b,
    0x44, 0x01, 0x00, 0x41, 0x00, 0x41, 0x01, 0xfe, 0x20, 0x00, 0x01, 0x1a, 0xfe, 0x03, 0x00, 0x02, 0x7f, 0x1f, 0x40, 0x02,
    0x00, 0x00, 0x00, 0x02, 0x01, 0x41, 0x05, 0x08, 0x00, 0x0b, 0x00, 0x0b, 0x1a, 0x06, 0x40, 0x01, 0x07, 0x00, 0x1a, 0xd0,
    0x6f, 0x1a, 0x19, 0x09, 0x00, 0x0b, 0x06, 0x40, 0x12, 0x01, 0x18, 0x00, 0x0b, 0x0b, 0x04, 0x01, 0x01, 0x01, 0x64,
  ]
}


/// Functions go by their `name` section names where those are usable identifiers, and read back with them.
final class PrinterNameTests: XCTestCase {
  func testFunctionNamesAreWrittenAndReadBack() throws {
    let source = #"""
      (module
        (import "env" "log" (func $log (param i32)))
        (func $main (export "main") (call $helper) (return_call $helper))
        (func $helper (drop (ref.func $main)))
        (start $helper)
        (elem declare func $main $helper))
      """#
    let text = try TextPrinter.text(of: try Module(bytes: try WAT.parse(source)))
    XCTAssertEqual(text, """
      (module
        (type (;0;) (func (param i32)))
        (type (;1;) (func))
        (import "env" "log" (func $log (;0;) (type 0) (param i32)))
        (export "main" (func $main))
        (start $helper)
        (elem (;0;) declare func $main $helper)
        (func $main (;1;) (type 1)
          call $helper
          return_call $helper
        )
        (func $helper (;2;) (type 1)
          ref.func $main
          drop
        )
      )

      """)
    XCTAssertEqual(try WAT.parse(text), try WAT.parse(source), "the same bytes, names included")
  }

  /// A name that two functions share, or that is no identifier, is left out: those functions keep their indices.
  func testUnusableNamesAreLeftOut() throws {
    var bytes = try WAT.parse("(module (func $a) (func $b) (func $c (call 0) (call 1) (call 2)))")
    // Rename function 1 to "a" (shared with function 0) and function 2 to "c d" (not an identifier).
    let names = Array("name".utf8)
    let start = bytes.indices.first { bytes[$0...].starts(with: [4] + names) }!
    bytes = Array(bytes[..<(start - 2)])
    var map: [UInt8] = [3, 0, 1, UInt8(ascii: "a"), 1, 1, UInt8(ascii: "a"), 2, 3] + Array("c d".utf8)
    map = [1, UInt8(map.count)] + map
    bytes += [0, UInt8(5 + map.count), 4] + names + map
    let text = try TextPrinter.text(of: try Module(bytes: bytes))
    XCTAssertTrue(text.contains("call 0\n    call 1\n    call 2"), text)
    XCTAssertFalse(text.contains("$"), text)
  }

  /// The name section is not validated: a name for a function that does not exist is not used (the text would
  /// name a function the parser cannot find).
  func testNamesOfFunctionsThatDoNotExistAreLeftOut() throws {
    var bytes = withoutCustomSections(try WAT.parse("(module (func (call 7)))"))
    let map: [UInt8] = [1, 4, 1, 7, 1, UInt8(ascii: "a")]  // function names: 7 -> "a"
    bytes += [0, UInt8(5 + map.count), 4] + Array("name".utf8) + map
    let text = try TextPrinter.text(of: try Module(bytes: bytes))
    XCTAssertTrue(text.contains("call 7"), text)
  }
}
