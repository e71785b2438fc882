#ifndef CSWASM_XXH3_H
#define CSWASM_XXH3_H

#include <stddef.h>
#include <stdint.h>

/// XXH3, 64-bit (xxHash 0.8), of `count` bytes with `seed`: the checksum of cache files and source records.
uint64_t swasm_xxh3_64(const void *_Nullable data, size_t count, uint64_t seed);

/// The same, compiled for the baseline of the target (SSE2 on x86-64) whatever the machine has: for the tests.
uint64_t swasm_xxh3_64_portable(const void *_Nullable data, size_t count, uint64_t seed);

#endif
