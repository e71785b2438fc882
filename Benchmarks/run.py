#!/usr/bin/env python3
"""Runs the benchmark suite under swasm and peer runtimes, interleaved, and prints a table of median times.

usage: Benchmarks/run.py [--reps N] [--engines swasm,wasmkit,...] [WORKLOAD...]

Builds what is missing first (the suite with Benchmarks/suite/build.sh, the real programs with
tools/build-real-programs.sh, the SIMD workloads with Benchmarks/simd/build.sh); the engines must be installed
(tools/setup.sh, Benchmarks/peers.sh).

Without WORKLOAD names it runs the suite and the real programs. The SIMD workloads run only when named:
simd/NAME (built with -msimd128) and simd/NAME.scalar (the same source without SIMD), or "simd" for all of them;
a table of SIMD speedups (time of the scalar build / time of the SIMD build) follows for each pair that ran.
The exception-handling workloads also run only when named (exceptions/plain, exceptions/try, exceptions/unwind,
or "exceptions"): one module, Benchmarks/exceptions/exceptions.wat, assembled with `wasm-tools parse`.
The GC workloads likewise (gc/trees, gc/lists, or "gc"): Benchmarks/gc/gc.wat, run by swasm and wasmtime (with
its GC enabled) only.

Engines (each "n/a" when missing; the peers are built from their sources by Benchmarks/peers.sh in $SWASM_PEERS):
  swasm     .build/release/swasm run FILE
  wasmkit   WasmKit 0.4.2's CLI: wasmkit-cli run FILE
  wasm3     wasm3, native, with its simple WASI (which shows the working folder as `/`: the real programs run
            from a folder holding their scripts' folder); no SIMD or exceptions: n/a for those
  wamr      WAMR's fast interpreter, iwasm (no SIMD or exceptions in this build: n/a for those)
  wasmtime  PyPI wasmtime (Cranelift JIT), WASI from wasmtime
CoreMark (`coremark`, built by Benchmarks/suite/build.sh from EEMBC's sources) runs a fixed number of iterations
with the seeds of a performance run; its output is compared on its CRC lines (its timing lines differ).
Every workload prints a checksum; every engine's output must equal wasmtime's, or the row says MISMATCH.
Times are whole-process wall times; peak memory is the largest resident set of the engine's process.
"""
import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.environ.get("SWASM_PEERS", "/work/peers")
SWASM = os.path.join(ROOT, ".build/release/swasm")
WASMKIT = os.path.join(PEERS, "WasmKit/.build/release/wasmkit-cli")
WASM3 = os.path.join(PEERS, "wasm3/wasm3")
WAMR = os.path.join(PEERS, "wasm-micro-runtime/product-mini/platforms/linux/build/iwasm")
COREMARK_ARGS = ["0x0", "0x0", "0x66", "6000"]  # the seeds of a performance run, then the iteration count
SUITE = os.path.join(ROOT, "Benchmarks/out/suite")
SIMD = os.path.join(ROOT, "Benchmarks/out/simd")
EXCEPTIONS_SOURCE = os.path.join(ROOT, "Benchmarks/exceptions/exceptions.wat")
EXCEPTIONS = os.path.join(ROOT, "Benchmarks/out/exceptions/exceptions.wasm")
GC_SOURCE = os.path.join(ROOT, "Benchmarks/gc/gc.wat")
GC = os.path.join(ROOT, "Benchmarks/out/gc/gc.wasm")
PROGRAMS = os.path.join(ROOT, ".build-programs")
SCRIPTS = os.path.join(ROOT, "Tests/WASITests/programs")
ENGINES = ["swasm", "wasmkit", "wasm3", "wamr", "wasmtime"]

WASMTIME_SCRIPT = r"""
import sys, wasmtime
args = sys.argv[1:]; dirs = []; config = wasmtime.Config()
if args and args[0] == '--gc':
    config.wasm_gc = True; config.wasm_function_references = True; args = args[1:]
while args and args[0] == '--dir': dirs.append(args[1]); args = args[2:]
engine = wasmtime.Engine(config); store = wasmtime.Store(engine)
wasi = wasmtime.WasiConfig(); wasi.argv = args; wasi.inherit_stdout(); wasi.inherit_stderr()
for d in dirs:
    host, _, guest = d.partition('::'); wasi.preopen_dir(host, guest)
store.set_wasi(wasi); linker = wasmtime.Linker(engine); linker.define_wasi()
instance = linker.instantiate(store, wasmtime.Module.from_file(engine, args[0]))
try: instance.exports(store)['_start'](store)
except wasmtime.ExitTrap as e: sys.exit(e.code)
"""


