"""Ensembles: every policy over the plausible parameter sets, so intervals hold parameter uncertainty too.

``pcsim compare`` runs each policy on common seeds at one set of parameter values (the config's), so its
intervals hold replicate noise only. An *ensemble* is a table of parameter sets, one a row, that are all
consistent with what is known: the ``plausible.parquet`` of ``pcsim calibrate`` (history matching), or
any Parquet or CSV file whose columns are parameters of the table. Here every policy runs at every set
on the same replicate seeds (common random numbers within and across sets), so that

* each policy's outcome and each paired difference between policies has a distribution over sets and
  seeds: its mean and its 95% *uncertainty interval* (2.5% and 97.5% quantiles over runs), holding
  parameter as well as stochastic uncertainty;
* the share of a difference's variance that is due to the parameters (between sets), beside the share
  due to chance (within a set, over seeds), says how much calibrating further could narrow it;
* the decision analysis (:mod:`pcsim.experiments.decision`) has one net benefit per policy and set.

Runs go through the sweep machinery: batched, stored chunk by chunk, resumable, local or on Dask. The
same applies to the investment-response curve (:func:`pcsim.experiments.response.uncertainty_plan`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pcsim import config as configs
from pcsim.config import ConfigError
from pcsim.experiments import compare, observables, sweeps
from pcsim.inputs import parameters

DECISION_OBSERVABLES = {name: observables.VOCABULARY[name] for name in ("emergency_admissions_total", "quality_years")}
EXTRA_LABELS = {"o:emergency_admissions_total": "Emergency admissions over the run",
                "o:quality_years": "Quality-years over the run (patient-years of full-quality care)"}
BOOKKEEPING = ("set", "implausibility", "wave", "point")


def load_sets(path: str | Path, limit: int | None = None) -> pd.DataFrame:
    """The parameter sets of an ensemble file (Parquet or CSV), one row a set, one column a parameter of
    the table, each value checked against what configs allow."""
    path = Path(path)
    where = f"--ensemble {str(path)!r}"
    if not path.is_file():
        raise ConfigError(f"{where} does not exist (pcsim calibrate writes plausible.parquet)")
    try:
        frame = pd.read_csv(path) if path.suffix == ".csv" else pd.read_parquet(path)
    except Exception as exc:                                     # noqa: BLE001 - any unreadable file
        raise ConfigError(f"{where} is not a Parquet or CSV table: {exc}") from None
    return check_sets(frame, where, limit)


def check_sets(frame: pd.DataFrame, where: str, limit: int | None = None) -> pd.DataFrame:
    """An ensemble's parameter columns (the first ``limit`` rows), each value checked; ``where`` names
    the table in errors. Bookkeeping columns (set, implausibility) are dropped."""
    names = [c for c in frame.columns if c in parameters.PARAMETERS]
    unknown = [c for c in frame.columns if c not in parameters.PARAMETERS and c not in BOOKKEEPING]
    if unknown:
        raise ConfigError(f"{where}: column {unknown[0]!r} is not a parameter of the table"
                          f"{configs.suggest(unknown[0], parameters.PARAMETERS)}")
    if not names:
        raise ConfigError(f"{where} has no column naming a parameter of the table")
    if frame.empty:
        raise ConfigError(f"{where} holds no parameter sets (did the calibration rule out the whole space?)")
    if limit is not None:
        if limit < 1:
            raise ConfigError(f"--sets = {limit} must be at least 1")
        frame = frame.head(limit)
    sets = frame[names].reset_index(drop=True)
    for name in names:
        param = parameters.PARAMETERS[name]
        sets[name] = [configs.check_param(param, int(round(v)) if param.integer else float(v), f"{where} column {name}")
                      for v in sets[name]]
    return sets


def set_values(sets: pd.DataFrame) -> list[dict[str, float]]:
    return [{k: (int(v) if parameters.PARAMETERS[k].integer else float(v)) for k, v in row.items()}
            for row in sets.to_dict("records")]


def compare_plan(config: configs.Config, policies: list[str], sets: pd.DataFrame, replicates: int, seed: int,
                 chunk: int = 32) -> sweeps.Plan:
    """Every policy at every set on the same ``replicates`` seeds; a run's point is its set."""
    for name in policies:
        config.with_policy(name)
    values = set_values(sets)
    runs = [sweeps.Run(k, r, compare.replicate_seed(seed, r), point, policy)
            for policy in policies for k, point in enumerate(values) for r in range(replicates)]
    return sweeps.Plan(f"ensemble-{config.run['name']}", config.to_dict(), runs, chunk,
                       {"policies": policies, "sets": len(values), "replicates": replicates, "seed": seed})


def task():
    """Chunks of an ensemble also compute the observables the decision analysis values."""
    return observables.chunk_task(DECISION_OBSERVABLES)


def metrics() -> list[tuple[str, str]]:
    """The outcomes an ensemble reports: pcsim compare's, and the decision analysis's totals."""
    return [(name, label.strip()) for name, _, label in compare.METRICS] + list(EXTRA_LABELS.items())


