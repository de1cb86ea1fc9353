"""The experiment harness: compare, sweeps (resumable, local or Dask), SALib studies, response curves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from pcsim.experiments import compare
from pcsim.experiments import sweeps
from pcsim import config as configs

from .conftest import ROOT, pcsim_in_process

SPEC = ROOT / "experiments" / "sweep_demand.toml"


def cli(*args, cwd, timeout=600):
    return pcsim_in_process(*args, cwd=cwd)     # the command line's own code, without a new process's start-up


def test_replicate_seeds_are_stable_and_distinct():
    seeds = [compare.replicate_seed(1, r) for r in range(100)]
    assert seeds == [compare.replicate_seed(1, r) for r in range(100)]
    assert len(set(seeds)) == 100 and seeds != [compare.replicate_seed(2, r) for r in range(100)]


def test_compare_reports_paired_differences_with_intervals(tmp_path):
    done = cli("compare", "--replicates", "4", "--months", "24", "--out", str(tmp_path / "cmp"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "cmp" / "comparison.csv")
    assert set(table["policy"]) == {"status_quo", "micro_incentives", "investment_fund"}
    base = table[table["policy"] == "status_quo"]
    assert (base["difference"] == 0).all()
    others = table[table["policy"] != "status_quo"]
    assert (others["difference_low"] <= others["difference"]).all()
    assert (others["difference"] <= others["difference_high"]).all()
    runs = pd.read_csv(tmp_path / "cmp" / "runs.csv")
    assert len(runs) == 12 and sorted(runs["replicate"].unique()) == [0, 1, 2, 3]
    qof = table[(table["policy"] == "micro_incentives") & (table["metric"] == "quality_incentivised_recorded")]
    assert qof["difference_low"].iloc[0] > 0          # QOF raises recorded care, beyond the interval
    for name in ("comparison.png", "manifest.json"):
        assert (tmp_path / "cmp" / name).stat().st_size > 1000
    assert "paired difference" in done.stdout


def small_plan(chunk=3):
    plan = sweeps.plan_sweep(SPEC)
    plan.chunk = chunk
    return plan


def test_a_real_small_sweep_on_two_workers_matches_one(tmp_path):
    plan = small_plan()
    sweeps.execute(plan, tmp_path / "one", workers=1)
    sweeps.execute(plan, tmp_path / "two", workers=2)
    one, two = sweeps.load_results(tmp_path / "one"), sweeps.load_results(tmp_path / "two")
    assert len(one) == len(plan.runs) == 27
    pd.testing.assert_frame_equal(one, two, check_exact=True)
    # faster demand growth, more admissions: the sweep measures what it varies
    means = one.groupby("x:demand.growth_per_year")["emergency_admissions_per_1000"].mean()
    assert means.is_monotonic_increasing


def test_the_sweep_cli_writes_results_and_summary(tmp_path):
    done = cli("sweep", str(SPEC), "--workers", "2", "--out", str(tmp_path / "sw"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(pd.read_parquet(tmp_path / "sw" / "runs.parquet")) == 27
    summary = pd.read_csv(tmp_path / "sw" / "summary.csv")
    assert len(summary) == 9 and "emergency_admissions_per_1000:mean" in summary
    again = cli("sweep", str(SPEC), "--out", str(tmp_path / "sw"), cwd=tmp_path)
    assert again.returncode == 0 and "resumed: 27 of 27" in again.stdout


@pytest.mark.slow    # tests/test_concurrency.py kills a parallel sweep mid-way in the default suite
def test_an_interrupted_sweep_resumes_without_losing_or_duplicating_runs(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.read_text().replace('config = "../configs/default.toml"',
                                             f'config = "{ROOT / "configs" / "default.toml"}"')
                    .replace("months = 60", "months = 120\nchunk = 1"))
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "pcsim.cli", "sweep", str(spec), "--workers", "1",
                                "--out", str(out)], cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((out / "chunks").glob("*.parquet"))) < 3:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    before = {p.name: p.stat().st_mtime_ns for p in (out / "chunks").glob("*.parquet")}
    assert 3 <= len(before) < 27, "the sweep was not interrupted mid-way"
    done = cli("sweep", str(spec), "--workers", "1", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = {p.name: p.stat().st_mtime_ns for p in (out / "chunks").glob("*.parquet")}
    assert all(after[name] == mtime for name, mtime in before.items())       # nothing recomputed
    assert not [p for p in (out / "chunks").iterdir() if p.name.startswith(".")]   # nothing half-written
    results = sweeps.load_results(out)
    assert len(results) == 27 and not results.duplicated(["point", "replicate"]).any()
    fresh = tmp_path / "fresh"
    sweeps.execute(sweeps.plan_sweep(spec), fresh, workers=1)
    pd.testing.assert_frame_equal(results, sweeps.load_results(fresh), check_exact=True)


def test_a_sweep_on_a_dask_cluster_equals_the_local_engine(tmp_path):
    from distributed import LocalCluster

    plan = small_plan(chunk=5)
    sweeps.execute(plan, tmp_path / "local", workers=1)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        sweeps.execute(plan, tmp_path / "dask", scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(sweeps.load_results(tmp_path / "local"), sweeps.load_results(tmp_path / "dask"),
                                  check_exact=True)


def test_results_of_another_spec_are_never_mixed_in(tmp_path):
    plan = small_plan()
    sweeps.execute(plan, tmp_path / "out", workers=1, limit=1)
    other = small_plan()
    other.runs = other.runs[:-1]
    with pytest.raises(configs.ConfigError, match="different spec"):
        sweeps.execute(other, tmp_path / "out", workers=1)


def test_a_real_small_sobol_study_of_the_policy_contrast(tmp_path):
    done = cli("sa", str(ROOT / "experiments" / "sa_small.toml"), "--workers", "2", "--out", str(tmp_path / "sa"),
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    indices = pd.read_csv(tmp_path / "sa" / "indices.csv")
    contrast = indices[indices["output"] == "emergency_admissions_per_1000 | investment_fund - micro_incentives"]
    assert len(contrast) == 5 and np.isfinite(contrast[["S1", "ST", "S1_conf", "ST_conf"]]).all().all()
    inert = contrast.set_index("parameter").loc["hospital.cost_per_diagnostic", "ST"]
    assert inert < 0.05 < contrast["ST"].max()
    convergence = pd.read_csv(tmp_path / "sa" / "convergence.csv")
    assert sorted(convergence["samples"].unique()) == [4, 8, 16]
    for name in ("indices.png", "heatmap.png", "convergence.png", "manifest.json"):
        assert (tmp_path / "sa" / name).exists()


def test_morris_runs_from_the_same_spec(tmp_path):
    from pcsim.experiments.sensitivity import Study

    study = Study(ROOT / "experiments" / "sa_small.toml", "morris")
    sweeps.execute(study.plan, tmp_path / "m", workers=2)
    indices = study.analyse(sweeps.load_results(tmp_path / "m"))
    assert {"mu_star", "mu_star_conf", "sigma"} <= set(indices.columns)


def test_the_response_curve_starts_at_no_change_and_is_read_off_honestly(tmp_path):
    from pcsim.experiments import response

    done = cli("response", "--levels", "0,20,80", "--replicates", "2", "--months", "24", "--parameter-sets", "4",
               "--seeds-per-set", "1", "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "r" / "response.csv")
    assert {"gbp_per_patient_year", "budget_share_percent", "admissions_change_percent", "p5", "p95",
            "parameter_p5", "parameter_p95", "reached_share", "role_posts_filled_share"} <= set(table.columns)
    assert table.loc[0, "admissions_change_percent"] == 0            # no fund, same seeds: no change at all
    assert table.loc[1, "admissions_change_percent"] < 0
    assert (table["parameter_p5"] <= table["parameter_p95"]).all() and (table["parameter_sets"] == 4).all()
    assert (tmp_path / "r" / "response.png").exists()
    summary = json.loads((tmp_path / "r" / "minimum_investment.json").read_text())
    assert summary["target_percent"] == 15 and summary["levels_up_to_gbp"] == 80
    assert summary["over_parameter_uncertainty"]["parameter_sets"] == 4
    assert "roles.labour_supply_per_100k_year" in summary["over_parameter_uncertainty"]["parameters"]
    assert "git" in summary["provenance"] and "backfill_limit_per_1000" in summary["why_it_flattens"]
    curve = pd.DataFrame({"gbp_per_patient_year": [0, 10, 20], "admissions_change_percent": [0, -10, -20]})
    assert response.minimum_investment(curve, 15) == pytest.approx(15)
    assert response.minimum_investment(curve, 25) is None


def test_the_minimum_investment_over_parameter_sets_says_where_it_is_reached():
    from pcsim.experiments import response

    levels = [0, 20, 40]
    changes = np.array([[0, -10, -20], [0, -20, -30], [0, -5, -10], [0, -2, -4]])
    assert list(response.minimum_of(changes, levels, 15)) == [30, 15, np.inf, np.inf]
    sets = pd.DataFrame({"roles.substitution": np.linspace(0.1, 0.9, 16), "noise": np.tile([0.0, 1.0], 8)})
    minimums = np.where(sets["roles.substitution"] > 0.5, 25.0, np.inf)
    box = response.where_reached(sets, minimums)
    assert [b["parameter"] for b in box] == ["roles.substitution"] and box[0]["low"] > 0.4
    assert response.where_reached(sets, np.full(16, 25.0)) == []          # reached everywhere: no region to find


@pytest.mark.parametrize("edit, words", [
    (('"demand.growth_per_year" = [0.0, 0.02, 0.04]', '"demand.growth_per_yer" = [0.0, 0.02]'), ["growth_per_yer"]),
    (('design = "grid"', 'design = "sobol"'), ["design", "'sobol'"]),
    (('"demand.growth_per_year" = [0.0, 0.02, 0.04]', '"demand.growth_per_year" = [0.0, 0.9]'), ["0.9", "out of range"]),
])
def test_bad_sweep_specs_exit_2_naming_the_problem(tmp_path, edit, words):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.read_text().replace(*edit).replace("../configs", str(ROOT / "configs")))
    done = cli("sweep", str(spec), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert done.returncode == 2
    line = done.stderr.strip().splitlines()[-1]
    for word in words:
        assert word in line
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("parameters, words", [
    ('"motivation.crowd_out_per_mnth" = []\n"time.income_weight" = []', ["crowd_out_per_mnth", "did you mean"]),
    ('"motivation.crowd_out_per_month" = [0.5, 0.1]\n"time.income_weight" = []', ["low must be below high"]),
    ('"motivation.crowd_out_per_month" = [0.0, 5.0]\n"time.income_weight" = []', ["out of range"]),
])
def test_bad_sa_specs_exit_2_naming_the_problem(tmp_path, parameters, words):
    spec = tmp_path / "sa.toml"
    spec.write_text(f'[sa]\nconfig = "{ROOT / "configs" / "default.toml"}"\nsamples = 4\n\n[parameters]\n{parameters}\n')
    done = cli("sa", str(spec), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert done.returncode == 2
    for word in words:
        assert word in done.stderr
    assert not (tmp_path / "o").exists()


def test_a_policy_defined_in_a_config_can_be_compared(tmp_path):
    config = configs.load(ROOT / "experiments" / "compare.toml", ["run.months=12"])
    assert "qof_focused" in config.policies
    comparison = compare.compare(config, ["status_quo", "qof_focused"], 3)
    focused = comparison.table[(comparison.table["policy"] == "qof_focused")
                               & (comparison.table["metric"] == "quality_incentivised_recorded")]
    assert focused["difference_low"].iloc[0] > 0
    with pytest.raises(configs.ConfigError, match="unknown policy 'qof_focussed'"):
        config.with_policy("qof_focussed")
