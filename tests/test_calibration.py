"""History matching (pcsim calibrate): it keeps what is truly plausible and rules out what is not, on a
simulator whose answer is known; its emulators and observables are right; on pcsim itself it narrows
the space in the direction the mechanism says; bad specs are named."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pcsim import cli
from pcsim.experiments import calibration, emulators, observables
from pcsim.model.innovation import STAGES
from pcsim.model.outputs import COLUMNS, GROUPING_COLUMNS

from .conftest import ROOT

NOISE = 0.02                   # the synthetic simulator's replicate sd
TARGETS = [("a", 0.9, 0.05, 0.0), ("b", 0.2, 0.03, 0.01)]      # name, observed, sd, discrepancy


def truth(values: np.ndarray) -> np.ndarray:
    """A cheap nonlinear simulator's expected outputs over [0, 1]^2."""
    return np.stack([np.sin(3 * values[:, 0]) + values[:, 1] ** 2, values[:, 0] * values[:, 1]], axis=-1)


def true_implausibility(values: np.ndarray) -> np.ndarray:
    observed = np.array([t[1] for t in TARGETS])
    tolerance = np.array([t[2] ** 2 + t[3] ** 2 for t in TARGETS]) + NOISE ** 2
    return (np.abs(observed - truth(values)) / np.sqrt(tolerance)).max(axis=1)


def noisy(wave: int, values: np.ndarray, replicates: int = 3) -> np.ndarray:
    rng = np.random.default_rng(wave)
    return truth(values)[:, None, :] + NOISE * rng.standard_normal((len(values), replicates, 2))


@pytest.fixture(scope="module")
def matched():
    return calibration.history_match(["x", "y"], np.array([[0.0, 1.0], [0.0, 1.0]]), TARGETS, noisy, waves=3,
                                     runs=40, candidates=20_000, plausible=60, seed=1)


def test_history_matching_finds_the_known_non_implausible_region(matched):
    """Against the true implausibility (the simulator's expectation and known noise): nothing clearly
    plausible is ruled out, nothing clearly implausible is kept, and the share left is about right."""
    rng = np.random.default_rng(5)
    points = rng.random((50_000, 2))
    true = true_implausibility(points)
    kept = matched.non_implausible(points)
    assert not np.any(kept & (true > 4.0))                  # clearly implausible: ruled out
    assert not np.any(~kept & (true < 2.5))                 # clearly plausible: kept
    assert 0.75 * (true <= 3).mean() < kept.mean() < 1.25 * (true <= 3).mean()
    assert matched.share < 0.5                              # the targets rule out most of the square


def test_the_space_shrinks_and_later_waves_run_where_it_is_plausible(matched):
    table = calibration.waves_table(matched).drop_duplicates("wave")
    assert list(table["wave"]) == [1, 2, 3]
    assert table["nroy_share"].is_monotonic_decreasing
    assert table["runs_non_implausible"].iloc[-1] > 2 * table["runs_non_implausible"].iloc[0]
    assert table["replicate_sd"].between(0.5 * NOISE, 2 * NOISE).all()
    plausible = matched.plausible
    assert len(plausible) == 60 and (plausible["implausibility"] <= 3).all()
    assert (true_implausibility(plausible[["x", "y"]].to_numpy()) < 3.5).all()


def test_an_emulator_predicts_a_smooth_function_and_knows_how_sure_it_is():
    rng = np.random.default_rng(2)
    x = rng.random((40, 2))
    f = lambda v: np.sin(4 * v[:, 0]) + 0.3 * v[:, 1]           # noqa: E731
    emulator = emulators.Emulator.fit(x, f(x), 1e-6)
    test = rng.random((500, 2))
    mean, variance = emulator.predict(test)
    assert np.abs(mean - f(test)).max() < 0.05
    inside = np.abs(mean - f(test)) <= 3 * np.sqrt(variance) + 1e-3
    assert inside.mean() > 0.95
    assert emulator.length_scales[1] > emulator.length_scales[0]        # the flatter direction: a longer scale
    loo = emulator.leave_one_out()
    summary = emulators.loo_summary(loo)
    assert summary["loo_q2"] > 0.99 and summary["loo_within_3sd"] > 0.9
    far, _ = emulator.predict(np.array([[0.5, 0.5]]))
    assert abs(far[0] - f(np.array([[0.5, 0.5]]))[0]) < 0.05


