"""Figure: the policy contrast - what an investment fund does that micro-incentives do not.

Every policy runs on the same seeds (common random numbers), so each
comparison is a paired difference with a 95% t interval over replicates: each
policy against the status quo, and the contrast the mission asks about, the
investment fund minus micro-incentives. Care, admissions, motivation and the
workforce are shown as a percentage of the reference policy's mean; money as
GBP per registered patient a year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pcsim.experiments import compare
from pcsim.figures import style
from pcsim.figures.base import Context, Result, replicate_seeds
from pcsim.config import ConfigError
from pcsim.figures import motivation
from pcsim.figures.motivation import policy_label

FIELDS = {"replicates": 50, "policies": ["status_quo", "micro_incentives", "investment_fund"],
          "contrast": ["investment_fund", "micro_incentives"]}
OUTCOMES = {
    "emergency_admissions_per_1000": "emergency admissions",
    "admissions_per_1000_incentivised": "admissions: incentivised conditions",
    "admissions_per_1000_other": "admissions: other conditions",
    "quality_incentivised_delivered": "indicator care delivered",
    "quality_incentivised_recorded": "indicator care recorded",
    "quality_non_incentivised": "holistic care",
    "continuity": "continuity of care",
    "motivation_clinical_care": "motivation: clinical care",
    "motivation_autonomy": "motivation: autonomy",
    "motivation_innovator": "motivation: innovator",
    "motivation_peer_judgement": "motivation: peer judgement",
    "self_efficacy": "self-efficacy",
    "morale": "morale",
    "burnout": "burnout",
    "gp_exits": "GP exits",
}
MONEY = {"spend_incentives": "incentive payments", "spend_investment": "investment",
         "hospital_cost": "hospital cost", "net_savings": "net savings"}


def check(spec) -> None:
    """Known policies, at least two, and a contrast of two of them."""
    motivation.check(spec)
    if len(spec["policies"]) < 2:
        raise ConfigError(f"{spec.path}: figure.policies = {spec['policies']!r}: name at least two")
    contrast = spec["contrast"]
    if len(contrast) != 2 or contrast[0] == contrast[1] or not set(contrast) <= set(spec["policies"]):
        raise ConfigError(f"{spec.path}: figure.contrast = {contrast!r} must name two different policies of "
                          f"figure.policies")


def compute(spec, ctx: Context) -> Result:
    base = spec.config()
    first, second = spec["contrast"]
    configs = {name: base.with_policy(name) for name in spec["policies"]}
    seeds = replicate_seeds(spec)
    frames = []
    for name, runs in ctx.simulate(configs, seeds, "policies").items():
        frame = runs.summary()
        patient_years = runs.series("patients").mean(axis=0) * base.months / 12
        for column in MONEY:
            frame[column] = frame[column] / patient_years
        frame.insert(0, "replicate", range(len(seeds)))
        frame.insert(0, "policy", name)
        frames.append(frame)
    runs = pd.concat(frames, ignore_index=True)
    reference = spec["policies"][0]
    rows = [_comparisons(runs, reference, other) for other in spec["policies"][1:]]
    if [second, first] not in [[reference, other] for other in spec["policies"][1:]]:
        rows.append(_comparisons(runs, second, first))
    return Result(pd.concat(rows, ignore_index=True), configs, seeds, {"months": base.months})


def _comparisons(runs: pd.DataFrame, reference: str, other: str) -> pd.DataFrame:
    """``other`` minus ``reference`` for every shown metric: paired difference and 95% interval, in the
    metric's units and as a percentage of the reference mean."""
    table = compare.paired_table(runs, [reference, other])
    table = table[(table["policy"] == other) & table["metric"].isin([*OUTCOMES, *MONEY])].copy()
    reference_mean = runs[runs["policy"] == reference][[*OUTCOMES, *MONEY]].mean()
    table["reference_mean"] = table["metric"].map(reference_mean)
    scale = 100 / table["reference_mean"].abs().replace(0, np.nan)          # no percentage of a zero mean
    for column in ("difference", "difference_low", "difference_high"):
        table[column.replace("difference", "percent")] = table[column] * scale
    table["comparison"] = f"{other} minus {reference}"
    table["label"] = table["metric"].map({**OUTCOMES, **{k: f"{v}, GBP per patient a year" for k, v in MONEY.items()}})
    return table[["comparison", "metric", "label", "reference_mean", "mean", "difference", "difference_low",
                  "difference_high", "percent", "percent_low", "percent_high", "replicates"]]


def draw(result: Result, spec):
    data = result.data
    comparisons = list(dict.fromkeys(data["comparison"]))
    with style.paper():
        fig, (left, right) = style.figure(1, 2, 95, gridspec_kw={"width_ratios": [1.25, 1]})
        _forest(left, data, comparisons, list(OUTCOMES), "percent", "paired difference, % of reference mean")
        _forest(right, data, comparisons, list(MONEY), "difference", "paired difference,\nGBP per patient a year")
        style.panel_label(left, "a", "Care, admissions, motivation, workforce")
        style.panel_label(right, "b", "Money")
        left.set_yticks(-np.arange(len(OUTCOMES)), list(OUTCOMES.values()))
        right.set_yticks(-np.arange(len(MONEY)), list(MONEY.values()))
        for ax in (left, right):
            ax.set_ylim(-len(OUTCOMES) + 0.4, 0.6)          # the same row spacing in both panels
        handles = left.get_legend_handles_labels()[0]
        # below the panels, inside the figure: constrained layout makes room for an "outside" legend
        fig.legend(handles, [_comparison_label(c) for c in comparisons], loc="outside lower center",
                   ncol=len(comparisons), title="paired difference (95% interval)", title_fontsize=6.5)
    return fig


def _forest(ax, data, comparisons, metrics, value, xlabel) -> None:
    offsets = np.linspace(-0.22, 0.22, len(comparisons))
    for i, (comparison, offset) in enumerate(zip(comparisons, offsets)):
        rows = data[data["comparison"] == comparison].set_index("metric").loc[metrics]
        y = -np.arange(len(metrics)) - offset
        err = np.vstack([rows[value] - rows[f"{value}_low"], rows[f"{value}_high"] - rows[value]])
        ax.errorbar(rows[value], y, xerr=err, fmt="os^D"[i % 4], color=style.colour(i), capsize=1.5,
                    elinewidth=0.8, label=comparison)
    ax.axvline(0, color="grey", lw=0.7)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)


def _comparison_label(comparison: str) -> str:
    other, reference = comparison.split(" minus ")
    return f"{policy_label(other)} \N{MINUS SIGN} {policy_label(reference)}"
