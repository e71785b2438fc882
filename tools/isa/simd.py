"""SIMD: every v128 instruction of Wasm 2.0 and the relaxed-SIMD instructions of Wasm 3.0, one bytecode instruction
each (no second-level dispatch, no immediate or accumulator variants).

A v128 value takes two consecutive frame slots, low half first; a `v` field names the first of them. Handler bodies
load and store it as one 16-byte value: `fp.v(va, I32x4.self)` reads it as lanes, `fp.setV(vd, x)` writes lanes
of any shape (SwasmRuntime/SIMD/SIMDLanes.swift). Operations that compile to a vector instruction or two from
Swift's SIMD types are written here in Swift; the others call `swasm_<name>` in C (Sources/CSwasmSIMD), written
with clang's portable vector builtins. The relaxed instructions give one deterministic answer the specification
allows (see RELAXED below). They are registered after the accumulator forms (tools/isa/__init__.py): none reads
or writes an accumulator.

`SIMD` lists the Wasm instructions for the decoder, validator and translator (SimdOp.generated.swift):
(Wasm name, sub-opcode after the 0xFD prefix, immediate kind, operand types, result type or None). Immediate kinds:
  ""        none               lane:N    a lane index below N
  mem:W     a memarg of an access of W bytes (alignment at most W)
  memlane:W:N  a memarg, then a lane index below N
  const     16 bytes (v128.const: a constant, no instruction)
  shuffle   16 lane indices below 32 (i8x16.shuffle)
"""
from .core import op
from .memory import ADDRESS
from .superinstructions import ADDRESS_ADD

SIMD = []


def simd(wasm_name, code, immediate, params, result, fields=None, body=None):
    """A Wasm SIMD instruction and, unless it is v128.const, its bytecode instruction `wasm_name` with dots as `_`."""
    SIMD.append((wasm_name, code, immediate, params, result))
    if body is not None:
        op(wasm_name.replace(".", "_"), fields, body)


# Lane shapes: the Swift type a v128 is viewed as (typealiases in SIMDLanes.swift), by the instruction's prefix.
SIGNED = {"i8x16": "I8x16", "i16x8": "I16x8", "i32x4": "I32x4", "i64x2": "I64x2", "f32x4": "F32x4", "f64x2": "F64x2"}
UNSIGNED = {"i8x16": "U8x16", "i16x8": "U16x8", "i32x4": "U32x4", "i64x2": "U64x2"}
LANES = {"i8x16": 16, "i16x8": 8, "i32x4": 4, "i64x2": 2, "f32x4": 4, "f64x2": 2}


def binary(name, code, shape, expr):
    """(v128, v128) -> v128 in Swift: `a` and `b` are the operands viewed as `shape`."""
    simd(name, code, "", "v128 v128", "v128", "vd:v va:v vb:v",
         f"let a = fp.v(va, {shape}.self)\nlet b = fp.v(vb, {shape}.self)\nfp.setV(vd, {expr})\nNEXT")


def unary(name, code, shape, expr):
    simd(name, code, "", "v128", "v128", "vd:v va:v", f"let a = fp.v(va, {shape}.self)\nfp.setV(vd, {expr})\nNEXT")


def c_binary(name, code, function=None):
    """(v128, v128) -> v128 in C: swasm_<name>(d, a, b)."""
    function = function or "swasm_" + name.replace(".", "_")
    simd(name, code, "", "v128 v128", "v128", "vd:v va:v vb:v", f"{function}(fp + vd, fp + va, fp + vb)\nNEXT")


def c_unary(name, code, function=None):
    function = function or "swasm_" + name.replace(".", "_")
    simd(name, code, "", "v128", "v128", "vd:v va:v", f"{function}(fp + vd, fp + va)\nNEXT")


def c_test(name, code):
    """v128 -> i32 in C: swasm_<name>(a)."""
    simd(name, code, "", "v128", "i32", "rd:r va:v", f"fp.setI32(rd, swasm_{name.replace('.', '_')}(fp + va))\nNEXT")


# --- Memory: v128 loads and stores with a static offset, like the scalar ones (no bounds compare: see memory.py).
MUT_ADDRESS = ADDRESS.replace("UnsafeRawPointer", "UnsafeMutableRawPointer")
simd("v128.load", 0x00, "mem:16", "i32", "v128", "vd:v raddr:r offset:u32",
     ADDRESS + "fp.setV(vd, p.loadUnaligned(as: U8x16.self))\nNEXT")
