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
from pcsim.model.outputs import COLUMNS, commissioners_together
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
    ("spend_roles", "total", "Additional-roles spend over the run, GBP"),
    ("additional_roles_fte", "final", "Additional-role staff in post, FTE (final year)"),
    ("role_posts", "final", "Additional-role posts funded or kept, FTE (final year)"),
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


def write_comparison(comparison: Comparison, config: Config, out: Path | None, started: str) -> Path:
    """Write comparison.csv, runs.csv, comparison.png and manifest.json into a new folder ``out`` (new
    or empty; None: ``results/compare/<name>-<time>``), assembled aside and renamed into place whole."""
    from pcsim.experiments import folders
    from pcsim.experiments.runner import RESULTS, stamp

    target = folders.check_new_folder(out) if out is not None else RESULTS / "compare" / f"{config.run['name']}-{stamp()}"
    manifest = provenance.manifest(config, started, {"experiment": "compare", "policies":
                                                     list(comparison.table["policy"].unique()),
                                                     "replicates": int(comparison.table["replicates"].iloc[0])})
    with folders.Staging(target) as staging:
        provenance.write_atomic(staging.path / "comparison.csv", lambda tmp: comparison.table.to_csv(tmp, index=False))
        provenance.write_atomic(staging.path / "runs.csv", lambda tmp: comparison.runs.to_csv(tmp, index=False))
        figure = comparison_figure(comparison)
        provenance.write_atomic(staging.path / "comparison.png", lambda tmp: figure.savefig(tmp, dpi=110, format="png"))
        provenance.write_json(staging.path / "manifest.json", manifest)
        return staging.publish(choose_name=out is None)


# How the printed table shows each metric: a short label with its unit, a scale and decimals.
SHOWN: dict[str, tuple[str, float, int]] = {
    "emergency_admissions_per_1000": ("Emergency admissions /1,000/month", 1, 2),
    "admissions_per_1000_incentivised": ("  incentivised conditions", 1, 2),
    "admissions_per_1000_other": ("  other conditions", 1, 2),
    "quality_incentivised_delivered": ("Indicator care delivered (0-1)", 1, 3),
    "quality_incentivised_recorded": ("Indicator care recorded (0-1)", 1, 3),
    "quality_non_incentivised": ("Holistic care (0-1)", 1, 3),
    "continuity": ("Continuity of care (0-1)", 1, 3),
    "motivation_clinical_care": ("Motivation: clinical care", 1, 3),
    "motivation_autonomy": ("Motivation: autonomy", 1, 3),
    "motivation_innovator": ("Motivation: innovator", 1, 3),
    "motivation_peer_judgement": ("Motivation: peer judgement", 1, 3),
    "self_efficacy": ("Self-efficacy", 1, 3),
    "morale": ("Morale", 1, 3),
    "burnout": ("Burnout", 1, 3),
    "gp_exits": ("GP exits over the run", 1, 1),
    "innovations_running": ("Innovations running", 1, 1),
    "enablers_share": ("Enablers delivered (share)", 1, 3),
    "spend_incentives": ("Incentive spend, GBP m", 1e-6, 2),
    "spend_investment": ("Investment spend, GBP m", 1e-6, 2),
    "spend_roles": ("Additional-roles spend, GBP m", 1e-6, 2),
    "additional_roles_fte": ("Additional-role staff, FTE", 1, 1),
    "role_posts": ("Additional-role posts, FTE", 1, 1),
    "hospital_cost": ("Hospital cost, GBP m", 1e-6, 1),
    "net_savings": ("Net savings, GBP m", 1e-6, 2),
}
TABLE_WIDTH = 100          # the printed table fits a terminal of this many columns
# The one-line answer per policy: the mission's question in five outcomes (MODEL.md section 1).
ANSWER_NAME, ANSWER_CELL = 24, 15
ANSWER = (("emergency_admissions_per_1000", "admissions", "percent"),
          ("quality_non_incentivised", "holistic care", "percent"),
          ("morale", "morale", "percent"),
          ("gp_exits", "GP exits", "absolute"),
          ("net_savings", "net savings", "money"))


