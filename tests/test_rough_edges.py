"""What a new user meets: readable tables and figures, named policies from the command line and Python,
plausible and valid ranges, --set honoured, outputs kept over time, the help they read."""

from __future__ import annotations

import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

import pcsim
from pcsim import config as configs
from pcsim.cli import main
from pcsim.experiments import compare, sweeps
from pcsim.experiments.plots import comparison_figure, heat_map
from pcsim.experiments.sensitivity import Study, output_label, summary_text
from pcsim.inputs.parameters import PARAMETERS, TABLE
from pcsim.model.engine import Simulation

from .conftest import CONFIGS, ROOT

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def comparison():
    """Four policies (the three of the mission and compare.toml's qof_focused) on three seeds, two years."""
    config = configs.load(ROOT / "experiments" / "compare.toml", ["run.months=24"])
    return compare.compare(config, ["status_quo", "micro_incentives", "investment_fund", "qof_focused"], 3)


# ------------------------------------------------------------------------------------------ compare
def test_the_compare_table_is_narrow_and_answers_in_one_line_a_policy(comparison):
    text = compare.comparison_text(comparison, 24)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= compare.TABLE_WIDTH
    assert all(word in lines[1] for word in ("admissions", "holistic care", "morale", "GP exits", "net savings"))
    answers = lines[2:5]
    assert [a.split(":")[0].strip() for a in answers] == ["micro_incentives", "investment_fund", "qof_focused"]
    for answer in answers:
        assert len(re.findall(r"[+-](GBP )?[\d.,]+[%m]?\*?", answer)) == 5, answer      # an answer a column
    assert not re.search(r"\de[+-]\d", text), "no scientific notation"
    assert not re.search(r"-0\.0+\b", text) and "nan" not in text.lower()          # no "-0.00"
    for metric, (label, _, _) in compare.SHOWN.items():       # every metric, money included, on its own row
        assert sum(line.startswith(label) for line in lines) >= 1, label


def test_compare_answers_say_where_the_interval_excludes_no_change(comparison):
    line = compare.answer_line(comparison.table, "status_quo", "micro_incentives")
    recorded = comparison.table.set_index(["policy", "metric"]).loc[("micro_incentives", "net_savings")]
    savings = line.split()[-1]
    assert savings.startswith("-GBP" if recorded["difference"] < 0 else "+GBP") or line.split()[-2] in ("-GBP", "+GBP")
    assert line.endswith("*") == (recorded["difference_high"] < 0 or recorded["difference_low"] > 0)


def test_the_compare_figure_shares_scales_and_keeps_the_spend_rows(comparison):
    fig = comparison_figure(comparison)
    top, bottom = fig.axes[:3], fig.axes[3:6]
    assert len({ax.get_xlim() for ax in top}) == 1 and len({ax.get_xlim() for ax in bottom}) == 1
    money = [t.get_text() for t in bottom[0].get_yticklabels()]
    assert any("Incentive spend" in t for t in money) and any("Investment spend" in t for t in money)
    assert any("Additional-roles spend" in t for t in money)
    assert len(money) == 5                                  # every GBP metric of compare.METRICS, and no other


def test_compare_of_a_config_includes_its_own_policies_and_refuses_duplicates():
    from pcsim.cli.compare import policies_of

    config = configs.load(ROOT / "experiments" / "compare.toml")
    assert policies_of(None, config) == ["status_quo", "micro_incentives", "investment_fund", "qof_focused"]
    assert policies_of(None, configs.load()) == ["status_quo", "micro_incentives", "investment_fund"]
    with pytest.raises(configs.ConfigError, match="twice"):
        policies_of("status_quo,micro_incentives,status_quo", config)


def test_compare_shorter_than_a_policy_window_leaves_the_scheme_out_with_a_note(tmp_path, capsys):
    assert main(["compare", "--months", "12", "--replicates", "2", "--out", str(tmp_path / "c")]) == 0
    captured = capsys.readouterr()
    assert "rollout scheme starts at month 12" in captured.err and "left out" in captured.err
    assert set(pd.read_csv(tmp_path / "c" / "comparison.csv")["policy"]) == {"status_quo", "micro_incentives",
                                                                            "investment_fund"}


