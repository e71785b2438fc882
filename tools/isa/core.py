"""Shared machinery of the instruction table: the bytecode list, the field encoding, value access in handler
bodies."""

# ---------------------------------------------------------------------------------------------------------
# Bytecode instructions.
#
# Encoding: an instruction is one header slot (the opcode id on disk; the handler's address once loaded for
# threaded dispatch) followed by operand slots. Operand fields are packed into 64-bit slots in order, low bits
# first; a field never straddles two slots. Field kinds:
#   r   16-bit frame-slot index (a register)      u32 / i32  32-bit immediate (unsigned / signed)
#   v   16-bit index of the first of the two slots of a v128 (simd.py)
#   R   32-bit frame-slot index, for frames beyond 16-bit registers (wide.py)
#   off 32-bit signed branch offset, in slots, relative to the instruction's header slot
#   u64 64-bit immediate (a whole slot)
# Register fields named `rd`, `rd2` or `vd` are the ones an instruction writes (the cache's bytecode verifier
# relies on this); every other register field is only read. Calls, zero_slots and init_consts write ranges of
# slots. The body is Swift. In it, each field is a local of its name (r, v, R -> Int, u32 -> UInt32, i32 -> Int32,
# off -> Int, u64 -> UInt64); `fp` is the frame, `pc` the instruction, `st` the interpreter state. Bodies end with one of:
#   NEXT              continue with the following instruction
#   JUMP(x)           continue at pc + x (x in slots)
#   TRAP(code)        stop with a TrapCode
#   DISPATCH(p)       continue at instruction pointer p (calls and returns set fp themselves through `fpp`)

SWIFT_TYPE = {"i32": "UInt32", "i64": "UInt64", "f32": "Float", "f64": "Double"}
READ = {"i32": "fp.i32({})", "i64": "fp.i64({})", "f32": "fp.f32({})", "f64": "fp.f64({})"}
WRITE = {"i32": "fp.setI32({}, {})", "i64": "fp.setI64({}, {})", "f32": "fp.setF32({}, {})",
         "f64": "fp.setF64({}, {})"}

BYTECODE = []  # (name, [(field, kind)], body)


def op(name, fields, body):
    BYTECODE.append((name, [tuple(f.split(":")) for f in fields.split()], body))


def value_body(expr, result):
    """Body that computes `expr` (which may start with '?') and writes it to rd."""
    if expr.startswith("?"):
        e = expr[1:]
        trap = "divisionTrap(a, b)" if ("Div" in e or "Rem" in e) else "conversionTrap(Double(a))"
        return f"guard let r = {e} else {{ TRAP({trap}) }}\n{WRITE[result].format('rd', 'r')}\nNEXT"
    return f"{WRITE[result].format('rd', expr)}\nNEXT"
