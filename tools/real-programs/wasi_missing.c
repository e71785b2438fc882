/* wasi-libc has no temporary files: io.tmpfile() reports failure. */
#include <errno.h>
#include <stdio.h>
FILE *tmpfile(void) { errno = ENOTSUP; return 0; }
