"""Experiments: replicate runs, per-run summaries, and the paired comparison of policies.

Every run of an experiment gets its seed from its key (the experiment's base
seed and the replicate number) through NumPy's ``SeedSequence``, so results do
not depend on the engine, the number of workers or the order of runs, and every
policy of a comparison meets the same seeds (common random numbers): the
difference between two policies on one seed is a paired difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from pcsim.config import Config
from pcsim.experiments import provenance
from pcsim.experiments.plots import comparison_figure
from pcsim.model.outputs import COLUMNS, PER_GP, SUMMED
from pcsim.model.engine import Simulation

REPLICATE_KEY = 7          # spawn-key namespace of replicate seeds
CHUNK = 64                 # runs advanced together in one Simulation

# Key outcomes of a run: (metric, how it is summarised, label with unit).
METRICS: tuple[tuple[str, str, str], ...] = (
    ("emergency_admissions_per_1000", "final", "Emergency admissions per 1,000 a month (final year)"),
    ("admissions_per_1000_incentivised", "final", "  incentivised conditions"),
    ("admissions_per_1000_other", "final", "  other conditions"),
    ("quality_incentivised_delivered", "final", "Indicator care delivered (final year)"),
    ("quality_incentivised_recorded", "final", "Indicator care recorded (final year)"),
    ("quality_non_incentivised", "final", "Holistic care delivered (final year)"),
    ("continuity", "final", "Continuity of care (final year)"),
    ("motivation_clinical_care", "final", "Motivation: improve clinical care"),
    ("motivation_autonomy", "final", "Motivation: organisational autonomy"),
    ("motivation_innovator", "final", "Motivation: identified as innovator"),
    ("motivation_peer_judgement", "final", "Motivation: peer judgement"),
    ("self_efficacy", "final", "Self-efficacy"),
    ("morale", "final", "Morale"),
    ("burnout", "final", "Burnout"),
    ("gp_exits", "total", "GP exits over the run"),
    ("innovations_running", "final", "Innovations running (final year)"),
    ("enablers_share", "final", "Enablers delivered (share)"),
    ("spend_incentives", "total", "Incentive spend over the run, GBP"),
    ("spend_investment", "total", "Investment spend over the run, GBP"),
    ("hospital_cost", "total", "Hospital cost over the run, GBP"),
    ("net_savings", "total", "Net savings over the run, GBP"),
)
METRIC_NAMES = tuple(name for name, _, _ in METRICS)


def replicate_seed(base_seed: int, replicate: int) -> int:
    """The seed of replicate ``replicate`` of an experiment with base seed ``base_seed``."""
    sequence = np.random.SeedSequence(base_seed, spawn_key=(REPLICATE_KEY, replicate))
    return int(sequence.generate_state(1, np.uint64)[0] >> np.uint64(1))


def by_run(monthly: np.ndarray) -> np.ndarray:
    """Monthly outputs (M, columns, R, C) with all commissioners together: (M, columns, R)."""
    return np.stack([commissioners_together(monthly, column) for column in COLUMNS], axis=1)


def commissioners_together(monthly: np.ndarray, column: str) -> np.ndarray:
    """One monthly output (from (M, columns, R, C)) with all commissioners together, (M, R): counts and
    money summed, GP measures weighted by GPs, the rest by patients."""
    values = monthly[:, COLUMNS.index(column)]
    if column in SUMMED:
        return values.sum(axis=-1)
    weight = monthly[:, COLUMNS.index("gps" if column in PER_GP else "patients")]
    return (values * weight).sum(axis=-1) / np.maximum(weight.sum(axis=-1), 1e-12)


def summarise(monthly: np.ndarray, horizon: int | None = None) -> pd.DataFrame:
    """Each run's key outcomes (one row a run) from monthly outputs (M, columns, R, C), up to ``horizon``
    months: final-year means, and totals over the run."""
    data = by_run(monthly[:horizon])
    final = data[-12:].mean(axis=0)            # (columns, R)
    total = data.sum(axis=0)
    out = {}
    for name, how, _ in METRICS:
        if name == "emergency_admissions_per_1000":
            out[name] = (final[COLUMNS.index("admissions_per_1000_incentivised")]
                         + final[COLUMNS.index("admissions_per_1000_other")])
        else:
            out[name] = (final if how == "final" else total)[COLUMNS.index(name)]
    return pd.DataFrame(out)


def batches(config: Config, seeds: list, size: int = CHUNK) -> list[list]:
    """Seeds grouped into the batches that advance together: up to ``size`` at a time, or one at a time
    where each run draws its own structure (``[population] structure = "per_seed"``: arrays differ in shape)."""
    size = 1 if config.population["structure"] == "per_seed" else size
    return [list(seeds[start:start + size]) for start in range(0, len(seeds), size)]


def simulate(config: Config, seeds: list[int], params: dict | None = None) -> list[Simulation]:
    """``config`` run to its end on ``seeds``, in as few Simulations as the structure allows (:func:`batches`);
    ``params`` as for :class:`Simulation`, with per-run values in seed order."""
    sims, done = [], 0
    for batch in batches(config, seeds, len(seeds)):
        part = None if params is None else {k: (v[done:done + len(batch)] if isinstance(v, (list, tuple, np.ndarray))
                                                else v) for k, v in params.items()}
        sim = Simulation(config, seeds=batch, params=part)
        sim.run()
        sims.append(sim)
        done += len(batch)
    return sims


def stacked(sims: list[Simulation], name: str, axis: int) -> np.ndarray:
    """One recorded output of several Simulations, joined on the run axis (``axis``)."""
    arrays = [getattr(sim.outputs, name) for sim in sims]
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays, axis=axis)


def run_replicates(config: Config, seeds: list[int], progress=None) -> pd.DataFrame:
    """Run ``config`` once per seed, CHUNK runs at a time, and summarise each run."""
    frames = []
    for chunk in batches(config, seeds):
        frames.append(summarise(stacked(simulate(config, chunk), "monthly", 2)))
        if progress is not None:
            progress.update(len(chunk))
    return pd.concat(frames, ignore_index=True)


@dataclass
class Comparison:
    """Runs of several policies on the same seeds: ``runs`` (one row per policy and replicate) and
    ``table`` (each policy's mean and its paired difference from the baseline, with 95% intervals)."""

    runs: pd.DataFrame
    table: pd.DataFrame
    baseline: str


def compare(config: Config, policies: list[str], replicates: int, progress=None) -> Comparison:
    """Run each named policy on the same ``replicates`` seeds and compare them with the first."""
    seeds = [replicate_seed(config.seed, r) for r in range(replicates)]
    frames = []
    for name in policies:
        frame = run_replicates(config.with_policy(name), seeds, progress)
        frame.insert(0, "replicate", range(replicates))
        frame.insert(0, "policy", name)
        frames.append(frame)
    runs = pd.concat(frames, ignore_index=True)
    return Comparison(runs, paired_table(runs, policies), policies[0])


def paired_table(runs: pd.DataFrame, policies: list[str], level: float = 0.95) -> pd.DataFrame:
    """Mean of each metric under each policy, with a t interval, and the paired difference from the
    first policy with its t interval (the same replicates meet every policy)."""
    baseline = runs[runs["policy"] == policies[0]].set_index("replicate")
    rows = []
    for name in policies:
        arm = runs[runs["policy"] == name].set_index("replicate")
        for metric, _, label in METRICS:
            mean, low, high = _interval(arm[metric].to_numpy(), level)
            diff = (arm[metric] - baseline[metric]).to_numpy()
            d_mean, d_low, d_high = _interval(diff, level) if name != policies[0] else (0.0, 0.0, 0.0)
            base = baseline[metric].mean()
            rows.append({"metric": metric, "label": label.strip(), "policy": name, "mean": mean, "low": low,
                         "high": high, "difference": d_mean, "difference_low": d_low, "difference_high": d_high,
                         "difference_percent": 100 * d_mean / base if base else np.nan, "replicates": len(arm)})
    return pd.DataFrame(rows)


def _interval(values: np.ndarray, level: float) -> tuple[float, float, float]:
    mean, low, high = interval(values, level)
    return float(mean), float(low), float(high)


def interval(values, level: float = 0.95, axis: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over ``axis`` (replicates) and its t interval at ``level``: (mean, low, high)."""
    values = np.asarray(values, dtype=float)
    n = values.shape[axis]
    mean = values.mean(axis=axis)
    if n < 2:
        return mean, np.full_like(mean, np.nan), np.full_like(mean, np.nan)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * values.std(axis=axis, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def write_comparison(comparison: Comparison, config: Config, out: Path, started: str) -> Path:
    """Write comparison.csv, runs.csv, comparison.png and manifest.json into ``out`` (atomically per file)."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = provenance.manifest(config, started, {"experiment": "compare", "policies":
                                                     list(comparison.table["policy"].unique()),
                                                     "replicates": int(comparison.table["replicates"].iloc[0])})
    provenance.write_atomic(out / "comparison.csv", lambda tmp: comparison.table.to_csv(tmp, index=False))
    provenance.write_atomic(out / "runs.csv", lambda tmp: comparison.runs.to_csv(tmp, index=False))
    figure = comparison_figure(comparison)
    provenance.write_atomic(out / "comparison.png", lambda tmp: figure.savefig(tmp, dpi=110, format="png"))
    provenance.write_json(out / "manifest.json", manifest)
    return out


