#ifndef CSWASM_SHA256_H
#define CSWASM_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// The compression function: `blocks` 64-byte blocks into `state`.
typedef void (*swasm_sha256_compress_function)(uint32_t state[_Nonnull 8], const uint8_t *_Nonnull block, size_t blocks);

/// SHA-256 (FIPS 180-4), incremental: init, update any number of times, final.
typedef struct {
  swasm_sha256_compress_function _Nullable compress;  // the SHA extensions' where the processor has them, else portable C
  uint32_t state[8];
  uint64_t length;      // bytes hashed so far
  uint8_t buffer[64];   // a partial block
  size_t buffered;
} swasm_sha256_context;

void swasm_sha256_init(swasm_sha256_context *_Nonnull context);
/// `swasm_sha256_init` with the portable compression function whatever the processor (for tests).
void swasm_sha256_init_portable(swasm_sha256_context *_Nonnull context);
void swasm_sha256_update(swasm_sha256_context *_Nonnull context, const void *_Nullable data, size_t count);
void swasm_sha256_final(swasm_sha256_context *_Nonnull context, uint8_t digest[_Nonnull 32]);

#endif
