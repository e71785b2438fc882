#pragma once
// The threaded-dispatch shims, generated from tools/isa/, and one helper the handlers need from C.
#include <stdbool.h>
#include <stdint.h>
#include "shims.generated.h"

/// `c ? x : y` compiled to a conditional move, never a branch: for a choice that branch predictors guess worst
/// (the compiler turns a Swift conditional whose value needs a load into a branch).
static inline __attribute__((always_inline)) uint64_t swasm_choose(bool c, uint64_t x, uint64_t y) {
  return __builtin_unpredictable(c) ? x : y;
}