for code, (name, half, wide) in enumerate([("v128.load8x8_s", "SIMD8<Int8>", "I16x8"),
                                           ("v128.load8x8_u", "SIMD8<UInt8>", "U16x8"),
                                           ("v128.load16x4_s", "SIMD4<Int16>", "I32x4"),
                                           ("v128.load16x4_u", "SIMD4<UInt16>", "U32x4"),
                                           ("v128.load32x2_s", "SIMD2<Int32>", "I64x2"),
                                           ("v128.load32x2_u", "SIMD2<UInt32>", "U64x2")], start=0x01):
    simd(name, code, "mem:8", "i32", "v128", "vd:v raddr:r offset:u32",
         ADDRESS + f"fp.setV(vd, {wide}(truncatingIfNeeded: p.loadUnaligned(as: {half}.self)))\nNEXT")
for code, (name, width, ty, shape) in enumerate([("v128.load8_splat", 1, "UInt8", "U8x16"),
                                                 ("v128.load16_splat", 2, "UInt16", "U16x8"),
                                                 ("v128.load32_splat", 4, "UInt32", "U32x4"),
                                                 ("v128.load64_splat", 8, "UInt64", "U64x2")], start=0x07):
    simd(name, code, f"mem:{width}", "i32", "v128", "vd:v raddr:r offset:u32",
         ADDRESS + f"fp.setV(vd, {shape}(repeating: p.loadUnaligned(as: {ty}.self)))\nNEXT")
simd("v128.store", 0x0B, "mem:16", "i32 v128", None, "raddr:r va:v offset:u32",
     MUT_ADDRESS + "p.storeBytes(of: fp.v(va, U8x16.self), as: U8x16.self)\nNEXT")
simd("v128.const", 0x0C, "const", "", "v128")
# The translator turns the 16 lane indices into two byte-selection masks, one per operand (x86's pshufb form: a byte
# with bit 7 set selects zero, any other selects lane `byte & 15`), in the instruction's last four slots.
simd("i8x16.shuffle", 0x0D, "shuffle", "v128 v128", "v128", "vd:v va:v vb:v mask:u64 mask2:u64 mask3:u64 mask4:u64",
     "swasm_i8x16_shuffle(fp + vd, fp + va, fp + vb, pc + 2)\nNEXT")
c_binary("i8x16.swizzle", 0x0E)

# --- Splats, lanes.
for code, (shape, read) in enumerate([("i8x16", "UInt8(truncatingIfNeeded: fp.i32(ra))"),
                                      ("i16x8", "UInt16(truncatingIfNeeded: fp.i32(ra))"),
                                      ("i32x4", "fp.i32(ra)"), ("i64x2", "fp.i64(ra)"),
                                      ("f32x4", "fp.f32(ra)"), ("f64x2", "fp.f64(ra)")], start=0x0F):
    scalar = "i64" if shape == "i64x2" else "f32" if shape == "f32x4" else "f64" if shape == "f64x2" else "i32"
    lanes = UNSIGNED.get(shape, SIGNED[shape])
    simd(f"{shape}.splat", code, "", scalar, "v128", "vd:v ra:r", f"fp.setV(vd, {lanes}(repeating: {read}))\nNEXT")

