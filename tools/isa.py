"""The swasm instruction set, defined once.

`tools/generate.py` turns these tables into:
  Sources/WasmBinary/NumericOp.generated.swift      the Wasm numeric opcodes with their signatures
  Sources/SwasmBytecode/Opcode.generated.swift      bytecode opcodes, operand layouts, names
  Sources/SwasmRuntime/Handlers.generated.swift     handler bodies, the switch loop, the threaded table
  Sources/CSwasmDispatch/include/shims.generated.h  C tail-call shims (one per opcode)

Adding an instruction means adding one entry here (and its translation rule in SwasmTranslator).

Swift types of operands: i32 -> UInt32, i64 -> UInt64, f32 -> Float, f64 -> Double.
Helpers used in expressions (s32, s64, b2i, wasm* functions) live in SwasmRuntime/NumericSemantics.swift.
"""
import re


# ---------------------------------------------------------------------------------------------------------
# Wasm numeric instructions without immediates: (name, wasm opcode, operand types, result type, expression).
# opcode >= 0xFC00 means prefix 0xFC with that sub-opcode. An expression starting with '?' may trap: it yields
# an optional and `nil` traps with the named trap code: '?trapCode:expr'.

def cmp(t, names_ops):
    return [(f"{t}_{n}", None, f"{t} {t}", "i32", f"b2i({e})") for n, e in names_ops]

I32 = "i32"
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

# Trap code for the '?' expressions, by name prefix.
def trap_code_for(expr):
    if "Div" in expr or "Rem" in expr:
        return "divisionTrap(a, b)"  # decides between divide-by-zero and overflow
    return "conversionTrap(Double(a))"  # decides between NaN and overflow


# ---------------------------------------------------------------------------------------------------------
# Bytecode instructions.
#
# Encoding: an instruction is one header slot (the opcode id on disk; the handler's address once loaded for
# threaded dispatch) followed by operand slots. Operand fields are packed into 64-bit slots in order, low bits
# first; a field never straddles two slots. Field kinds:
#   r   16-bit frame-slot index (a register)      u32 / i32  32-bit immediate (unsigned / signed)
#   off 32-bit signed branch offset, in slots, relative to the instruction's header slot
#   u64 64-bit immediate (a whole slot)
# Register fields named `rd` or `rd2` are the ones an instruction writes (the cache's bytecode verifier relies on
# this); every other register field is only read. Calls, zero_slots and init_consts write ranges of slots.
# The body is Swift. In it, each field is a local of its name (r -> Int, u32 -> UInt32, i32 -> Int32, off -> Int,
# u64 -> UInt64); `fp` is the frame, `pc` the instruction, `st` the interpreter state. Bodies end with one of:
#   NEXT              continue with the following instruction
#   JUMP(x)           continue at pc + x (x in slots)
#   TRAP(code)        stop with a TrapCode
#   DISPATCH(p)       continue at instruction pointer p (calls and returns set fp themselves through `fpp`)

SWIFT_TYPE = {"i32": "UInt32", "i64": "UInt64", "f32": "Float", "f64": "Double"}
READ = {"i32": "fp.i32({})", "i64": "fp.i64({})", "f32": "fp.f32({})", "f64": "fp.f64({})"}
WRITE = {"i32": "fp.setI32({}, {})", "i64": "fp.setI64({}, {})", "f32": "fp.setF32({}, {})",
         "f64": "fp.setF64({}, {})"}

BYTECODE = []  # (name, [(field, kind)], body)


def op(name, fields, body):
    BYTECODE.append((name, [tuple(f.split(":")) for f in fields.split()], body))


def value_body(expr, result):
    """Body that computes `expr` (which may start with '?') and writes it to rd."""
    if expr.startswith("?"):
        e = expr[1:]
        trap = "divisionTrap(a, b)" if ("Div" in e or "Rem" in e) else "conversionTrap(Double(a))"
        return f"guard let r = {e} else {{ TRAP({trap}) }}\n{WRITE[result].format('rd', 'r')}\nNEXT"
    return f"{WRITE[result].format('rd', expr)}\nNEXT"


