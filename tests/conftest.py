"""Shared helpers for the tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pcsim import config as configs
from pcsim.outputs import COLUMNS
from pcsim.simulation import Simulation

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"
SEEDS = tuple(range(1, 11))  # pattern and mechanism tests run over ten seeds


def simulate(config=None, months: int = 120, seeds=(1,), **overrides) -> Simulation:
    """Run ``seeds`` of a config together and return the finished Simulation."""
    cfg = configs.resolve(config, months=months, overrides=overrides)
    sim = Simulation(cfg, seeds=list(seeds))
    sim.run()
    return sim


def column(sim: Simulation, name: str) -> np.ndarray:
    """A monthly output summed (counts, money) or averaged over commissioners: (months, runs)."""
    values = sim.outputs.monthly[:, COLUMNS.index(name)]
    return values.mean(axis=-1)


def paired_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean and standard error of the per-seed difference a - b (common random numbers)."""
    diff = np.asarray(a) - np.asarray(b)
    return float(diff.mean()), float(diff.std(ddof=1) / np.sqrt(len(diff)))


@pytest.fixture(scope="session")
def default_config():
    return configs.load()