def comparison_text(comparison: Comparison) -> str:
    """The comparison as a printed table: each policy's mean, and the paired difference with its interval."""
    table = comparison.table
    policies = list(table["policy"].unique())
    width = 30
    lines = [f"{'':52}" + "".join(f"{p:>{width}}" for p in policies)]
    for metric, _, label in METRICS:
        rows = table[table["metric"] == metric].set_index("policy")
        lines.append(f"{label:52}" + "".join(f"{_fmt(rows.loc[p, 'mean']):>{width}}" for p in policies))
        diffs = [""] + [f"{_fmt(rows.loc[p, 'difference'], sign=True)} "
                        f"[{_fmt(rows.loc[p, 'difference_low'])}, {_fmt(rows.loc[p, 'difference_high'])}]"
                        for p in policies[1:]]
        lines.append(f"{'':52}" + "".join(f"{d:>{width}}" for d in diffs))
    lines.append(f"(means over {int(table['replicates'].iloc[0])} common seeds; second lines: paired difference from "
                 f"{policies[0]} with 95% interval)")
    return "\n".join(lines)


def _fmt(value: float, sign: bool = False) -> str:
    if not np.isfinite(value):
        return "n/a"
    text = f"{value:+.3g}" if sign else f"{value:.3g}"
    return text if abs(value) < 1e6 else (f"{value / 1e6:+.3g}m" if sign else f"{value / 1e6:.3g}m")
