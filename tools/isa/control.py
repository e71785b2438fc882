"""Control instructions (first: `halt` must be opcode 0), calls, the function prologue, copies and constants,
select, globals and references."""
from .core import op


# Always-present control instructions first: halt must be opcode 0 so that zeroed memory halts.
op("halt", "", "HALT")
op("unreachable", "", "TRAP(.unreachable)")
op("nop", "", "NEXT")
op("br", "off:off", "JUMP(off)")
# An unconditional branch right after an i32 add of a constant (`i++` at the end of a loop body or a switch case
# that jumps back to the loop's test): both in one instruction, which never falls through.
op("i32_add_ri_br", "rd:r ra:r imm:i32 off:off", "fp.setI32(rd, fp.i32(ra) &+ UInt32(bitPattern: imm))\nJUMP(off)")
op("br_table", "ra:r count:u32",  # followed by count+1 slots of offsets (the last is the default)
   "let i = min(fp.i32(ra), count)\nlet target = Int(Int64(bitPattern: pc[2 + Int(i)]))\nJUMP(target)")
op("ret", "", "RETURN")
# Calls within the module: the callee is Wasm code of the same instance, so there is no host or instance check.
op("call", "base:r fn:u32", "CALL_INTERNAL(st.pointee.localFunctions + Int(fn), base, 2)")
# Calls to imported functions: host functions or another instance's code.
op("call_import", "base:r fn:u32", "CALL(st.pointee.instance.pointee.functions[Int(fn)], base, 2)")
CALL_INDIRECT = ("let t = st.pointee.tables[Int(table)]\n"
                 "let i = fp.i64(ra)\n"  # an i32 index sits zero-extended in its slot (64-bit tables: memory64)
                 "guard i < UInt64(truncatingIfNeeded: t.pointee.count) else { TRAP(.undefinedElement) }\n"
                 "let ref = t.pointee.elements[Int(truncatingIfNeeded: i)]\n"
                 "guard ref != 0 else { TRAP(.uninitializedElement) }\n"
                 "let callee = UnsafeMutablePointer<FunctionEntry>(bitPattern: UInt(ref))!\n"
                 # Equal ids, or (rarely, only with GC's subtypes) a callee whose type is a subtype.
                 "guard callee.pointee.typeID == st.pointee.instance.pointee.typeIDs[Int(type)] || "
                 "functionTypeIsSubtype(st, callee.pointee.typeID, st.pointee.instance.pointee.typeIDs[Int(type)]) "
                 "else { TRAP(.indirectCallTypeMismatch) }\n"
                 "CALL(callee, base, 3)")
op("call_indirect", "base:r ra:r type:u32 table:u32", CALL_INDIRECT)
# Fuel metering (only emitted when the engine meters fuel): at function entry and loop headers, charge `cost`
# (the Wasm instructions the block runs straight through) and stop when fuel runs out.
op("fuel", "cost:u32", "st.pointee.fuel &-= Int64(cost)\nif _slowPath(st.pointee.fuel < 0) { TRAP(.outOfFuel) }\nNEXT")
# Function prologue: zero the declared locals; copy the constants (the `count` slots that follow) into the frame.
op("zero_slots", "rd:r count:u32", "zeroSlots(fp + rd, Int(count))\nNEXT_AFTER(0)")
op("init_consts", "rd:r count:u32", "copySlots(fp + rd, pc + 2, Int(count))\nNEXT_AFTER(Int(count))")
# Copies leave the value they write last in the integer accumulator, whatever its type (its bits, as the slot holds
# them): a loop-carried value moved into place is often the next instruction's operand (CoreMark's list reversal).
op("copy", "rd:r ra:r", "fp.setI64(rd, fp.i64(ra))\nNEXT")
op("copy2", "rd:r ra:r rd2:r ra2:r", "fp[rd] = fp[ra]\nfp.setI64(rd2, fp.i64(ra2))\nNEXT")
op("const32", "rd:r imm:u32", "fp[rd] = UInt64(imm)\nNEXT")
op("const64", "rd:r imm:u64", "fp[rd] = imm\nNEXT")
op("select", "rd:r rc:r ra:r rb:r", "fp[rd] = fp.i32(rc) != 0 ? fp[ra] : fp[rb]\nNEXT")
op("global_get", "rd:r idx:u32", "fp[rd] = st.pointee.instance.pointee.globals[Int(idx)].pointee\nNEXT")
op("global_set", "ra:r idx:u32", "st.pointee.instance.pointee.globals[Int(idx)].pointee = fp[ra]\nNEXT")
op("ref_func", "rd:r fn:u32",
   "fp[rd] = UInt64(UInt(bitPattern: st.pointee.instance.pointee.functions[Int(fn)]))\nNEXT")
op("ref_is_null", "rd:r ra:r", "fp.setI32(rd, b2i(fp[ra] == 0))\nNEXT")