# Always-present control instructions first: halt must be opcode 0 so that zeroed memory halts.
op("halt", "", "HALT")
op("unreachable", "", "TRAP(.unreachable)")
op("nop", "", "NEXT")
op("br", "off:off", "JUMP(off)")
# An unconditional branch right after an i32 add of a constant (`i++` at the end of a loop body or a switch case
# that jumps back to the loop's test): both in one instruction, which never falls through.
op("i32_add_ri_br", "rd:r ra:r imm:i32 off:off", "fp.setI32(rd, fp.i32(ra) &+ UInt32(bitPattern: imm))\nJUMP(off)")
op("br_table", "ra:r count:u32",  # followed by count+1 slots of offsets (the last is the default)
   "let i = min(fp.i32(ra), count)\nlet target = Int(Int64(bitPattern: pc[2 + Int(i)]))\nJUMP(target)")
op("ret", "", "RETURN")
# Calls within the module: the callee is Wasm code of the same instance, so there is no host or instance check.
op("call", "base:r fn:u32", "CALL_INTERNAL(st.pointee.instance.pointee.functions[Int(fn)], base, 2)")
# Calls to imported functions: host functions or another instance's code.
op("call_import", "base:r fn:u32", "CALL(st.pointee.instance.pointee.functions[Int(fn)], base, 2)")
CALL_INDIRECT = ("let t = st.pointee.instance.pointee.tables[Int(table)]\n"
                 "let i = fp.i32(ra)\n"
                 "guard Int(i) < t.pointee.count else { TRAP(.undefinedElement) }\n"
                 "let ref = t.pointee.elements[Int(i)]\n"
                 "guard ref != 0 else { TRAP(.uninitializedElement) }\n"
                 "let callee = UnsafeMutablePointer<FunctionEntry>(bitPattern: UInt(ref))!\n"
                 "guard callee.pointee.typeID == st.pointee.instance.pointee.typeIDs[Int(type)] else "
                 "{ TRAP(.indirectCallTypeMismatch) }\n"
                 "CALL(callee, base, 3)")
op("call_indirect", "base:r ra:r type:u32 table:u32", CALL_INDIRECT)
# Fuel metering (only emitted when the engine meters fuel): at function entry and loop headers, charge `cost`
# (the Wasm instructions the block runs straight through) and stop when fuel runs out or another thread interrupts.
op("fuel", "cost:u32",
   "st.pointee.fuel &-= Int64(cost)\n"
   "if _slowPath(st.pointee.fuel < 0 || st.pointee.interrupt.load(ordering: .relaxed)) { TRAP(fuelTrap(st)) }\n"
   "NEXT")
# Function prologue: zero the declared locals; copy the constants (the `count` slots that follow) into the frame.
op("zero_slots", "rd:r count:u32", "zeroSlots(fp + rd, Int(count))\nNEXT_AFTER(0)")
op("init_consts", "rd:r count:u32", "copySlots(fp + rd, pc + 2, Int(count))\nNEXT_AFTER(Int(count))")
op("copy", "rd:r ra:r", "fp[rd] = fp[ra]\nNEXT")
op("copy2", "rd:r ra:r rd2:r ra2:r", "fp[rd] = fp[ra]\nfp[rd2] = fp[ra2]\nNEXT")
op("const32", "rd:r imm:u32", "fp[rd] = UInt64(imm)\nNEXT")
op("const64", "rd:r imm:u64", "fp[rd] = imm\nNEXT")
op("select", "rd:r rc:r ra:r rb:r", "fp[rd] = fp.i32(rc) != 0 ? fp[ra] : fp[rb]\nNEXT")
op("global_get", "rd:r idx:u32", "fp[rd] = st.pointee.instance.pointee.globals[Int(idx)].pointee\nNEXT")
op("global_set", "ra:r idx:u32", "st.pointee.instance.pointee.globals[Int(idx)].pointee = fp[ra]\nNEXT")
op("ref_func", "rd:r fn:u32",
   "fp[rd] = UInt64(UInt(bitPattern: st.pointee.instance.pointee.functions[Int(fn)]))\nNEXT")
