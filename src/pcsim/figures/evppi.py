"""Figure: the expected value of partial perfect information - which uncertainty is worth researching.

For each choice between two policies (by default: whether to invest at all - the investment fund or
the status quo - and the investment fund or micro-incentives), over the same ensemble as the
acceptability curves: the EVPPI of each uncertain parameter and of each section
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

FIELDS = {**uncertainty.ENSEMBLE_FIELDS,
          "decide": [["investment_fund", "status_quo"], ["investment_fund", "micro_incentives"]]}
SHOWN = 12                      # bars drawn a decision: the largest EVPPIs (every one is in the CSV)
NOTHING_TO_LEARN = 0.01         # every EVPPI below this share of the EVPI: no parameter would change the choice


def decisions(spec) -> list[tuple[str, str]]:
    """The spec's decisions, each a pair of policies (one pair, or a list of pairs)."""
    given = spec["decide"]
    return [tuple(given)] if given and all(isinstance(v, str) for v in given) else [tuple(pair) for pair in given]


def check(spec) -> None:
    uncertainty.check_ensemble(spec)
    for pair in decisions(spec):
        if len(pair) != 2 or pair[0] == pair[1] or not set(pair) <= set(spec["policies"]):
            raise ConfigError(f"{spec.path}: figure.decide = {spec['decide']!r}: each decision must name two "
                              f"different policies of figure.policies, e.g. [\"investment_fund\", \"status_quo\"]")


def compute(spec, ctx: Context) -> Result:
    results, sets, config = uncertainty.ensemble(spec, ctx)
    tables, evpis, best = [], {}, {}
    for pair in decisions(spec):
        decided = decision.analyse(results, sets, spec["policies"], valuation(spec), pair, spec["wtp_max_admission"],
                                   spec["wtp_max_quality"])
        table = decided.evppi if decided.evppi is not None else pd.DataFrame(   # no parameter varies
            columns=["parameter", "kind", "members", "evppi_estimate", "evppi", "capped", "share_of_evpi"])
        name = f"{pair[0]} vs {pair[1]}"
        evpis[name] = decided.evpi or 0.0
        best[name] = first_better_share(results, pair, valuation(spec))
        tables.append(table.assign(decision=name, evpi=evpis[name]))
    data = pd.concat(tables, ignore_index=True)
    notes = {"evpi": evpis, "first_better_share": best, "sets": len(sets), "replicates": spec["replicates"],
             "months": spec["months"], "wtp_per_admission": spec["wtp_admission"],
             "wtp_per_quality": spec["wtp_quality"], "capped": data["parameter"][data["capped"].astype(bool)].tolist()}
    return Result(data, {"ensemble": config}, sorted(set(results["seed"].tolist())), notes)


def first_better_share(results: pd.DataFrame, pair: tuple[str, str], value) -> float:
    """The share of parameter sets (their seeds averaged) at which the first policy of ``pair`` has the
    higher net benefit."""
    means = decision.set_means(results, [c for c in decision.BETTER if c in results.columns])
    nb = decision.net_benefit(means, list(pair), value)
    return float((nb[pair[0]] > nb[pair[1]]).mean())


def draw(result: Result, spec):
    data, notes = result.data, result.notes
    pairs = decisions(spec)
    with style.paper():
        learnable = [not learns_nothing(data[data["decision"] == f"{a} vs {b}"], notes["evpi"][f"{a} vs {b}"])
                     for a, b in pairs]
        heights = [3 if bars else 1 for bars in learnable]
        fig, axes = style.figure(len(pairs), 1, 15 + 18 * sum(heights), squeeze=False, height_ratios=heights)
        for ax, pair, letter in zip(axes[:, 0], pairs, "abcdefgh"):
            draw_decision(ax, data[data["decision"] == f"{pair[0]} vs {pair[1]}"], pair, notes, letter)
    return fig


def learns_nothing(data: pd.DataFrame, evpi: float) -> bool:
    """True when no parameter's EVPPI reaches :data:`NOTHING_TO_LEARN` of the EVPI."""
    return data.empty or data["evppi"].max() <= NOTHING_TO_LEARN * max(evpi, 1.0)


def draw_decision(ax, data: pd.DataFrame, pair: tuple[str, str], notes: dict, letter: str) -> None:
    """One decision's EVPPIs beside its EVPI; where none reaches :data:`NOTHING_TO_LEARN` of the EVPI, the
    panel says so in words instead of drawing empty bars."""
    name = f"{pair[0]} vs {pair[1]}"
    evpi = notes["evpi"][name]
    style.panel_label(ax, letter, f"{policy_label(pair[0]).capitalize()} or {policy_label(pair[1])}?")
    if learns_nothing(data, evpi):
        chance = notes["first_better_share"][name]
        said = (f"{policy_label(pair[0]).capitalize()} has a higher net benefit than {policy_label(pair[1])} "
                f"at {100 * chance:.0f}% of the parameter sets.\n")
        ax.text(0.5, 0.5, f"{said}No parameter's uncertainty would change this choice: every EVPPI is below "
                f"{100 * NOTHING_TO_LEARN:g}% of the EVPI\n(GBP {evpi / 1e3:,.0f} thousand, from seed-to-seed "
                f"variation no parameter explains).", transform=ax.transAxes, ha="center", va="center", fontsize=6.5)
        ax.set_axis_off()
        return
    shown = data.sort_values("evppi", ascending=False).head(SHOWN).iloc[::-1]
    y = np.arange(len(shown))
    colours = [style.colour(1) if kind == "group" else style.colour(0) for kind in shown["kind"]]
    ax.barh(y, shown["evppi"] / 1e3, color=colours, height=0.7)
    ax.set_yticks(y, shown["parameter"], fontsize=6)
    ax.axvline(evpi / 1e3, color=style.colour(3), ls="--", lw=1, label=f"EVPI {evpi / 1e3:,.0f}")
    ax.set_xlabel("EVPPI, GBP thousand (the commissioner, over the run); blue: a parameter, orange: a section")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower center")
