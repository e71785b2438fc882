"""The pinned local: one integer local of an innermost loop kept in a machine register, `l0` (a handler argument),
besides its frame slot (derived from the instructions before, so imported right after the accumulator forms).

A loop-carried local goes through a store and a forwarded load on every iteration (several cycles on the chain
that carries it); read from a register, it does not. The translator (SwasmTranslator/PinnedLocalPass.swift) picks
per innermost loop without calls the local that its instructions read most, loads it into `l0` before the loop
(`l0_load`), and switches the loop's instructions that read it to their `_l0_<field>` form (the field read from
`l0`, not from the frame) and those that write it to their `_l0d` form (the result written to the slot and to
`l0`: the slot stays authoritative for everything else). The cache's verifier checks by a forward analysis that
`l0` holds the slot a form reads (SwasmCache/PinnedLocalVerification.swift).

Forms exist for the instructions loop bodies execute most (pair counts of CoreMark, the C workloads and CPython's
loop), not for all: a loop whose candidate local another instruction writes is not pinned, and a read by another
instruction stays a read of the slot.
"""
import re

from .core import BYTECODE, op
from .accumulators import ACC_WRITERS, ACC_FIELDS, ACC_FORMS

_CMP = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]
PINNED_BASES = (
    ["copy"]
    + [f"i32_{o}" for o in ("add", "sub", "mul", "and", "or", "xor")]
    + [f"{t}_{o}_ri" for t in ("i32", "i64") for o in ("add", "sub", "and", "or", "xor", "shl", "shr_u", "shr_s")]
    + ["i64_add", "i64_sub", "i32_mul_add_ri", "i32_add_shl", "i32_add_ri_br", "const32_add_ri_br", "select_and_ri"]
    + ["i32_load", "i32_load8_u", "i32_load8_s", "i32_load16_u", "i64_load", "i32_load_add", "i32_load_shl",
       "i32_store", "i32_store8", "i32_store16", "i64_store", "i32_store_add"]
    + ["br_i32_nez", "br_i32_eqz", "br_i64_nez", "br_i64_eqz"]
    + [f"br_i32_{p}{ri}" for p in _CMP for ri in ("", "_ri")]
)
_READS = {"fp.i32({})": "UInt32(truncatingIfNeeded: l0p.pointee)", "fp.i64({})": "l0p.pointee"}
_WRITES = ("fp.setI32(rd, acc: accp, ", "fp.setI64(rd, acc: accp, ")

L0_READ_FORMS = []  # (form, base, field): the read forms the translator picks from
L0_DEST_FORMS = []  # (form, base)
L0_READERS = {}  # every form that reads l0 (read forms, and the destination forms of read forms) -> (base, field)

# Before the loop: l0 = the pinned local. Reads it as a number (the verifier's types see a numeric read).
op("l0_load", "ra:r", "l0p.pointee = fp.i64(ra)\nNEXT")


def _derive():
    bodies = {name: (fields, body) for name, fields, body in BYTECODE}
    readers = []
    for base in PINNED_BASES:
        fields, body = bodies[base]
        readers.append((base, fields, body))
        for field, kind in fields:
            # Not the values a select chooses between, nor a copy's `rs`: as for the accumulator forms.
            if kind != "r" or field in ("rd", "rd2", "rx", "ry", "rs"):
                continue
            forms = {r.format(field): v for r, v in _READS.items()}
            used = sum(body.count(r) for r in forms)
            if used == 0 or used != len(re.findall(r"\b%s\b" % field, body)):
                continue
            form_body = body
            for r, v in forms.items():
                form_body = form_body.replace(r, v)
            form = f"{base}_l0_{field}"
            op(form, " ".join(f"{f}:{k}" for f, k in fields), form_body)
            L0_READ_FORMS.append((form, base, field))
            L0_READERS[form] = (base, field)
            readers.append((form, fields, form_body))
            if base in ACC_WRITERS:
                ACC_WRITERS[form] = ACC_WRITERS[base]
            if base in ACC_FIELDS:
                ACC_FIELDS[form] = ACC_FIELDS[base]
    # The accumulator forms of those instructions get destination forms too (not read forms): a loop-carried value
    # computed from the one just before it (a list's next node loaded through the pointer a copy just moved).
    readers += [(form, bodies[form][0], bodies[form][1]) for form, base, _, _ in ACC_FORMS if base in PINNED_BASES]
    for name, fields, body in readers:
        if sum(body.count(w) for w in _WRITES) != 1 or ACC_FIELDS.get(name, "rd") != "rd":
            continue
        form = f"{name}_l0d"
        form_body = body
        for w in _WRITES:
            form_body = form_body.replace(w, w + "l0: l0p, ")
        op(form, " ".join(f"{f}:{k}" for f, k in fields), form_body)
        L0_DEST_FORMS.append((form, name))
        if name in L0_READERS:
            L0_READERS[form] = L0_READERS[name]
        if name in ACC_WRITERS:
            ACC_WRITERS[form] = ACC_WRITERS[name]


_derive()