def test_an_emulator_of_a_constant_output_is_exact():
    emulator = emulators.Emulator.fit(np.random.default_rng(0).random((10, 3)), np.ones(10))
    mean, variance = emulator.predict(np.random.default_rng(1).random((5, 3)))
    assert np.all(mean == 1.0) and np.all(variance == 0.0)


# ------------------------------------------------------------------------------------- observables
def fake_outputs(months=18, runs=2, named=3):
    """Monthly and groupings arrays with known values."""
    monthly = np.ones((months, len(COLUMNS), runs, 1))
    monthly[:, COLUMNS.index("emergency_admissions")] = np.arange(months)[:, None, None]
    groupings = np.zeros((months, len(GROUPING_COLUMNS), runs, named))
    selected = GROUPING_COLUMNS.index("selected")
    groupings[:, selected, 0, :2] = 1                       # run 0 funds groupings 0 and 1; run 1 none
    enablers = GROUPING_COLUMNS.index("enablers_delivered")
    groupings[11, enablers, 0] = [4, 3, 4]
    stage = GROUPING_COLUMNS.index("innovation_stage")
    groupings[17, stage, :] = [STAGES.index("running"), STAGES.index("piloting"), STAGES.index("running")]
    sharing = GROUPING_COLUMNS.index("sharing")
    groupings[:, sharing, :, :] = np.linspace(0, 0.55, months)[:, None, None]
    return monthly, groupings


def test_observables_compute_what_they_say():
    monthly, groupings = fake_outputs()
    vocab = observables.VOCABULARY
    enablers = vocab["funded_groupings_with_all_enablers_by_month_12"].compute(monthly, groupings)
    assert enablers[0] == 0.5 and np.isnan(enablers[1])         # one of two funded; no funded grouping: undefined
    running = vocab["funded_innovations_running_at_month_17"].compute(monthly, groupings)
    assert running[0] == 0.5
    everyone = observables.define("t", {"source": "groupings", "column": "innovation_stage", "month": 17,
                                        "statistic": "share", "equals": "running"})
    assert everyone.compute(monthly, groupings).tolist() == [2 / 3, 2 / 3]
    rise = vocab["learning_set_sharing_rise"].compute(monthly, groupings)
    step = 0.55 / 17
    assert rise[0] == pytest.approx(9 * step)                  # months 9-11 minus months 0-2
    total = vocab["emergency_admissions_total"].compute(monthly, groupings)
    assert total.tolist() == [sum(range(18))] * 2
    window = observables.define("t", {"source": "monthly", "column": "emergency_admissions", "months": [2, 4]})
    assert window.compute(monthly, groupings).tolist() == [3.0, 3.0]


@pytest.mark.parametrize("table, words", [
    ({"source": "weekly", "column": "morale"}, ["source", "'weekly'", "monthly"]),
    ({"source": "monthly", "column": "moral"}, ["column", "'moral'"]),
    ({"source": "groupings", "column": "sharing", "statistic": "share"}, ["share", "at_least"]),
    ({"source": "monthly", "column": "morale", "statistic": "share", "at_least": 1}, ["share", "groupings"]),
    ({"source": "groupings", "column": "sharing", "months": [5, 2]}, ["months", "[5, 2]"]),
    ({"source": "groupings", "column": "sharing", "statistic": "share", "equals": "done"}, ["'done'", "running"]),
    ({"source": "monthly", "column": "morale", "colour": 1}, ["colour", "unknown"]),
])
def test_a_bad_observable_is_named(table, words):
    with pytest.raises(Exception) as error:
        observables.define("targets[0].observable", table)
    for word in words:
        assert word in str(error.value)


# ------------------------------------------------------------------------------------ pcsim itself
SMALL_SPEC = """
[calibrate]
name = "small"
config = "{config}"
waves = 2
runs = 12
replicates = 2
candidates = 2000
plausible = 10
chunk = 12

[parameters]
"learning.trust_initial" = []
"learning.trust_per_month" = []
"innovation.hours_per_stage" = []

[[targets]]
name = "early_sharing"
observable = "learning_set_sharing_early"
observed = 0.08
sd = 0.02
source = "a test: little open sharing in the first sets"
"""


def write_spec(tmp_path, text=SMALL_SPEC, name="small.toml"):
    path = tmp_path / name
    path.write_text(text.replace("{config}", str(ROOT / "configs" / "ace.toml")))
    return path


