"""Typed function references (Wasm 3.0): `call_ref`, `return_call_ref`, `ref.as_non_null`, and GC's `ref.eq`.

`br_on_null` and `br_on_non_null` need nothing new: they branch with `br_i64_eqz` and `br_i64_nez` (a reference
is a whole 64-bit slot, 0 for null). A `call_ref` callee is a function entry's address like a table element, so
the calls are `call_indirect`'s without the table: validation guarantees the reference's type, and the handler
still compares the callee's type id (one comparison, as `call_indirect` does) so that no forged bytecode can call a
function with the wrong arguments. Registered after every other family: no id moves.
"""
from .core import op
from .control import CALL_INDIRECT

CALL_REF = ("let ref = fp[ra]\n"
            "guard ref != 0 else { TRAP(.nullFunctionReference) }\n"
            "let callee = UnsafeMutablePointer<FunctionEntry>(bitPattern: UInt(ref))!\n"
            + CALL_INDIRECT[CALL_INDIRECT.index("guard callee.pointee.typeID"):])
TAIL_CALL_REF = CALL_REF.replace("CALL(callee, base, 3)", "TAIL_CALL(callee, base)")
assert TAIL_CALL_REF != CALL_REF

op("call_ref", "base:r ra:r type:u32", CALL_REF)
op("return_call_ref", "base:r ra:r type:u32", TAIL_CALL_REF)
op("call_ref_w", "base:R ra:r type:u32", CALL_REF)
op("return_call_ref_w", "base:R ra:r type:u32", TAIL_CALL_REF)
op("ref_as_non_null", "rd:r ra:r", "let ref = fp[ra]\nguard ref != 0 else { TRAP(.nullReference) }\nfp[rd] = ref\nNEXT")
op("ref_eq", "rd:r ra:r rb:r", "fp.setI32(rd, b2i(fp[ra] == fp[rb]))\nNEXT")
