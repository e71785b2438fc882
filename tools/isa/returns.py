"""Returning forms: a value instruction whose result is the function's result, and the return, in one instruction
(registered before the accumulator forms, which are derived for them too).

A small function ends by computing its result into slot 0 and returning (`return a + 1`, `return (a * 31 + b) ^
c`, a comparison's 0 or 1): one dispatch fewer per call. The translator uses the `<name>_ret` form when the
instruction it would follow with `ret` computed the result straight into slot 0 (ControlTranslation.swift,
`emitReturn`). The form is its base instruction with the same fields, followed by the return; the cache's verifier
checks its writes, then the results, as it does for the two (BytecodeVerifier.swift).

The bases are the value instructions found just before `ret` in the pair counts (the leaf functions of the calls
and indirect workloads, Lua's and QuickJS's small helpers); the others keep a separate `ret`.
"""
from .core import BYTECODE

RETURNING_BASES = ["i32_add", "i32_add_ri", "i32_sub", "i32_mul", "i32_and", "i32_and_ri", "i32_or", "i32_or_ri",
                   "i32_xor", "i32_shr_u_ri", "i64_add", "i64_lt_s", "select_i32_lt_u"]
RETURNING_FORMS = {}  # base name -> its returning form's name (tools/generate.py adds the accumulator forms' pairs)


def _returning_forms():
    bodies = {name: (fields, body) for name, fields, body in BYTECODE}
    for base in RETURNING_BASES:
        fields, body = bodies[base]
        assert body.endswith("\nNEXT") and body.count("NEXT") == 1, base + ": one NEXT, last"
        form = base + "_ret"
        BYTECODE.append((form, fields, body[: -len("NEXT")] + "RETURN"))
        RETURNING_FORMS[base] = form


_returning_forms()