# Extracting reads the lane straight from the slots; replacing copies the vector, then writes the lane.
EXTRACT = [  # (name, lane count, lane type in memory, result type, conversion of `v`)
    ("i8x16.extract_lane_s", 16, "Int8", "i32", "UInt32(bitPattern: Int32(v))"),
    ("i8x16.extract_lane_u", 16, "UInt8", "i32", "UInt32(v)"),
    ("i8x16.replace_lane", 16, "UInt8", "i32", None),
    ("i16x8.extract_lane_s", 8, "Int16", "i32", "UInt32(bitPattern: Int32(v))"),
    ("i16x8.extract_lane_u", 8, "UInt16", "i32", "UInt32(v)"),
    ("i16x8.replace_lane", 8, "UInt16", "i32", None),
    ("i32x4.extract_lane", 4, "UInt32", "i32", "v"),
    ("i32x4.replace_lane", 4, "UInt32", "i32", None),
    ("i64x2.extract_lane", 2, "UInt64", "i64", "v"),
    ("i64x2.replace_lane", 2, "UInt64", "i64", None),
    ("f32x4.extract_lane", 4, "UInt32", "f32", "v"),
    ("f32x4.replace_lane", 4, "UInt32", "f32", None),
    ("f64x2.extract_lane", 2, "UInt64", "f64", "v"),
    ("f64x2.replace_lane", 2, "UInt64", "f64", None),
]
WRITE_BITS = {"i32": "fp.setI32(rd, {})", "i64": "fp.setI64(rd, {})", "f32": "fp[rd] = UInt64({})", "f64": "fp[rd] = {}"}
for code, (name, lanes, ty, scalar, conv) in enumerate(EXTRACT, start=0x15):
    width = {"Int8": 1, "UInt8": 1, "Int16": 2, "UInt16": 2, "UInt32": 4, "UInt64": 8}[ty]
    # The lane index was validated (below `lanes`); masked here too, so that a forged one stays inside the value.
    at = f"Int(lane & {lanes - 1}) * {width}"
    if conv is not None:
        simd(name, code, f"lane:{lanes}", "v128", scalar, "rd:r va:v lane:u32",
             f"let v = UnsafeRawPointer(fp + va).load(fromByteOffset: {at}, as: {ty}.self)\n"
             + WRITE_BITS[scalar].format(conv) + "\nNEXT")
    else:
        value = f"{ty}(truncatingIfNeeded: fp[rb])"
        simd(name, code, f"lane:{lanes}", f"v128 {scalar}", "v128", "vd:v va:v rb:r lane:u32",
             f"let x = {value}\nfp.setV(vd, fp.v(va, U8x16.self))\n"
             f"UnsafeMutableRawPointer(fp + vd).storeBytes(of: x, toByteOffset: {at}, as: {ty}.self)\nNEXT")

# --- Comparisons: each lane all ones when it holds, else zero (`allOnes` turns a Swift mask into lanes).
COMPARE_OPS = [("eq", ".=="), ("ne", ".!="), ("lt_s", ".<"), ("lt_u", ".<"), ("gt_s", ".>"), ("gt_u", ".>"),
               ("le_s", ".<="), ("le_u", ".<="), ("ge_s", ".>="), ("ge_u", ".>=")]
code = 0x23
for shape in ("i8x16", "i16x8", "i32x4"):
    for name, symbol in COMPARE_OPS:
        lanes = UNSIGNED[shape] if name.endswith("_u") else SIGNED[shape]
        binary(f"{shape}.{name}", code, lanes, f"allOnes(a {symbol} b)")
        code += 1
for shape in ("f32x4", "f64x2"):
    for name, symbol in [("eq", ".=="), ("ne", ".!="), ("lt", ".<"), ("gt", ".>"), ("le", ".<="), ("ge", ".>=")]:
        binary(f"{shape}.{name}", code, SIGNED[shape], f"allOnes(a {symbol} b)")
        code += 1
assert code == 0x4D

# --- Bitwise.
unary("v128.not", 0x4D, "U64x2", "~a")
binary("v128.and", 0x4E, "U64x2", "a & b")
binary("v128.andnot", 0x4F, "U64x2", "a & ~b")
binary("v128.or", 0x50, "U64x2", "a | b")
binary("v128.xor", 0x51, "U64x2", "a ^ b")
BITSELECT = "let a = fp.v(va, U64x2.self)\nlet b = fp.v(vb, U64x2.self)\nlet c = fp.v(vc, U64x2.self)\n" \
            "fp.setV(vd, (a & c) | (b & ~c))\nNEXT"
simd("v128.bitselect", 0x52, "", "v128 v128 v128", "v128", "vd:v va:v vb:v vc:v", BITSELECT)
simd("v128.any_true", 0x53, "", "v128", "i32", "rd:r va:v", "fp.setI32(rd, b2i(fp[va] | fp[va + 1] != 0))\nNEXT")

