"""Tail calls (`return_call`, `return_call_indirect`; Wasm 3.0): the callee takes over the caller's frame.

The arguments sit in the caller's topmost temporaries, as for a call (`base`); the handler moves them down to the
frame's first slots, makes the frame the callee's and enters the callee's code. The return address and the
caller's frame pointer stay those of the frame's caller, so the callee's results land where that caller expects
them and a chain of tail calls runs in constant stack. Registered after every other family: no id moves.
SwasmRuntime/Engine/TailCalls.swift has the shared parts.
"""
from .core import op
from .control import CALL_INDIRECT

TAIL_CALL_INDIRECT = CALL_INDIRECT.replace("CALL(callee, base, 3)", "TAIL_CALL(callee, base)")
assert TAIL_CALL_INDIRECT != CALL_INDIRECT

# A function of the same module: Wasm code of the current instance.
op("return_call", "base:r fn:u32", "TAIL_CALL_INTERNAL(st.pointee.localFunctions + Int(fn), base)")
# An imported function: a host function (called, then the frame returns) or another instance's code.
op("return_call_import", "base:r fn:u32", "TAIL_CALL(st.pointee.instance.pointee.functions[Int(fn)], base)")
op("return_call_indirect", "base:r ra:r type:u32 table:u32", TAIL_CALL_INDIRECT)
# Frames beyond 16-bit registers (wide.py): the arguments start past slot 65,535.
op("return_call_w", "base:R fn:u32", "TAIL_CALL_INTERNAL(st.pointee.localFunctions + Int(fn), base)")
op("return_call_import_w", "base:R fn:u32", "TAIL_CALL(st.pointee.instance.pointee.functions[Int(fn)], base)")
op("return_call_indirect_w", "base:R ra:r type:u32 table:u32", TAIL_CALL_INDIRECT)
