"""Sweep throughput at the default preset: runs per second on 1 and 2 local workers.

    .venv/bin/python benchmarks/sweep_throughput.py [--samples 16] [--full]

Runs the Sobol study of experiments/sa_contrast.toml (its parameters, both
policies, 60 months) at a small N, on 1 and then 2 workers, into temporary
directories, and reports runs per second, the speed-up, and the time the full
study (the spec's N: 512 x 26 x 2 = 26,624 runs) would take at the 2-worker
rate. --full runs the full study on 2 workers instead of projecting it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pcsim.experiments import sweeps
from pcsim.experiments.sensitivity import Study

SPEC = Path(__file__).resolve().parents[1] / "experiments" / "sa_contrast.toml"


def timed(study: Study, workers: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        sweeps.execute(study.plan, Path(tmp), workers=workers)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=16, help="Sobol N for the timed runs (default 16)")
    parser.add_argument("--full", action="store_true", help="run the full study (the spec's N) on 2 workers")
    args = parser.parse_args()
    study = Study(SPEC)                                   # N as in the spec
    full_runs = len(study.plan.runs)
    if args.full:
        seconds = timed(study, 2)
        print(f"full study: {full_runs} runs in {seconds / 60:.1f} min on 2 workers ({full_runs / seconds:.1f} runs/s)")
        return
    import tomllib

    raw = tomllib.loads(SPEC.read_text())
    raw["sa"]["samples"] = args.samples
    raw["sa"]["config"] = str(SPEC.parent / raw["sa"]["config"])
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as handle:
        handle.write(_toml(raw))
    small = Study(handle.name)
    runs = len(small.plan.runs)
    one = timed(small, 1)
    two = timed(small, 2)
    rate = runs / two
    print(f"{runs} runs (Sobol N={args.samples}, {len(study.problem['names'])} parameters, 2 policies, 60 months, "
          f"default preset)")
    print(f"  1 worker : {one:7.1f} s  {runs / one:7.1f} runs/s")
    print(f"  2 workers: {two:7.1f} s  {rate:7.1f} runs/s  speed-up {one / two:.2f}x")
    print(f"full study (N={study.samples}): {full_runs} runs, projected {full_runs / rate / 60:.1f} min on 2 workers")


def _toml(raw: dict) -> str:
    lines = []
    for section, table in raw.items():
        lines.append(f"[{section}]")
        for key, value in table.items():
            text = repr(value).replace("'", '"') if not isinstance(value, bool) else str(value).lower()
            lines.append(f'"{key}" = {text}' if "." in key else f"{key} = {text}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