def test_a_real_small_calibration_narrows_the_space_where_the_mechanism_says(tmp_path, capsys):
    """Early sharing in learning sets rises with the trust groupings start with: a target of little early
    sharing rules out high initial trust, and leaves an inert parameter (for month 0-2 sharing) alone."""
    spec = write_spec(tmp_path)
    out = tmp_path / "cal"
    assert cli.main(["calibrate", str(spec), "--out", str(out), "--workers", "1"]) == 0
    waves = pd.read_csv(out / "waves.csv")
    assert list(waves["wave"]) == [1, 2] and waves["nroy_share"].iloc[-1] < 0.8
    ranges = pd.read_csv(out / "ranges.csv")
    last = ranges[ranges["wave"] == 2].set_index("parameter")
    trust = last.loc["learning.trust_initial"]
    assert trust["nroy_p97.5"] < 0.7 * trust["high"]
    hours = last.loc["innovation.hours_per_stage"]
    assert (hours["nroy_p97.5"] - hours["nroy_p2.5"]) > 0.8 * (hours["high"] - hours["low"])
    plausible = pd.read_parquet(out / "plausible.parquet")
    assert 0 < len(plausible) <= 10 and {"learning.trust_initial", "implausibility"} <= set(plausible.columns)
    validation = pd.read_csv(out / "validation.csv")
    assert set(validation["wave"]) == {1, 2} and len(validation) == 24
    for name in ("implausibility.png", "waves.png", "validation.png", "runs.parquet"):
        assert (out / name).stat().st_size > 1000
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["targets"][0]["name"] == "early_sharing" and manifest["git"]["commit"]
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 48 and "o:early_sharing" in runs.columns
    # the same command again resumes from the stored runs and gives the same plausible sets
    first = plausible.copy()
    capsys.readouterr()
    assert cli.main(["calibrate", str(spec), "--out", str(out), "--workers", "1"]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(out / "plausible.parquet"), first)


@pytest.mark.parametrize("edit, words", [
    (('"learning.trust_initial" = []', '"learning.trust_inital" = []'), ["trust_inital", "did you mean"]),
    (("replicates = 2", "replicates = 1"), ["replicates", "at least 2"]),
    (('observable = "learning_set_sharing_early"', 'observable = "early"'), ["'early'", "named observable"]),
    (('observable = "learning_set_sharing_early"',
      'observable = { source = "groupings", column = "sharing", month = 40 }'), ["month 40", "18 months"]),
    (("sd = 0.02", "sd = -0.02"), ["sd", "negative"]),
    (("waves = 2", "waves = 'two'"), ["waves", "whole number"]),
    (("[calibrate]", "[calibration]"), ["[calibration]", "[calibrate]"]),
])
def test_a_bad_calibration_spec_exits_2_naming_the_problem_and_writes_nothing(tmp_path, capsys, edit, words):
    spec = write_spec(tmp_path, SMALL_SPEC.replace(*edit), "bad.toml")
    out = tmp_path / "out"
    assert cli.main(["calibrate", str(spec), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    for word in words:
        assert word in err
    assert not out.exists()


def test_the_worked_example_spec_is_valid_and_cites_its_sources():
    spec = calibration.load_spec(ROOT / "experiments" / "calibrate_ace.toml", quick=True)
    assert spec.waves >= 2 and spec.replicates >= 2
    assert {t.name for t in spec.targets} >= {"enablers_within_12_months", "innovations_running_after_pilot"}
    assert all("Miller 2018" in t.source for t in spec.targets)
    assert all(t.observable.first_month_needed() <= spec.config.months for t in spec.targets)


def test_a_calibration_spec_sets_its_months_before_its_policy_and_a_set_run_months_wins(tmp_path):
    """As for sweeps and SA (sweeps.base_config): the fund's roll-out at month 12 fits a 24-month spec, and
    --set run.months overrides the spec's months."""
    text = SMALL_SPEC.replace('chunk = 12\n', 'chunk = 12\nmonths = 24\npolicy = "investment_fund"\n')
    path = write_spec(tmp_path, text)
    assert calibration.load_spec(path).config.months == 24
    assert calibration.load_spec(path, overrides=["run.months=36"]).config.months == 36


def test_a_calibration_folder_of_another_spec_or_damaged_is_refused_in_one_line(tmp_path, capsys):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "calibration.json").write_text("{not json")
    assert cli.main(["calibrate", str(spec), "--out", str(out)]) == 2
    assert "damaged" in capsys.readouterr().err
    (out / "calibration.json").write_text('{"fingerprint": "another"}')
    assert cli.main(["calibrate", str(spec), "--out", str(out)]) == 2
    assert "different spec" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir() if p.name != ".pcsim.lock") == ["calibration.json"]
