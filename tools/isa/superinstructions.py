"""Superinstructions: pairs and runs of instructions fused into one, each chosen from counts on real code."""
from .core import op, READ, WRITE
from .control import CALL_INDIRECT
from .memory import ADDRESS, LOADS, STORES
from .numeric import NUMERIC, INT_CMP, cond_of, branch_on


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

# An i32 load whose value is the base of a scaled index: rd = mem[raddr + offset] + (rb << shift) (an array pointer
# read from a structure, then indexed: Lua's stack and table slots).
op("i32_load_add_shl", "rd:r raddr:r rb:r shift:u32 offset:u32",
   ADDRESS.format(w=4) + "let v = p.loadUnaligned(as: UInt32.self)\n"
   "fp.setI32(rd, v &+ (fp.i32(rb) << (shift & 31)))\nNEXT")

# A constant set just before a jump (a flag or a phi's value at the end of a loop body or a branch of an `if`):
# `const32` and the `br`, or `const32` and `i32_add_ri_br` (`flag = 1; i++; continue`). The constant is written
# first, to `rd2` in the second form (so that `rd` is the add's, as in i32_add_ri_br: its pinned forms follow);
# the translator fuses only when the add does not read the constant's register.
op("const32_br", "rd:r imm:u32 off:off", "fp[rd] = UInt64(imm)\nJUMP(off)")
op("const32_add_ri_br", "rd2:r imm2:u32 rd:r ra:r imm:i32 off:off",
   "fp[rd2] = UInt64(imm2)\nfp.setI32(rd, fp.i32(ra) &+ UInt32(bitPattern: imm))\nJUMP(off)")

# A bit test and the branch on it (`if (x & FLAG)`, `if (!(tag & MASK))`: CPython's flag tests, Lua's type tags
# on a loaded byte): br_if on `i32.and` with a constant, or on a byte loaded and masked (`i32_load8_u_and_ri`),
# when the masked value is a temporary only the branch reads. `nez` jumps when a tested bit is set. `_fastPath`, as
# in every conditional branch, keeps it a branch: a conditional move of the next pc would make each dispatch wait
# for the load (Lua 10% slower).
for sense, test in (("nez", "!="), ("eqz", "==")):
    op(f"br_i32_and_ri_{sense}", "ra:r imm:i32 off:off",
       f"if _fastPath(fp.i32(ra) & UInt32(bitPattern: imm) {test} 0) {{ JUMP(off) }} else {{ NEXT }}")
    op(f"br_i32_load8_u_and_ri_{sense}", "raddr:r imm:i32 offset:u32 off:off",
       ADDRESS.format(w=1) + "let v = UInt32(p.loadUnaligned(as: UInt8.self))\n"
       f"if _fastPath(v & UInt32(bitPattern: imm) {test} 0) {{ JUMP(off) }} else {{ NEXT }}")

# A switch on the byte a pointer points at (`switch (*p)`: a scanner's or a byte-code loop's dispatch): the
# `i32.load8_u` (static offset 0) and the `br_table` on its value in one instruction; the byte is also written to
# `rd`, as the load did. The operands fill one slot, `count` where br_table has it, so the `count + 1` offsets
# follow at the same place as br_table's (every walker of branch tables reads both alike).
op("br_table_load8_u", "raddr:r count:u32 rd:r",
   ADDRESS.replace(" &+ UInt64(offset)", "") + "let v = UInt32(p.loadUnaligned(as: UInt8.self))\nfp.setI32(rd, v)\n"
   "let target = Int(Int64(bitPattern: pc[2 + Int(min(v, count))]))\nJUMP(target)")

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
   "fp[rd] = fp[rs]\nCALL_INTERNAL(st.pointee.localFunctions + Int(fn), base, 3)")
op("call_indirect_copy", "rd:r rs:r base:r ra:r type:u32 table:u32", "fp[rd] = fp[rs]\n" + CALL_INDIRECT)
# The same when the one argument move is an i32 constant (a size, a flag): fp[rd] = imm and the call.
op("call_const", "rd:r imm:u32 base:r fn:u32",
   "fp[rd] = UInt64(imm)\nCALL_INTERNAL(st.pointee.localFunctions + Int(fn), base, 3)")

# A call whose last two argument moves are copies (the translator merged them into a `copy2`), or a copy then an
# i32 constant: both moves and the call in one instruction, in the order of the moves.
op("call_copy2", "rd:r ra:r rd2:r ra2:r base:r fn:u32",
   "fp[rd] = fp[ra]\nfp[rd2] = fp[ra2]\nCALL_INTERNAL(st.pointee.localFunctions + Int(fn), base, 3)")
op("call_copy_const", "rd:r ra:r rd2:r base:r imm:u32 fn:u32",
   "fp[rd] = fp[ra]\nfp[rd2] = UInt64(imm)\nCALL_INTERNAL(st.pointee.localFunctions + Int(fn), base, 3)")

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
# The epilogue then `ret_value` (a function with a stack frame returning a value kept in a local): the global set,
# the result's move to slot 0 and the return in one instruction.
op("global_set_add_ri_ret_value", "ra:r idx:u32 imm:i32 rv:r",
   "st.pointee.instance.pointee.globals[Int(idx)].pointee = UInt64(fp.i32(ra) &+ UInt32(bitPattern: imm))\n"
   "fp[0] = fp[rv]\nRETURN")
