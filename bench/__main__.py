"""`python -m bench` (`make bench`): every benchmark in turn, each in its own process.

    .venv/bin/python -m bench [--quick] [--mongo-url URL]

`--quick` runs smaller versions (the growth benchmark at a tenth of its size). Seeded stores
are cached under bench/results/, so a second run starts measuring at once.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys

from .common import ROOT

#: module -> (arguments, arguments with --quick)
BENCHMARKS = {
    "bench.score": ([], ["--seconds", "5"]),
    "bench.ingest": ([], []),
    "bench.growth": ([], ["--scale", "0.1"]),
    "bench.estimate_quality": ([], []),
}
TAKES_MONGO = {"bench.score", "bench.ingest", "bench.growth"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    parser.add_argument("--mongo-url", default=None, help="run the store benchmarks against this MongoDB too")
    args = parser.parse_args(argv)
    failed = []
    for module, (full, quick) in BENCHMARKS.items():
        if importlib.util.find_spec(module) is None:
            print(f"== {module}: not written yet, skipped\n", flush=True)
            continue
        command = [sys.executable, "-m", module, *(quick if args.quick else full)]
        if args.mongo_url and module in TAKES_MONGO:
            command += ["--mongo-url", args.mongo_url]
        print(f"== {' '.join(command[1:])}", flush=True)
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            failed.append(module)
        print(flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
