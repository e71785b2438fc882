"""Loads and stores with a static offset, bulk memory and table instructions, and lazily loaded code."""
from .core import op, READ, WRITE


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


op("memory_size", "rd:r", "fp.setI32(rd, UInt32(truncatingIfNeeded: st.pointee.instance.pointee.memory.pointee.pageCount))\nNEXT")
op("memory_grow", "rd:r ra:r", "fp.setI32(rd, memoryGrow(st, fp.i32(ra)))\nNEXT")
# The bulk instructions name their memory (any memory: multiple memories, memory64) and read addresses and counts
# as whole slots: an i32 sits zero-extended in its slot, so one instruction serves both address types.
helper("memory_fill", "rdst:r rv:r rn:r mem:u32", "memoryFill(st, memory: mem, fp[rdst], fp.i32(rv), fp[rn])")
helper("memory_copy", "rdst:r rs:r rn:r dstmem:u32 srcmem:u32",
       "memoryCopy(st, from: srcmem, to: dstmem, fp[rdst], fp[rs], fp[rn])")
helper("memory_init", "rdst:r rs:r rn:r seg:u32 mem:u32",
       "memoryInit(st, memory: mem, segment: seg, fp[rdst], fp.i32(rs), fp.i32(rn))")
op("data_drop", "seg:u32", "dataDrop(st, seg)\nNEXT")
# Table indices are read as whole slots: an i32 index sits zero-extended in its slot, so the same instructions
# serve 32-bit and 64-bit tables (memory64).
op("table_get", "rd:r ri:r table:u32",
   "let t = st.pointee.instance.pointee.tables[Int(table)]\nlet i = fp.i64(ri)\n"
   "guard i < UInt64(truncatingIfNeeded: t.pointee.count) else { TRAP(.outOfBoundsTableAccess) }\nfp[rd] = t.pointee.elements[Int(truncatingIfNeeded: i)]\nNEXT")
op("table_set", "ri:r rv:r table:u32",
   "let t = st.pointee.instance.pointee.tables[Int(table)]\nlet i = fp.i64(ri)\n"
   "guard i < UInt64(truncatingIfNeeded: t.pointee.count) else { TRAP(.outOfBoundsTableAccess) }\nt.pointee.elements[Int(truncatingIfNeeded: i)] = fp[rv]\nNEXT")
op("table_size", "rd:r table:u32",
   "fp.setI64(rd, UInt64(st.pointee.instance.pointee.tables[Int(table)].pointee.count))\nNEXT")
op("table_grow", "rd:r rv:r rn:r table:u32", "fp.setI64(rd, tableGrow(st, table, fp[rv], fp.i64(rn)))\nNEXT")
helper("table_fill", "ri:r rv:r rn:r table:u32", "tableFill(st, table, fp.i64(ri), fp[rv], fp.i64(rn))")
helper("table_copy", "rdst:r rs:r rn:r dst:u32 src:u32", "tableCopy(st, dst, src, fp.i64(rdst), fp.i64(rs), fp.i64(rn))")
helper("table_init", "rdst:r rs:r rn:r seg:u32 table:u32", "tableInit(st, table, seg, fp.i64(rdst), fp.i32(rs), fp.i32(rn))")
op("elem_drop", "seg:u32", "elemDrop(st, seg)\nNEXT")

# Stands in for the code of a function that a precompiled or cached module has not decoded yet, or that is
# translated on its first call: it decodes and verifies, or translates, the function (the frame was set up by the
# call), installs the code, checks the stack has room for the real frame and continues at its first slot.
op("load_code", "",
   "let function = (st.pointee.frameTop - 1).pointee.function\n"
   "guard let code = loadLazyCode(st, function) else { TRAP(lazyCodeFailure(st, function)) }\n"
   "guard fp + function.pointee.frameSize <= st.pointee.stackEnd else { TRAP(.callStackExhausted) }\n"
   "pcp.pointee = code\nreturn code.pointee")

# Loads and stores whose address is `i32.add(raddr, imm)`: the add and the access fused (clang emits the add when
