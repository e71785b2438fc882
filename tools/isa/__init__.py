"""The swasm instruction set, defined once, one file per instruction family.

`tools/generate.py` turns these tables into:
  Sources/WasmBinary/NumericOp.generated.swift      the Wasm numeric opcodes with their signatures
  Sources/SwasmBytecode/Opcode.generated.swift      bytecode opcodes, operand layouts, names
  Sources/SwasmRuntime/Handlers.generated.swift     handler bodies, the switch loop, the threaded table
  Sources/CSwasmDispatch/include/shims.generated.h  C tail-call shims (one per opcode)

Adding an instruction means adding one entry to its family's file (and its translation rule in SwasmTranslator).
Opcode ids follow the order of registration: the families are imported in this order. The accumulator forms are
derived from everything before them; the SIMD instructions, which have none, come after them, last: the handler
table, and so the handlers' code in the binary, keeps the scalar instructions packed together at its start.

  core.py               the bytecode list, field encoding, value access in handler bodies
  control.py            control flow, calls, prologue, copies, constants, select, globals, references
  numeric.py            Wasm numeric instructions, their immediate and compare-and-branch forms
  memory.py             loads, stores, bulk memory and table instructions
  superinstructions.py  fused instruction pairs and runs
  returns.py            a value instruction and the return in one (`<name>_ret`)
  accumulators.py       the accumulator forms of the instructions above
  pinned.py             the pinned-local forms (a loop's local in a register) of the hottest instructions
  simd.py               v128 instructions (Wasm 2.0 SIMD and relaxed SIMD)
  wide.py               what frames of more than 65,536 slots need: far copies, calls with a 32-bit base
  tailcalls.py          return_call and return_call_indirect
  exceptions.py         the handler table, throw, throw_ref
  memories.py           accesses of other memories and 64-bit memories, checked; bulk instructions by memory index
  atomics.py            atomic loads, stores, read-modify-writes, wait and notify (the threads proposal)
  interruption.py       the instruction an interruption writes over loop headers
  typedrefs.py          call_ref, return_call_ref, ref.as_non_null, ref.eq (typed function references)
  gc.py                 structs, arrays, i31, casts, extern/any conversions (GC)

Swift types of operands: i32 -> UInt32, i64 -> UInt64, f32 -> Float, f64 -> Double.
Helpers used in expressions (s32, s64, b2i, wasm* functions) live in SwasmRuntime/NumericSemantics.swift.
"""
from .core import BYTECODE, READ, WRITE, SWIFT_TYPE, op  # noqa: F401
from . import control  # noqa: F401
from .numeric import NUMERIC, INT_CMP, FLOAT_CMP  # noqa: F401
from . import memory  # noqa: F401
from . import superinstructions  # noqa: F401
from .returns import RETURNING_FORMS  # noqa: F401
from .accumulators import ACCUMULATORS, ACCUMULATOR_IDS, ACC_WRITERS, ACC_FIELDS, ACC_FORMS  # noqa: F401
from .pinned import L0_READ_FORMS, L0_DEST_FORMS, L0_READERS  # noqa: F401
from .simd import SIMD  # noqa: F401
from . import wide  # noqa: F401
from . import tailcalls  # noqa: F401
from . import exceptions  # noqa: F401
from . import memories  # noqa: F401
from .atomics import ATOMICS  # noqa: F401
from . import interruption  # noqa: F401
from . import typedrefs  # noqa: F401
from . import gc  # noqa: F401
