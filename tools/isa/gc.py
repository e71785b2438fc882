"""GC instructions (Wasm 3.0): structs, arrays, i31 references, casts, extern/any conversions.

Each handler calls a function of SwasmRuntime/GC/GCOperations.swift, which allocates, checks (null, bounds, and
that the object is of the instruction's type or a subtype, so that forged bytecode cannot read a number as a
reference) and moves fields, and returns the trap code (`.none` to continue). Operand shapes: `type` is a type
index of the module, `idx` a field index, `seg` a data or element segment; instructions with many operands take
them from consecutive slots from `base` (as calls do). Instructions that allocate pass the collector where the code
resumes after them (`RESUME_PC`), which finds the frame's stack map by it (SwasmBytecode/StackMaps.swift). Registered
after every other family: no id moves.
"""
from .core import op as register_op

# Every GC instruction, as registered: each also gets a form for frames beyond 16-bit registers, below.
GC_INSTRUCTIONS = []


def op(name, fields, body):
    GC_INSTRUCTIONS.append((name, fields, body))
    register_op(name, fields, body)


def gc_op(name, fields, call):
    op(name, fields, f"let code = {call}\nif _slowPath(code != .none) {{ TRAP(code) }}\nNEXT")


gc_op("struct_new", "rd:r base:r type:u32", "gcStructNew(st, fp, RESUME_PC, rd: rd, base: base, type: type)")
gc_op("struct_new_default", "rd:r type:u32", "gcStructNew(st, fp, RESUME_PC, rd: rd, base: -1, type: type)")
for suffix, ext in (("", ".none"), ("_s", ".signed"), ("_u", ".unsigned")):
    gc_op(f"struct_get{suffix}", "rd:r ra:r type:u32 idx:u32",
          f"gcStructGet(st, fp, rd: rd, ra: ra, type: type, field: idx, {ext})")
    gc_op(f"array_get{suffix}", "rd:r ra:r ri:r type:u32", f"gcArrayGet(st, fp, rd: rd, ra: ra, ri: ri, type: type, {ext})")
gc_op("struct_set", "ra:r rv:r type:u32 idx:u32", "gcStructSet(st, fp, ra: ra, rv: rv, type: type, field: idx)")
gc_op("array_new", "rd:r rv:r rn:r type:u32", "gcArrayNew(st, fp, RESUME_PC, rd: rd, rv: rv, rn: rn, type: type)")
gc_op("array_new_default", "rd:r rn:r type:u32", "gcArrayNew(st, fp, RESUME_PC, rd: rd, rv: -1, rn: rn, type: type)")
gc_op("array_new_fixed", "rd:r base:r type:u32 count:u32",
      "gcArrayNewFixed(st, fp, RESUME_PC, rd: rd, base: base, type: type, count: Int(count))")
gc_op("array_new_data", "rd:r rs:r rn:r type:u32 seg:u32",
      "gcArrayNewFromSegment(st, fp, RESUME_PC, rd: rd, rs: rs, rn: rn, type: type, segment: seg, data: true)")
gc_op("array_new_elem", "rd:r rs:r rn:r type:u32 seg:u32",
      "gcArrayNewFromSegment(st, fp, RESUME_PC, rd: rd, rs: rs, rn: rn, type: type, segment: seg, data: false)")
gc_op("array_set", "ra:r ri:r rv:r type:u32", "gcArraySet(st, fp, ra: ra, ri: ri, rv: rv, type: type)")
gc_op("array_len", "rd:r ra:r", "gcArrayLen(fp, rd: rd, ra: ra)")
# base: the array, the index, the value (two slots for a v128), the count.
gc_op("array_fill", "base:r type:u32", "gcArrayFill(st, fp, base: base, type: type)")
# base: the destination array and index, the source array and index, the count.
gc_op("array_copy", "base:r dst:u32 src:u32", "gcArrayCopy(st, fp, base: base, destination: dst, source: src)")
# base: the array, the index into it, the index into the segment, the count.
gc_op("array_init_data", "base:r type:u32 seg:u32", "gcArrayInit(st, fp, base: base, type: type, segment: seg, data: true)")
gc_op("array_init_elem", "base:r type:u32 seg:u32", "gcArrayInit(st, fp, base: base, type: type, segment: seg, data: false)")
# imm: the target type (GCOperations.swift, `CastTarget`).
op("ref_test", "rd:r ra:r imm:u32", "fp.setI32(rd, b2i(gcRefTest(st, fp[ra], imm)))\nNEXT")
op("ref_cast", "rd:r ra:r imm:u32",
   "let value = fp[ra]\nguard gcRefTest(st, value, imm) else { TRAP(.castFailure) }\nfp[rd] = value\nNEXT")
gc_op("any_convert_extern", "rd:r ra:r", "gcAnyConvertExtern(st, fp, RESUME_PC, rd: rd, ra: ra)")
op("extern_convert_any", "rd:r ra:r", "fp[rd] = gcExternConvertAny(fp[ra])\nNEXT")
# An i31 is its 31 bits shifted left by one, with the low bit set: never 0 (null), never an object's address.
op("ref_i31", "rd:r ra:r", "fp[rd] = UInt64(fp.i32(ra) & 0x7FFF_FFFF) << 1 | 1\nNEXT")
op("i31_get_s", "rd:r ra:r",
   "let r = fp[ra]\nguard r != 0 else { TRAP(.nullI31Reference) }\n"
   "fp.setI32(rd, UInt32(bitPattern: Int32(truncatingIfNeeded: r) >> 1))\nNEXT")
op("i31_get_u", "rd:r ra:r",
   "let r = fp[ra]\nguard r != 0 else { TRAP(.nullI31Reference) }\nfp.setI32(rd, UInt32(truncatingIfNeeded: r >> 1) & 0x7FFF_FFFF)\nNEXT")
# The stack maps: data near the start of a function's code (after its handler table, before its entry), never
# executed, read by the collector (SwasmBytecode/StackMaps.swift). Its `count` slots follow (trailing slots).
register_op("stack_maps", "count:u32", "TRAP(.unreachable)")

# Frames beyond 16-bit registers (tools/isa/wide.py): each GC instruction again, `_w`, with every register field 32
# bits wide, so that nothing is staged (its slot ranges and v128 values, two slots, could not be).
for name, fields, body in list(GC_INSTRUCTIONS):
    register_op(name + "_w", " ".join(f.replace(":r", ":R") for f in fields.split()), body)