op("ref_is_null", "rd:r ra:r", "fp.setI32(rd, b2i(fp[ra] == 0))\nNEXT")

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
# part, which the guarded run turns into a trap (Sources/CSwasmGuard, SwasmRuntime/Engine/GuardedRun.swift).
LOADS = [  # (name, width, Swift load type, result type, conversion of the loaded value)
    ("i32_load", 4, "UInt32", "i32", "v"), ("i64_load", 8, "UInt64", "i64", "v"),
    ("f32_load", 4, "UInt32", "f32", "Float(bitPattern: v)"), ("f64_load", 8, "UInt64", "f64", "Double(bitPattern: v)"),
    ("i32_load8_s", 1, "Int8", "i32", "UInt32(bitPattern: Int32(v))"), ("i32_load8_u", 1, "UInt8", "i32", "UInt32(v)"),
    ("i32_load16_s", 2, "Int16", "i32", "UInt32(bitPattern: Int32(v))"), ("i32_load16_u", 2, "UInt16", "i32", "UInt32(v)"),
    ("i64_load8_s", 1, "Int8", "i64", "UInt64(bitPattern: Int64(v))"), ("i64_load8_u", 1, "UInt8", "i64", "UInt64(v)"),
    ("i64_load16_s", 2, "Int16", "i64", "UInt64(bitPattern: Int64(v))"), ("i64_load16_u", 2, "UInt16", "i64", "UInt64(v)"),
    ("i64_load32_s", 4, "Int32", "i64", "UInt64(bitPattern: Int64(v))"), ("i64_load32_u", 4, "UInt32", "i64", "UInt64(v)"),
]
STORES = [  # (name, width, value type, expression giving the stored integer from `a`)
    ("i32_store", 4, "i32", "a"), ("i64_store", 8, "i64", "a"),
    ("f32_store", 4, "f32", "a.bitPattern"), ("f64_store", 8, "f64", "a.bitPattern"),
    ("i32_store8", 1, "i32", "UInt8(truncatingIfNeeded: a)"), ("i32_store16", 2, "i32", "UInt16(truncatingIfNeeded: a)"),
    ("i64_store8", 1, "i64", "UInt8(truncatingIfNeeded: a)"), ("i64_store16", 2, "i64", "UInt16(truncatingIfNeeded: a)"),
    ("i64_store32", 4, "i64", "UInt32(truncatingIfNeeded: a)"),
]
ADDRESS = ("let ea = UInt64(fp.i32(raddr)) &+ UInt64(offset)\n"
           "let p = UnsafeRawPointer(memp.pointee + Int(ea))\n")
for name, w, ty, result, conv in LOADS:
    op(name, "rd:r raddr:r offset:u32",
       ADDRESS.format(w=w) + f"let v = p.loadUnaligned(as: {ty}.self)\n{WRITE[result].format('rd', conv)}\nNEXT")
for name, w, vt, conv in STORES:
    op(name, "raddr:r rv:r offset:u32",
       ADDRESS.format(w=w).replace("UnsafeRawPointer", "UnsafeMutableRawPointer")
       + f"let a = {READ[vt].format('rv')}\np.storeBytes(of: {conv}, as: type(of: {conv}))\nNEXT")

# Memory and table instructions that are not hot call out to Swift helpers (SwasmRuntime/Engine/BulkOperations.swift);
# each helper returns TrapCode.none or the trap.
def helper(name, fields, call):
    op(name, fields, f"let t = {call}\nif _slowPath(t != .none) {{ TRAP(t) }}\nNEXT")


op("memory_size", "rd:r", "fp.setI32(rd, UInt32(truncatingIfNeeded: st.pointee.memSize / 65536))\nNEXT")
op("memory_grow", "rd:r ra:r", "fp.setI32(rd, memoryGrow(st, fp.i32(ra)))\nNEXT")
helper("memory_fill", "rdst:r rv:r rn:r", "memoryFill(st, fp.i32(rdst), fp.i32(rv), fp.i32(rn))")
helper("memory_copy", "rdst:r rs:r rn:r", "memoryCopy(st, fp.i32(rdst), fp.i32(rs), fp.i32(rn))")
helper("memory_init", "rdst:r rs:r rn:r seg:u32", "memoryInit(st, seg, fp.i32(rdst), fp.i32(rs), fp.i32(rn))")
op("data_drop", "seg:u32", "dataDrop(st, seg)\nNEXT")
op("table_get", "rd:r ri:r table:u32",
   "let t = st.pointee.instance.pointee.tables[Int(table)]\nlet i = Int(fp.i32(ri))\n"
   "guard i < t.pointee.count else { TRAP(.outOfBoundsTableAccess) }\nfp[rd] = t.pointee.elements[i]\nNEXT")
op("table_set", "ri:r rv:r table:u32",
   "let t = st.pointee.instance.pointee.tables[Int(table)]\nlet i = Int(fp.i32(ri))\n"
   "guard i < t.pointee.count else { TRAP(.outOfBoundsTableAccess) }\nt.pointee.elements[i] = fp[rv]\nNEXT")
