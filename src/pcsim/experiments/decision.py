"""Decisions in the health-economics convention: net benefit, acceptability and the value of information.

With an ensemble (:mod:`pcsim.experiments.ensembles`) every policy has an outcome at every plausible
parameter set. Following probabilistic sensitivity analysis (Briggs, Claxton & Sculpher 2006):

* **Probability best.** For each outcome, the share of parameter sets at which each policy does best
  (outcomes averaged over a set's seeds first: the decision is about expected outcomes).
* **Net benefit** of a policy, relative to the first policy (the status quo), for the commissioner
  over the run, in GBP::

      NB = wtp_admission x emergency admissions avoided + wtp_quality x quality-years gained
           + (net savings - net savings of the first policy)

  Net savings already count the hospital cost of the admissions avoided and every incentive,
  investment and risk-sharing payment, so the willingness to pay per admission avoided is what
  avoiding one is worth *beyond* its cost to the hospital (default GBP 2,000: NICE's GBP 20,000 per
  QALY times an assumed 0.1 QALY lost per emergency admission - an assumption to vary). A
  quality-year is one registered patient's year of care at full quality (the mean of delivered
  indicator care and holistic care; default GBP 100, an assumption). The policy with the highest
  expected net benefit is the decision under current information.
* **Cost-effectiveness acceptability curve.** The probability that each policy has the highest net
  benefit, over a range of willingness to pay (per admission, then per quality-year).
* **Expected value of (partial) perfect information.** EVPI is what resolving every uncertainty would
  be worth to the decision: E[max_d NB_d] - max_d E[NB_d], over the parameter sets (each set's net
  benefit a mean over its seeds; with few seeds a set, what chance is left in that mean makes EVPI
  a little larger than it is). EVPPI is the same for one parameter or a group, phi:
  E_phi[max_d E(NB_d | phi)] - max_d E[NB_d], by the regression method of Strong, Oakley & Brennan
  (2014): the incremental net benefit of each decision over the first, set by set, is regressed on
  phi, and the fitted values stand for E(NB_d | phi). The regression is a generalised additive
  model built from scikit-learn: cubic regression splines of each parameter (``SplineTransformer``),
  for a group also the products of the splines of every pair (tensor-product interactions), with a
  ridge penalty chosen by leave-one-out error (``RidgeCV``). A Gaussian process fitted by maximum
  likelihood, the other choice of Strong et al., interpolated chance on groups of irrelevant
  parameters at the ensemble sizes used here (a few hundred sets), and is not used. An estimate
  above EVPI can come only from estimation error; it is reported as EVPI and flagged ``capped``.

EVPPI is computed for the choice between two policies (by default the investment fund and
micro-incentives): how much a commissioner should pay to learn a parameter before choosing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pcsim.config import ConfigError
from pcsim.experiments.emulators import one_blas_thread

# Which way is better for each outcome of an ensemble (+1 higher, -1 lower); money spent is a cost, in
# the net benefit, not an outcome here.
BETTER = {
    "emergency_admissions_per_1000": -1, "admissions_per_1000_incentivised": -1, "admissions_per_1000_other": -1,
    "quality_incentivised_delivered": 1, "quality_incentivised_recorded": 1, "quality_non_incentivised": 1,
    "continuity": 1, "motivation_clinical_care": 1, "motivation_autonomy": 1, "motivation_innovator": 1,
    "motivation_peer_judgement": 1, "self_efficacy": 1, "morale": 1, "burnout": -1, "gp_exits": -1,
    "innovations_running": 1, "enablers_share": 1, "hospital_cost": -1, "net_savings": 1,
    "o:emergency_admissions_total": -1, "o:quality_years": 1,
}
ADMISSIONS, QUALITY, SAVINGS = "o:emergency_admissions_total", "o:quality_years", "net_savings"
DEFAULT_DECISION = ("investment_fund", "micro_incentives")


@dataclass(frozen=True)
class Valuation:
    """Willingness to pay, GBP: per emergency admission avoided (beyond its hospital cost), per quality-year."""

    per_admission: float = 2000.0
    per_quality: float = 100.0


def set_means(results: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Each policy's outcomes at each parameter set, averaged over the set's seeds: index (policy, point)."""
    return results.groupby(["policy", "point"])[list(columns)].mean()


