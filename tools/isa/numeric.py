"""Wasm numeric instructions and their register forms, immediate forms and fused compare-and-branch forms."""
from .core import op, value_body, READ


# ---------------------------------------------------------------------------------------------------------
# Wasm numeric instructions without immediates: (name, wasm opcode, operand types, result type, expression).
# opcode >= 0xFC00 means prefix 0xFC with that sub-opcode. An expression starting with '?' may trap: it yields
# an optional and `nil` traps with the named trap code: '?trapCode:expr'.

NUMERIC = [
    ("i32_eqz", 0x45, "i32", "i32", "b2i(a == 0)"),
    ("i32_eq", 0x46, "i32 i32", "i32", "b2i(a == b)"),
    ("i32_ne", 0x47, "i32 i32", "i32", "b2i(a != b)"),
    ("i32_lt_s", 0x48, "i32 i32", "i32", "b2i(s32(a) < s32(b))"),
    ("i32_lt_u", 0x49, "i32 i32", "i32", "b2i(a < b)"),
    ("i32_gt_s", 0x4A, "i32 i32", "i32", "b2i(s32(a) > s32(b))"),
    ("i32_gt_u", 0x4B, "i32 i32", "i32", "b2i(a > b)"),
    ("i32_le_s", 0x4C, "i32 i32", "i32", "b2i(s32(a) <= s32(b))"),
    ("i32_le_u", 0x4D, "i32 i32", "i32", "b2i(a <= b)"),
    ("i32_ge_s", 0x4E, "i32 i32", "i32", "b2i(s32(a) >= s32(b))"),
    ("i32_ge_u", 0x4F, "i32 i32", "i32", "b2i(a >= b)"),
    ("i64_eqz", 0x50, "i64", "i32", "b2i(a == 0)"),
    ("i64_eq", 0x51, "i64 i64", "i32", "b2i(a == b)"),
    ("i64_ne", 0x52, "i64 i64", "i32", "b2i(a != b)"),
    ("i64_lt_s", 0x53, "i64 i64", "i32", "b2i(s64(a) < s64(b))"),
    ("i64_lt_u", 0x54, "i64 i64", "i32", "b2i(a < b)"),
    ("i64_gt_s", 0x55, "i64 i64", "i32", "b2i(s64(a) > s64(b))"),
    ("i64_gt_u", 0x56, "i64 i64", "i32", "b2i(a > b)"),
    ("i64_le_s", 0x57, "i64 i64", "i32", "b2i(s64(a) <= s64(b))"),
    ("i64_le_u", 0x58, "i64 i64", "i32", "b2i(a <= b)"),
    ("i64_ge_s", 0x59, "i64 i64", "i32", "b2i(s64(a) >= s64(b))"),
    ("i64_ge_u", 0x5A, "i64 i64", "i32", "b2i(a >= b)"),
    ("f32_eq", 0x5B, "f32 f32", "i32", "b2i(a == b)"),
    ("f32_ne", 0x5C, "f32 f32", "i32", "b2i(a != b)"),
    ("f32_lt", 0x5D, "f32 f32", "i32", "b2i(a < b)"),
    ("f32_gt", 0x5E, "f32 f32", "i32", "b2i(a > b)"),
    ("f32_le", 0x5F, "f32 f32", "i32", "b2i(a <= b)"),
    ("f32_ge", 0x60, "f32 f32", "i32", "b2i(a >= b)"),
    ("f64_eq", 0x61, "f64 f64", "i32", "b2i(a == b)"),
    ("f64_ne", 0x62, "f64 f64", "i32", "b2i(a != b)"),
    ("f64_lt", 0x63, "f64 f64", "i32", "b2i(a < b)"),
    ("f64_gt", 0x64, "f64 f64", "i32", "b2i(a > b)"),
    ("f64_le", 0x65, "f64 f64", "i32", "b2i(a <= b)"),
    ("f64_ge", 0x66, "f64 f64", "i32", "b2i(a >= b)"),
    ("i32_clz", 0x67, "i32", "i32", "UInt32(a.leadingZeroBitCount)"),
    ("i32_ctz", 0x68, "i32", "i32", "UInt32(a.trailingZeroBitCount)"),
    ("i32_popcnt", 0x69, "i32", "i32", "UInt32(a.nonzeroBitCount)"),
    ("i32_add", 0x6A, "i32 i32", "i32", "a &+ b"),
    ("i32_sub", 0x6B, "i32 i32", "i32", "a &- b"),
    ("i32_mul", 0x6C, "i32 i32", "i32", "a &* b"),
    ("i32_div_s", 0x6D, "i32 i32", "i32", "?wasmDivS32(a, b)"),
    ("i32_div_u", 0x6E, "i32 i32", "i32", "?wasmDivU32(a, b)"),
    ("i32_rem_s", 0x6F, "i32 i32", "i32", "?wasmRemS32(a, b)"),
    ("i32_rem_u", 0x70, "i32 i32", "i32", "?wasmRemU32(a, b)"),
    ("i32_and", 0x71, "i32 i32", "i32", "a & b"),
    ("i32_or", 0x72, "i32 i32", "i32", "a | b"),
    ("i32_xor", 0x73, "i32 i32", "i32", "a ^ b"),
    ("i32_shl", 0x74, "i32 i32", "i32", "a << (b & 31)"),
    ("i32_shr_s", 0x75, "i32 i32", "i32", "UInt32(bitPattern: s32(a) >> s32(b & 31))"),
    ("i32_shr_u", 0x76, "i32 i32", "i32", "a >> (b & 31)"),
    ("i32_rotl", 0x77, "i32 i32", "i32", "wasmRotl32(a, b)"),
    ("i32_rotr", 0x78, "i32 i32", "i32", "wasmRotr32(a, b)"),
    ("i64_clz", 0x79, "i64", "i64", "UInt64(a.leadingZeroBitCount)"),
    ("i64_ctz", 0x7A, "i64", "i64", "UInt64(a.trailingZeroBitCount)"),
    ("i64_popcnt", 0x7B, "i64", "i64", "UInt64(a.nonzeroBitCount)"),
    ("i64_add", 0x7C, "i64 i64", "i64", "a &+ b"),
    ("i64_sub", 0x7D, "i64 i64", "i64", "a &- b"),
    ("i64_mul", 0x7E, "i64 i64", "i64", "a &* b"),
    ("i64_div_s", 0x7F, "i64 i64", "i64", "?wasmDivS64(a, b)"),
    ("i64_div_u", 0x80, "i64 i64", "i64", "?wasmDivU64(a, b)"),
    ("i64_rem_s", 0x81, "i64 i64", "i64", "?wasmRemS64(a, b)"),
    ("i64_rem_u", 0x82, "i64 i64", "i64", "?wasmRemU64(a, b)"),
    ("i64_and", 0x83, "i64 i64", "i64", "a & b"),
    ("i64_or", 0x84, "i64 i64", "i64", "a | b"),
    ("i64_xor", 0x85, "i64 i64", "i64", "a ^ b"),
    ("i64_shl", 0x86, "i64 i64", "i64", "a << (b & 63)"),
    ("i64_shr_s", 0x87, "i64 i64", "i64", "UInt64(bitPattern: s64(a) >> s64(b & 63))"),
    ("i64_shr_u", 0x88, "i64 i64", "i64", "a >> (b & 63)"),
    ("i64_rotl", 0x89, "i64 i64", "i64", "wasmRotl64(a, b)"),
    ("i64_rotr", 0x8A, "i64 i64", "i64", "wasmRotr64(a, b)"),
    ("f32_abs", 0x8B, "f32", "f32", "Float(bitPattern: a.bitPattern & 0x7FFF_FFFF)"),
    ("f32_neg", 0x8C, "f32", "f32", "Float(bitPattern: a.bitPattern ^ 0x8000_0000)"),
    ("f32_ceil", 0x8D, "f32", "f32", "a.rounded(.up)"),
    ("f32_floor", 0x8E, "f32", "f32", "a.rounded(.down)"),
    ("f32_trunc", 0x8F, "f32", "f32", "a.rounded(.towardZero)"),
    ("f32_nearest", 0x90, "f32", "f32", "a.rounded(.toNearestOrEven)"),
    ("f32_sqrt", 0x91, "f32", "f32", "a.squareRoot()"),
    ("f32_add", 0x92, "f32 f32", "f32", "a + b"),
    ("f32_sub", 0x93, "f32 f32", "f32", "a - b"),
    ("f32_mul", 0x94, "f32 f32", "f32", "a * b"),
    ("f32_div", 0x95, "f32 f32", "f32", "a / b"),
    ("f32_min", 0x96, "f32 f32", "f32", "wasmMin(a, b)"),
    ("f32_max", 0x97, "f32 f32", "f32", "wasmMax(a, b)"),
    ("f32_copysign", 0x98, "f32 f32", "f32",
     "Float(bitPattern: (a.bitPattern & 0x7FFF_FFFF) | (b.bitPattern & 0x8000_0000))"),
    ("f64_abs", 0x99, "f64", "f64", "Double(bitPattern: a.bitPattern & 0x7FFF_FFFF_FFFF_FFFF)"),
    ("f64_neg", 0x9A, "f64", "f64", "Double(bitPattern: a.bitPattern ^ 0x8000_0000_0000_0000)"),
    ("f64_ceil", 0x9B, "f64", "f64", "a.rounded(.up)"),
    ("f64_floor", 0x9C, "f64", "f64", "a.rounded(.down)"),
    ("f64_trunc", 0x9D, "f64", "f64", "a.rounded(.towardZero)"),
    ("f64_nearest", 0x9E, "f64", "f64", "a.rounded(.toNearestOrEven)"),
    ("f64_sqrt", 0x9F, "f64", "f64", "a.squareRoot()"),
    ("f64_add", 0xA0, "f64 f64", "f64", "a + b"),
    ("f64_sub", 0xA1, "f64 f64", "f64", "a - b"),
    ("f64_mul", 0xA2, "f64 f64", "f64", "a * b"),
    ("f64_div", 0xA3, "f64 f64", "f64", "a / b"),
    ("f64_min", 0xA4, "f64 f64", "f64", "wasmMin(a, b)"),
    ("f64_max", 0xA5, "f64 f64", "f64", "wasmMax(a, b)"),
    ("f64_copysign", 0xA6, "f64 f64", "f64",
     "Double(bitPattern: (a.bitPattern & 0x7FFF_FFFF_FFFF_FFFF) | (b.bitPattern & 0x8000_0000_0000_0000))"),
    ("i32_wrap_i64", 0xA7, "i64", "i32", "UInt32(truncatingIfNeeded: a)"),
    ("i32_trunc_f32_s", 0xA8, "f32", "i32", "?wasmTruncToS32(Double(a))"),
    ("i32_trunc_f32_u", 0xA9, "f32", "i32", "?wasmTruncToU32(Double(a))"),
    ("i32_trunc_f64_s", 0xAA, "f64", "i32", "?wasmTruncToS32(a)"),
    ("i32_trunc_f64_u", 0xAB, "f64", "i32", "?wasmTruncToU32(a)"),
    ("i64_extend_i32_s", 0xAC, "i32", "i64", "UInt64(bitPattern: Int64(s32(a)))"),
    ("i64_extend_i32_u", 0xAD, "i32", "i64", "UInt64(a)"),
    ("i64_trunc_f32_s", 0xAE, "f32", "i64", "?wasmTruncToS64(Double(a))"),
    ("i64_trunc_f32_u", 0xAF, "f32", "i64", "?wasmTruncToU64(Double(a))"),
    ("i64_trunc_f64_s", 0xB0, "f64", "i64", "?wasmTruncToS64(a)"),
    ("i64_trunc_f64_u", 0xB1, "f64", "i64", "?wasmTruncToU64(a)"),
    ("f32_convert_i32_s", 0xB2, "i32", "f32", "Float(s32(a))"),
    ("f32_convert_i32_u", 0xB3, "i32", "f32", "Float(a)"),
    ("f32_convert_i64_s", 0xB4, "i64", "f32", "Float(s64(a))"),
    ("f32_convert_i64_u", 0xB5, "i64", "f32", "Float(a)"),
    ("f32_demote_f64", 0xB6, "f64", "f32", "Float(a)"),
    ("f64_convert_i32_s", 0xB7, "i32", "f64", "Double(s32(a))"),
    ("f64_convert_i32_u", 0xB8, "i32", "f64", "Double(a)"),
    ("f64_convert_i64_s", 0xB9, "i64", "f64", "Double(s64(a))"),
    ("f64_convert_i64_u", 0xBA, "i64", "f64", "Double(a)"),
    ("f64_promote_f32", 0xBB, "f32", "f64", "Double(a)"),
    ("i32_reinterpret_f32", 0xBC, "f32", "i32", "a.bitPattern"),
    ("i64_reinterpret_f64", 0xBD, "f64", "i64", "a.bitPattern"),
    ("f32_reinterpret_i32", 0xBE, "i32", "f32", "Float(bitPattern: a)"),
    ("f64_reinterpret_i64", 0xBF, "i64", "f64", "Double(bitPattern: a)"),
    ("i32_extend8_s", 0xC0, "i32", "i32", "UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: a)))"),
    ("i32_extend16_s", 0xC1, "i32", "i32", "UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: a)))"),
    ("i64_extend8_s", 0xC2, "i64", "i64", "UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: a)))"),
    ("i64_extend16_s", 0xC3, "i64", "i64", "UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: a)))"),
    ("i64_extend32_s", 0xC4, "i64", "i64", "UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: a)))"),
    ("i32_trunc_sat_f32_s", 0xFC00, "f32", "i32", "wasmTruncSatS32(Double(a))"),
    ("i32_trunc_sat_f32_u", 0xFC01, "f32", "i32", "wasmTruncSatU32(Double(a))"),
    ("i32_trunc_sat_f64_s", 0xFC02, "f64", "i32", "wasmTruncSatS32(a)"),
    ("i32_trunc_sat_f64_u", 0xFC03, "f64", "i32", "wasmTruncSatU32(a)"),
    ("i64_trunc_sat_f32_s", 0xFC04, "f32", "i64", "wasmTruncSatS64(Double(a))"),
    ("i64_trunc_sat_f32_u", 0xFC05, "f32", "i64", "wasmTruncSatU64(Double(a))"),
    ("i64_trunc_sat_f64_s", 0xFC06, "f64", "i64", "wasmTruncSatS64(a)"),
    ("i64_trunc_sat_f64_u", 0xFC07, "f64", "i64", "wasmTruncSatU64(a)"),
]

