"""Figure: GPs' four motivations, self-efficacy and morale under each regime.

[Miller18] names four motivations of GPs - improving clinical care,
organisational autonomy, being identified as an innovator, and the judgement
of peers - and argues that micro-incentives crowd out the first two while an
investment fund with freedom to innovate crowds them in. Each regime runs on
the same seeds; lines are means over replicates with 95% intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pcsim.figures import style
from pcsim.figures.base import Context, Result, long_bands, replicate_seeds

FIELDS = {"replicates": 40, "policies": ["status_quo", "micro_incentives", "investment_fund"]}
MEASURES = {
    "motivation_clinical_care": "Improve clinical care",
    "motivation_autonomy": "Organisational autonomy",
    "motivation_innovator": "Identified as an innovator",
    "motivation_peer_judgement": "Peer judgement",
    "self_efficacy": "Self-efficacy",
    "morale": "Morale",
}
POLICY_LABELS = {"status_quo": "status quo", "micro_incentives": "micro-incentives",
                 "investment_fund": "investment fund"}


def policy_label(name: str) -> str:
    return POLICY_LABELS.get(name, name.replace("_", " "))


def check(spec) -> None:
    """Every policy named must be known to the config."""
    config = spec.config()
    for name in spec["policies"]:
        config.with_policy(name)


def compute(spec, ctx: Context) -> Result:
    base = spec.config()
    configs = {name: base.with_policy(name) for name in spec["policies"]}
    seeds = replicate_seeds(spec)
    frames = []
    for name, runs in ctx.simulate(configs, seeds, "regimes").items():
        months = np.arange(runs.monthly.shape[0])
        frames += [long_bands(months, runs.series(column), policy=name, measure=column) for column in MEASURES]
    return Result(pd.concat(frames, ignore_index=True), configs, seeds, {"months": base.months})


def draw(result: Result, spec):
    data = result.data
    policies = list(dict.fromkeys(data["policy"]))
    with style.paper():
        fig, axes = style.figure(2, 3, 100, sharex=True)
        for letter, ax, (column, title) in zip("abcdef", axes.ravel(), MEASURES.items()):
            for i, policy in enumerate(policies):
                rows = data[(data["policy"] == policy) & (data["measure"] == column)]
                style.band(ax, rows["month"] / 12, rows["mean"], rows["low"], rows["high"], i,
                           policy_label(policy), style.LINE_STYLES[i % 4])
            style.panel_label(ax, letter, title)
        for ax in axes[:, 0]:
            ax.set_ylabel("mean over GPs (0-1)")
        for ax in axes[-1]:
            ax.set_xlabel("years")
        axes[0, 0].legend(loc="lower left")
    return fig
