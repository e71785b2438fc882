# wasi_thread_start, the export a wasi-threads host calls on each new thread (thread id, start argument): gives
# the thread the stack its start argument names before any C code runs, then calls thread_main (threads.c).
	.text
	.export_name	wasi_thread_start, wasi_thread_start
	.globaltype	__stack_pointer, i32
	.functype	thread_main (i32, i32) -> ()
	.globl	wasi_thread_start
	.type	wasi_thread_start,@function
wasi_thread_start:
	.functype	wasi_thread_start (i32, i32) -> ()
	local.get	1
	i32.load	0
	global.set	__stack_pointer
	local.get	0
	local.get	1
	call	thread_main
	end_function
