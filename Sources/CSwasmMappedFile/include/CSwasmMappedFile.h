#pragma once
// Read-only file mappings that survive their file being truncated. Reading a page of a mapping past the end of
// its file raises SIGBUS, which would kill the process; cache files are mapped, not read, and another process
// could truncate one in place while it is mapped (swasm itself only ever renames new files over old ones). For a
// registered mapping, the handler here puts a page of zeros where the missing page was and raises the mapping's
// `damaged` flag; the read goes on, and the reader checks the flag before it trusts what it read.
#include <stdbool.h>
#include <stddef.h>

/// Maps `length` bytes of the open file `fd` read-only and registers the mapping: returns its handle (>= 0) and
/// sets *start, or returns -1 when the file cannot be mapped or too many mappings are registered (the caller
/// then reads the file instead).
int swasm_map_file(int fd, size_t length, const void *_Nullable *_Nonnull start);

/// Whether a read of mapping `handle` found its file shorter than when it was mapped.
bool swasm_mapping_damaged(int handle);

/// Unregisters and unmaps mapping `handle`.
void swasm_unmap_file(int handle);