def net_benefit(means: pd.DataFrame, policies: list[str], valuation: Valuation) -> pd.DataFrame:
    """Net benefit of each policy relative to the first, at each parameter set (rows) - GBP."""
    baseline = means.loc[policies[0]]
    out = {}
    for name in policies:
        arm = means.loc[name]
        out[name] = (valuation.per_admission * (baseline[ADMISSIONS] - arm[ADMISSIONS])
                     + valuation.per_quality * (arm[QUALITY] - baseline[QUALITY])
                     + (arm[SAVINGS] - baseline[SAVINGS]))
    return pd.DataFrame(out)


def probability_best(values: pd.DataFrame, better: int = 1) -> pd.Series:
    """Share of rows (parameter sets) in which each column (policy) is best; ties shared."""
    data = better * values.to_numpy()
    best = data == data.max(axis=1, keepdims=True)
    return pd.Series((best / best.sum(axis=1, keepdims=True)).mean(axis=0), index=values.columns)


def outcome_table(means: pd.DataFrame, policies: list[str]) -> pd.DataFrame:
    """For each outcome with a direction, the probability that each policy is best."""
    rows = []
    for metric, better in BETTER.items():
        if metric not in means.columns:
            continue
        wide = pd.DataFrame({p: means.loc[p, metric] for p in policies})
        for policy, p in probability_best(wide, better).items():
            rows.append({"quantity": "probability_best", "outcome": metric, "policy": policy, "value": p,
                         "better": "higher" if better > 0 else "lower"})
    return pd.DataFrame(rows)


def benefit_table(means: pd.DataFrame, policies: list[str], valuation: Valuation) -> pd.DataFrame:
    """Expected net benefit of each policy (relative to the first), its 95% interval over sets, the
    probability it is the most cost-effective, and the components: admissions avoided, quality-years
    gained, difference in net savings."""
    nb = net_benefit(means, policies, valuation)
    best = probability_best(nb)
    baseline = means.loc[policies[0]]
    rows = []
    wtp = {"wtp_per_admission": valuation.per_admission, "wtp_per_quality": valuation.per_quality}
    for name in policies:
        arm = means.loc[name]
        parts = {"net_benefit": nb[name], "admissions_avoided": baseline[ADMISSIONS] - arm[ADMISSIONS],
                 "quality_years_gained": arm[QUALITY] - baseline[QUALITY],
                 "net_savings_difference": arm[SAVINGS] - baseline[SAVINGS]}
        for quantity, values in parts.items():
            rows.append({"quantity": quantity, "outcome": "net_benefit", "policy": name, **wtp,
                         "value": values.mean(), "low": values.quantile(0.025), "high": values.quantile(0.975)})
        rows.append({"quantity": "probability_cost_effective", "outcome": "net_benefit", "policy": name, **wtp,
                     "value": best[name]})
    return pd.DataFrame(rows)


def acceptability(means: pd.DataFrame, policies: list[str], valuation: Valuation, max_admission: float,
                  max_quality: float, points: int = 41) -> pd.DataFrame:
    """Cost-effectiveness acceptability curves: the probability each policy has the highest net benefit,
    over willingness to pay per admission (quality held) and per quality-year (admissions held)."""
    rows = []
    for varied, top in (("wtp_per_admission", max_admission), ("wtp_per_quality", max_quality)):
        for wtp in np.linspace(0.0, top, points):
            value = (Valuation(wtp, valuation.per_quality) if varied == "wtp_per_admission"
                     else Valuation(valuation.per_admission, wtp))
            for policy, p in probability_best(net_benefit(means, policies, value)).items():
                rows.append({"quantity": "acceptability", "outcome": "net_benefit", "policy": policy,
                             "varied": varied, "wtp_per_admission": value.per_admission,
                             "wtp_per_quality": value.per_quality, "probability": p, "value": p})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- value of information
def regression_fit(inputs: np.ndarray, y: np.ndarray) -> np.ndarray:
    """E(y | inputs) at each row, by the regression of Strong et al. (2014): penalised cubic splines of
    each input and, for several inputs, their pairwise products, the penalty chosen by leave-one-out
    error."""
    from sklearn.linear_model import RidgeCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, SplineTransformer

    inputs = np.asarray(inputs, float)
    if inputs.ndim == 1:
        inputs = inputs[:, None]
    y = np.asarray(y, float)
    if y.std() == 0:
        return y.copy()
    knots = int(np.clip(len(y) // (20 * inputs.shape[1]), 3, 10))
    steps = [SplineTransformer(n_knots=knots, degree=3, knots="quantile", extrapolation="linear")]
    if inputs.shape[1] > 1:
        steps.append(PolynomialFeatures(2, interaction_only=True, include_bias=False))
    model = make_pipeline(*steps, RidgeCV(alphas=np.logspace(-6, 6, 49)))
    with one_blas_thread():                    # many small products: threads cost more than they give
        return model.fit(inputs, y).predict(inputs)


def value_of_information(fitted: np.ndarray) -> float:
    """E[max_d g_d] - max_d E[g_d] for conditional expected net benefits ``fitted`` (n, decisions)."""
    return float(fitted.max(axis=1).mean() - fitted.mean(axis=0).max())


def evppi(nb: np.ndarray, inputs: np.ndarray) -> float:
    """EVPPI of ``inputs`` (n, k) for the decision among the columns of ``nb`` (n, decisions), by
    regressing each decision's net benefit over the first on the inputs."""
    nb = np.asarray(nb, float)
    fitted = np.zeros_like(nb)
    for d in range(1, nb.shape[1]):
        fitted[:, d] = regression_fit(inputs, nb[:, d] - nb[:, 0])
    return value_of_information(fitted)


def evppi_table(nb: pd.DataFrame, inputs: pd.DataFrame,
                groups: dict[str, list[str]] | None = None) -> tuple[pd.DataFrame, float]:
    """EVPPI of each input and group for the decision among ``nb``'s columns (rows: parameter sets), and
    EVPI."""
    values = nb.to_numpy()
    evpi = value_of_information(values - values[:, :1])
    rows = []
    wanted = [(name, [name], "parameter") for name in inputs.columns]
    wanted += [(name, members, "group") for name, members in (groups or {}).items()]
    for name, members, kind in wanted:
        estimate = evppi(values, inputs[members].to_numpy())
        rows.append({"parameter": name, "kind": kind, "members": ",".join(members), "evppi_estimate": estimate,
                     "evppi": min(estimate, evpi), "capped": estimate > evpi,
                     "share_of_evpi": min(estimate, evpi) / evpi if evpi > 0 else 0.0})
    return pd.DataFrame(rows), evpi


def section_groups(names: Sequence[str]) -> dict[str, list[str]]:
    """Parameters grouped by their section of the table (``learning.*``), for sections with two or more."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name.split(".", 1)[0] + ".*", []).append(name)
    return {k: v for k, v in groups.items() if len(v) > 1}


def decision_pair(policies: list[str], given: str | None) -> tuple[str, str] | None:
    """The two policies whose choice EVPPI is about: ``given`` (``A,B``), or the fund and micro-incentives
    when both are compared; None when there is no such pair."""
    if given:
        pair = tuple(p.strip() for p in given.split(",") if p.strip())
        if len(pair) != 2 or pair[0] == pair[1] or any(p not in policies for p in pair):
            raise ConfigError(f"--decide {given!r}: name two different policies of those compared ({', '.join(policies)}), "
                              f"e.g. investment_fund,micro_incentives")
        return pair
    return DEFAULT_DECISION if all(p in policies for p in DEFAULT_DECISION) else None


@dataclass
class Decision:
    """The decision analysis of an ensemble: decision.csv's rows and what its plots need."""

    table: pd.DataFrame
    acceptability: pd.DataFrame
    evppi: pd.DataFrame | None
    evpi: float | None
    pair: tuple[str, str] | None
    valuation: Valuation


def analyse(results: pd.DataFrame, sets: pd.DataFrame, policies: list[str], valuation: Valuation,
            pair: tuple[str, str] | None, max_admission: float = 20_000.0,
            max_quality: float = 1_000.0) -> Decision:
    """Probability best, net benefit, acceptability curves and EVPPI from an ensemble's runs."""
    columns = [c for c in BETTER if c in results.columns]
    means = set_means(results, columns)
    outcomes = outcome_table(means, policies)
    benefits = benefit_table(means, policies, valuation)
    curves = acceptability(means, policies, valuation, max_admission, max_quality)
    frames = [outcomes, benefits, curves]
    evppi_rows, evpi = None, None
    if pair is not None:
        nb = net_benefit(means, list(pair), valuation)[list(pair)]
        inputs = sets.iloc[nb.index.to_numpy()].reset_index(drop=True)
        varying = [c for c in inputs.columns if inputs[c].nunique() > 1]
        if varying:
            evppi_rows, evpi = evppi_table(nb.reset_index(drop=True), inputs[varying], section_groups(varying))
            decided = f"{pair[0]} vs {pair[1]}"
            frames.append(pd.DataFrame([{"quantity": "evpi", "outcome": "net_benefit", "policy": decided,
                                         "parameter": "all", "wtp_per_admission": valuation.per_admission,
                                         "wtp_per_quality": valuation.per_quality, "value": evpi}]))
            frames.append(evppi_rows.assign(quantity="evppi", outcome="net_benefit", policy=decided,
                                            wtp_per_admission=valuation.per_admission,
                                            wtp_per_quality=valuation.per_quality, value=evppi_rows["evppi"]))
    table = pd.concat(frames, ignore_index=True)
    order = ["quantity", "outcome", "policy", "parameter", "kind", "varied", "wtp_per_admission", "wtp_per_quality",
             "value", "low", "high", "better", "evppi_estimate", "capped", "share_of_evpi", "members"]
    table = table[[c for c in order if c in table.columns]]
    return Decision(table, curves, evppi_rows, evpi, pair, valuation)


def decision_text(decision: Decision) -> str:
    """The decision in a few lines: expected net benefits, the best policy, EVPI and the top EVPPIs."""
    t = decision.table
    nb = t[t["quantity"] == "net_benefit"].set_index("policy")
    ce = t[t["quantity"] == "probability_cost_effective"].set_index("policy")["value"]
    v = decision.valuation
    lines = [f"net benefit relative to {nb.index[0]} over the run (GBP; {v.per_admission:g} per admission avoided, "
             f"{v.per_quality:g} per quality-year):"]
    for policy, row in nb.iterrows():
        lines.append(f"  {policy:24} {row['value']:>14,.0f}  [{row['low']:,.0f}, {row['high']:,.0f}]  "
                     f"P(most cost-effective) {ce[policy]:.2f}")
    if decision.evppi is not None:
        lines.append(f"EVPI of the choice {decision.pair[0]} vs {decision.pair[1]}: GBP {decision.evpi:,.0f}; "
                     f"largest EVPPI:")
        for _, row in decision.evppi.sort_values("evppi", ascending=False).head(5).iterrows():
            lines.append(f"  {row['parameter']:40} {row['evppi']:>12,.0f}  ({100 * row['share_of_evpi']:.0f}% of EVPI)")
    return "\n".join(lines)
