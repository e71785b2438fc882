"""Memories other than a 32-bit memory 0: multiple memories and 64-bit memories (Wasm 3.0), and 64-bit tables.

Memory 0 with 32-bit addresses keeps the instructions of memory.py and simd.py: its base in a handler argument, no
bounds compare (the guard region catches what falls outside), superinstructions. Every other memory is reached
through variants generated here from each of those accesses, with the memory's index as an operand and an explicit
bounds check (the guard region only covers memory 0, and only 32-bit addresses):
  NAME_mem    a 32-bit memory: address + offset (each below 2^32) + width cannot overflow 64 bits
  NAME_mem64  a 64-bit memory (any index): address + offset checked for overflow, then against the size
A 64-bit memory is never memory 0's guarded fast path, even as memory 0. `VARIANTS` lists (access, _mem, _mem64)
for the translator (`Opcode.checkedAccess`, generated).

memory.size and memory.grow of such memories take the memory's index too (the bulk instructions always do:
memory.py). Registered last: no accumulator forms, and the scalar handlers stay packed at the start of the
handler table.
"""
from .core import BYTECODE, op
from .memory import ADDRESS, LOADS, STORES
from .simd import SIMD

# The access width of every instruction that starts with the memory-0 address computation.
WIDTHS = {name: w for name, w, *_ in LOADS + STORES}
for wasm_name, _, immediate, _, _ in SIMD:
    if immediate.startswith("mem"):
        WIDTHS[wasm_name.replace(".", "_")] = int(immediate.split(":")[1])

MEM32 = ("let memory = st.pointee.instance.pointee.memories[Int(mem)]\n"
         "let ea = UInt64(fp.i32(raddr)) &+ UInt64(offset)\n"
         "guard _fastPath(ea &+ {w} <= memory.pointee.byteCount) else {{ TRAP(.outOfBoundsMemoryAccess) }}\n"
         "let p = {pointer}(memory.pointee.base + Int(ea))\n")
MEM64 = ("let memory = st.pointee.instance.pointee.memories[Int(mem)]\n"
         "let (ea, overflow) = fp.i64(raddr).addingReportingOverflow(offset)\n"
         "let size = memory.pointee.byteCount\n"
         "guard _fastPath(!overflow && ea < size && size &- ea >= {w}) else {{ TRAP(.outOfBoundsMemoryAccess) }}\n"
         "let p = {pointer}(memory.pointee.base + Int(ea))\n")

ACCESSES = []  # (name, fields as text, pointer type, the body after the address computation)
for name, fields, body in list(BYTECODE):
    if name not in WIDTHS:
        continue
    for pointer in ("UnsafeRawPointer", "UnsafeMutableRawPointer"):
        prefix = ADDRESS.replace("UnsafeRawPointer", pointer)
        if body.startswith(prefix):
            ACCESSES.append((name, " ".join(f"{f}:{k}" for f, k in fields), pointer, body[len(prefix):]))
            break
    else:
        raise AssertionError(f"{name} does not start with the memory-0 address computation")

for name, fields, pointer, rest in ACCESSES:
    op(name + "_mem", fields + " mem:u32", MEM32.format(w=WIDTHS[name], pointer=pointer) + rest)
for name, fields, pointer, rest in ACCESSES:
    assert "offset:u32" in fields
    op(name + "_mem64", fields.replace("offset:u32", "mem:u32 offset:u64"), MEM64.format(w=WIDTHS[name], pointer=pointer) + rest)
VARIANTS = [(name, name + "_mem", name + "_mem64") for name, *_ in ACCESSES]

# memory.size and memory.grow of any memory by index (SwasmRuntime/Engine/BulkOperations.swift).
op("memory_size_mem", "rd:r mem:u32", "fp[rd] = st.pointee.instance.pointee.memories[Int(mem)].pointee.pageCount\nNEXT")
op("memory_grow_mem", "rd:r ra:r mem:u32",
   "fp[rd] = memoryGrow(st, memory: mem, by: fp[ra])\nmemp.pointee = st.pointee.memBase\nNEXT")