# --- Lane loads and stores, zero-extending loads.
for code, (name, width, ty) in enumerate([("v128.load8_lane", 1, "UInt8"), ("v128.load16_lane", 2, "UInt16"),
                                          ("v128.load32_lane", 4, "UInt32"), ("v128.load64_lane", 8, "UInt64")],
                                         start=0x54):
    lanes = 16 // width
    simd(name, code, f"memlane:{width}:{lanes}", "i32 v128", "v128", "vd:v raddr:r va:v offset:u32 lane:u32",
         ADDRESS + f"let x = p.loadUnaligned(as: {ty}.self)\nfp.setV(vd, fp.v(va, U8x16.self))\n"
         f"UnsafeMutableRawPointer(fp + vd).storeBytes(of: x, toByteOffset: Int(lane & {lanes - 1}) * {width}, "
         f"as: {ty}.self)\nNEXT")
for code, (name, width, ty) in enumerate([("v128.store8_lane", 1, "UInt8"), ("v128.store16_lane", 2, "UInt16"),
                                          ("v128.store32_lane", 4, "UInt32"), ("v128.store64_lane", 8, "UInt64")],
                                         start=0x58):
    lanes = 16 // width
    simd(name, code, f"memlane:{width}:{lanes}", "i32 v128", None, "raddr:r va:v offset:u32 lane:u32",
         MUT_ADDRESS + f"let x = UnsafeRawPointer(fp + va).load(fromByteOffset: Int(lane & {lanes - 1}) * {width}, "
         f"as: {ty}.self)\np.storeBytes(of: x, as: {ty}.self)\nNEXT")
simd("v128.load32_zero", 0x5C, "mem:4", "i32", "v128", "vd:v raddr:r offset:u32",
     ADDRESS + "fp.setV(vd, U32x4(p.loadUnaligned(as: UInt32.self), 0, 0, 0))\nNEXT")
simd("v128.load64_zero", 0x5D, "mem:8", "i32", "v128", "vd:v raddr:r offset:u32",
     ADDRESS + "fp.setV(vd, U64x2(p.loadUnaligned(as: UInt64.self), 0))\nNEXT")

# --- Integer lane arithmetic, in opcode order.
c_unary("f32x4.demote_f64x2_zero", 0x5E)
c_unary("f64x2.promote_low_f32x4", 0x5F)


def integer_family(shape, base):
    """abs (base), neg (base + 1) and the shifts (base + 11, 12, 13) of an integer shape; the shift count is taken
    modulo the lane width."""
    signed, unsigned = SIGNED[shape], UNSIGNED[shape]
    bits = {"i8x16": 8, "i16x8": 16, "i32x4": 32, "i64x2": 64}[shape]
    c_unary(f"{shape}.abs", base)
    unary(f"{shape}.neg", base + 1, unsigned, "0 &- a")
    for offset, (name, lanes, symbol) in enumerate([("shl", unsigned, "&<<"), ("shr_s", signed, "&>>"),
                                                    ("shr_u", unsigned, "&>>")], start=11):
        simd(f"{shape}.{name}", base + offset, "", "v128 i32", "v128", "vd:v va:v rb:r",
             f"let a = fp.v(va, {lanes}.self)\nlet count = {lanes}.Scalar(truncatingIfNeeded: fp.i32(rb) & {bits - 1})\n"
             f"fp.setV(vd, a {symbol} count)\nNEXT")


integer_family("i8x16", 0x60)
c_unary("i8x16.popcnt", 0x62)
c_test("i8x16.all_true", 0x63)
c_test("i8x16.bitmask", 0x64)
c_binary("i8x16.narrow_i16x8_s", 0x65)
c_binary("i8x16.narrow_i16x8_u", 0x66)
c_unary("f32x4.ceil", 0x67)
c_unary("f32x4.floor", 0x68)
c_unary("f32x4.trunc", 0x69)
c_unary("f32x4.nearest", 0x6A)
# (shifts of i8x16 are 0x6B..0x6D, registered by integer_family)
binary("i8x16.add", 0x6E, "U8x16", "a &+ b")
c_binary("i8x16.add_sat_s", 0x6F)
c_binary("i8x16.add_sat_u", 0x70)
binary("i8x16.sub", 0x71, "U8x16", "a &- b")
c_binary("i8x16.sub_sat_s", 0x72)
c_binary("i8x16.sub_sat_u", 0x73)
c_unary("f64x2.ceil", 0x74)
c_unary("f64x2.floor", 0x75)
c_binary("i8x16.min_s", 0x76)
c_binary("i8x16.min_u", 0x77)
c_binary("i8x16.max_s", 0x78)
c_binary("i8x16.max_u", 0x79)
c_unary("f64x2.trunc", 0x7A)
c_binary("i8x16.avgr_u", 0x7B)