class Workload:
    def __init__(self, name, wasm, args=(), dirs=(), simd=False, exceptions=False, gc=False, checksum=None):
        self.name, self.wasm, self.args, self.dirs = name, wasm, list(args), list(dirs)
        self.checksum = checksum or (lambda out: out)  # the part of the output every engine must print alike
        self.simd = simd  # uses v128 instructions
        self.exceptions = exceptions  # uses exception handling
        self.gc = gc  # uses GC (structs and arrays)

    def command(self, engine):
        if engine == "swasm":
            return [SWASM, "run"] + sum((["--dir", d] for d in self.dirs), []) + [self.wasm] + self.args
        if engine == "wasmkit":
            if self.gc:
                return None  # WasmKit 0.4.2 has no GC
            # WasmKit's --dir takes HOST::GUEST as well (its WASI options follow wasmtime's).
            return [WASMKIT, "run"] + sum((["--dir", d] for d in self.dirs), []) + [self.wasm] + self.args
        if engine == "wasm3":
            # Its WASI shows the working folder as `/`: `run_once` starts it in a folder that links each --dir's
            # guest path to its host folder (`guest_root`).
            return None if self.simd or self.exceptions or self.gc else [WASM3, "--stack-size", "8388608", self.wasm] + self.args
        if engine == "wamr":
            return None if self.simd or self.exceptions or self.gc else [WAMR, "--stack-size=8388608"] \
                + [f"--map-dir={d.split('::')[1]}::{d.split('::')[0]}" for d in self.dirs] + [self.wasm] + self.args
        if engine == "wasmtime":
            return [sys.executable, "-c", WASMTIME_SCRIPT] + (["--gc"] if self.gc else []) + sum((["--dir", d] for d in self.dirs), []) \
                + [self.wasm] + self.args
        raise ValueError(engine)


def workloads():
    found = []
    for path in sorted(glob.glob(os.path.join(SUITE, "*.wasm"))):
        name = os.path.basename(path)[:-5]
        if name == "coremark":
            found.append(Workload(name, path, COREMARK_ARGS,
                                  checksum=lambda out: "\n".join(l for l in out.splitlines() if "crc" in l)))
        else:
            found.append(Workload(name, path))
    for name, script, arg in (("lua", "compute.lua", "22"), ("qjs", "compute.js", "14")):
        wasm = os.path.join(PROGRAMS, name + ".wasm")
        if os.path.exists(wasm):
            found.append(Workload(f"{name} (real)", wasm, [f"/scripts/{script}", arg],
                                  [os.path.join(SCRIPTS, name) + "::/scripts"]))
    for wasm in sorted(glob.glob(os.path.join(SIMD, "*.wasm"))):
        if not wasm.endswith(".scalar.wasm"):
            name = "simd/" + os.path.basename(wasm)[:-5]
            found.append(Workload(name, wasm, simd=True))
            found.append(Workload(name + ".scalar", wasm[:-5] + ".scalar.wasm"))
    for mode in ("plain", "try", "unwind"):
        found.append(Workload("exceptions/" + mode, EXCEPTIONS, [mode], exceptions=True))
    for mode in ("trees", "lists"):
        found.append(Workload("gc/" + mode, GC, [mode], gc=True))
    return found


def selected(workload, names):
    """Without names, everything but the SIMD, exception and GC workloads; "simd", "exceptions" and "gc" name all of
    theirs."""
    group = workload.name.split("/")[0] if "/" in workload.name else None
    if not names:
        return group is None
    return workload.name.split()[0] in names or group in names


def available(engine):
    if engine == "swasm":
        return os.path.exists(SWASM)
    if engine in ("wasmkit", "wasm3", "wamr"):
        return os.path.exists({"wasmkit": WASMKIT, "wasm3": WASM3, "wamr": WAMR}[engine])
    return subprocess.run([sys.executable, "-c", "import wasmtime"], capture_output=True).returncode == 0


GUEST_ROOTS = {}