# Numeric instructions: register forms for all; immediate-right forms for i32/i64 binary operators.
for name, _, params, result, expr in NUMERIC:
    ps = params.split()
    if len(ps) == 1:
        op(name, "rd:r ra:r", f"let a = {READ[ps[0]].format('ra')}\n" + value_body(expr, result))
    else:
        op(name, "rd:r ra:r rb:r",
           f"let a = {READ[ps[0]].format('ra')}\nlet b = {READ[ps[1]].format('rb')}\n" + value_body(expr, result))
        if ps[0] in ("i32", "i64") and ps[0] == ps[1]:
            conv = "UInt32(bitPattern: imm)" if ps[0] == "i32" else "UInt64(bitPattern: Int64(imm))"
            op(name + "_ri", "rd:r ra:r imm:i32",
               f"let a = {READ[ps[0]].format('ra')}\nlet b = {conv}\n" + value_body(expr, result))

# Fused compare-and-branch. Integer predicates invert into each other; float ones get a negated form because
# of NaN (not (a < b) differs from a >= b).
INT_CMP = {"eq": "ne", "ne": "eq", "lt_s": "ge_s", "ge_s": "lt_s", "gt_s": "le_s", "le_s": "gt_s",
           "lt_u": "ge_u", "ge_u": "lt_u", "gt_u": "le_u", "le_u": "gt_u"}