def extadd_pairwise(name, code, narrow, wide):
    unary(name, code, narrow, f"{wide}(truncatingIfNeeded: a.evenHalf) &+ {wide}(truncatingIfNeeded: a.oddHalf)")


extadd_pairwise("i16x8.extadd_pairwise_i8x16_s", 0x7C, "I8x16", "I16x8")
extadd_pairwise("i16x8.extadd_pairwise_i8x16_u", 0x7D, "U8x16", "U16x8")
extadd_pairwise("i32x4.extadd_pairwise_i16x8_s", 0x7E, "I16x8", "I32x4")
extadd_pairwise("i32x4.extadd_pairwise_i16x8_u", 0x7F, "U16x8", "U32x4")

integer_family("i16x8", 0x80)
c_binary("i16x8.q15mulr_sat_s", 0x82)
c_test("i16x8.all_true", 0x83)
c_test("i16x8.bitmask", 0x84)
c_binary("i16x8.narrow_i32x4_s", 0x85)
c_binary("i16x8.narrow_i32x4_u", 0x86)


def extend(shape, code, narrow_signed, narrow_unsigned, wide_signed, wide_unsigned):
    source = shape.split("_")[-1]
    for offset, (half, lanes, wide) in enumerate([("low", narrow_signed, wide_signed), ("high", narrow_signed, wide_signed),
                                                  ("low", narrow_unsigned, wide_unsigned),
                                                  ("high", narrow_unsigned, wide_unsigned)]):
        suffix = "s" if offset < 2 else "u"
        unary(f"{shape.split('_')[0]}.extend_{half}_{source}_{suffix}", code + offset, lanes,
              f"{wide}(truncatingIfNeeded: a.{half}Half)")


extend("i16x8_i8x16", 0x87, "I8x16", "U8x16", "I16x8", "U16x8")
binary("i16x8.add", 0x8E, "U16x8", "a &+ b")
c_binary("i16x8.add_sat_s", 0x8F)
c_binary("i16x8.add_sat_u", 0x90)
binary("i16x8.sub", 0x91, "U16x8", "a &- b")
c_binary("i16x8.sub_sat_s", 0x92)
c_binary("i16x8.sub_sat_u", 0x93)
c_unary("f64x2.nearest", 0x94)
binary("i16x8.mul", 0x95, "U16x8", "a &* b")
c_binary("i16x8.min_s", 0x96)
c_binary("i16x8.min_u", 0x97)
c_binary("i16x8.max_s", 0x98)
c_binary("i16x8.max_u", 0x99)
c_binary("i16x8.avgr_u", 0x9B)


def extmul(name, code, narrow, wide):
    half = "low" if "_low_" in name else "high"
    binary(name, code, narrow,
           f"{wide}(truncatingIfNeeded: a.{half}Half) &* {wide}(truncatingIfNeeded: b.{half}Half)")


extmul("i16x8.extmul_low_i8x16_s", 0x9C, "I8x16", "I16x8")
extmul("i16x8.extmul_high_i8x16_s", 0x9D, "I8x16", "I16x8")
extmul("i16x8.extmul_low_i8x16_u", 0x9E, "U8x16", "U16x8")
extmul("i16x8.extmul_high_i8x16_u", 0x9F, "U8x16", "U16x8")

