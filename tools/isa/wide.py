"""Frames of more than 65,536 slots: what register fields of 16 bits cannot name.

A function whose frame does not fit 16-bit registers (50,000 locals of v128, an operand stack deeper than 65,535
values) is translated in wide mode (SwasmTranslator/WideFrames.swift): every register an instruction names that lies
beyond slot 65,535 is staged through a slot of a small block below it, by the copies here, and the instructions
whose register starts a range of slots (a call's `base`, where the callee's frame begins) have a form whose field is
32 bits wide (`R`). Registered last: no other instruction's id moves, and frames that fit pay nothing.
"""
from .core import op
from .control import CALL_INDIRECT

op("copy_far_in", "rd:r far:R", "fp[rd] = fp[far]\nNEXT")
op("copy_far_out", "far:R ra:r", "fp[far] = fp[ra]\nNEXT")
op("call_w", "base:R fn:u32", "CALL_INTERNAL(st.pointee.localFunctions + Int(fn), base, 2)")
op("call_import_w", "base:R fn:u32", "CALL(st.pointee.instance.pointee.functions[Int(fn)], base, 2)")
op("call_indirect_w", "base:R ra:r type:u32 table:u32", CALL_INDIRECT)
