"""Figure: the expected value of partial perfect information - which uncertainty is worth researching.

For the choice between two policies (by default the investment fund and micro-incentives), over the
same ensemble as the acceptability curves: the EVPPI of each uncertain parameter and of each section
of parameters (:mod:`pcsim.experiments.decision`; the regression method of Strong, Oakley & Brennan
2014), in GBP for the commissioner over the run, beside the EVPI, what resolving every uncertainty
would be worth. A parameter with EVPPI near zero may move outcomes a lot and still not change the
decision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pcsim.config import ConfigError
from pcsim.experiments import decision
from pcsim.figures import style, uncertainty
from pcsim.figures.acceptability import valuation
from pcsim.figures.base import Context, Result
from pcsim.figures.motivation import policy_label

FIELDS = {**uncertainty.ENSEMBLE_FIELDS, "decide": ["investment_fund", "micro_incentives"]}
SHOWN = 15                      # bars drawn: the largest EVPPIs (every one is in the CSV)


def check(spec) -> None:
    uncertainty.check_ensemble(spec)
    pair = spec["decide"]
    if len(pair) != 2 or pair[0] == pair[1] or not set(pair) <= set(spec["policies"]):
        raise ConfigError(f"{spec.path}: figure.decide = {pair!r} must name two different policies of "
                          f"figure.policies")


def compute(spec, ctx: Context) -> Result:
    results, sets, config = uncertainty.ensemble(spec, ctx)
    pair = tuple(spec["decide"])
    decided = decision.analyse(results, sets, spec["policies"], valuation(spec), pair, spec["wtp_max_admission"],
                               spec["wtp_max_quality"])
    table = decided.evppi if decided.evppi is not None else pd.DataFrame(   # no parameter varies
        columns=["parameter", "kind", "members", "evppi_estimate", "evppi", "capped", "share_of_evpi"])
    notes = {"evpi": decided.evpi or 0.0, "decision": f"{pair[0]} vs {pair[1]}", "sets": len(sets),
             "replicates": spec["replicates"], "months": spec["months"],
             "wtp_per_admission": spec["wtp_admission"], "wtp_per_quality": spec["wtp_quality"],
             "capped": table["parameter"][table["capped"]].tolist()}
    return Result(table.assign(evpi=notes["evpi"]).reset_index(drop=True), {"ensemble": config},
                  sorted(set(results["seed"].tolist())), notes)


def draw(result: Result, spec):
    data, notes = result.data, result.notes
    shown = data.sort_values("evppi", ascending=False).head(SHOWN).iloc[::-1]
    first, second = spec["decide"]
    with style.paper():
        fig, ax = style.figure(1, 1, 20 + 4.2 * len(shown))
        y = np.arange(len(shown))
        colours = [style.colour(1) if kind == "group" else style.colour(0) for kind in shown["kind"]]
        ax.barh(y, shown["evppi"] / 1e3, color=colours, height=0.7)
        ax.set_yticks(y, shown["parameter"], fontsize=6)
        ax.axvline(notes["evpi"] / 1e3, color=style.colour(3), ls="--", lw=1, label=f"EVPI {notes['evpi'] / 1e3:,.0f}")
        ax.set_xlabel("expected value of partial perfect information, GBP thousand (the commissioner, over the run)")
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower right")
        ax.set_title(f"{policy_label(first).capitalize()} or {policy_label(second)}? Learning a parameter (blue) "
                     f"or a section (orange)", fontsize=7.5)
    return fig
