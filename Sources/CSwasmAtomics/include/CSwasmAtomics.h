// Sequentially consistent atomic operations on guest memory (the threads proposal), for the generated handlers
// of tools/isa/atomics.py: one inline function per operation and width, each one instruction or a short loop on
// x86-64 and arm64. The caller has checked bounds and alignment.
#pragma once
#include <stdint.h>

#define SWASM_ATOMICS(BITS)                                                                                      \
  static inline uint##BITS##_t swasm_atomic_load##BITS(const void *p) {                                          \
    return __atomic_load_n((const uint##BITS##_t *)p, __ATOMIC_SEQ_CST);                                         \
  }                                                                                                              \
  static inline void swasm_atomic_store##BITS(void *p, uint##BITS##_t v) {                                       \
    __atomic_store_n((uint##BITS##_t *)p, v, __ATOMIC_SEQ_CST);                                                  \
  }                                                                                                              \
  static inline uint##BITS##_t swasm_atomic_add##BITS(void *p, uint##BITS##_t v) {                               \
    return __atomic_fetch_add((uint##BITS##_t *)p, v, __ATOMIC_SEQ_CST);                                         \
  }                                                                                                              \
  static inline uint##BITS##_t swasm_atomic_sub##BITS(void *p, uint##BITS##_t v) {                               \
    return __atomic_fetch_sub((uint##BITS##_t *)p, v, __ATOMIC_SEQ_CST);                                         \
  }                                                                                                              \
  static inline uint##BITS##_t swasm_atomic_and##BITS(void *p, uint##BITS##_t v) {                               \
    return __atomic_fetch_and((uint##BITS##_t *)p, v, __ATOMIC_SEQ_CST);                                         \
  }                                                                                                              \
  static inline uint##BITS##_t swasm_atomic_or##BITS(void *p, uint##BITS##_t v) {                                \
    return __atomic_fetch_or((uint##BITS##_t *)p, v, __ATOMIC_SEQ_CST);                                          \
  }                                                                                                              \
  static inline uint##BITS##_t swasm_atomic_xor##BITS(void *p, uint##BITS##_t v) {                               \
    return __atomic_fetch_xor((uint##BITS##_t *)p, v, __ATOMIC_SEQ_CST);                                         \
  }                                                                                                              \
  static inline uint##BITS##_t swasm_atomic_xchg##BITS(void *p, uint##BITS##_t v) {                              \
    return __atomic_exchange_n((uint##BITS##_t *)p, v, __ATOMIC_SEQ_CST);                                        \
  }                                                                                                              \
  /* The value found (equal to `expected` when the exchange happened). */                                        \
  static inline uint##BITS##_t swasm_atomic_cmpxchg##BITS(void *p, uint##BITS##_t expected,                      \
                                                          uint##BITS##_t replacement) {                          \
    __atomic_compare_exchange_n((uint##BITS##_t *)p, &expected, replacement, 0, __ATOMIC_SEQ_CST,                \
                                __ATOMIC_SEQ_CST);                                                               \
    return expected;                                                                                             \
  }

SWASM_ATOMICS(8)
SWASM_ATOMICS(16)
SWASM_ATOMICS(32)
SWASM_ATOMICS(64)

static inline void swasm_atomic_fence(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