def uncertainty_table(results: pd.DataFrame, policies: list[str], level: float = 0.95) -> pd.DataFrame:
    """Each policy's outcomes, and its paired difference from the first policy, over sets and seeds:
    mean and uncertainty interval (quantiles), the chance the difference is positive, and the share
    of its variance due to the parameter sets."""
    tail = (1 - level) / 2
    keyed = results.set_index(["policy", "point", "replicate"]).sort_index()
    baseline = keyed.loc[policies[0]]
    rows = []
    for name in policies:
        arm = keyed.loc[name]
        for metric, label in metrics():
            values = arm[metric]
            diff = (values - baseline[metric].reindex(values.index)) if name != policies[0] else values * 0.0
            base = baseline[metric].mean()
            rows.append({"metric": metric, "label": label, "policy": name, "mean": values.mean(),
                         "low": values.quantile(tail), "high": values.quantile(1 - tail),
                         "difference": diff.mean(), "difference_low": diff.quantile(tail),
                         "difference_high": diff.quantile(1 - tail),
                         "difference_percent": 100 * diff.mean() / base if base else np.nan,
                         "probability_higher": float((diff > 0).mean()) if name != policies[0] else np.nan,
                         "parameter_share": parameter_share(diff) if name != policies[0] else np.nan,
                         "sets": values.index.get_level_values("point").nunique(),
                         "replicates": values.index.get_level_values("replicate").nunique(), "runs": len(values)})
    return pd.DataFrame(rows)


def parameter_share(values: pd.Series) -> float:
    """Share of the variance of ``values`` (indexed by point and replicate) due to the parameter set:
    the between-set component of a one-way random-effects decomposition. NaN with one seed a set."""
    by_set = values.groupby(level="point")
    replicates = by_set.size().min()
    if replicates < 2 or by_set.ngroups < 2:
        return float("nan")
    within = by_set.var(ddof=1).mean()
    between = max(0.0, by_set.mean().var(ddof=1) - within / replicates)
    return float(between / (between + within)) if between + within > 0 else 0.0


def uncertainty_text(table: pd.DataFrame) -> str:
    """The ensemble comparison as a printed table: means, and the paired difference with its
    uncertainty interval and the share due to the parameters."""
    policies = list(table["policy"].unique())
    width = 34
    lines = [f"{'':52}" + "".join(f"{p:>{width}}" for p in policies)]
    for metric, label in metrics():
        rows = table[table["metric"] == metric].set_index("policy")
        lines.append(f"{label[:51]:52}" + "".join(f"{_fmt(rows.loc[p, 'mean']):>{width}}" for p in policies))
        diffs = [""] + [f"{_fmt(rows.loc[p, 'difference'], sign=True)} "
                        f"[{_fmt(rows.loc[p, 'difference_low'])}, "
                        f"{_fmt(rows.loc[p, 'difference_high'])}]"
                        + ("" if not np.isfinite(rows.loc[p, "parameter_share"])
                           else f" {100 * rows.loc[p, 'parameter_share']:.0f}%p")
                        for p in policies[1:]]
        lines.append(f"{'':52}" + "".join(f"{d:>{width}}" for d in diffs))
    first = table.iloc[0]
    lines.append(f"(means over {int(first['sets'])} parameter sets x {int(first['replicates'])} common seeds; second "
                 f"lines: paired difference from {policies[0]} with its 95% uncertainty interval over sets and "
                 f"seeds, and the share of its variance due to the parameters, %p)")
    return "\n".join(lines)


def write(table: pd.DataFrame, results: pd.DataFrame, decided, sets: pd.DataFrame, plan: sweeps.Plan,
          out: Path, started: str, source: str | Path) -> list[str]:
    """Write ``pcsim compare --ensemble``'s files into ``out`` (each whole, then renamed); return their names.
    The manifest keeps the plan's fingerprint, so the runs stored beside it resume only for the same plan."""
    from pcsim.experiments import provenance, uncertainty_plots
    from pcsim.experiments.runner import write_parquet

    policies = list(table["policy"].unique())
    manifest = provenance.manifest(configs.from_dict(plan.base), started, {
        "experiment": "compare-ensemble", "fingerprint": plan.fingerprint(), "policies": policies,
        "ensemble": str(source),
        "parameters": list(sets.columns), "sets": len(sets), "replicates": int(table["replicates"].iloc[0]),
        "seeds": sorted(set(results["seed"].tolist())),
        "valuation": {"wtp_per_admission": decided.valuation.per_admission,
                      "wtp_per_quality": decided.valuation.per_quality},
        "decision": list(decided.pair) if decided.pair else None, "evpi": decided.evpi})
    out.mkdir(parents=True, exist_ok=True)
    provenance.write_atomic(out / "comparison.csv", lambda tmp: table.to_csv(tmp, index=False))
    provenance.write_atomic(out / "decision.csv", lambda tmp: decided.table.to_csv(tmp, index=False))
    write_parquet(out / "runs.parquet", results, manifest)
    figures = {"comparison.png": uncertainty_plots.ensemble_figure(table, policies[0]),
               "acceptability.png": uncertainty_plots.acceptability_figure(
                   decided.acceptability, {"wtp_per_admission": decided.valuation.per_admission,
                                           "wtp_per_quality": decided.valuation.per_quality})}
    if decided.evppi is not None:
        figures["evppi.png"] = uncertainty_plots.evppi_figure(decided.evppi, decided.evpi,
                                                              f"{decided.pair[0]} vs {decided.pair[1]}")
    for name, fig in figures.items():
        provenance.write_atomic(out / name, lambda tmp, fig=fig: fig.savefig(tmp, dpi=110, format="png"))
        uncertainty_plots.close(fig)
    provenance.write_json(out / "manifest.json", manifest)
    return ["comparison.csv", "decision.csv", "runs.parquet", *figures, "manifest.json"]


def _fmt(value: float, sign: bool = False) -> str:
    """A number for the printed table: three significant figures, millions as ``m``."""
    if not np.isfinite(value):
        return "n/a"
    if abs(value) >= 1e6:
        return f"{value / 1e6:+.3g}m" if sign else f"{value / 1e6:.3g}m"
    return f"{value:+.3g}" if sign else f"{value:.3g}"
