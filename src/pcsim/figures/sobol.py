"""Figure: Sobol indices of the policy contrast - which uncertainties decide between the policies.

The study is an SA spec (``experiments/sa_contrast.toml`` by default; see
:mod:`pcsim.sensitivity`): Saltelli samples of the behavioural and economic
parameters we are least sure of, each sample running both policies on the same
seed, and Sobol indices (SALib) of the contrast, investment fund minus
micro-incentives, at the spec's horizon. Bars are first-order (S1) and total
(ST) indices with their 95% bootstrap intervals; a parameter whose total index
is near zero does not decide the contrast, however uncertain it is.
"""

from __future__ import annotations

import numpy as np

from pcsim.experiments import sensitivity
from pcsim.figures import style
from pcsim.config import ConfigError
from pcsim.figures.base import Context, Result
from pcsim.figures.motivation import policy_label
from pcsim.inputs.parameters import PARAMETERS

FIELDS = {"sa_spec": "../sa_contrast.toml", "samples": 1024}
OUTPUT_LABELS = {
    "emergency_admissions_per_1000": "Emergency admissions",
    "quality_incentivised_delivered": "Indicator care",
    "quality_non_incentivised": "Holistic care",
    "continuity": "Continuity of care",
    "morale": "Morale",
    "net_savings": "Net savings",
}


def study_of(spec) -> sensitivity.Study:
    return sensitivity.Study(spec.path.parent / spec["sa_spec"], "sobol", samples=spec["samples"])


def check(spec) -> None:
    """The SA spec must be valid and compare two policies (a contrast)."""
    study = study_of(spec)
    if len(study.policies) != 2:
        raise ConfigError(f"{spec.path}: figure.sa_spec names an SA spec of one policy; a contrast needs two")


def compute(spec, ctx: Context) -> Result:
    study = study_of(spec)
    results = ctx.sweep(study.plan, "Sobol runs")
    indices = study.analyse(results)
    contrasts = indices[indices["output"].str.contains(" - ")].copy()
    contrasts.insert(1, "metric", contrasts["output"].str.split(" | ", regex=False).str[0])
    contrasts.insert(2, "contrast", contrasts["output"].str.split(" | ", regex=False).str[1])
    contrasts = contrasts.drop(columns="output")
    contrasts["base_samples"] = study.samples
    contrasts["runs"] = len(study.plan.runs)
    first, second = study.policies
    return Result(contrasts.reset_index(drop=True), {"sa_base": study.base}, sorted({r.seed for r in study.plan.runs}),
                  {"policies": study.policies, "horizon_months": study.base.months, "base_samples": study.samples,
                   "runs": len(study.plan.runs), "parameters": study.problem["names"],
                   "bounds": study.problem["bounds"],
                   "contrast_label": f"{policy_label(first)} minus {policy_label(second)}"})


def draw(result: Result, spec):
    data, notes = result.data, result.notes
    metrics = list(dict.fromkeys(data["metric"]))
    first = data[data["metric"] == metrics[0]].set_index("parameter")
    order = list(first["ST"].sort_values(ascending=False).index)
    cols = min(3, len(metrics))
    rows = -(-len(metrics) // cols)
    with style.paper():
        fig, axes = style.figure(rows, cols, 14 + 3.4 * len(order) * rows, sharey=True, squeeze=False)
        y = np.arange(len(order))
        for letter, ax, metric in zip("abcdefghij", axes.ravel(), metrics):
            part = data[data["metric"] == metric].set_index("parameter").loc[order]
            for i, (index, offset) in enumerate((("ST", -0.18), ("S1", 0.18))):
                ax.barh(y + offset, part[index], height=0.36, xerr=part[f"{index}_conf"],
                        color=style.colour(i), error_kw={"elinewidth": 0.6, "capsize": 1}, label=_index_label(index))
            style.panel_label(ax, letter, OUTPUT_LABELS.get(metric, metric))
            ax.set_xlabel("Sobol index (95% interval)")
            low = min(0.0, float((part[["S1", "ST"]] - part[["S1_conf", "ST_conf"]].to_numpy()).min().min()))
            ax.set_xlim(low, max(1.0, float((part["ST"] + part["ST_conf"]).max())))
            ax.axvline(0, color="grey", lw=0.6)
            ax.grid(axis="y", visible=False)
            ax.tick_params(axis="y", labelsize=6)
        for ax in axes.ravel()[len(metrics):]:
            ax.axis("off")
        axes[0, 0].set_yticks(y, [PARAMETERS[name].label for name in order])     # labels, not code names
        axes[0, 0].invert_yaxis()
        axes[0, 0].legend(loc="lower right")
        fig.suptitle(f"Contrast: {notes['contrast_label']}, month {notes['horizon_months']} "
                     f"({notes['base_samples']} base samples, {notes['runs']:,} runs)", fontsize=7.5)
    return fig


def _index_label(index: str) -> str:
    return {"ST": "total (ST)", "S1": "first order (S1)"}[index]
