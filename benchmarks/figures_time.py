"""Time `pcsim figures`: from scratch, and again from the stored runs (what an author waits for).

    .venv/bin/python benchmarks/figures_time.py            # --quick (fewer replicates), in a temporary directory
    .venv/bin/python benchmarks/figures_time.py --full     # full size: about 8-10 minutes on 2 cores

Targets (issue 8): --quick well under a minute, so CI can run it twice; a redraw from stored runs
in seconds; the full set well inside a working session.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pcsim import cli

SPECS = Path(__file__).resolve().parents[1] / "experiments" / "figures"


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    if cli.main(args) != 0:
        raise SystemExit(f"pcsim {' '.join(args)} failed")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="full size instead of --quick")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        command = ["figures", "--specs", str(SPECS), "--out", out] + ([] if args.full else ["--quick"])
        scratch = timed(command)
        redraw = timed(command)
    size = "full size" if args.full else "--quick"
    print(f"pcsim figures {size}: from scratch {scratch:.1f} s; again from stored runs {redraw:.1f} s")


if __name__ == "__main__":
    main()
