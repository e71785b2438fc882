/* No setjmp in wasm32-wasi without exception handling: Lua is built with LUAI_THROW = abort(). */
typedef int jmp_buf[1];
