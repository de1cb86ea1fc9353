"""Figure: the history of QOF - incentivised and non-incentivised care, recorded and delivered,
before and after indicators are withdrawn.

Three arms on common seeds: the spec's QOF history (a status-quo lead-in, QOF
introduced, some indicators withdrawn later), the same QOF with nothing
withdrawn (what the withdrawn indicators would have looked like), and no QOF.
It shows patterns 1 and 2 of MODEL.md section 6 - recorded care jumps and levels
off, delivered care rises less, holistic care and continuity fall [Miller18
intro; Nuffield15] - and what withdrawal does: the record of withdrawn
indicators falls further than the care behind it (coding and gaming targets
relax; delivered care drifts down slowly), while indicators still paid barely
move.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pcsim.figures import style
from pcsim.config import ConfigError
from pcsim.figures.base import Context, Result, long_bands, replicate_seeds

FIELDS = {"replicates": 40}
ARMS = {"withdrawn": "QOF, indicators withdrawn", "kept": "QOF, nothing withdrawn", "no_qof": "no QOF"}


def check(spec) -> None:
    """The config must run QOF and withdraw some of its indicators."""
    scheme = _qof_scheme(spec.config())
    if scheme is None or not scheme.get("withdraw"):
        raise ConfigError(f"{spec.path}: figure.config must run a qof scheme that withdraws indicators "
                          f"(policy.qof.withdraw); a QOF history needs them")


def compute(spec, ctx: Context) -> Result:
    base = spec.config()
    qof = _qof_scheme(base)
    configs = {"withdrawn": base, "kept": spec.config(["policy.qof.withdraw={}"]),
               "no_qof": base.with_policy("status_quo")}
    seeds = replicate_seeds(spec)
    arms = ctx.simulate(configs, seeds, "QOF history arms")
    withdrawn = np.array([code in qof["withdraw"] for code in arms["withdrawn"].codes])
    paid = arms["withdrawn"].in_scheme.any(axis=0) & ~withdrawn
    frames = [frame for arm, runs in arms.items() for frame in _series(arm, runs, withdrawn, paid)]
    notes = {"qof_start": qof["start"], "withdrawal_month": min(qof["withdraw"].values()),
             "withdrawn": sorted(qof["withdraw"]), "months": base.months}
    return Result(pd.concat(frames, ignore_index=True), configs, seeds, notes)


def _qof_scheme(config) -> dict | None:
    return next((s for s in config.policy if s["scheme"] == "qof"), None)


def _series(arm: str, runs, withdrawn: np.ndarray, paid: np.ndarray) -> list[pd.DataFrame]:
    """Recorded and delivered care on the withdrawn indicators and on those QOF still pays for (unweighted
    means over indicators), holistic care and continuity: (month, mean, 95% interval) rows."""
    months = np.arange(runs.monthly.shape[0])
    frames = []
    for group, members in (("withdrawn indicators", withdrawn), ("indicators still paid", paid)):
        for i, measure in enumerate(("recorded", "delivered")):
            values = runs.indicators[:, i][:, members].mean(axis=(1, 3))          # (months, runs)
            frames.append(long_bands(months, values, arm=arm, series=f"{group}, {measure}"))
    for column, label in (("quality_non_incentivised", "holistic care"), ("continuity", "continuity")):
        frames.append(long_bands(months, runs.series(column), arm=arm, series=label))
    return frames


def draw(result: Result, spec):
    data, notes = result.data, result.notes
    with style.paper():
        fig, axes = style.figure(1, 3, 62, sharex=True, sharey=True)
        panels = (
            ("a", "Indicators still paid", [
                ("withdrawn", "indicators still paid, recorded", "recorded (QOF)", 0, "-"),
                ("withdrawn", "indicators still paid, delivered", "delivered (QOF)", 0, "--"),
                ("no_qof", "indicators still paid, delivered", "delivered (no QOF)", 7, ":")]),
            ("b", "Indicators withdrawn", [
                ("withdrawn", "withdrawn indicators, recorded", "recorded (withdrawn)", 3, "-"),
                ("withdrawn", "withdrawn indicators, delivered", "delivered (withdrawn)", 3, "--"),
                ("kept", "withdrawn indicators, recorded", "recorded (had they stayed)", 5, "-"),
                ("kept", "withdrawn indicators, delivered", "delivered (had they stayed)", 5, "--")]),
            ("c", "Care no scheme pays for", [
                ("withdrawn", "holistic care", "holistic care (QOF)", 2, "-"),
                ("no_qof", "holistic care", "holistic care (no QOF)", 7, ":"),
                ("withdrawn", "continuity", "continuity (QOF)", 4, "-"),
                ("no_qof", "continuity", "continuity (no QOF)", 7, "-.")]),
        )
        for ax, (letter, title, lines) in zip(axes, panels):
            for arm, series, label, colour, line in lines:
                rows = data[(data["arm"] == arm) & (data["series"] == series)]
                style.band(ax, rows["month"] / 12, rows["mean"], rows["low"], rows["high"], colour, label, line)
            ax.axvline(notes["qof_start"] / 12, color="grey", lw=0.7)
            ax.axvline(notes["withdrawal_month"] / 12, color="grey", lw=0.7, ls="--")
            style.panel_label(ax, letter, title)
            ax.set_xlabel("years")
            ax.legend(loc="lower left")
        axes[0].set_ylabel("share of eligible patients (0-1)")
        axes[2].set_ylabel("holistic care: share of patients;\ncontinuity of care (0-1)")
        axes[2].yaxis.set_tick_params(labelleft=True)
        axes[0].set_ylim(0, 1)
        for ax in axes:
            ax.annotate("QOF starts", (notes["qof_start"] / 12, 0.98), xycoords=("data", "axes fraction"),
                        fontsize=6, ha="left", va="top", xytext=(2, 0), textcoords="offset points")
            ax.annotate(f"{len(notes['withdrawn'])} withdrawn", (notes["withdrawal_month"] / 12, 0.98),
                        xycoords=("data", "axes fraction"), fontsize=6, ha="left", va="top", xytext=(2, 0),
                        textcoords="offset points")
    return fig