op("table_size", "rd:r table:u32",
   "fp.setI32(rd, UInt32(truncatingIfNeeded: st.pointee.instance.pointee.tables[Int(table)].pointee.count))\nNEXT")
op("table_grow", "rd:r rv:r rn:r table:u32", "fp.setI32(rd, tableGrow(st, table, fp[rv], fp.i32(rn)))\nNEXT")
helper("table_fill", "ri:r rv:r rn:r table:u32", "tableFill(st, table, fp.i32(ri), fp[rv], fp.i32(rn))")
helper("table_copy", "rdst:r rs:r rn:r dst:u32 src:u32", "tableCopy(st, dst, src, fp.i32(rdst), fp.i32(rs), fp.i32(rn))")
helper("table_init", "rdst:r rs:r rn:r seg:u32 table:u32", "tableInit(st, table, seg, fp.i32(rdst), fp.i32(rs), fp.i32(rn))")
op("elem_drop", "seg:u32", "elemDrop(st, seg)\nNEXT")

# Stands in for the code of a function that a precompiled or cached module has not decoded yet: it decodes and
# verifies the function (the frame was set up by the call), installs the code and continues at its first slot.
op("load_code", "",
   "guard let code = loadLazyCode(st, (st.pointee.frameTop - 1).pointee.function) else { TRAP(.invalidCachedCode) }\n"
   "pcp.pointee = code\nreturn code.pointee")

# Loads and stores whose address is `i32.add(raddr, imm)`: the add and the access fused (clang emits the add when
# it cannot prove that base + constant does not wrap, e.g. for arrays indexed from negative counters). The add
# wraps at 32 bits, as the separate i32.add does; the static offset is then added without wrapping.
ADDRESS_ADD = ADDRESS.replace("UInt64(fp.i32(raddr))", "UInt64(fp.i32(raddr) &+ UInt32(bitPattern: imm))")
for name, w, ty, result, conv in LOADS:
    op(name + "_add", "rd:r raddr:r imm:i32 offset:u32",
       ADDRESS_ADD.format(w=w) + f"let v = p.loadUnaligned(as: {ty}.self)\n{WRITE[result].format('rd', conv)}\nNEXT")
for name, w, vt, conv in STORES:
    op(name + "_add", "raddr:r rv:r imm:i32 offset:u32",
       ADDRESS_ADD.format(w=w).replace("UnsafeRawPointer", "UnsafeMutableRawPointer")
       + f"let a = {READ[vt].format('rv')}\np.storeBytes(of: {conv}, as: type(of: {conv}))\nNEXT")

# Two dependent float operations in one instruction: rd = (ra op1 rb) op2 rc, and rd = rc - (ra op1 rb) (`rsub`):
# the intermediate result stays in a machine register instead of going through a frame slot. The translator fuses
# an add, sub or mul whose result is the next add, sub or mul's operand. Ordered by type, op1, op2 (the translator
# computes opcode ids from that order). Each operation rounds on its own, exactly as the two instructions do.
FLOAT_PAIR_FIRST = [("add", "+"), ("sub", "-"), ("mul", "*")]
FLOAT_PAIR_SECOND = [("add", "x + c"), ("sub", "x - c"), ("rsub", "c - x"), ("mul", "x * c")]
for t in ("f32", "f64"):
    for o1, symbol in FLOAT_PAIR_FIRST:
        for o2, expr in FLOAT_PAIR_SECOND:
            op(f"{t}_{o1}_{o2}", "rd:r ra:r rb:r rc:r",
               f"let x = {READ[t].format('ra')} {symbol} {READ[t].format('rb')}\nlet c = {READ[t].format('rc')}\n"
               + WRITE[t].format("rd", expr) + "\nNEXT")

# Return of one value that is not already in slot 0 (a local, a constant, an older temporary): the move and the
# return in one dispatch.
op("ret_value", "ra:r", "fp[0] = fp[ra]\nRETURN")

# Scaled index: rd = ra + (rb << shift), the address arithmetic of array indexing, fused from i32.shl by a
# constant followed by the i32.add that consumes it.
op("i32_add_shl", "rd:r ra:r rb:r shift:u32", "fp.setI32(rd, fp.i32(ra) &+ (fp.i32(rb) << (shift & 31)))\nNEXT")
# A product by a constant added to a register (x * 31 + c in hashes, n * 10 + digit in parsers): rd = ra * imm + rb.
op("i32_mul_ri_add", "rd:r ra:r imm:i32 rb:r", "fp.setI32(rd, fp.i32(ra) &* UInt32(bitPattern: imm) &+ fp.i32(rb))\nNEXT")
# The same with a constant added after (n * 10 + c - '0', where the compiler moved the '0' last).
op("i32_mul_ri_add_ri", "rd:r ra:r imm:i32 rb:r imm2:i32",
   "fp.setI32(rd, fp.i32(ra) &* UInt32(bitPattern: imm) &+ fp.i32(rb) &+ UInt32(bitPattern: imm2))\nNEXT")

