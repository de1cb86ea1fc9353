"""Ensembles and decisions: the value of information has its analytic value on a toy decision and never
exceeds EVPI; net benefit, probability best and acceptability mean what they say; pcsim compare
--ensemble and pcsim response --ensemble run every policy over parameter sets and write the decision."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from pcsim import cli
from pcsim.experiments import decision, ensembles


def expected_positive_part(mean: float, sd: float) -> float:
    """E[max(0, X)] for X ~ Normal(mean, sd^2)."""
    return mean * stats.norm.cdf(mean / sd) + sd * stats.norm.pdf(mean / sd)


def toy(n: int, mean: float, sd1: float, sd2: float, seed: int = 0):
    """Two decisions; the second's incremental net benefit is t1 + t2, t1 ~ N(mean, sd1^2),
    t2 ~ N(0, sd2^2), and t3 does not matter."""
    rng = np.random.default_rng(seed)
    inputs = pd.DataFrame({"t1": mean + sd1 * rng.standard_normal(n), "t2": sd2 * rng.standard_normal(n),
                           "t3": rng.standard_normal(n)})
    nb = pd.DataFrame({"a": np.zeros(n), "b": inputs["t1"] + inputs["t2"]})
    return nb, inputs


def test_evppi_of_a_toy_decision_has_its_analytic_value():
    """EVPPI(t1) = E[max(0, t1)] - max(0, E t1), as E[inb | t1] = t1; EVPI the same with the sd of t1 + t2.
    Against the analytic values (within the sample's own Monte Carlo error), and tightly against the same
    formula with the true conditional expectations on the same sample (the regression's error alone)."""
    mean, sd1, sd2 = 0.3, 1.0, 0.7
    nb, inputs = toy(1500, mean, sd1, sd2)
    table, evpi = decision.evppi_table(nb, inputs, {"t1 and t2": ["t1", "t2"], "t2 and t3": ["t2", "t3"]})
    values = table.set_index("parameter")["evppi"]
    analytic = {"t1": expected_positive_part(mean, sd1) - mean, "t2": expected_positive_part(mean, sd2) - mean,
                "evpi": expected_positive_part(mean, np.hypot(sd1, sd2)) - mean}
    assert evpi == pytest.approx(analytic["evpi"], rel=0.1)
    assert values["t1"] == pytest.approx(analytic["t1"], rel=0.15)
    assert values["t2"] == pytest.approx(analytic["t2"], rel=0.2)
    zero = np.zeros(len(inputs))
    on_sample = {name: decision.value_of_information(np.stack([zero, conditional], axis=1)) for name, conditional in
                 (("t1", inputs["t1"] + 0.0), ("t2", mean + inputs["t2"]))}
    assert values["t1"] == pytest.approx(on_sample["t1"], rel=0.06)
    assert values["t2"] == pytest.approx(on_sample["t2"], rel=0.1)
    assert values["t1 and t2"] == pytest.approx(evpi, rel=0.02)         # t1 and t2 are all there is to learn
    assert values["t3"] < 0.02 * evpi                                   # an irrelevant parameter is worth nothing
    assert values["t2 and t3"] == pytest.approx(values["t2"], rel=0.1)


def test_evppi_is_zero_when_the_decision_cannot_change():
    nb, inputs = toy(500, 5.0, 0.5, 0.5)                                  # b is always better
    table, evpi = decision.evppi_table(nb, inputs)
    assert evpi == pytest.approx(0.0, abs=1e-12) and np.allclose(table["evppi"], 0.0, atol=1e-9)


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mean=st.floats(-1.0, 1.0), sd1=st.floats(0.1, 2.0), sd2=st.floats(0.1, 2.0), seed=st.integers(0, 1000))
def test_evppi_is_never_above_evpi(mean, sd1, sd2, seed):
    """The regression estimate of each parameter's and group's EVPPI stays below EVPI (beyond a small
    estimation error), and what is reported never exceeds it."""
    nb, inputs = toy(300, mean, sd1, sd2, seed)
    table, evpi = decision.evppi_table(nb, inputs, {"all": ["t1", "t2", "t3"]})
    assert (table["evppi_estimate"] <= evpi + 0.05 * max(evpi, 0.05)).all()
    assert (table["evppi"] <= evpi + 1e-12).all() and (table["evppi"] >= -1e-12).all()


def runs_frame():
    """Two parameter sets x two seeds x three policies, with outcomes whose decision is known."""
    rows = []
    for point in (0, 1):
        for replicate in (0, 1):
            for policy, admissions, quality, savings in (("status_quo", 1000, 100.0, 0.0),
                                                         ("micro", 990 - 20 * point, 100.0, -30_000.0),
                                                         ("fund", 980, 110.0, -50_000.0)):
                rows.append({"policy": policy, "point": point, "replicate": replicate, "seed": replicate,
                             "o:emergency_admissions_total": admissions + replicate, "o:quality_years": quality,
                             "net_savings": savings, "morale": {"status_quo": 0.5, "micro": 0.4, "fund": 0.6}[policy]})
    return pd.DataFrame(rows)


def test_net_benefit_and_probability_best_mean_what_they_say():
    results = runs_frame()
    policies = ["status_quo", "micro", "fund"]
    means = decision.set_means(results, ["o:emergency_admissions_total", "o:quality_years", "net_savings"])
    nb = decision.net_benefit(means, policies, decision.Valuation(per_admission=2000.0, per_quality=100.0))
    # fund: 20 admissions avoided x 2000 + 10 quality-years x 100 - 50,000 = -9,000 at both sets
    assert nb["fund"].tolist() == [-9000.0, -9000.0]
    # micro: 10 (set 0) or 30 (set 1) admissions avoided x 2000 - 30,000
    assert nb["micro"].tolist() == [-10_000.0, 30_000.0]
    assert (nb["status_quo"] == 0).all()
    best = decision.probability_best(nb)                                  # set 0: nothing pays; set 1: micro
    assert best.to_dict() == {"status_quo": 0.5, "micro": 0.5, "fund": 0.0}
    outcomes = decision.outcome_table(decision.set_means(results, ["morale"]), policies).set_index("policy")
    assert outcomes.loc["fund", "value"] == 1.0 and outcomes.loc["micro", "value"] == 0.0
    curves = decision.acceptability(means, policies, decision.Valuation(2000.0, 100.0), 20_000.0, 1000.0, points=5)
    at_zero = curves[(curves["varied"] == "wtp_per_admission") & (curves["wtp_per_admission"] == 0)]
    assert at_zero.set_index("policy")["probability"].to_dict()["status_quo"] == 1.0    # only money counts
    assert np.allclose(curves.groupby(["varied", "wtp_per_admission", "wtp_per_quality"])["probability"].sum(), 1.0)


def test_the_share_of_variance_due_to_parameters_is_recovered():
    rng = np.random.default_rng(4)
    sets, seeds = 300, 4
    effect = rng.normal(0, 2.0, sets)                    # between sets: variance 4
    noise = rng.normal(0, 1.0, (sets, seeds))            # within: variance 1
    index = pd.MultiIndex.from_product([range(sets), range(seeds)], names=["point", "replicate"])
    values = pd.Series((effect[:, None] + noise).ravel(), index=index)
    assert ensembles.parameter_share(values) == pytest.approx(0.8, abs=0.05)


def test_the_decision_pair_defaults_to_the_fund_against_micro_incentives():
    assert decision.decision_pair(["status_quo", "micro_incentives", "investment_fund"], None) == \
        ("investment_fund", "micro_incentives")
    assert decision.decision_pair(["status_quo", "investment_fund"], None) is None
    with pytest.raises(Exception, match="--decide"):
        decision.decision_pair(["status_quo", "investment_fund"], "investment_fund,qof")
    with pytest.raises(Exception, match="two different"):
        decision.decision_pair(["status_quo", "investment_fund"], "investment_fund,investment_fund")


# ------------------------------------------------------------------------------- pcsim itself
@pytest.fixture(scope="module")
def sets_file(tmp_path_factory):
    """Three parameter sets, as pcsim calibrate would write them."""
    path = tmp_path_factory.mktemp("ensemble") / "plausible.parquet"
    pd.DataFrame({"set": [0, 1, 2], "motivation.crowd_out_per_month": [0.005, 0.05, 0.09],
                  "innovation.effect_mean": [0.01, 0.04, 0.07], "implausibility": [1.0, 2.0, 2.5]}).to_parquet(path)
    return path


def test_compare_over_an_ensemble_writes_intervals_and_the_decision(sets_file, tmp_path, capsys):
    out = tmp_path / "cmp"
    assert cli.main(["compare", "--ensemble", str(sets_file), "--months", "24", "--replicates", "2", "--workers", "1",
                     "--out", str(out)]) == 0
    assert "net benefit" in capsys.readouterr().out
    table = pd.read_csv(out / "comparison.csv")
    others = table[table["policy"] != "status_quo"]
    assert (others["difference_low"] <= others["difference_high"]).all()
    assert (table["sets"] == 3).all() and (table["replicates"] == 2).all() and (table["runs"] == 6).all()
    assert others["parameter_share"].dropna().between(0, 1).all()
    # crowding out works through micro-incentives' control: the parameter sets spread micro-incentives'
    # effect on clinical-care motivation far more than the seeds do
    crowd = others[(others["policy"] == "micro_incentives") & (others["metric"] == "motivation_clinical_care")]
    assert crowd["parameter_share"].iloc[0] > 0.9 and crowd["difference"].iloc[0] < 0
    table = pd.read_csv(out / "decision.csv")
    best = table[table["quantity"] == "probability_best"]
    assert np.allclose(best.groupby("outcome")["value"].sum(), 1.0)
    assert {"net_benefit", "probability_cost_effective", "acceptability", "evpi", "evppi"} <= set(table["quantity"])
    evpi = table.loc[table["quantity"] == "evpi", "value"].iloc[0]
    evppi = table[table["quantity"] == "evppi"]
    assert set(evppi["parameter"]) == {"motivation.crowd_out_per_month", "innovation.effect_mean"}
    assert (evppi["value"] <= evpi + 1e-9).all() and evpi >= 0
    for name in ("comparison.png", "acceptability.png", "evppi.png", "runs.parquet"):
        assert (out / name).stat().st_size > 1000
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sets"] == 3 and manifest["decision"] == ["investment_fund", "micro_incentives"]
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 18
    paired = runs.pivot_table(index=["point", "replicate"], columns="policy", values="seed")
    assert (paired.nunique(axis=1) == 1).all()                           # every policy on the same seed


def test_the_response_curve_over_an_ensemble_pairs_each_set_with_its_own_status_quo(sets_file, tmp_path):
    out = tmp_path / "response"
    assert cli.main(["response", "--ensemble", str(sets_file), "--sets", "2", "--levels", "0,40", "--replicates", "2",
                     "--months", "24", "--workers", "1", "--out", str(out)]) == 0
    table = pd.read_csv(out / "response.csv")
    assert table.loc[0, "admissions_change_percent"] == 0              # the default parameters, paired seeds
    assert table.loc[0, "parameter_mean"] == 0           # each set's fund at GBP 0 against its own status quo
    assert (table["parameter_sets"] == 2).all() and (table["replicates"] == 2).all()
    assert table.loc[1, "parameter_mean"] < table.loc[0, "parameter_mean"]
    assert (table["parameter_p5"] <= table["parameter_p95"]).all()
    assert json.loads((out / "response.json").read_text())["sets"] == 2
    summary = json.loads((out / "minimum_investment.json").read_text())
    assert summary["over_parameter_uncertainty"]["parameter_sets"] == 2


@pytest.mark.parametrize("frame, words", [
    (pd.DataFrame({"motivation.crowd_out": [0.1]}), ["motivation.crowd_out", "did you mean"]),
    (pd.DataFrame({"motivation.crowd_out_per_month": [5.0]}), ["crowd_out_per_month", "out of range"]),
    (pd.DataFrame({"motivation.crowd_out_per_month": []}), ["no parameter sets"]),
])
def test_a_bad_ensemble_exits_2_naming_the_problem(tmp_path, capsys, frame, words):
    path = tmp_path / "sets.csv"
    frame.to_csv(path, index=False)
    assert cli.main(["compare", "--ensemble", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert not (tmp_path / "out").exists()
