"""Exception handling (Wasm 3.0 and the legacy instructions): throwing. Catching costs no instruction: a function's
handlers are a table at the start of its code (`handler_table`, SwasmBytecode/HandlerTable.swift), which the
unwinder (SwasmRuntime/Exceptions/Unwinder.swift) searches when something is thrown. Registered after every other
family: no id moves.
"""
from .core import op

# The handler table: data at the start of a function's code, before its entry; never executed. Its `count` slots
# follow (trailing slots, like br_table's offsets).
op("handler_table", "count:u32", "TRAP(.unreachable)")
# `throw tag`: a new exception of the module's tag `tag`, its payload the slots from `base` on (as a call's
# arguments are staged).
THROW = ("let w = throwNewException(pcp, fpp, st, tag: Int(tag), payload: base)\n"
         "memp.pointee = st.pointee.memBase\nreturn w")
op("throw_tag", "base:r tag:u32", THROW)
# `throw_ref`, and the legacy `rethrow` (of the exception a handler body keeps in a slot): traps on null.
op("throw_ref", "ra:r",
   "let w = throwExceptionReference(pcp, fpp, st, fp[ra])\nmemp.pointee = st.pointee.memBase\nreturn w")
# Frames beyond 16-bit registers (wide.py): the payload starts past slot 65,535.
op("throw_tag_w", "base:R tag:u32", THROW)