# Two i32 operations with immediates in a row, the second on the first's result: rd = (ra op1 imm) op2 imm2
# (bit-field extraction `(x >> k) & m`, `x * 3 + 1`, masking after an add, ...). Ordered by op1, then op2 (the
# translator computes opcode ids from that order).
I32_RI_PAIR = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u"]
_I32_EXPR = {n: e for n, _, _, _, e in NUMERIC}
for o1 in I32_RI_PAIR:
    for o2 in I32_RI_PAIR:
        op(f"i32_{o1}_{o2}_ri", "rd:r ra:r imm:i32 imm2:i32",
           f"let t: UInt32 = {{ (a: UInt32, b: UInt32) in {_I32_EXPR['i32_' + o1]} }}(fp.i32(ra), UInt32(bitPattern: imm))\n"
           f"fp.setI32(rd, {{ (a: UInt32, b: UInt32) in {_I32_EXPR['i32_' + o2]} }}(t, UInt32(bitPattern: imm2)))\nNEXT")

# A float add, sub or mul whose result is stored right away: the value never goes through a frame slot. Ordered by
# type then operation (the translator computes opcode ids from that order).
for t, store_name, w in (("f32", "f32_store", 4), ("f64", "f64_store", 8)):
    for o, symbol in FLOAT_PAIR_FIRST:
        op(f"{t}_{o}_store", "raddr:r ra:r rb:r offset:u32",
           f"let a = {READ[t].format('ra')} {symbol} {READ[t].format('rb')}\n"
           + ADDRESS.format(w=w).replace("UnsafeRawPointer", "UnsafeMutableRawPointer")
           + "p.storeBytes(of: a.bitPattern, as: type(of: a.bitPattern))\nNEXT")

# select on an integer comparison just computed: rd = (ra cmp rb) ? rx : ry (for numeric selects only: the
# verifier treats rx and ry as numbers). Ordered by type, then SELECT_CMP (the translator computes opcode ids).
SELECT_CMP = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]
for t in ("i32", "i64"):
    for p in SELECT_CMP:
        op(f"select_{t}_{p}", "rd:r ra:r rb:r rx:r ry:r",
           # Both values loaded first, so that the choice compiles to a conditional move, not a branch (the
           # comparisons of branchless code are what branch predictors guess worst).
           f"let a = {READ[t].format('ra')}\nlet b = {READ[t].format('rb')}\nlet x = fp[rx]\nlet y = fp[ry]\n"
           f"fp.setI64(rd, {cond_of(f'{t}_{p}')} ? x : y)\nNEXT")

# A conditional subtraction, the reduction step of modular arithmetic (`if (r >= m) r -= m`, which compilers emit as
# an add of -m and a select on the comparison): rd = (ra cmp rb) ? ra + rc : ra. Ordered by type, then
# REDUCE_CMP (the translator computes opcode ids). `swasm_choose` (C) keeps the choice a conditional move: the
# comparison is one branch predictors guess worst.
REDUCE_CMP = ["gt_u", "ge_u"]
for t, ty in (("i32", "UInt32"), ("i64", "UInt64")):
    for p in REDUCE_CMP:
        op(f"select_{t}_{p}_add", "rd:r ra:r rb:r rc:r",
           f"let a = {READ[t].format('ra')}\nlet b = {READ[t].format('rb')}\nlet c = {READ[t].format('rc')}\n"
           f"let r = swasm_choose({cond_of(f'{t}_{p}')}, UInt64(a &+ c), UInt64(a))\n"
           + WRITE[t].format("rd", f"{ty}(truncatingIfNeeded: r)") + "\nNEXT")