# ------------------------------------------------------------------------------------- named policy
def test_run_a_named_policy_from_python_and_the_command_line(tmp_path, capsys):
    result = pcsim.run(months=3, policy="investment_fund")
    assert [s["scheme"] for s in result.model.config.policy] == ["core_contract", "investment_fund"]
    assert result.manifest["policy"] == "investment_fund"
    assert result.monthly["spend_investment"].sum() > 0
    assert main(["run", "--months", "3", "--policy", "micro_incentives", "--quiet", "--out", str(tmp_path / "r")]) == 0
    assert pd.read_parquet(tmp_path / "r" / "monthly.parquet")["spend_incentives"].sum() > 0
    with pytest.raises(configs.ConfigError, match="did you mean 'investment_fund'"):
        pcsim.run(months=3, policy="investment_fnd")


def test_help_for_pcsim_run_explains_itself():
    doc = pcsim.run.__doc__
    for word in ("policy", "seed", "months", "overrides", "ConfigError", "Example"):
        assert word in doc


# ----------------------------------------------------------------------------- plausible and valid
def test_outside_the_plausible_range_warns_and_is_recorded_outside_the_valid_range_refused(tmp_path, capsys):
    with pytest.warns(UserWarning, match="innovation.effect_mean = 0.15 is outside its plausible range"):
        result = pcsim.run(months=2, innovation__effect_mean=0.15)
    assert any("innovation.effect_mean" in w for w in result.manifest["warnings"])
    assert main(["run", "--months", "2", "--quiet", "--set", "innovation.effect_mean=0.15",
                 "--out", str(tmp_path / "r")]) == 0
    assert "pcsim: warning: innovation.effect_mean = 0.15" in capsys.readouterr().err
    with pytest.raises(configs.ConfigError, match="allowed 0.0 to 1.0"):
        configs.load(None, ["innovation.effect_mean=1.5"])
    assert not pcsim.run(months=2).manifest["warnings"]


def test_every_parameter_has_a_valid_range_holding_its_plausible_one():
    for p in TABLE:
        low, high = p.allowed
        assert low <= p.low < p.high <= high and np.isfinite([low, high]).all(), p.name
    assert PARAMETERS["motivation.crowd_out_per_month"].allowed == (0.0, 1.0)            # a monthly rate
    assert PARAMETERS["demand.minutes_per_consultation"].allowed[0] == 0                 # an amount


def test_the_model_represents_every_parameter_at_both_ends_of_its_valid_range():
    """One batch: each run has one parameter at one end of its valid range, the rest at their defaults;
    under micro-incentives and the investment fund, every output stays finite."""
    defaults = {p.name: p.default for p in TABLE}
    ends = [(p.name, end) for p in TABLE for end in p.allowed]
    values = {name: [defaults[name]] * len(ends) for name in defaults}
    for run, (name, end) in enumerate(ends):
        values[name][run] = int(end) if PARAMETERS[name].integer else end
    for policy in ("micro_incentives", "investment_fund"):
        config = configs.load().replace(months=14).with_policy(policy)
        sim = Simulation(config, seeds=list(range(len(ends))), params=values)
        with np.errstate(all="ignore"):
            sim.run()
        finite = np.isfinite(sim.outputs.monthly).all(axis=(0, 1, 3))
        broken = sorted({ends[r] for r in np.flatnonzero(~finite)})
        assert not broken, f"{policy}: outputs not finite at {broken}"


def test_pcsim_params_shows_both_ranges(capsys):
    assert main(["params", "innovation"]) == 0
    out = capsys.readouterr().out
    assert "innovation.effect_mean  = 0.03  [share of other admissions]  plausible 0 to 0.08; valid 0 to 1" in out


# ------------------------------------------------------------------------------- sweeps and studies
def test_set_run_months_wins_over_a_sweep_specs_months():
    spec = ROOT / "experiments" / "sweep_demand.toml"
    assert configs.from_dict(sweeps.plan_sweep(spec).base).months == 60
    assert configs.from_dict(sweeps.plan_sweep(spec, ["run.months=12"]).base).months == 12
    study = Study(ROOT / "experiments" / "sa_small.toml", overrides=["run.months=12"])
    assert study.base.months == 12


