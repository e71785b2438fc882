#!/usr/bin/env python3
"""Runs the benchmark programs under swasm and peer runtimes, interleaved, and prints median wall times.

usage: Benchmarks/run.py [--reps N] [PROGRAM...]     (programs: Benchmarks/out/*.wasm, built by build.sh)

Engines (each skipped with "n/a" when missing):
  swasm     .build/release/swasm run --invoke run FILE        (tools/setup.sh builds it)
  wasmkit   WasmKit 0.4.2's CLI: wasmkit-cli run FILE run     (Benchmarks/peers.sh builds it)
  wasm3     PyPI pywasm3
  wasmtime  PyPI wasmtime (Cranelift JIT)
Every engine must return the same checksum from `run`; a mismatch is reported.
"""
import argparse, glob, os, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.environ.get("SWASM_PEERS", "/work/peers")
WASMKIT = os.path.join(PEERS, "WasmKit/.build/release/wasmkit-cli")

WASM3_SCRIPT = """
import sys, wasm3
env = wasm3.Environment(); rt = env.new_runtime(64 * 1024 * 1024)
rt.load(env.parse_module(open(sys.argv[1], 'rb').read()))
print(rt.find_function('run')() & 0xFFFFFFFF)
"""
WASMTIME_SCRIPT = """
import sys, wasmtime
store = wasmtime.Store(); module = wasmtime.Module.from_file(store.engine, sys.argv[1])
print(wasmtime.Instance(store, module, []).exports(store)['run'](store) & 0xFFFFFFFF)
"""


def engines():
    out = {}
    swasm = os.path.join(ROOT, ".build/release/swasm")
    if os.path.exists(swasm):
        out["swasm"] = lambda f: [swasm, "run", "--invoke", "run", f]
    if os.path.exists(WASMKIT):
        out["wasmkit"] = lambda f: [WASMKIT, "run", f, "run"]
    for name, script, module in (("wasm3", WASM3_SCRIPT, "wasm3"), ("wasmtime", WASMTIME_SCRIPT, "wasmtime")):
        if subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0:
            out[name] = (lambda s: lambda f: [sys.executable, "-c", s, f])(script)
    return out


def checksum(text):
    """The last number printed: engines print results differently (`[i32: 5]`, `5`)."""
    digits = "".join(c if c.isdigit() or c == "-" else " " for c in text).split()
    return (int(digits[-1]) & 0xFFFFFFFF) if digits else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("programs", nargs="*")
    args = ap.parse_args()
    programs = args.programs or sorted(glob.glob(os.path.join(ROOT, "Benchmarks/out/*.wasm")))
    if not programs:
        sys.exit("no programs: run Benchmarks/build.sh first")
    available = engines()
    names = ["swasm", "wasmkit", "wasm3", "wasmtime"]
    print(f"engines: {', '.join(n for n in names if n in available)}; {args.reps} repetitions, interleaved")
    rows = []
    for program in programs:
        times = {n: [] for n in available}
        sums = {}
        for _ in range(args.reps):
            for name, command in available.items():
                start = time.perf_counter()
                r = subprocess.run(command(program), capture_output=True, text=True)
                elapsed = time.perf_counter() - start
                if r.returncode != 0:
                    sums[name] = "error: " + (r.stderr.strip().splitlines() or ["?"])[-1]
                    continue
                times[name].append(elapsed)
                sums[name] = checksum(r.stdout)
        rows.append((os.path.basename(program), {n: statistics.median(t) for n, t in times.items() if t}, sums))
    header = f"{'program':<14}" + "".join(f"{n:>12}" for n in names) + "   wasmkit/swasm"
    print(header)
    for program, med, sums in rows:
        line = f"{program:<14}" + "".join(f"{med[n]:>11.3f}s" if n in med else f"{'n/a':>12}" for n in names)
        if "swasm" in med and "wasmkit" in med:
            line += f"   {med['wasmkit'] / med['swasm']:>6.2f}x"
        print(line)
        if len({s for s in sums.values()}) > 1:
            print(f"  CHECKSUM MISMATCH: {sums}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