# A shift by a constant xored with another value: rd = (ra shift imm) ^ rb (`x ^= x << 13` of xorshift generators,
# `h ^ (h >> 31)` of hash finalizers). Ordered by type, then shl before shr_u (the translator computes ids).
for t, bits in (("i32", 31), ("i64", 63)):
    conv = "UInt32(bitPattern: imm)" if t == "i32" else "UInt64(bitPattern: Int64(imm))"
    for s, symbol in (("shl", "<<"), ("shr_u", ">>")):
        op(f"{t}_{s}_ri_xor", "rd:r ra:r imm:i32 rb:r",
           f"let a = {READ[t].format('ra')}\nlet b = {READ[t].format('rb')}\n"
           + WRITE[t].format("rd", f"b ^ (a {symbol} ({conv} & {bits}))") + "\nNEXT")

# An i32 load whose value feeds an operation with an immediate: rd = mem[raddr + offset] op imm (a byte read and
# masked, a word read and shifted or offset). Ordered by load, then operation (the translator computes ids).
LOAD_RI_LOADS = [("i32_load", 4, "UInt32", "v"), ("i32_load8_u", 1, "UInt8", "UInt32(v)"),
                 ("i32_load16_u", 2, "UInt16", "UInt32(v)")]
LOAD_RI_OPS = ["add", "and", "shl", "shr_u"]
for lname, w, ty, conv in LOAD_RI_LOADS:
    for o in LOAD_RI_OPS:
        op(f"{lname}_{o}_ri", "rd:r raddr:r imm:i32 offset:u32",
           ADDRESS.format(w=w) + f"let v = p.loadUnaligned(as: {ty}.self)\n"
           f"fp.setI32(rd, {{ (a: UInt32, b: UInt32) in {_I32_EXPR['i32_' + o]} }}({conv}, UInt32(bitPattern: imm)))\nNEXT")

# A value loaded and stored straight back to memory with the same width (copy loops, struct copies):
# mem[rdst + offset2] = mem[raddr + offset] in one instruction. The load happens (and may trap) first; the bits
# move unchanged, as they do through any Wasm load and store of equal width. Ordered by width 1, 2, 4, 8.
for w, ty in ((1, "UInt8"), (2, "UInt16"), (4, "UInt32"), (8, "UInt64")):
    op(f"mem_move{8 * w}", "raddr:r rdst:r offset:u32 offset2:u32",
       ADDRESS.format(w=w) + f"let v = p.loadUnaligned(as: {ty}.self)\n"
       "let q = UnsafeMutableRawPointer(memp.pointee + Int(UInt64(fp.i32(rdst)) &+ UInt64(offset2)))\n"
       f"q.storeBytes(of: v, as: {ty}.self)\nNEXT")

# select on a bit test just computed: rd = (ra & imm) != 0 ? rx : ry (numeric selects only, as above).
op("select_and_ri", "rd:r ra:r imm:i32 rx:r ry:r",
   "let c = fp.i32(ra) & UInt32(bitPattern: imm)\nlet x = fp[rx]\nlet y = fp[ry]\nfp.setI64(rd, c != 0 ? x : y)\nNEXT")

# A call whose last argument move is one copy (an argument that was a local or a parameter): the copy
# fp[rd] = fp[rs] and the call in one instruction. The copy writes only an argument slot, never the table index.
op("call_copy", "rd:r rs:r base:r fn:u32",
   "fp[rd] = fp[rs]\nCALL_INTERNAL(st.pointee.instance.pointee.functions[Int(fn)], base, 3)")
op("call_indirect_copy", "rd:r rs:r base:r ra:r type:u32 table:u32", "fp[rd] = fp[rs]\n" + CALL_INDIRECT)
# The same when the one argument move is an i32 constant (a size, a flag): fp[rd] = imm and the call.
op("call_const", "rd:r imm:u32 base:r fn:u32",
   "fp[rd] = UInt64(imm)\nCALL_INTERNAL(st.pointee.instance.pointee.functions[Int(fn)], base, 3)")

# Read-modify-write of a float in memory, `m` being mem[raddr + offset] and `v` fp[rv], in one instruction:
# - `x += e`, when the load of x is the add's right operand and the sum goes back to the same address:
#   m = v + m (operands in the Wasm order);
# - `x -= e`, when x was loaded just before the (float, non-trapping) instruction computing e: m = m - v (the
#   translator moves e's instruction before this one).
# Opcodes in this order: f32_add_to_mem, f64_add_to_mem, f32_sub_from_mem, f64_sub_from_mem.
for name, expr in (("add_to_mem", "v + m"), ("sub_from_mem", "m - v")):
    for t, ty, w in (("f32", "Float", 4), ("f64", "Double", 8)):
        bits = "UInt32" if t == "f32" else "UInt64"
        op(f"{t}_{name}", "raddr:r rv:r offset:u32",
           ADDRESS.format(w=w).replace("UnsafeRawPointer", "UnsafeMutableRawPointer")
           + f"let m = {ty}(bitPattern: p.loadUnaligned(as: {bits}.self))\n"
           + f"let v = {READ[t].format('rv')}\nlet r = {expr}\np.storeBytes(of: r.bitPattern, as: {bits}.self)\nNEXT")