def test_an_integer_parameter_is_rounded_for_the_runs_of_a_study(tmp_path):
    spec = tmp_path / "sa.toml"
    spec.write_text(f'[sa]\nconfig = "{CONFIGS / "default.toml"}"\nsamples = 4\nhorizon = 12\n[parameters]\n'
                    f'"commissioner.data_lag_months" = []\n"time.income_weight" = []\n')
    study = Study(spec)
    lags = {run.values["commissioner.data_lag_months"] for run in study.plan.runs}
    assert all(isinstance(v, int) for v in lags) and min(lags) >= 1 and max(lags) <= 9 and len(lags) > 1


def test_outputs_kept_over_time_are_the_months_block_means(tmp_path):
    """A sweep with record = ["morale", "gps"], record_every = 12 keeps each year's mean of each run: the same
    numbers as the run's monthly outputs, one Parquet file a chunk beside its results."""
    spec = tmp_path / "s.toml"
    spec.write_text(f'[sweep]\nconfig = "{CONFIGS / "default.toml"}"\nmonths = 30\nreplicates = 2\nchunk = 1\n'
                    f'record = ["morale", "gps"]\nrecord_every = 12\n[parameters]\n"demand.growth_per_year" = [0.0, 0.04]\n')
    plan = sweeps.plan_sweep(spec)
    sweeps.execute(plan, tmp_path / "o", workers=1)
    series = sweeps.load_series(tmp_path / "o")
    assert len(list((tmp_path / "o" / "series").glob("*.parquet"))) == len(plan.runs)
    assert sorted(series["month"].unique()) == [11, 23, 29]                # two years, then the last six months
    assert len(series) == 3 * len(plan.runs)
    run = plan.runs[1]
    config = configs.from_dict(plan.base)
    sim = Simulation(config, seeds=[run.seed], params={**config.params, **run.values})
    sim.run()
    morale = compare.commissioners_together(sim.outputs.monthly, "morale")[:, 0]
    mine = series[(series["point"] == run.point) & (series["replicate"] == run.replicate)].set_index("month")["morale"]
    np.testing.assert_allclose(mine.to_numpy(), [morale[:12].mean(), morale[12:24].mean(), morale[24:].mean()],
                               rtol=1e-12)
    only = sweeps.load_series(tmp_path / "o", ["gps"], point=0)
    assert list(only.columns) == ["point", "replicate", "seed", "policy", "month", "gps"] and set(only["point"]) == {0}


# ------------------------------------------------------------------------------------ SA presentation
class FakeStudy:
    method = "morris"
    policies = ["investment_fund", "micro_incentives"]
    x = np.zeros((10, 3))
    problem = {"names": ["motivation.crowd_out_per_month", "time.income_weight", "hospital.cost_per_diagnostic"]}
    output_label = staticmethod(output_label)


def morris_indices() -> pd.DataFrame:
    rows = []
    for output in ("morale | investment_fund - micro_incentives", "morale | investment_fund"):
        for name, mu in zip(FakeStudy.problem["names"], (0.002, 0.001, 0.0)):
            rows.append({"output": output, "parameter": name, "mu_star": mu, "mu_star_conf": mu / 10, "sigma": mu})
    return pd.DataFrame(rows)


def test_the_morris_summary_is_relative_and_uses_labels():
    text = summary_text(FakeStudy(), morris_indices())
    line = next(l for l in text.splitlines() if "minus" in l)
    assert "Crowd out per month (motivation) 1.00" in line and "Income weight (time) 0.50" in line
    assert "largest mu* = 0.002" in line and "motivation.crowd_out_per_month" not in text


def test_the_sa_heat_map_is_readable_with_labels_not_code_names():
    study, indices = FakeStudy(), morris_indices()
    outputs = list(dict.fromkeys(indices["output"]))
    labels = [PARAMETERS[n].label for n in study.problem["names"]]
    fig = heat_map(indices, study.problem["names"], labels, [output_label(o) for o in outputs], outputs, "mu_star",
                   "morris")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == labels
    assert fig.get_size_inches()[1] >= 2.6 + 0.4 * len(labels)            # rows tall enough to read
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.get_xticklabels()]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), "column labels overlap"
    figure_box = fig.bbox
    for text in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        box = text.get_window_extent()
        assert box.x0 >= figure_box.x0 - 1 and box.x1 <= figure_box.x1 + 1, text.get_text()
