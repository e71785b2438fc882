"""Atomic memory instructions (the threads proposal, prefix 0xFE): loads, stores, read-modify-writes and
compare-exchanges of 8 to 64 bits, memory.atomic.wait32/wait64 and notify, atomic.fence.

`ATOMICS` lists the Wasm instructions for the decoder, validator and translator (AtomicOp.generated.swift):
(Wasm name, sub-opcode, access width in bytes, value type, kind). Kinds: load, store, rmw, cmpxchg, wait, notify.
Each is one bytecode instruction named like the Wasm one (dots as `_`), registered in this order (the translator
finds an instruction's bytecode by its position), that names its memory and reads its address as a whole slot
(an i32 address sits zero-extended in its slot), so that one handler serves every memory, 32-bit or 64-bit:
  alignment (natural, or `unaligned atomic`, checked first as the reference interpreter and wasmtime do), then
  bounds (address + offset + width, overflow-safe), then the operation, sequentially consistent (swasm_atomic_* in Sources/CSwasmAtomics). A narrow result is zero-extended.
Atomics are not hot enough in real programs (reference counts, locks without contention) to earn memory 0's
unchecked fast path.
"""
from .core import op

ATOMICS = []

ADDRESS = ("let memory = st.pointee.instance.pointee.memories[Int(mem)]\n"
           "let (ea, overflow) = fp.i64(raddr).addingReportingOverflow(offset)\n"
           "guard _fastPath(ea & {mask} == 0) else {{ TRAP(.unalignedAtomic) }}\n"
           "let size = memory.pointee.byteCount\n"
           "guard _fastPath(!overflow && ea < size && size &- ea >= {w}) else {{ TRAP(.outOfBoundsMemoryAccess) }}\n"
           "let p = UnsafeMutableRawPointer(memory.pointee.base + Int(ea))\n")


def atomic(name, code, width, vt, kind, fields, body):
    ATOMICS.append((name, code, width, vt, kind))
    op(name.replace(".", "_"), fields, ADDRESS.format(w=width, mask=width - 1) + body)


SHAPES = [  # (Wasm name pattern, width, value type); {op} is the operation's name
    ("i32.atomic.{op}", 4, "i32"), ("i64.atomic.{op}", 8, "i64"), ("i32.atomic.{op8}", 1, "i32"),
    ("i32.atomic.{op16}", 2, "i32"), ("i64.atomic.{op8}", 1, "i64"), ("i64.atomic.{op16}", 2, "i64"),
    ("i64.atomic.{op32}", 4, "i64"),
]


def forms(base, names):
    """The seven widths of an operation, sub-opcodes from `base`: (name, code, width, value type)."""
    for k, (pattern, width, vt) in enumerate(SHAPES):
        yield pattern.format(**names), base + k, width, vt


def bits(width):
    return width * 8


RESULT = "fp[rd] = UInt64({})\nNEXT"  # zero-extended, for i32 and i64 alike

atomic("memory.atomic.notify", 0x00, 4, "i32", "notify", "rd:r raddr:r rcount:r mem:u32 offset:u64",
       "fp[rd] = UInt64(atomicNotify(memory, address: ea, count: fp.i32(rcount)))\nNEXT")
for name, code, width, vt in [("memory.atomic.wait32", 0x01, 4, "i32"), ("memory.atomic.wait64", 0x02, 8, "i64")]:
    atomic(name, code, width, vt, "wait", "rd:r raddr:r rexp:r rtimeout:r mem:u32 offset:u64",
           f"guard memory.pointee.isShared else {{ TRAP(.expectedSharedMemory) }}\n"
           f"let r = atomicWait(memory, address: ea, expected: fp[rexp], width: {width}, "
           f"timeout: Int64(bitPattern: fp.i64(rtimeout)), interrupt: st.pointee.interrupt)\n"
           f"if r == waitInterrupted {{ TRAP(.interrupted) }}\n"
           f"fp[rd] = UInt64(r)\nNEXT")

for name, code, width, vt in forms(0x10, {"op": "load", "op8": "load8_u", "op16": "load16_u", "op32": "load32_u"}):
    atomic(name, code, width, vt, "load", "rd:r raddr:r mem:u32 offset:u64",
           RESULT.format(f"swasm_atomic_load{bits(width)}(p)"))
for name, code, width, vt in forms(0x17, {"op": "store", "op8": "store8", "op16": "store16", "op32": "store32"}):
    atomic(name, code, width, vt, "store", "raddr:r rv:r mem:u32 offset:u64",
           f"swasm_atomic_store{bits(width)}(p, UInt{bits(width)}(truncatingIfNeeded: fp[rv]))\nNEXT")
for base, operation in [(0x1E, "add"), (0x25, "sub"), (0x2C, "and"), (0x33, "or"), (0x3A, "xor"), (0x41, "xchg")]:
    names = {"op": f"rmw.{operation}", "op8": f"rmw8.{operation}_u", "op16": f"rmw16.{operation}_u",
             "op32": f"rmw32.{operation}_u"}
    for name, code, width, vt in forms(base, names):
        atomic(name, code, width, vt, "rmw", "rd:r raddr:r rv:r mem:u32 offset:u64",
               RESULT.format(f"swasm_atomic_{operation}{bits(width)}(p, UInt{bits(width)}(truncatingIfNeeded: fp[rv]))"))
for name, code, width, vt in forms(0x48, {"op": "rmw.cmpxchg", "op8": "rmw8.cmpxchg_u", "op16": "rmw16.cmpxchg_u",
                                         "op32": "rmw32.cmpxchg_u"}):
    # The expected value is wrapped to the access's width before the compare, as the replacement is.
    atomic(name, code, width, vt, "cmpxchg", "rd:r raddr:r rexp:r rrep:r mem:u32 offset:u64",
           RESULT.format(f"swasm_atomic_cmpxchg{bits(width)}(p, UInt{bits(width)}(truncatingIfNeeded: fp[rexp]), "
                         f"UInt{bits(width)}(truncatingIfNeeded: fp[rrep]))"))
op("atomic_fence", "", "swasm_atomic_fence()\nNEXT")  # after the others: their positions match ATOMICS
