"""The accumulator forms, derived from every instruction registered before them (so imported last)."""
import re

from .core import BYTECODE


# ---------------------------------------------------------------------------------------------------------
# The accumulators: handler arguments (machine registers) that carry a value from one instruction to the next,
# `acc` for integers and `facc` for f64 values. Every instruction that writes an integer result to `rd` (through
# fp.setI32/fp.setI64) also leaves that result, exactly as stored in the slot, in `acc`; every one that writes an
# f64 (fp.setF64) leaves it in `facc`. An instruction that reads the slot the instruction just before it wrote can
# take the value from the accumulator instead: the `<name>_acc_<field>` and `<name>_facc_<field>` forms below are
# their base instruction with the same fields and layout, except that field `<field>` is not read from the frame.
# That takes the store-to-load round trip through memory (several cycles) off every dependent chain.
# The translator picks a form only when the previous instruction writes that accumulator, its `rd` is that field,
# and nothing branches to the instruction (SwasmTranslator/AccumulatorPass.swift): then both forms compute the
# same. The cache's bytecode verifier checks the same rule. f32 values stay out of it: widening them to a double
# register would not keep every NaN's bits.
ACCUMULATORS = {  # name -> (pointer argument, slot writers, {slot read: accumulator read})
    "acc": ("accp", ("fp.setI32(rd, ", "fp.setI64(rd, "),
            {"fp.i32({})": "UInt32(truncatingIfNeeded: accp.pointee)", "fp.i64({})": "accp.pointee",
             "fp[{}]": "accp.pointee"}),
    "facc": ("faccp", ("fp.setF64(rd, ",), {"fp.f64({})": "faccp.pointee"}),
}
ACCUMULATOR_IDS = {"acc": 1, "facc": 2}  # the generated `Accumulator` enum's raw values (0: none)
ACC_WRITERS = {}      # instruction name -> the accumulator it writes
ACC_FIELDS = {}       # instruction name -> the field whose value it leaves there, when not `rd` (`copy2`: `rd2`)
ACC_FORMS = []        # (form name, base name, field, accumulator read)
_NOT_ACC_READERS = ("call", "table_", "memory_", "global_", "ref_", "copy", "fuel", "zero_slots", "init_consts",
                    "ret", "halt", "load_code")


def _accumulator_forms():
    for i, (name, fields, body) in enumerate(list(BYTECODE)):
        for acc, (pointer, writes, _) in ACCUMULATORS.items():
            for w in writes:
                for field, pattern in (("rd", w), ("rd2", w.replace("(rd, ", "(rd2, "))):
                    if pattern in body:
                        assert name not in ACC_WRITERS or ACC_FIELDS.get(name, "rd") == field, name + ": one field"
                        ACC_WRITERS[name] = acc
                        if field != "rd":
                            ACC_FIELDS[name] = field
                        body = body.replace(pattern, pattern + f"{acc}: {pointer}, ")
        BYTECODE[i] = (name, fields, body)
    for name, fields, body in list(BYTECODE):
        if name.startswith(_NOT_ACC_READERS) or name == "select":
            continue

        for field, kind in fields:
            # Not the values a select chooses between: with one in a register, the compiler turns the choice into
            # a branch, and those choices are what branch predictors guess worst.
            # Nor a copy's source (`rs`), moved as it is whatever it holds.
            if kind != "r" or field in ("rd", "rd2", "rx", "ry", "rs"):
                continue
            for acc, (_, _, reads) in ACCUMULATORS.items():
                forms = {r.format(field): v for r, v in reads.items()}
                used = sum(body.count(r) for r in forms)
                if used == 0 or used != len(re.findall(r"\b%s\b" % field, body)):
                    continue  # the field is not read this way, or is used otherwise too
                form_body = body
                for r, v in forms.items():
                    form_body = form_body.replace(r, v)
                form = f"{name}_{acc}_{field}"
                BYTECODE.append((form, fields, form_body))
                ACC_FORMS.append((form, name, field, acc))
                if name in ACC_WRITERS:
                    ACC_WRITERS[form] = ACC_WRITERS[name]
                if name in ACC_FIELDS:
                    ACC_FIELDS[form] = ACC_FIELDS[name]


_accumulator_forms()