integer_family("i32x4", 0xA0)
c_test("i32x4.all_true", 0xA3)
c_test("i32x4.bitmask", 0xA4)
extend("i32x4_i16x8", 0xA7, "I16x8", "U16x8", "I32x4", "U32x4")
binary("i32x4.add", 0xAE, "U32x4", "a &+ b")
binary("i32x4.sub", 0xB1, "U32x4", "a &- b")
binary("i32x4.mul", 0xB5, "U32x4", "a &* b")
c_binary("i32x4.min_s", 0xB6)
c_binary("i32x4.min_u", 0xB7)
c_binary("i32x4.max_s", 0xB8)
c_binary("i32x4.max_u", 0xB9)
c_binary("i32x4.dot_i16x8_s", 0xBA)
extmul("i32x4.extmul_low_i16x8_s", 0xBC, "I16x8", "I32x4")
extmul("i32x4.extmul_high_i16x8_s", 0xBD, "I16x8", "I32x4")
extmul("i32x4.extmul_low_i16x8_u", 0xBE, "U16x8", "U32x4")
extmul("i32x4.extmul_high_i16x8_u", 0xBF, "U16x8", "U32x4")

integer_family("i64x2", 0xC0)
c_test("i64x2.all_true", 0xC3)
c_test("i64x2.bitmask", 0xC4)
extend("i64x2_i32x4", 0xC7, "I32x4", "U32x4", "I64x2", "U64x2")
binary("i64x2.add", 0xCE, "U64x2", "a &+ b")
binary("i64x2.sub", 0xD1, "U64x2", "a &- b")
binary("i64x2.mul", 0xD5, "U64x2", "a &* b")
for code, (name, symbol) in enumerate([("eq", ".=="), ("ne", ".!="), ("lt_s", ".<"), ("gt_s", ".>"),
                                       ("le_s", ".<="), ("ge_s", ".>=")], start=0xD6):
    binary(f"i64x2.{name}", code, "I64x2", f"allOnes(a {symbol} b)")
extmul("i64x2.extmul_low_i32x4_s", 0xDC, "I32x4", "I64x2")
extmul("i64x2.extmul_high_i32x4_s", 0xDD, "I32x4", "I64x2")
extmul("i64x2.extmul_low_i32x4_u", 0xDE, "U32x4", "U64x2")
extmul("i64x2.extmul_high_i32x4_u", 0xDF, "U32x4", "U64x2")

# --- Float lane arithmetic. abs and neg are bit operations (they keep a NaN's payload, as the scalar ones do).
for shape, base, sign in (("f32x4", 0xE0, "0x8000_0000"), ("f64x2", 0xEC, "0x8000_0000_0000_0000")):
    bits = UNSIGNED["i32x4" if shape == "f32x4" else "i64x2"]
    unary(f"{shape}.abs", base, bits, f"a & ~{sign}")
    unary(f"{shape}.neg", base + 1, bits, f"a ^ {sign}")
    c_unary(f"{shape}.sqrt", base + 3)
    for offset, (name, symbol) in enumerate([("add", "+"), ("sub", "-"), ("mul", "*"), ("div", "/")], start=4):
        binary(f"{shape}.{name}", base + offset, SIGNED[shape], f"a {symbol} b")
    for offset, name in enumerate(["min", "max", "pmin", "pmax"], start=8):
        c_binary(f"{shape}.{name}", base + offset)

# --- Conversions.
c_unary("i32x4.trunc_sat_f32x4_s", 0xF8)
c_unary("i32x4.trunc_sat_f32x4_u", 0xF9)
unary("f32x4.convert_i32x4_s", 0xFA, "I32x4", "F32x4(a)")
c_unary("f32x4.convert_i32x4_u", 0xFB)
c_unary("i32x4.trunc_sat_f64x2_s_zero", 0xFC)
c_unary("i32x4.trunc_sat_f64x2_u_zero", 0xFD)
c_unary("f64x2.convert_low_i32x4_s", 0xFE)
c_unary("f64x2.convert_low_i32x4_u", 0xFF)

# --- Relaxed SIMD (Wasm 3.0), deterministically: each gives the answer of its non-relaxed counterpart where it
# has one (swizzle, trunc_sat, min/max, q15mulr_sat, bitselect for laneselect), madd/nmadd round twice (a * b
# rounded, then the sum: no fused multiply-add, which not every x86-64 has), and the dot products treat both
# operands as signed, with wrapping sums.
RELAXED = [
    ("i8x16.relaxed_swizzle", "swasm_i8x16_swizzle"),
    ("i32x4.relaxed_trunc_f32x4_s", "swasm_i32x4_trunc_sat_f32x4_s"),
    ("i32x4.relaxed_trunc_f32x4_u", "swasm_i32x4_trunc_sat_f32x4_u"),
    ("i32x4.relaxed_trunc_f64x2_s_zero", "swasm_i32x4_trunc_sat_f64x2_s_zero"),
    ("i32x4.relaxed_trunc_f64x2_u_zero", "swasm_i32x4_trunc_sat_f64x2_u_zero"),
]
c_binary(RELAXED[0][0], 0x100, RELAXED[0][1])
for code, (name, function) in enumerate(RELAXED[1:], start=0x101):
    c_unary(name, code, function)
