"""Time one run of each preset over ten simulated years; print ms per simulated month.

    .venv/bin/python benchmarks/run_time.py [--repeats 3]

Targets (issue 3): default preset, 10 years, well under 1 s; England preset,
10 years, under 3 s, on the 2-core reference machine. Times are the median of
the repeats, for the bare engine (what sweeps use) and the Mesa model (agents
and DataCollector included).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from pcsim import config as configs
from pcsim.model.engine import Simulation
from pcsim.model.mesa_model import PrimaryCareModel

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def time_engine(cfg) -> float:
    start = time.perf_counter()
    Simulation(cfg).run()
    return time.perf_counter() - start


def time_mesa(cfg) -> float:
    start = time.perf_counter()
    model = PrimaryCareModel(cfg)
    while model.running:
        model.step()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'preset':10} {'months':>6} {'engine s':>9} {'ms/month':>9} {'mesa s':>8} {'ms/month':>9}")
    for name in ("default", "england"):
        cfg = configs.load(CONFIGS / f"{name}.toml", ["run.months=120"])
        engine = statistics.median(time_engine(cfg) for _ in range(args.repeats))
        mesa = statistics.median(time_mesa(cfg) for _ in range(args.repeats))
        print(f"{name:10} {cfg.months:>6} {engine:>9.3f} {1000 * engine / cfg.months:>9.2f} {mesa:>8.3f} "
              f"{1000 * mesa / cfg.months:>9.2f}")


if __name__ == "__main__":
    main()
