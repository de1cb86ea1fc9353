"""The investment-response curve: what investment buys, and how much a material change needs.

[Nuffield15] Recommendation 3 asks for "a model to estimate the scale of
investment needed", and quotes London's framework: "between 2 and 5.3 per cent
of the health care budget must be invested to support primary care
transformation" (MODEL.md pattern 12). Here every practice of the commissioner
is funded (the ``investment_fund_all`` policy) at a range of levels, in GBP per
registered patient a year, each level on the same seeds as the status quo
(common random numbers). The outcome is the paired change in emergency
admissions in the final year.

What money buys is capacity (:mod:`pcsim.model.capacity`): protected time as
far as locums can supply it, then additional roles as far as the labour market
supplies them, and the enablers. The curve is read twice:

* *at the default parameters*, over replicate seeds: its mean and 5-95% band
  (``p5``, ``p95``), and the minimum investment whose mean reaches the target
  (the ACE target: 15% fewer emergency admissions [Miller18]), by linear
  interpolation, as a share of the commissioner's budget beside the 2-5.3%;
* *over parameter uncertainty*: at each of a Latin hypercube of parameter sets
  drawn from the plausible ranges of the parameters that decide what money buys
  (:data:`UNCERTAIN`, or a spec's ``[parameters]``), or at each set of a
  calibrated ensemble, each on its own seeds against its own status quo: the
  band over sets and seeds (``parameter_p5``, ``parameter_p95``), the share of
  sets that reach the target at each level, each set's minimum investment and
  their 5-95% interval, and, where only some sets reach it, the region of
  parameters in which they do (PRIM, :mod:`pcsim.experiments.discovery`).

Where the curve flattens the study says why: the share of the additional-role
posts the money funds that are filled (the labour supply), beside the backfill
locums can give. ``minimum_investment.json`` holds the answer.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pcsim import config as configs
from pcsim.experiments import compare, ensembles
from pcsim.experiments import sweeps
from pcsim.experiments import provenance
from pcsim.experiments.plots import response_figure
from pcsim.config import Config, ConfigError

FUND, CONTROL = "investment_fund_all", "status_quo"
LONDON_RANGE = (0.02, 0.053)
METRIC = "emergency_admissions_per_1000"
# The parameters that decide what money buys and what it changes, carried over their plausible ranges by default.
UNCERTAIN = ("roles.labour_supply_per_100k_year", "roles.substitution", "roles.substitution_half_hours",
             "roles.case_management_effect", "roles.caseload_per_fte", "roles.high_risk_admission_share",
             "roles.holistic_equivalence", "investment.backfill_limit_per_1000", "investment.backfill_supply",
             "innovation.effect_mean", "innovation.hours_per_stage", "innovation.pilot_reach",
             "hospital.holistic_quality_effect", "hospital.continuity_effect", "quality.holistic_gain")
FILLED_ENOUGH = 0.9     # below this share of funded posts filled, the labour supply is what binds


def plan(config: Config, levels: list[float], replicates: int, seed: int, least: int = 2) -> sweeps.Plan:
    """The runs: the status quo and the fund at each level, every one on the same replicate seeds (at least
    ``least`` of them: the band over replicates needs two)."""
    if len(levels) < 2 or not all(math.isfinite(level) and level >= 0 for level in levels):
        raise ConfigError(f"--levels {','.join(f'{v:g}' for v in levels)}: give at least two levels, finite and none "
                          f"negative (GBP per patient a year)")
    if len(set(levels)) != len(levels):
        raise ConfigError(f"--levels {','.join(f'{v:g}' for v in levels)}: a level is given twice; give each once")
    if not isinstance(replicates, int) or replicates < least:
        raise ConfigError(f"--replicates = {replicates}: the band needs at least {least} replicates")
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


def paired_changes(results: pd.DataFrame) -> pd.DataFrame:
    """Each funded run's % change in final-year emergency admissions against the status quo on the same
    replicate (common random numbers): columns ``point`` (the level's index), ``replicate``, ``change``."""
    control = results[results["policy"] == CONTROL].set_index("replicate")[METRIC]
    funded = results[results["policy"] == FUND]
    change = 100 * (funded[METRIC].to_numpy() / control.loc[funded["replicate"]].to_numpy() - 1)
    return pd.DataFrame({"point": funded["point"].to_numpy(), "replicate": funded["replicate"].to_numpy(),
                         "change": change})


def curve(results: pd.DataFrame, levels: list[float], budget_per_patient_year: float) -> pd.DataFrame:
    """Per level: the paired % change in final-year emergency admissions (mean, 5% and 95%), and the
    level as a share of the budget."""
    changes = paired_changes(results)
    rows = []
    for i, level in enumerate(levels):
        change = changes.loc[changes["point"] == i, "change"]
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


def verdict_text(table: pd.DataFrame, minimum: float | None, target: float, budget: float,
                 uncertainty: dict[str, Any] | None = None) -> str:
    """What the curve says about the investment a material change needs, in a sentence or two."""
    top = table["gbp_per_patient_year"].max()
    if minimum is None:
        best = table["admissions_change_percent"].min()
        text = (f"no level up to GBP {top:g} per patient a year ({100 * top / budget:.1f}% of the budget) reaches "
                f"{target:g}% fewer emergency admissions at the default parameters; the largest mean change is "
                f"{best:+.1f}%")
    else:
        text = (f"minimum investment for {target:g}% fewer emergency admissions: GBP {minimum:.1f} per patient a "
                f"year, {100 * minimum / budget:.2f}% of the budget (London's range: 2-5.3%)")
    if uncertainty:
        reached = uncertainty["reached_share"]
        gbp = uncertainty["minimum_gbp_per_patient_year"]
        if gbp["p5"] is None:
            text += (f"; over parameter uncertainty it is reached in {100 * reached:.0f}% of "
                     f"{uncertainty['parameter_sets']} parameter sets up to GBP {top:g}")
        else:
            upper = f"GBP {gbp['p95']:.1f}" if gbp["p95"] is not None else f"more than GBP {top:g}"
            text += (f"; over parameter uncertainty, 90% interval GBP {gbp['p5']:.1f} to {upper} "
                     f"({100 * reached:.0f}% of {uncertainty['parameter_sets']} parameter sets reach it)")
    return text


def write(table: pd.DataFrame, summary: dict[str, Any], config: Config, out: Path, started: str,
          extra: dict | None = None) -> str:
    """Write response.csv, response.png, minimum_investment.json and response.json into the study folder
    ``out`` (the caller holds its claim); return the verdict."""
    provenance.write_atomic(out / "response.csv", lambda tmp: table.to_csv(tmp, index=False))
    fig = response_figure(table, summary["target_percent"], summary["budget_per_patient_year"], LONDON_RANGE)
    provenance.write_atomic(out / "response.png", lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    record = provenance.manifest(config, started, {"experiment": "response", **(extra or {})})
    provenance.write_json(out / "minimum_investment.json", {**summary, "provenance": record})
    provenance.write_json(out / "response.json", {**record, "target_percent": summary["target_percent"],
                                                 "minimum_gbp_per_patient_year":
                                                     summary["at_default_parameters"]["minimum_gbp_per_patient_year"],
                                                 "verdict": summary["verdict"]})
    return summary["verdict"]


# ----------------------------------------------------------------------------- parameter uncertainty
def parameter_sets(count: int, seed: int, ranges: dict[str, tuple[float, float]] | None = None) -> pd.DataFrame:
    """``count`` parameter sets, a Latin hypercube over ``ranges`` (default: :data:`UNCERTAIN` over their
    plausible ranges), whole-number parameters rounded; the same ``seed`` gives the same sets."""
    from scipy.stats import qmc

    from pcsim.inputs.parameters import PARAMETERS

    ranges = ranges or {name: PARAMETERS[name].plausible for name in UNCERTAIN}
    if count < 2:
        raise ConfigError(f"--parameter-sets = {count}: the interval over parameters needs at least 2 sets "
                          f"(0 for none)")
    unit = qmc.LatinHypercube(d=len(ranges), seed=seed).random(count)
    columns = {}
    for j, (name, (low, high)) in enumerate(ranges.items()):
        values = low + unit[:, j] * (high - low)
        columns[name] = np.round(values) if PARAMETERS[name].integer else values
    return pd.DataFrame(columns)


def uncertain_ranges(spec_path: str | Path) -> dict[str, tuple[float, float]]:
    """The parameters of a spec's ``[parameters]`` table (as for ``pcsim sa``: ``[]`` for the plausible range, or
    ``[low, high]``), but for the fund's own level, which the curve varies."""
    raw = configs.read_toml(spec_path, "uncertainty spec")
    table = raw.get("parameters")
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"{spec_path}: give the uncertain parameters as a [parameters] table, e.g. "
                          f"\"roles.substitution\" = [] (its plausible range) or [0.3, 0.6]")
    return {name: configs.spec_range(name, given, f"{spec_path}: ") for name, given in table.items()
            if name != "investment.funding_per_patient"}


def set_changes(results: pd.DataFrame, levels: list[float]) -> np.ndarray:
    """Over the runs of :func:`uncertainty_plan`: each set's mean paired % change in final-year emergency
    admissions at each level, (sets, levels)."""
    runs, per_set = as_one_curve(results, levels)
    changes = paired_changes(runs).assign(set=lambda frame: frame["replicate"] // per_set)
    table = changes.groupby(["set", "point"])["change"].mean().unstack("point")
    return table.reindex(columns=range(len(levels))).to_numpy()


def minimum_of(changes: np.ndarray, levels: list[float], target_percent: float) -> np.ndarray:
    """Each row's minimum investment reaching ``-target`` (linear interpolation), ``inf`` where none does."""
    table = pd.DataFrame({"gbp_per_patient_year": levels})
    out = []
    for row in np.atleast_2d(changes):
        found = minimum_investment(table.assign(admissions_change_percent=row), target_percent)
        out.append(math.inf if found is None else found)
    return np.array(out)


def with_uncertainty(table: pd.DataFrame, results: pd.DataFrame, levels: list[float], budget: float,
                     target_percent: float) -> tuple[pd.DataFrame, np.ndarray]:
    """``table`` (the curve at the default parameters) with the band over parameter sets and seeds, and the
    share of sets reaching the target at each level; and each set's minimum investment."""
    over = over_sets(results, levels, budget)
    changes = set_changes(results, levels)
    out = table.assign(parameter_mean=over["admissions_change_percent"].to_numpy(),
                       parameter_p5=over["p5"].to_numpy(), parameter_p95=over["p95"].to_numpy(),
                       parameter_sets=len(changes), reached_share=(changes <= -target_percent).mean(axis=0))
    return out, minimum_of(changes, levels, target_percent)


def capacity_bought(results: pd.DataFrame, levels: list[float]) -> pd.DataFrame:
    """At each level (default parameters): additional-role staff in post and the share of the posts the money
    funds that are filled, final year - where the labour supply binds, more money buys vacancies."""
    rows = []
    for i, level in enumerate(levels):
        arm = results[(results["policy"] == FUND) & (results["point"] == i)]
        posts, staff = arm["role_posts"].mean(), arm["additional_roles_fte"].mean()
        rows.append({"gbp_per_patient_year": level, "roles_fte": staff,
                     "role_posts_filled_share": staff / posts if posts > 0 else math.nan})
    return pd.DataFrame(rows)


def why_it_flattens(capacity: pd.DataFrame, config: Config, years: float) -> str:
    """In words, what limits the curve at its top: the labour supply (posts funded but not filled), or nothing
    within the levels run."""
    params = config.params
    supply = params["roles.labour_supply_per_100k_year"]
    short = capacity[capacity["role_posts_filled_share"] < FILLED_ENOUGH]
    backfill = (f"locums give at most {params['investment.backfill_limit_per_1000']:g} hours a month per 1,000 "
                f"patients (investment.backfill_limit_per_1000), so money beyond that buys additional roles")
    if short.empty:
        return f"{backfill}; the posts the money funds are filled at every level, so the curve has not flattened"
    first, top = short.iloc[0], capacity.iloc[-1]
    return (f"{backfill}; from GBP {first['gbp_per_patient_year']:g} a patient a year the money funds more posts "
            f"than the labour market can fill - at GBP {top['gbp_per_patient_year']:g}, "
            f"{100 * top['role_posts_filled_share']:.0f}% of them are filled after {years:g} years, as the market "
            f"supplies at most {supply:g} FTE a year per 100,000 patients (roles.labour_supply_per_100k_year) - "
            f"so more money buys vacancies, not care")


def where_reached(sets: pd.DataFrame, minimums: np.ndarray) -> list[dict[str, Any]]:
    """The box of parameter values (PRIM) in which the target is reached within the levels run, when some
    sets reach it and some do not; empty otherwise."""
    from pcsim.experiments import discovery

    reached = np.isfinite(minimums)
    if reached.all() or not reached.any() or len(sets) < 8:
        return []
    found = discovery.discover(sets.reset_index(drop=True), reached, boxes=1, min_coverage=0.5)
    return [{"parameter": row.parameter, "low": float(row.low), "high": float(row.high),
             "range_low": float(row.range_low), "range_high": float(row.range_high),
             "coverage": float(row.coverage), "density": float(row.density)} for row in found.boxes.itertuples()]


def minimum_summary(table: pd.DataFrame, minimum: float | None, target: float, budget: float,
                    minimums: np.ndarray | None, sets: pd.DataFrame | None, why: str) -> dict[str, Any]:
    """What ``minimum_investment.json`` says: the minimum investment at the default parameters, its interval
    over parameter uncertainty (or that it is not reached, up to which level, and where it would be), why
    the curve flattens, and the verdict."""
    top = float(table["gbp_per_patient_year"].max())
    share = (lambda gbp: None if gbp is None or not math.isfinite(gbp) else 100 * gbp / budget)  # noqa: E731
    out = {"target_percent": target, "budget_per_patient_year": budget,
           "london_range_percent": [100 * v for v in LONDON_RANGE], "levels_up_to_gbp": top,
           "at_default_parameters": {"reached": minimum is not None, "minimum_gbp_per_patient_year": minimum,
                                     "minimum_budget_share_percent": share(minimum),
                                     "largest_change_percent": float(table["admissions_change_percent"].min())},
           "why_it_flattens": why}
    if minimums is not None:
        finite = np.isfinite(minimums)
        quantiles = np.quantile(minimums, [0.05, 0.5, 0.95], method="inverted_cdf")  # an observed set's value
        low, mid, high = (float(v) if math.isfinite(v) else None for v in quantiles)
        out["over_parameter_uncertainty"] = {
            "parameter_sets": int(len(minimums)), "parameters": list(sets.columns),
            "reached_share": float(finite.mean()),
            "minimum_gbp_per_patient_year": {"p5": low, "median": mid, "p95": high},
            "minimum_budget_share_percent": {"p5": share(low), "median": share(mid), "p95": share(high)},
            "where_reached": where_reached(sets, minimums)}
    out["verdict"] = verdict_text(table, minimum, target, budget, out.get("over_parameter_uncertainty"))
    return out


def uncertainty_plan(config: Config, levels: list[float], seeds_per_set: int, seed: int,
                     sets: pd.DataFrame, chunk: int = 32) -> sweeps.Plan:
    """The curve at every parameter set, each set on its own ``seeds_per_set`` seeds, the status quo and the
    fund at each level on the same ones. A run's point is ``set x (levels + 1) + level + 1`` (0: the status
    quo), so that :func:`over_sets` pairs each fund run with the status quo of its set and seed."""
    base = plan(config, levels, seeds_per_set, seed, least=1)          # checks the levels and the policies
    width = len(levels) + 1
    runs = [sweeps.Run(k * width + run.point + 1, run.replicate, run.seed, {**values, **run.values}, run.policy)
            for k, values in enumerate(ensembles.set_values(sets)) for run in base.runs]
    return sweeps.Plan(f"{base.name}-ensemble", base.base, runs, chunk,
                       {**base.spec, "sets": len(sets), "ensemble": True})


def as_one_curve(results: pd.DataFrame, levels: list[float]) -> tuple[pd.DataFrame, int]:
    """The runs of :func:`uncertainty_plan` laid out as one curve's (``point`` the level, -1 the status quo),
    each set's seeds numbered apart (``replicate = set x per_set + seed's replicate``); and ``per_set``."""
    width = len(levels) + 1
    per_set = int(results["replicate"].max()) + 1
    runs = results.assign(point=results["point"] % width - 1,
                          replicate=results["point"] // width * per_set + results["replicate"])
    return runs, per_set


def over_sets(results: pd.DataFrame, levels: list[float], budget_per_patient_year: float) -> pd.DataFrame:
    """Per level: the paired % change in final-year emergency admissions against the status quo of the
    same set and seed (mean, 5% and 95% over sets and seeds), as :func:`curve`."""
    table = curve(as_one_curve(results, levels)[0], levels, budget_per_patient_year)
    table["sets"] = results["point"].floordiv(len(levels) + 1).nunique()
    return table


def analyse(default_results: pd.DataFrame, uncertain_results: pd.DataFrame | None, sets: pd.DataFrame | None,
            levels: list[float], config: Config, target: float) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The curve (``response.csv``) and the answer (``minimum_investment.json``) from the runs at the default
    parameters and, if any, over parameter sets."""
    budget = float(config.params["commissioner.budget_per_patient_year"])
    table = curve(default_results, levels, budget)
    minimums = None
    if uncertain_results is not None:
        table, minimums = with_uncertainty(table, uncertain_results, levels, budget, target)
    capacity = capacity_bought(default_results, levels)
    table = table.assign(roles_fte=capacity["roles_fte"].to_numpy(),
                         role_posts_filled_share=capacity["role_posts_filled_share"].to_numpy())
    minimum = minimum_investment(table, target)
    why = why_it_flattens(capacity, config, config.months / 12)
    return table, minimum_summary(table, minimum, target, budget, minimums, sets, why)