for code, (name, shape, expr) in enumerate([("f32x4.relaxed_madd", "F32x4", "product + c"),
                                            ("f32x4.relaxed_nmadd", "F32x4", "-product + c"),
                                            ("f64x2.relaxed_madd", "F64x2", "product + c"),
                                            ("f64x2.relaxed_nmadd", "F64x2", "-product + c")], start=0x105):
    simd(name, code, "", "v128 v128 v128", "v128", "vd:v va:v vb:v vc:v",
         f"let a = fp.v(va, {shape}.self)\nlet b = fp.v(vb, {shape}.self)\nlet c = fp.v(vc, {shape}.self)\n"
         f"let product = a * b\nfp.setV(vd, {expr})\nNEXT")
for code, shape in enumerate(["i8x16", "i16x8", "i32x4", "i64x2"], start=0x109):
    simd(f"{shape}.relaxed_laneselect", code, "", "v128 v128 v128", "v128", "vd:v va:v vb:v vc:v", BITSELECT)
for code, (name, function) in enumerate([("f32x4.relaxed_min", "swasm_f32x4_min"), ("f32x4.relaxed_max", "swasm_f32x4_max"),
                                         ("f64x2.relaxed_min", "swasm_f64x2_min"), ("f64x2.relaxed_max", "swasm_f64x2_max"),
                                         ("i16x8.relaxed_q15mulr_s", "swasm_i16x8_q15mulr_sat_s"),
                                         ("i16x8.relaxed_dot_i8x16_i7x16_s", None)], start=0x10D):
    c_binary(name, code, function)
simd("i32x4.relaxed_dot_i8x16_i7x16_add_s", 0x113, "", "v128 v128 v128", "v128", "vd:v va:v vb:v vc:v",
     "swasm_i32x4_relaxed_dot_i8x16_i7x16_add_s(fp + vd, fp + va, fp + vb, fp + vc)\nNEXT")

# --- v128 forms of generic instructions (a v128 global's storage is its two slots' worth of bytes; moves of v128
# values between frame slots are two `copy`s, merged into one `copy2`).
op("v128_global_get", "vd:v idx:u32",
   "fp.setV(vd, UnsafeRawPointer(st.pointee.instance.pointee.globals[Int(idx)]).loadUnaligned(as: U8x16.self))\nNEXT")
op("v128_global_set", "va:v idx:u32",
   "UnsafeMutableRawPointer(st.pointee.instance.pointee.globals[Int(idx)]).storeBytes(of: fp.v(va, U8x16.self), "
   "as: U8x16.self)\nNEXT")
op("v128_select", "vd:v rc:r va:v vb:v",
   "let a = fp.v(va, U64x2.self)\nlet b = fp.v(vb, U64x2.self)\nfp.setV(vd, fp.i32(rc) != 0 ? a : b)\nNEXT")

# --- Superinstructions (from pair counts on the SIMD workloads, Benchmarks/results/): a v128 load or store whose
# address is `i32.add(raddr, imm)`, as the scalar `_add` forms (the add wraps at 32 bits, then the offset is added
# without wrapping); and a v128 constant written to a slot pair in one instruction instead of two const64.
op("v128_load_add", "vd:v raddr:r imm:i32 offset:u32", ADDRESS_ADD + "fp.setV(vd, p.loadUnaligned(as: U8x16.self))\nNEXT")
op("v128_store_add", "raddr:r va:v imm:i32 offset:u32",
   ADDRESS_ADD.replace("UnsafeRawPointer", "UnsafeMutableRawPointer")
   + "p.storeBytes(of: fp.v(va, U8x16.self), as: U8x16.self)\nNEXT")
op("v128_const", "vd:v low:u64 high:u64", "fp[vd] = low\nfp[vd + 1] = high\nNEXT")
