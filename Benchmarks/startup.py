#!/usr/bin/env python3
"""Start-up of large real programs, three ways side by side (issue: the translation cache):

  swasm cold   `swasm run PROGRAM`: decode, validate, translate, instantiate, run
  swasm warm   `swasm run --cache-dir DIR PROGRAM` with the entry already written
  in-process   the same entry loaded, instantiated and run again and again inside one running process
               (Benchmarks/inprocess, built here: the embedding API, as an embedder loads modules)
  wasmtime     a module precompiled with Module.serialize, loaded with Module.deserialize (Python API)

For swasm: whole-process wall time, the in-process time from the start of loading to the end of instantiation,
and to the end of _start (both printed by --verbose; a cached module's functions are decoded and verified on
their first call, so the second includes that deferred work). In-process: the same two times, medians over
repetitions inside one process, each with a new engine and store (the entry is read, checked, decompressed and
verified every time), which are the conditions of the wasmtime column. For wasmtime: the in-process time of deserialize + instantiate, and of
deserialize + instantiate + running _start (its process is a Python interpreter, whose own start-up would
dominate). The program runs are short, so "run" times are start-up times. Also reports the cache entry's size next
to the .wasm size, and swasm's translation speed.

Usage: Benchmarks/startup.py [--reps N] [PROGRAM.wasm[:ARGS] ...]   (defaults: the largest WASI suite program
and the Lua and QuickJS interpreters from tools/build-real-programs.sh, printing a line)
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SWASM_SHARED", os.path.join(ROOT, "..", "shared"))
SWASM = os.environ.get("SWASM", os.path.join(ROOT, ".build/release/swasm"))
INPROCESS_PACKAGE = os.path.join(ROOT, "Benchmarks/inprocess")
ROUNDS = 5  # alternating rounds of the two in-process measurements


def build_inprocess():
    """Builds (or brings up to date) the in-process benchmark; returns its path, or None when it does not build."""
    p = subprocess.run(["swift", "build", "-c", "release", "--package-path", INPROCESS_PACKAGE],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        print(f"(in-process benchmark not built: {p.stdout.strip().splitlines()[-1:]})", file=sys.stderr)
        return None
    return os.path.join(INPROCESS_PACKAGE, ".build/release/inprocess-startup")


def inprocess_times(binary, cache, program, program_args, reps):
    """Median (load+instantiate ms, load+instantiate+_start ms) of `reps` warm starts inside one process."""
    if binary is None:
        return float("nan"), float("nan")
    p = subprocess.run([binary, str(reps), cache, program] + program_args, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"inprocess-startup failed: {p.stderr}")
    load, run = p.stdout.split()
    return float(load), float(run)


def default_programs(scratch):
    programs = []
    rust = os.path.join(SHARED, "wasi-testsuite/rust/poll_oneoff_stdio.wasm")
    if os.path.exists(rust):
        programs.append((rust, []))
    for name, script in (("lua", 'print("hello from lua")\n'), ("qjs", 'print("hello from quickjs");\n')):
        program = os.path.join(ROOT, f".build-programs/{name}.wasm")
        if os.path.exists(program):
            with open(os.path.join(scratch, f"hello-{name}"), "w") as f:
                f.write(script)
            programs.append((program, ["--dir", scratch + "::/work", f"/work/hello-{name}"]))
    return programs


def run_swasm(args, program, program_args):
    """Runs swasm once: (wall seconds, in-process load+instantiate ms, load+instantiate+_start ms)."""
    dir_options = []
    rest = []
    i = 0
    while i < len(program_args):
        if program_args[i] == "--dir":
            dir_options += program_args[i:i + 2]
            i += 2
        else:
            rest.append(program_args[i])
            i += 1
    command = [SWASM, "run", "--verbose"] + args + dir_options + [program] + rest
    start = time.perf_counter()
    p = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"swasm failed ({p.returncode}): {' '.join(command)}\n{p.stderr}")
    m = re.search(r"loaded and instantiated in ([0-9.]+) ms", p.stderr)
    r = re.search(r"loaded, instantiated and ran _start in ([0-9.]+) ms", p.stderr)
    return wall, float(m.group(1)) if m else float("nan"), float(r.group(1)) if r else float("nan")


def code_section_size(path):
    """Bytes of the module's code section (what the translator reads; the rest is declarations and custom
    sections such as debug information)."""
    data = open(path, "rb").read()
    at = 8
    while at < len(data):
        section_id = data[at]
        at += 1
        size = shift = 0
        while True:
            byte = data[at]
            at += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        if section_id == 10:
            return size
        at += size
    return 0


def wasmtime_times(program, program_args, reps):
    import wasmtime
    engine = wasmtime.Engine()
    module = wasmtime.Module.from_file(engine, program)
    serialized = os.path.join(tempfile.mkdtemp(), "module.cwasm")
    with open(serialized, "wb") as f:
        f.write(module.serialize())
    guest_args = [a for i, a in enumerate(program_args)
                  if a != "--dir" and (i == 0 or program_args[i - 1] != "--dir")]
    dirs = [program_args[i + 1] for i, a in enumerate(program_args) if a == "--dir"]
    load, total = [], []
    for _ in range(reps):
        start = time.perf_counter()
        m = wasmtime.Module.deserialize_file(engine, serialized)
        store = wasmtime.Store(engine)
        wasi = wasmtime.WasiConfig()
        wasi.argv = [program] + guest_args
        for d in dirs:
            host, guest = d.split("::")
            wasi.preopen_dir(host, guest)
        store.set_wasi(wasi)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        instance = linker.instantiate(store, m)
        loaded = time.perf_counter()
        try:
            instance.exports(store)["_start"](store)
        except wasmtime.ExitTrap:
            pass
        done = time.perf_counter()
        load.append((loaded - start) * 1000)
        total.append((done - start) * 1000)
    return statistics.median(load), statistics.median(total), os.path.getsize(serialized)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("programs", nargs="*", help="PROGRAM.wasm, optionally followed by :ARG:ARG...")
    options = parser.parse_args()
    scratch = tempfile.mkdtemp()
    programs = [(p.split(":")[0], p.split(":")[1:]) for p in options.programs] or default_programs(scratch)
    if not os.path.exists(SWASM):
        sys.exit(f"{SWASM} not found: run tools/setup.sh")

    inprocess = build_inprocess()
    speeds, ratios, sizes = [], [], []
    print(f"{'program':<24} {'wasm':>9} {'entry':>8} | {'swasm cold':>23} | {'swasm warm':>23} | "
          f"{'swasm in-proc':>15} | {'wasmtime':>15} | cold/warm")
    print(f"{'':<24} {'bytes':>9} {'bytes':>8} | {'wall':>7} {'load':>7} {'+run':>7} | "
          f"{'wall':>7} {'load':>7} {'+run':>7} | {'load':>7} {'+run':>7} | {'load':>7} {'+run':>7} | load, +run")
    for program, program_args in programs:
        cache = tempfile.mkdtemp()
        run_swasm(["--cache-dir", cache], program, program_args)  # writes the entry
        cold_wall, cold_load, cold_run, warm_wall, warm_load, warm_run = [], [], [], [], [], []
        for _ in range(options.reps):  # interleaved
            w, l, r = run_swasm([], program, program_args)
            cold_wall.append(w * 1000)
            cold_load.append(l)
            cold_run.append(r)
            w, l, r = run_swasm(["--cache-dir", cache], program, program_args)
            warm_wall.append(w * 1000)
            warm_load.append(l)
            warm_run.append(r)
        entry = sum(os.path.getsize(os.path.join(cache, f)) for f in os.listdir(cache) if f.endswith(".swasmc"))
        # The two in-process measurements alternate in rounds (this host's speed drifts within seconds): each
        # column is the median of the rounds' medians, and the ratios are taken round by round.
        rounds = []
        for _ in range(ROUNDS):
            ip = inprocess_times(inprocess, cache, program, program_args, options.reps)
            try:
                *wt, cwasm = wasmtime_times(program, program_args, options.reps)
            except ImportError:
                wt, cwasm = (float("nan"), float("nan")), 0
            rounds.append((ip, wt))
        sizes.append(f"{os.path.basename(program)}: {cwasm} bytes")
        med = statistics.median
        ip_load, ip_total = med(r[0][0] for r in rounds), med(r[0][1] for r in rounds)
        wt_load, wt_total = med(r[1][0] for r in rounds), med(r[1][1] for r in rounds)
        ratios.append(f"{os.path.basename(program)}: load {med(r[0][0] / r[1][0] for r in rounds):.2f}, "
                      f"+run {med(r[0][1] / r[1][1] for r in rounds):.2f}")
        print(f"{os.path.basename(program):<24} {os.path.getsize(program):>9} {entry:>8} | "
              f"{med(cold_wall):>7.2f} {med(cold_load):>7.2f} {med(cold_run):>7.2f} | "
              f"{med(warm_wall):>7.2f} {med(warm_load):>7.2f} {med(warm_run):>7.2f} | "
              f"{ip_load:>7.2f} {ip_total:>7.2f} | {wt_load:>7.2f} {wt_total:>7.2f} | "
              f"{med(cold_load) / med(warm_load):>5.1f}x, {med(cold_run) / med(warm_run):>4.1f}x")
        code = code_section_size(program)
        speeds.append(f"{os.path.basename(program)}: {code / 1e6 / (med(cold_load) / 1e3):.1f} MB/s of code section "
                      f"({code} bytes), {os.path.getsize(program) / 1e6 / (med(cold_load) / 1e3):.1f} MB/s of .wasm")
        shutil.rmtree(cache)
    print("(times in ms; in-proc: swasm's warm start repeated inside one process, as wasmtime's is)")
    print(f"swasm in-process / wasmtime, medians of {ROUNDS} alternating rounds' ratios: " + "; ".join(ratios))
    print("translation speed (cold load: read, decode, validate, translate, instantiate): " + "; ".join(speeds))
    print("wasmtime's precompiled modules (Module.serialize), beside the swasm entries above: " + "; ".join(sizes))
    baseline = [0.0] * options.reps
    for i in range(options.reps):
        start = time.perf_counter()
        subprocess.run([SWASM, "--version"], stdout=subprocess.DEVNULL)
        baseline[i] = (time.perf_counter() - start) * 1000
    print(f"(process start-up of swasm itself, `swasm --version`: {statistics.median(baseline):.2f} ms wall)")


if __name__ == "__main__":
    main()