def comparison_text(comparison: Comparison, months: int | None = None) -> str:
    """The comparison as printed: a one-line answer per policy, then each metric's baseline mean and
    every policy's paired difference from it with its 95% interval, in blocks narrow enough for
    :data:`TABLE_WIDTH` columns."""
    table = comparison.table
    policies = list(table["policy"].unique())
    baseline, others = policies[0], policies[1:]
    n = int(table["replicates"].iloc[0])
    lines = [f"Each policy minus {baseline}, paired on {n} common seeds" + (f", {months} months" if months else "")
             + " (*: 95% interval excludes 0)",
             f"{'':{ANSWER_NAME}}" + "".join(f"{word:>{ANSWER_CELL}}" for _, word, _ in ANSWER)]
    lines += [answer_line(table, baseline, name) for name in others]
    label_width, mean_width, column = 36, 11, 25
    per_block = max(1, (TABLE_WIDTH - label_width - mean_width) // column)
    for start in range(0, len(others), per_block):
        block = others[start:start + per_block]
        lines.append("")
        lines.append(f"{'':{label_width}}{baseline[:mean_width - 1]:>{mean_width}}"
                     + "".join(f"{name[:column - 2]:>{column}}" for name in block))
        lines.append(f"{'':{label_width}}{'mean':>{mean_width}}" + "".join(f"{'paired difference [95%]':>{column}}"
                                                                         for _ in block))
        for metric, _, _ in METRICS:
            label, scale, decimals = SHOWN[metric]
            rows = table[table["metric"] == metric].set_index("policy")
            cells = [_difference_cell(rows.loc[name], scale, decimals) for name in block]
            lines.append(f"{label:{label_width}}{_number(rows.loc[baseline, 'mean'] * scale, decimals):>{mean_width}}"
                         + "".join(f"{cell:>{column}}" for cell in cells))
    return "\n".join(lines)


def answer_line(table: pd.DataFrame, baseline: str, name: str) -> str:
    """One policy's answer in one line: its paired change in admissions, holistic care, morale, GP exits
    and net savings, each starred where its 95% interval excludes no change."""
    cells = []
    for metric, _, how in ANSWER:
        row = table[(table["metric"] == metric) & (table["policy"] == name)].iloc[0]
        sure = "*" if row["difference_low"] > 0 or row["difference_high"] < 0 else " "
        if how == "percent":
            value = "n/a" if not np.isfinite(row["difference_percent"]) else f"{row['difference_percent']:+.1f}%"
        elif how == "money":
            value = f"{'+' if row['difference'] >= 0 else '-'}GBP {abs(row['difference']) / 1e6:,.1f}m"
        else:
            value = f"{row['difference']:+.1f}"
        cells.append(f"{value + sure:>{ANSWER_CELL}}")
    return (f"  {name[:ANSWER_NAME - 3] + ':':{ANSWER_NAME - 2}}" + "".join(cells)).rstrip()


def _difference_cell(row, scale: float, decimals: int) -> str:
    if row["difference"] == 0 and row["difference_low"] == 0 and row["difference_high"] == 0:
        return "0"
    return (f"{_number(row['difference'] * scale, decimals, sign=True)} "
            f"[{_number(row['difference_low'] * scale, decimals)}, {_number(row['difference_high'] * scale, decimals)}]")


def _number(value: float, decimals: int, sign: bool = False) -> str:
    """A fixed-point number with thousands separators, or n/a: never scientific notation."""
    if not np.isfinite(value):
        return "n/a"
    if round(value, decimals) == 0:
        value = 0.0                      # no "-0.00"
    return f"{value:{'+' if sign else ''},.{decimals}f}"