# A copy right before a branch on an i32 (a loop-carried value moved into place, then the back edge's test):
# fp[rd] = fp[ra], then the test of rc (after the copy, as the two instructions did).
for name, test in (("copy_br_i32_nez", "!= 0"), ("copy_br_i32_eqz", "== 0")):
    op(name, "rd:r ra:r rc:r off:off", "fp[rd] = fp[ra]\n" + branch_on(f"fp.i32(rc) {test}"))

# An i32 comparison with an immediate written to a local, a copy, then a branch on that local (a loop's exit test
# computed before the loop-carried value is moved into place): rd = (ra cmp imm), then fp[rd2] = fp[rs] (of any
# kind, as `copy`), then the branch when the comparison held. Ordered as INT_CMP.
for p in INT_CMP:
    op(f"i32_{p}_ri_copy_br", "rd:r ra:r imm:i32 rd2:r rs:r off:off",
       f"let a = fp.i32(ra)\nlet b = UInt32(bitPattern: imm)\nlet c = {cond_of('i32_' + p)}\n"
       "fp.setI32(rd, b2i(c))\nfp[rd2] = fp[rs]\n" + branch_on("c"))

# A run of `count` 8-byte moves between the same two address registers, each offset moved by `step` from the one
# before (an unrolled memcpy of a small struct): the moves of the separate mem_move64 instructions, in their order
# (so overlapping places and a trap part-way end as they would). Offsets stay what each instruction had: u32.
op("mem_move64_run", "raddr:r rdst:r offset:u32 offset2:u32 count:u32 step:i32",
   "let from = UInt64(fp.i32(raddr))\nlet to = UInt64(fp.i32(rdst))\n"
   "for k in 0..<Int64(count) {\n"
   "  let d = k &* Int64(step)\n"
   "  let p = UnsafeRawPointer(memp.pointee + Int(from &+ UInt64(UInt32(truncatingIfNeeded: Int64(offset) &+ d))))\n"
   "  let q = UnsafeMutableRawPointer(memp.pointee + Int(to &+ UInt64(UInt32(truncatingIfNeeded: Int64(offset2) &+ d))))\n"
   "  q.storeBytes(of: p.loadUnaligned(as: UInt64.self), as: UInt64.self)\n"
   "}\nNEXT")

# `x += e` on an integer in memory, the sum also kept in rd (a running total written back and used on, as in a
# prefix sum): m = mem[raddr + offset]; r = m + fp[rv]; mem[raddr + offset] = r; fp[rd] = r. The translator fuses
# a load, an add of its value and a store of the sum to the load's place. Opcodes: i32_add_to_mem, i64_add_to_mem.
for t, bits in (("i32", "UInt32"), ("i64", "UInt64")):
    op(f"{t}_add_to_mem", "rd:r raddr:r rv:r offset:u32",
       ADDRESS.format(w=0).replace("UnsafeRawPointer", "UnsafeMutableRawPointer")
       + f"let r = p.loadUnaligned(as: {bits}.self) &+ {READ[t].format('rv')}\n"
       + f"p.storeBytes(of: r, as: {bits}.self)\n{WRITE[t].format('rd', 'r')}\nNEXT")

# A load whose address is a scaled index, `i32.shl(raddr, shift)` (array elements by index): the shift and the
# access in one instruction. The shift wraps at 32 bits (count mod 32), as the separate i32.shl does. Ordered as
# i32_load, i64_load, f32_load, f64_load (the translator computes ids).
for name, w, ty, result, conv in LOADS[:4]:
    op(name + "_shl", "rd:r raddr:r offset:u32 shift:u32",
       ADDRESS.replace("UInt64(fp.i32(raddr))", "UInt64(fp.i32(raddr) << (shift & 31))").format(w=w)
       + f"let v = p.loadUnaligned(as: {ty}.self)\n{WRITE[result].format('rd', conv)}\nNEXT")

