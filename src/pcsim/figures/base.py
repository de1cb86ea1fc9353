"""What every figure of ``pcsim figures`` shares: the context it runs in and the result it gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from pcsim.experiments import compare
from pcsim.config import Config
from pcsim.experiments.store import RunSet, Store
from pcsim.experiments.sweeps import Plan


@dataclass
class Context:
    """Where a figure's runs come from: the store, what the set is made with (read once), the engine
    for sweeps, a progress bar factory, and the results of the figures made before it (the scorecard
    reads the response curve's)."""

    store: Store
    made_with: dict[str, Any]                  # pcsim version, git commit, package versions, code fingerprint
    workers: int | None = None
    scheduler: str | None = None
    progress: Callable[[int, str], Any] | None = None
    done: dict[str, "Result"] = field(default_factory=dict)

    def bar(self, total: int, what: str):
        """A progress bar with ``update(n)``, or one that does nothing."""
        return self.progress(total, what) if self.progress else _Silent()

    def simulate(self, arms: dict[str, Config], seeds: list[int], what: str) -> dict[str, RunSet]:
        """Each arm's config run on ``seeds`` (common random numbers), or its stored runs."""
        bar = self.bar(len(arms), what)
        out = {}
        for name, config in arms.items():
            out[name] = self.store.simulate(config, seeds)
            bar.update(1)
        bar.close()
        return out

    def sweep(self, plan: Plan, what: str) -> pd.DataFrame:
        """Every run of a sweep plan on the chosen engine, one row a run: the stored ones and the rest."""
        bar = self.bar(len(plan.runs), what)
        results = self.store.sweep(plan, self.workers, self.scheduler, bar.update)
        bar.close()
        return results


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass
class Result:
    """A figure's data (written as its CSV), what made it (configs and seeds), and what drawing needs."""

    data: pd.DataFrame
    configs: dict[str, Config]
    seeds: list[int]
    notes: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)      # extra files: name suffix -> text ("_table1.md")


def replicate_seeds(spec) -> list[int]:
    """The spec's replicate seeds, derived from its seed (the same for every arm: common random numbers)."""
    return [compare.replicate_seed(spec["seed"], r) for r in range(spec["replicates"])]


def long_bands(months: np.ndarray, values: np.ndarray, share: bool = False, **labels: Any) -> pd.DataFrame:
    """A (months, runs) array as rows of month, mean and 95% interval over runs, with fixed labels.
    ``share``: the values are 0 or 1 and the interval is Wilson's for a proportion."""
    mean, low, high = wilson(values, axis=1) if share else compare.interval(values, axis=1)
    frame = pd.DataFrame({"month": months, "mean": mean, "low": low, "high": high, "replicates": values.shape[1]})
    for column, value in reversed(labels.items()):
        frame.insert(0, column, value)
    return frame


def wilson(hits: np.ndarray, axis: int = -1, z: float = 1.959964) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share of 1s over ``axis`` and its 95% Wilson score interval (sound with few runs and shares near 0 or 1)."""
    n = hits.shape[axis]
    p = hits.mean(axis=axis)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return p, centre - half, centre + half