def guest_root(dirs):
    """A folder (made once per set of folders) in which each HOST::GUEST of `dirs` is a link GUEST to HOST: wasm3's
    WASI shows its working folder as the guest's `/`."""
    if tuple(dirs) not in GUEST_ROOTS:
        root = tempfile.mkdtemp(prefix="swasm-bench-root-")
        for d in dirs:
            host, _, guest = d.partition("::")
            os.symlink(os.path.abspath(host), os.path.join(root, guest.strip("/")))
        GUEST_ROOTS[tuple(dirs)] = root
    return GUEST_ROOTS[tuple(dirs)]


def run_once(command, cwd=None):
    """(wall seconds, CPU seconds (user + system), stdout, exit status, peak resident KiB, stderr), measured
    through /usr/bin/time."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "peak-kib %M cpu %U %S"] + command, capture_output=True, text=True,
                       cwd=cwd)
    elapsed = time.perf_counter() - start
    lines = p.stderr.splitlines()
    measured = lines[-1].split() if lines and lines[-1].startswith("peak-kib ") else None
    peak, cpu = (int(measured[1]), float(measured[3]) + float(measured[4])) if measured else (None, None)
    return elapsed, cpu, p.stdout, p.returncode, peak, "\n".join(lines[:-1] if measured else lines)


def translation_speed():
    """swasm's translation speed on the largest module at hand: MB of Wasm per second (in-process load time)."""
    candidates = glob.glob(os.path.join(PROGRAMS, "*.wasm")) + glob.glob(os.path.join(SUITE, "*.wasm"))
    if not candidates or not os.path.exists(SWASM):
        return None
    largest = max(candidates, key=os.path.getsize)
    times = []
    for _ in range(5):
        p = subprocess.run([SWASM, "run", "--verbose", largest],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        for line in p.stderr.splitlines():
            if "loaded and instantiated in" in line:
                times.append(float(line.split()[-2]) / 1000)
    if not times:
        return None
    return os.path.basename(largest), os.path.getsize(largest), statistics.median(times)


PEER_RATIOS = [("wasmkit", "WasmKit"), ("wasm3", "wasm3"), ("wamr", "WAMR")]


def print_table(title, engines, rows):
    """A Markdown table of median times and each interpreter peer's time / swasm's, then their geometric means."""
    print(f"\n{title}:\n")
    print(f"| workload | " + " | ".join(engines) + " | " + " | ".join(f"{label} / swasm" for _, label in PEER_RATIOS)
          + " | checksums |")
    print("|" + " --- |" * (len(engines) + len(PEER_RATIOS) + 2))
    ratios = {peer: [] for peer, _ in PEER_RATIOS}
    for w, med, errors, mismatched in rows:
        cells = [f"{med[e]:.3f} s" if e in med else ("error" if e in errors else "n/a") for e in engines]
        for peer, _ in PEER_RATIOS:
            if peer in med and "swasm" in med:
                ratios[peer].append(med[peer] / med["swasm"])
                cells.append(f"{ratios[peer][-1]:.2f}x")
            else:
                cells.append("n/a")
        check = "MISMATCH: " + ",".join(mismatched) if mismatched else ("match" if "wasmtime" in med else "no reference")
        print(f"| {w.name} | " + " | ".join(cells) + f" | {check} |")
        for e, message in errors.items():
            print(f"|   {e} failed: {message} |")
    for peer, label in PEER_RATIOS:
        if ratios[peer]:
            print(f"\n{label} / swasm, geometric mean over {len(ratios[peer])} workloads: "
                  f"{statistics.geometric_mean(ratios[peer]):.2f}x "
                  f"(min {min(ratios[peer]):.2f}x, max {max(ratios[peer]):.2f}x)")


def print_speedups(title, engines, results):
    """SIMD speedup per engine: the scalar build's time / the SIMD build's (above 1: the SIMD build is faster),
    for every SIMD workload whose two builds ran; checksums compares the two builds' outputs under wasmtime."""
    by_name = {w.name: (times, errors, outputs) for w, times, errors, outputs in results}
    pairs = [(w.name, by_name[w.name], by_name[w.name + ".scalar"])
             for w, _, _, _ in results if w.simd and w.name + ".scalar" in by_name]
    if not pairs:
        return
    print(f"\n{title}:\n")
    print("| workload | " + " | ".join(engines) + " | checksums |")
    print("|" + " --- |" * (len(engines) + 2))
    for name, (simd, simd_errors, simd_outputs), (scalar, scalar_errors, scalar_outputs) in pairs:
        cells = [f"{scalar[e] / simd[e]:.2f}x" if e in simd and e in scalar
                 else ("error" if e in simd_errors or e in scalar_errors else "n/a") for e in engines]
        reference = simd_outputs.get("wasmtime"), scalar_outputs.get("wasmtime")
        check = "no reference" if None in reference else ("same" if reference[0] == reference[1] else "DIFFER")
        print(f"| {name} | " + " | ".join(cells) + f" | {check} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("workloads", nargs="*", help="names (default: all)")
    options = ap.parse_args()
    if not glob.glob(os.path.join(SUITE, "*.wasm")):
        subprocess.run([os.path.join(ROOT, "Benchmarks/suite/build.sh")], check=True)
    if not os.path.exists(os.path.join(PROGRAMS, "qjs.wasm")):
        subprocess.run([os.path.join(ROOT, "tools/build-real-programs.sh")])
    if any(name.startswith("simd") for name in options.workloads) and not glob.glob(os.path.join(SIMD, "*.wasm")):
        subprocess.run([os.path.join(ROOT, "Benchmarks/simd/build.sh")], check=True)
    for group, source, wasm in (("exceptions", EXCEPTIONS_SOURCE, EXCEPTIONS), ("gc", GC_SOURCE, GC)):
        if any(name.startswith(group) for name in options.workloads) and (
                not os.path.exists(wasm) or os.path.getmtime(wasm) < os.path.getmtime(source)):
            os.makedirs(os.path.dirname(wasm), exist_ok=True)
            subprocess.run(["wasm-tools", "parse", source, "-o", wasm], check=True)
    engines = [e for e in options.engines.split(",") if available(e)]
    chosen = [w for w in workloads() if selected(w, options.workloads)]
    print(f"engines: {', '.join(engines)}; {options.reps} repetitions each, interleaved; median wall and CPU time")
    results = []
    for w in chosen:
        times = {e: [] for e in engines}
        cpu_times = {e: [] for e in engines}
        outputs, memory, errors = {}, {}, {}
        for _ in range(options.reps):
            for e in engines:
                command = w.command(e)
                if command is None:
                    continue
                elapsed, cpu, out, status, peak, err = run_once(
                    command, cwd=guest_root(w.dirs) if e == "wasm3" and w.dirs else None)
                if status != 0:
                    said = [l for l in err.strip().splitlines() if not l.startswith("Command exited")]
                    errors[e] = (said or [f"exit {status}"])[-1][:80]
                    continue
                times[e].append(elapsed)
                if cpu is not None:
                    cpu_times[e].append(cpu)
                outputs[e] = w.checksum(out)
                if peak:
                    memory[e] = max(memory.get(e, 0), peak)
        medians = {e: statistics.median(t) for e, t in times.items() if t}
        cpu_medians = {e: statistics.median(t) for e, t in cpu_times.items() if t}
        reference = outputs.get("wasmtime")
        mismatched = [e for e, out in outputs.items() if reference is not None and out != reference]
        results.append((w, medians, cpu_medians, memory, errors, mismatched, outputs))
        print(f"  {w.name}: " + ", ".join(f"{e} {m:.3f}s" for e, m in medians.items()), flush=True)

    print_table("Median wall time", engines, [(w, med, errors, mm) for w, med, _, _, errors, mm, _ in results])
    # On a shared machine, time the process waits for a CPU inflates wall times unevenly; CPU time does not
    # count it, so this second table is the steadier comparison when the first one is noisy.
    print_table("Median CPU time (user + system)", engines,
                [(w, cpu, errors, mm) for w, _, cpu, _, errors, mm, _ in results])
    print_speedups("SIMD speedup, scalar build / SIMD build, median wall time", engines,
                   [(w, med, errors, out) for w, med, _, _, errors, _, out in results])
    print_speedups("SIMD speedup, scalar build / SIMD build, median CPU time", engines,
                   [(w, cpu, errors, out) for w, _, cpu, _, errors, _, out in results])
    print("\npeak memory (max resident set, MiB):")
    for w, _, _, memory, _, _, _ in results:
        print(f"  {w.name}: " + ", ".join(f"{e} {kib / 1024:.1f}" for e, kib in memory.items()))
    speed = translation_speed()
    if speed:
        name, size, seconds = speed
        print(f"\nswasm translation: {name}, {size / 1e6:.2f} MB of Wasm decoded, validated, translated and "
              f"instantiated in {seconds * 1000:.1f} ms: {size / 1e6 / seconds:.1f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
