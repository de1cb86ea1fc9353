"""Scenario discovery (pcsim discover): PRIM finds a planted box, and on pcsim finds where the fund beats
micro-incentives in the direction the mechanism says; bad specs are named."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pcsim import cli
from pcsim.experiments import discovery

from .conftest import ROOT

PLANTED = {"a": (0.2, 0.6), "b": (0.5, 0.9)}


def test_prim_finds_a_planted_box():
    """Cases of interest are the points inside a box on two of five inputs (with 3% of labels flipped):
    the first box restricts those two, close to the planted limits, and nothing else significantly."""
    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.random((1000, 5)), columns=list("abcde"))
    inside = np.all([(x[k] > lo) & (x[k] < hi) for k, (lo, hi) in PLANTED.items()], axis=0)
    flipped = rng.random(len(x)) < 0.03
    found = discovery.discover(x, inside ^ flipped, boxes=1, min_coverage=0.8)
    box = found.boxes[found.boxes["box"] == 1].set_index("parameter")
    for name, (low, high) in PLANTED.items():
        assert box.loc[name, "low"] == pytest.approx(low, abs=0.05)
        assert box.loc[name, "high"] == pytest.approx(high, abs=0.05)
        assert box.loc[name, "significant"]
    assert not box.drop(index=list(PLANTED))["significant"].any()
    chosen = found.chosen.iloc[0]
    assert chosen["coverage"] >= 0.8 and chosen["density"] > 0.85
    trajectory = found.trajectory
    assert trajectory["coverage"].iloc[0] == 1.0 and trajectory["density"].max() > 3 * trajectory["density"].iloc[0]


DISCOVER_SPEC = """
[discover]
name = "tiny"
sa = "sa_tiny.toml"
outcome = "emergency_admissions_per_1000"
better = "lower"
policies = ["investment_fund", "micro_incentives"]
threshold = 0.12
boxes = 2
"""


@pytest.fixture(scope="module")
def specs(tiny_sa_study):
    """The discovery spec beside the small SA study's spec (it names it), and the stored study."""
    spec, study = tiny_sa_study
    (spec.parent / "discover.toml").write_text(DISCOVER_SPEC)
    return spec.parent, study


def test_a_real_small_discovery_finds_where_the_fund_beats_micro_incentives(specs, capsys):
    """Micro-incentives crowd out GPs' intrinsic motivation: the faster crowding out, the more the fund
    beats them on admissions. The first box restricts crowding out from below, and the hospital's cost
    per diagnostic, which cannot move admissions, is not restricted beyond chance."""
    where, study = specs
    out = where / "out"
    assert cli.main(["discover", str(where / "discover.toml"), "--study", str(study), "--workers", "1",
                     "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "cases of interest" in printed and "resumed: 80 of 80 runs" in printed      # the stored study
    boxes = pd.read_csv(out / "boxes.csv")
    first = boxes[boxes["box"] == 1].set_index("parameter")
    crowd = first.loc["motivation.crowd_out_per_month"]
    assert crowd["low"] > crowd["range_low"] + 0.3 * (crowd["range_high"] - crowd["range_low"])
    assert crowd["significant"] and crowd["density"] > 0.8
    if "hospital.cost_per_diagnostic" in first.index:
        assert not first.loc["hospital.cost_per_diagnostic", "significant"]
    cases = pd.read_csv(out / "cases.csv")
    assert len(cases) == 40 and cases["of_interest"].sum() == (cases["value"] > 0.12).sum()
    assert set(pd.read_csv(out / "trajectory.csv")["box"]) >= {1}
    for name in ("tradeoff.png", "boxes.png", "scenario.png"):
        assert (out / name).stat().st_size > 1000
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["cases"] == 40 and manifest["git"]["commit"]


@pytest.mark.parametrize("edit, words", [
    (('sa = "sa_tiny.toml"', 'sa = "sa_tiny.toml"\nsweep = "x.toml"'), ["sa", "sweep", "one of them"]),
    (('outcome = "emergency_admissions_per_1000"', 'outcome = "admissions"'), ["'admissions'", "outcome"]),
    (('better = "lower"', 'better = "less"'), ["'less'", "lower or higher"]),
    (('policies = ["investment_fund", "micro_incentives"]', 'policies = ["investment_fund", "qof"]'),
     ["'qof'", "micro_incentives"]),
    (("threshold = 0.12", "threshold = 100.0"), ["no case of interest"]),
    (("boxes = 2", "box = 2"), ["discover.box", "allowed"]),
])
def test_a_bad_discovery_exits_2_naming_the_problem(specs, tmp_path, capsys, edit, words):
    where, study = specs
    (where / "bad.toml").write_text(DISCOVER_SPEC.replace(*edit))
    out = tmp_path / "out"
    assert cli.main(["discover", str(where / "bad.toml"), "--study", str(study), "--workers", "1",
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert not out.exists()


def test_the_worked_example_spec_is_valid():
    spec = discovery.load_spec(ROOT / "experiments" / "discover_admissions.toml")
    assert spec.kind == "sa" and spec["policies"] == ["investment_fund", "micro_incentives"]
    assert spec.default_dir.name == spec.plan.name