FLOAT_CMP = ["eq", "ne", "lt", "gt", "le", "ge"]
CMP_EXPR = {n: e for n, _, _, _, e in NUMERIC}


def cond_of(name):
    return CMP_EXPR[name][len("b2i("):-1]


def branch_on(cond):
    return f"if _fastPath({cond}) {{ JUMP(off) }} else {{ NEXT }}"


for t in ("i32", "i64"):
    conv = "UInt32(bitPattern: imm)" if t == "i32" else "UInt64(bitPattern: Int64(imm))"
    op(f"br_{t}_eqz", "ra:r off:off", branch_on(f"{READ[t].format('ra')} == 0"))
    op(f"br_{t}_nez", "ra:r off:off", branch_on(f"{READ[t].format('ra')} != 0"))
    for p in INT_CMP:
        c = cond_of(f"{t}_{p}")
        op(f"br_{t}_{p}", "ra:r rb:r off:off",
           f"let a = {READ[t].format('ra')}\nlet b = {READ[t].format('rb')}\n" + branch_on(c))
        op(f"br_{t}_{p}_ri", "ra:r imm:i32 off:off",
           f"let a = {READ[t].format('ra')}\nlet b = {conv}\n" + branch_on(c))
for t in ("f32", "f64"):
    for p in FLOAT_CMP:
        c = cond_of(f"{t}_{p}")
        pre = f"let a = {READ[t].format('ra')}\nlet b = {READ[t].format('rb')}\n"
        op(f"br_{t}_{p}", "ra:r rb:r off:off", pre + branch_on(c))
        op(f"br_not_{t}_{p}", "ra:r rb:r off:off", pre + branch_on(f"!({c})"))

# Memory access with a static offset. The address is an i32 register. There is no bounds check: the memory's
# reservation covers every address this can form, and an access past the memory's end faults in its inaccessible
