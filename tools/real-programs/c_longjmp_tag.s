# The exception tag C's longjmp throws when clang lowers setjmp/longjmp to Wasm exception handling
# (-mllvm -wasm-enable-sjlj): wasi-libc's setjmp runtime refers to it, and zig's wasi-libc does not define it.
# Its payload is the i32 address of the longjmp's arguments.
	.tagtype	__c_longjmp i32
	.globl	__c_longjmp
__c_longjmp:
