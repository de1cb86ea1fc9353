"""The investment-response curve: what investment buys, and how much a material change needs.

[Nuffield15] Recommendation 3 asks for "a model to estimate the scale of
investment needed", and quotes London's framework: "between 2 and 5.3 per cent
of the health care budget must be invested to support primary care
transformation" (MODEL.md pattern 12). Here every practice of the commissioner
is funded (the ``investment_fund_all`` policy) at a range of levels, in GBP per
registered patient a year, each level on the same seeds as the status quo
(common random numbers). The outcome is the paired change in emergency
admissions in the final year; the curve shows its mean and a 90% band over
replicates, and the minimum investment whose mean change reaches the target
(the ACE target: 15% fewer emergency admissions [Miller18]) is read off by
linear interpolation and expressed as a share of the commissioner's budget,
beside the 2-5.3% range. If no level reaches the target, it says so.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from pcsim import config as configs
from pcsim.experiments import compare
from pcsim.experiments import sweeps
from pcsim.experiments import provenance
from pcsim.experiments.plots import response_figure
from pcsim.config import Config, ConfigError

FUND, CONTROL = "investment_fund_all", "status_quo"
LONDON_RANGE = (0.02, 0.053)


def plan(config: Config, levels: list[float], replicates: int, seed: int) -> sweeps.Plan:
    """The runs: the status quo and the fund at each level, every one on the same replicate seeds."""
    if len(levels) < 2 or not all(math.isfinite(level) and level >= 0 for level in levels):
        raise ConfigError(f"--levels {','.join(f'{v:g}' for v in levels)}: give at least two levels, finite and none "
                          f"negative (GBP per patient a year)")
    if len(set(levels)) != len(levels):
        raise ConfigError(f"--levels {','.join(f'{v:g}' for v in levels)}: a level is given twice; give each once")
    if not isinstance(replicates, int) or replicates < 2:
        raise ConfigError(f"--replicates = {replicates}: the band needs at least 2 replicates")
    years = config.months / 12
    for level in levels:
        try:
            configs.check_constraints({**config.params, "investment.funding_per_patient": level * years})
        except ConfigError as exc:
            raise ConfigError(f"--levels: level {level:g} GBP per patient a year over {years:g} years, paid up front: "
                              f"{exc}") from None
    runs = [sweeps.Run(-1, r, compare.replicate_seed(seed, r), {}, CONTROL) for r in range(replicates)]
    for i, level in enumerate(levels):
        runs += [sweeps.Run(i, r, compare.replicate_seed(seed, r),
                            {"investment.funding_per_patient": level * years}, FUND) for r in range(replicates)]
    for name in (FUND, CONTROL):
        config.with_policy(name)
    return sweeps.Plan(f"response-{config.run['name']}", config.to_dict(), runs, 32,
                       {"levels": levels, "replicates": replicates, "seed": seed})


def curve(results: pd.DataFrame, levels: list[float], budget_per_patient_year: float) -> pd.DataFrame:
    """Per level: the paired % change in final-year emergency admissions (mean, 5% and 95%), and the
    level as a share of the budget."""
    metric = "emergency_admissions_per_1000"
    control = results[results["policy"] == CONTROL].set_index("replicate")[metric]
    rows = []
    for i, level in enumerate(levels):
        arm = results[(results["policy"] == FUND) & (results["point"] == i)].set_index("replicate")[metric]
        change = 100 * (arm / control.loc[arm.index] - 1)
        rows.append({"gbp_per_patient_year": level, "budget_share_percent": 100 * level / budget_per_patient_year,
                     "admissions_change_percent": change.mean(), "p5": change.quantile(0.05),
                     "p95": change.quantile(0.95), "replicates": len(change)})
    return pd.DataFrame(rows)


def check_target(target_percent: float) -> float:
    """The target cut in emergency admissions, a percentage above 0 and below 100."""
    if not (isinstance(target_percent, (int, float)) and math.isfinite(target_percent) and 0 < target_percent < 100):
        raise ConfigError(f"--target = {target_percent!r}: the cut in emergency admissions to reach, a percentage: "
                          f"allowed above 0 and below 100")
    return float(target_percent)


def minimum_investment(table: pd.DataFrame, target_percent: float) -> float | None:
    """The smallest level whose mean change reaches -target (linear interpolation), or None."""
    x = table["gbp_per_patient_year"].to_numpy()
    y = table["admissions_change_percent"].to_numpy()
    goal = -target_percent
    for i in range(len(x)):
        if y[i] <= goal:
            if i == 0:
                return float(x[0])
            return float(x[i - 1] + (goal - y[i - 1]) * (x[i] - x[i - 1]) / (y[i] - y[i - 1]))
    return None


def verdict_text(table: pd.DataFrame, minimum: float | None, target: float, budget: float) -> str:
    """What the curve says about the investment a material change needs, in one sentence."""
    if minimum is None:
        best = table["admissions_change_percent"].min()
        return (f"no level up to GBP {table['gbp_per_patient_year'].max():g} per patient a year "
                f"({100 * table['gbp_per_patient_year'].max() / budget:.1f}% of the budget) reaches {target:g}% "
                f"fewer emergency admissions; the largest mean change is {best:+.1f}%")
    return (f"minimum investment for {target:g}% fewer emergency admissions: GBP {minimum:.1f} per patient a year, "
            f"{100 * minimum / budget:.2f}% of the budget (London's range: 2-5.3%)")


def write(table: pd.DataFrame, minimum: float | None, target: float, budget: float, config: Config, out: Path,
          started: str, extra: dict | None = None) -> str:
    """Write response.csv, response.png and response.json into the study folder ``out`` (the caller holds
    its claim); return the verdict."""
    provenance.write_atomic(out / "response.csv", lambda tmp: table.to_csv(tmp, index=False))
    fig = response_figure(table, target, budget, LONDON_RANGE)
    provenance.write_atomic(out / "response.png", lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    share = None if minimum is None else 100 * minimum / budget
    verdict = verdict_text(table, minimum, target, budget)
    provenance.write_json(out / "response.json", provenance.manifest(config, started, {
        "experiment": "response", "target_percent": target, "minimum_gbp_per_patient_year": minimum,
        "minimum_budget_share_percent": share, "verdict": verdict, **(extra or {})}))
    return verdict
