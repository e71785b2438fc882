#!/usr/bin/env python3
"""Runs a WASI program under wasmtime (PyPI `wasmtime`), with the same options as `swasm run`, so that outputs can
be compared: run-wasmtime.py [--dir HOST::GUEST]... [--env NAME=VALUE]... FILE.wasm [ARGS...]
Prints the guest's stdout and stderr, and exits with its exit code."""
import os, sys, tempfile, wasmtime

args = sys.argv[1:]
dirs, env = [], []
while args and args[0] in ("--dir", "--env"):
    (dirs if args[0] == "--dir" else env).append(args[1])
    args = args[2:]
program, program_args = args[0], args[1:]

config = wasmtime.WasiConfig()
config.argv = [program] + program_args
config.env = [tuple(e.split("=", 1)) for e in env]
for d in dirs:
    host, _, guest = d.partition("::")
    config.preopen_dir(host, guest or host)
with tempfile.TemporaryDirectory() as tmp:
    out, err = os.path.join(tmp, "out"), os.path.join(tmp, "err")
    config.stdout_file, config.stderr_file = out, err
    engine_config = wasmtime.Config()
    engine_config.wasm_exceptions = True  # programs whose setjmp/longjmp are Wasm exceptions
    engine = wasmtime.Engine(engine_config)
    store = wasmtime.Store(engine)
    store.set_wasi(config)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    code = 0
    try:
        instance = linker.instantiate(store, wasmtime.Module.from_file(engine, program))
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        code = e.code
    except wasmtime.Trap as e:
        code = 134
    sys.stdout.write(open(out).read())
    sys.stdout.flush()
    sys.stderr.write(open(err).read())
sys.exit(code)
