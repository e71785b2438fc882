#pragma once
// Out-of-bounds linear-memory accesses as faults: the interpreter's loads and stores do not compare addresses
// with the memory's size; every memory lives at the start of an address-space reservation large enough for any
// address a load or store can form, whose inaccessible part faults. This C target turns such a fault, and only
// such a fault, into a return from swasm_run_guarded. Nothing else lives here.
#include <stdbool.h>
#include <stdint.h>

/// Bytes reserved for every linear memory: a 32-bit address plus a 32-bit static offset plus the widest access
/// (8 bytes) stays below 2^33 + 8, so every effective address falls inside the reservation.
static const uint64_t swasm_guarded_reservation = (uint64_t)1 << 33 | (uint64_t)65536;

typedef void (*swasm_guarded_body)(void *_Nonnull context);

/// Runs body(context) on this thread. Returns false when it returned normally, true when it was cut short by an
/// access fault inside the reservation that starts at `*memory_base` (read at the time of the fault: the
/// interpreter updates it when a call switches instances). Calls nest (a host function may run Wasm code again);
/// a fault anywhere else is passed on to the handler that was installed before (by default: the process dies).
bool swasm_run_guarded(swasm_guarded_body _Nonnull body, void *_Nonnull context,
                       uint8_t *_Nonnull const volatile *_Nonnull memory_base);

/// Host code called from Wasm runs outside the guard: a fault there is a bug in the host, and must not be taken
/// for a guest's out-of-bounds access (jumping over the host's frames would skip their cleanup). Returns the
/// current run, to hand back to swasm_guard_resume when the host function returns.
void *_Nullable swasm_guard_suspend(void);
void swasm_guard_resume(void *_Nullable run);
