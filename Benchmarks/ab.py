#!/usr/bin/env python3
"""A/B comparison of two swasm binaries on the benchmark suite: the minimum CPU time (user + system) of interleaved
runs, which is what shows a change of a few percent on a shared, noisy machine (the log in Benchmarks/results/ uses it).

usage: Benchmarks/ab.py [--reps N] BINARY_A BINARY_B [WORKLOAD...]

Prints, per workload, each binary's minimum and A/B (above 1: B is faster), then the geometric mean of A/B, and
flags a workload whose output differs between the two. Typical use: copy .build/release/swasm aside, make the
change, rebuild, and compare the copy (A) with the new build (B). Run Benchmarks/run.py first once, so that the
suite and the real programs exist.
"""
import argparse
import math
import os
import resource
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the workload list and command lines)


def cpu_time_of(command):
    """Runs `command`; returns its CPU time (user + system) and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("workloads", nargs="*")
    options = parser.parse_args()
    chosen = [w for w in run.workloads() if run.selected(w, options.workloads)]
    if not chosen:
        sys.exit("no workloads: run Benchmarks/run.py once to build them, or check the names")
    ratios = []
    for workload in chosen:
        command = workload.command("swasm")[1:]  # everything after the binary
        times = {options.a: [], options.b: []}
        outputs = {}
        for _ in range(options.reps):
            for binary in (options.a, options.b):
                seconds, output = cpu_time_of([binary] + command)
                times[binary].append(seconds)
                outputs[binary] = workload.checksum(output)  # CoreMark's: its CRCs, not its timings
        a, b = min(times[options.a]), min(times[options.b])
        ratios.append(a / b)
        differs = "" if outputs[options.a] == outputs[options.b] else "  OUTPUT DIFFERS"
        print(f"{workload.name.split()[0]:12s} A {a:.3f} s  B {b:.3f} s  A/B {a / b:.3f}{differs}", flush=True)
    print(f"geometric mean A/B: {math.exp(sum(map(math.log, ratios)) / len(ratios)):.3f}")


if __name__ == "__main__":
    main()