# The shadow-stack pointer's prologue and epilogue, as C compilers emit them for a function with a stack frame
# (an i32 global, moved by a constant): `global.get; i32.sub k; local.tee; global.set` becomes
# global_add_ri (rd = g + imm, written to both the global and rd), and `i32.add k; global.set` becomes
# global_set_add_ri (g = ra + imm). i32 arithmetic: the global keeps the zero-extended 32-bit result.
op("global_add_ri", "rd:r idx:u32 imm:i32",
   "let g = st.pointee.instance.pointee.globals[Int(idx)]\n"
   "let v = UInt32(truncatingIfNeeded: g.pointee) &+ UInt32(bitPattern: imm)\n"
   "g.pointee = UInt64(v)\nfp.setI32(rd, v)\nNEXT")
op("global_set_add_ri", "ra:r idx:u32 imm:i32",
   "st.pointee.instance.pointee.globals[Int(idx)].pointee = UInt64(fp.i32(ra) &+ UInt32(bitPattern: imm))\nNEXT")

# ---------------------------------------------------------------------------------------------------------
# The accumulators: handler arguments (machine registers) that carry a value from one instruction to the next,
# `acc` for integers and `facc` for f64 values. Every instruction that writes an integer result to `rd` (through
# fp.setI32/fp.setI64) also leaves that result, exactly as stored in the slot, in `acc`; every one that writes an
# f64 (fp.setF64) leaves it in `facc`. An instruction that reads the slot the instruction just before it wrote can
# take the value from the accumulator instead: the `<name>_acc_<field>` and `<name>_facc_<field>` forms below are
# their base instruction with the same fields and layout, except that field `<field>` is not read from the frame.
# That takes the store-to-load round trip through memory (several cycles) off every dependent chain.
# The translator picks a form only when the previous instruction writes that accumulator, its `rd` is that field,
# and nothing branches to the instruction (SwasmTranslator/AccumulatorPass.swift): then both forms compute the
# same. The cache's bytecode verifier checks the same rule. f32 values stay out of it: widening them to a double
# register would not keep every NaN's bits.
ACCUMULATORS = {  # name -> (pointer argument, slot writers, {slot read: accumulator read})
    "acc": ("accp", ("fp.setI32(rd, ", "fp.setI64(rd, "),
            {"fp.i32({})": "UInt32(truncatingIfNeeded: accp.pointee)", "fp.i64({})": "accp.pointee",
             "fp[{}]": "accp.pointee"}),
    "facc": ("faccp", ("fp.setF64(rd, ",), {"fp.f64({})": "faccp.pointee"}),
}
ACCUMULATOR_IDS = {"acc": 1, "facc": 2}  # the generated `Accumulator` enum's raw values (0: none)
ACC_WRITERS = {}      # instruction name -> the accumulator it writes
ACC_FORMS = []        # (form name, base name, field, accumulator read)
_NOT_ACC_READERS = ("call", "table_", "memory_", "global_", "ref_", "copy", "fuel", "zero_slots", "init_consts",
                    "ret", "halt", "load_code")


def _accumulator_forms():
    for i, (name, fields, body) in enumerate(list(BYTECODE)):
        for acc, (pointer, writes, _) in ACCUMULATORS.items():
            for w in writes:
                if w in body:
                    ACC_WRITERS[name] = acc
                    body = body.replace(w, w + f"{acc}: {pointer}, ")
        BYTECODE[i] = (name, fields, body)
    for name, fields, body in list(BYTECODE):
        if name.startswith(_NOT_ACC_READERS) or name == "select":
            continue
        for field, kind in fields:
            # Not the values a select chooses between: with one in a register, the compiler turns the choice into
            # a branch, and those choices are what branch predictors guess worst.
            # Nor a copy's source (`rs`), moved as it is whatever it holds.
            if kind != "r" or field in ("rd", "rd2", "rx", "ry", "rs"):
                continue
            for acc, (_, _, reads) in ACCUMULATORS.items():
                forms = {r.format(field): v for r, v in reads.items()}
                used = sum(body.count(r) for r in forms)
                if used == 0 or used != len(re.findall(r"\b%s\b" % field, body)):
                    continue  # the field is not read this way, or is used otherwise too
                form_body = body
                for r, v in forms.items():
                    form_body = form_body.replace(r, v)
                form = f"{name}_{acc}_{field}"
                BYTECODE.append((form, fields, form_body))
                ACC_FORMS.append((form, name, field, acc))
                if name in ACC_WRITERS:
                    ACC_WRITERS[form] = ACC_WRITERS[name]


_accumulator_forms()
