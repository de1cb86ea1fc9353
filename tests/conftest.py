"""Shared helpers for the tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pcsim import config as configs
from pcsim.experiments.patterns import Runs, column, paired_difference  # noqa: F401  (shared with the tests)
from pcsim.model.engine import Simulation


@pytest.fixture(autouse=True)
def _close_figures():
    """Each test's matplotlib figures are closed after it, so a long session does not hoard them."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"
SEEDS = tuple(range(1, 11))  # pattern and mechanism tests run over ten seeds


def assert_holds(verdict) -> None:
    """A pattern of MODEL.md section 6 holds: every check of its Verdict passes (the message says what failed)."""
    assert verdict.passed, verdict.gives()


def assert_reproduced(verdict) -> None:
    """A pattern holds with its mechanism, and fails with it knocked out (the messages say what was seen)."""
    assert verdict.passed, f"pattern {verdict.number} does not hold: {verdict.gives()}"
    assert not verdict.knocked_out.passed, (f"pattern {verdict.number} holds without its mechanism "
                                            f"({verdict.knockout}): {verdict.knocked_out.gives()}")


def pcsim_in_process(*args, cwd) -> subprocess.CompletedProcess:
    """``pcsim ARGS`` run in this process from ``cwd``, as ``subprocess.run`` would report it: the same
    command-line code without the seconds a new Python process takes to start."""
    import contextlib
    import io
    import os

    from pcsim.cli import main

    out, err, before = io.StringIO(), io.StringIO(), os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:               # argparse: --help, usage errors
                code = exc.code or 0
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(["pcsim", *args], code, out.getvalue(), err.getvalue())


def simulate(config=None, months: int = 120, seeds=(1,), **overrides) -> Simulation:
    """Run ``seeds`` of a config together and return the finished Simulation."""
    cfg = configs.resolve(config, months=months, overrides=overrides)
    sim = Simulation(cfg, seeds=list(seeds))
    sim.run()
    return sim


@pytest.fixture(scope="session")
def default_config():
    return configs.load()


@pytest.fixture(scope="session")
def runs():
    """The arms of the pattern checks (pcsim.patterns) on SEEDS, built once for every test that needs them."""
    return Runs(SEEDS)


TINY_SA = """
[sa]
name = "sa_tiny"
config = "{root}/configs/default.toml"
samples = 8
policies = ["investment_fund", "micro_incentives"]
horizon = 36
seed = 1
outputs = ["emergency_admissions_per_1000", "morale"]

[parameters]
"motivation.crowd_out_per_month" = []
"time.income_weight" = []
"hospital.cost_per_diagnostic" = []
"""


@pytest.fixture(scope="session")
def tiny_sa_study(tmp_path_factory):
    """A small Sobol study of the policy contrast (three parameters, one of them inert, 80 three-year runs),
    run once by `pcsim sa` and shared by the scenario-discovery and emulated-SA tests: (spec, study dir)."""
    from pcsim import cli

    where = tmp_path_factory.mktemp("sa_tiny")
    spec = where / "sa_tiny.toml"
    spec.write_text(TINY_SA.replace("{root}", str(ROOT)))
    assert cli.main(["sa", str(spec), "--out", str(where / "study"), "--workers", "1"]) == 0
    return spec, where / "study"
