"""Sobol indices on an emulator (pcsim sa --emulator): the analytic indices of a known function from a few
dozen evaluations, and a real small study beside its direct estimate."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from pcsim import cli
from pcsim.experiments import emulated_sa



def test_emulated_sobol_indices_of_a_known_function():
    """y = x1 + x2^2 / 2 on [0, 1]^3: V1 = 1/12, V2 = (1/5 - 1/9) / 4 = 1/45, x3 inert, no interaction;
    so S1 = ST = 0.789, 0.211, 0 - from 40 evaluations."""
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0.0, 1.0]] * 3}
    study = SimpleNamespace(problem=problem, seed=1)
    design = np.random.default_rng(3).random((40, 3))
    y = design[:, 0] + design[:, 1] ** 2 / 2
    table, validation = emulated_sa.indices(study, design, {"y": y}, samples=4096)
    found = table.set_index("parameter")
    total = 1 / 12 + 1 / 45
    for name, share in (("x1", (1 / 12) / total), ("x2", (1 / 45) / total), ("x3", 0.0)):
        assert found.loc[name, "ST"] == pytest.approx(share, abs=0.04)
        assert found.loc[name, "S1"] == pytest.approx(share, abs=0.04)
    assert validation["loo_q2"].iloc[0] > 0.99
    assert emulated_sa.top(table, "y", n=2) == ["x1", "x2"]


def test_a_real_small_emulated_study_sits_beside_the_direct_one(tiny_sa_study, capsys):
    spec, out = tiny_sa_study                                        # the direct study is stored in out
    assert cli.main(["sa", str(spec), "--emulator", "--train", "16", "--out", str(out), "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert "emulator (Q2" in printed and "direct" in printed
    where = out / "emulator"
    indices = pd.read_csv(where / "indices.csv")
    assert set(indices["output"]) == {"emergency_admissions_per_1000 | investment_fund - micro_incentives",
                                      "morale | investment_fund - micro_incentives"}
    assert (indices["training_points"] == 16).all()
    both = pd.read_csv(where / "beside_direct.csv")
    admissions = both[both["output"].str.startswith("emergency")].set_index("parameter")
    # crowding out decides the contrast in admissions, by either estimate; the cost of a diagnostic cannot
    assert admissions["rank_emulator"].idxmin() == "motivation.crowd_out_per_month"
    assert admissions["rank_direct"].idxmin() == "motivation.crowd_out_per_month"
    assert admissions.loc["hospital.cost_per_diagnostic", "ST_emulator"] < 0.05
    validation = pd.read_csv(where / "validation.csv")
    assert (validation["loo_q2"] > 0.8).all()
    assert len(list((where / "runs-16" / "chunks").glob("*.parquet"))) >= 1


def test_the_emulator_gives_sobol_indices_only(tiny_sa_study, tmp_path, capsys):
    spec, _ = tiny_sa_study
    assert cli.main(["sa", str(spec), "--emulator", "--method", "morris", "--out", str(tmp_path / "o")]) == 2
    assert "Sobol" in capsys.readouterr().err


def test_a_whole_number_parameter_is_trained_on_the_whole_numbers_it_runs_with(tmp_path):
    from pcsim.experiments.sensitivity import Study
    from pcsim.inputs.parameters import PARAMETERS

    assert PARAMETERS["commissioner.data_lag_months"].integer
    spec = tmp_path / "sa.toml"
    spec.write_text('[sa]\nname = "whole"\nsamples = 4\nhorizon = 12\noutputs = ["morale"]\n\n[parameters]\n'
                    '"commissioner.data_lag_months" = []\n"motivation.crowd_out_per_month" = []\n')
    plan, design = emulated_sa.training_plan(Study(spec), 16)
    lags = [run.values["commissioner.data_lag_months"] for run in plan.runs]
    assert all(isinstance(lag, int) for lag in lags) and len(set(lags)) > 1
    assert np.array_equal(design[:, 0], np.round(design[:, 0]))          # the emulator learns what was run
    assert not np.array_equal(design[:, 1], np.round(design[:, 1]))
