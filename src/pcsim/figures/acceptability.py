"""Figure: cost-effectiveness acceptability curves - how sure the choice of policy is, over the plausible sets.

Every policy runs at every non-implausible parameter set of the ACE calibration (its first ``sets``),
on common seeds (:mod:`pcsim.experiments.ensembles`); each policy's net benefit relative to the status
quo values emergency admissions avoided, quality-years gained and net savings
(:mod:`pcsim.experiments.decision`). The curves give the probability, over parameter sets, that each
policy has the highest net benefit, (a) over the willingness to pay per emergency admission avoided
(beyond its hospital cost), the quality-year held at its chosen value, and (b) over the willingness to
pay per quality-year, the admission held; dotted lines mark the chosen values.
"""

from __future__ import annotations

from pcsim.experiments import decision
from pcsim.figures import style, uncertainty
from pcsim.figures.base import Context, Result
from pcsim.figures.motivation import policy_label

FIELDS = dict(uncertainty.ENSEMBLE_FIELDS)


def check(spec) -> None:
    uncertainty.check_ensemble(spec)


def valuation(spec) -> decision.Valuation:
    return decision.Valuation(spec["wtp_admission"], spec["wtp_quality"])


def compute(spec, ctx: Context) -> Result:
    results, sets, config = uncertainty.ensemble(spec, ctx)
    decided = decision.analyse(results, sets, spec["policies"], valuation(spec), None, spec["wtp_max_admission"],
                               spec["wtp_max_quality"])
    def by_policy(quantity: str) -> dict[str, float]:
        rows = decided.table[decided.table["quantity"] == quantity]
        return {policy: float(value) for policy, value in zip(rows["policy"], rows["value"])}

    notes = {"sets": len(sets), "replicates": spec["replicates"], "months": spec["months"],
             "wtp_per_admission": spec["wtp_admission"], "wtp_per_quality": spec["wtp_quality"],
             "net_benefit": by_policy("net_benefit"),
             "probability_cost_effective": by_policy("probability_cost_effective")}
    return Result(decided.acceptability.reset_index(drop=True), {"ensemble": config},
                  sorted(set(results["seed"].tolist())), notes)


def draw(result: Result, spec):
    data, notes = result.data, result.notes
    panels = (("wtp_per_admission", "per emergency admission avoided (GBP)", notes["wtp_per_admission"],
               f"Per admission avoided (quality-year at GBP {notes['wtp_per_quality']:,.0f})"),
              ("wtp_per_quality", "per quality-year (GBP)", notes["wtp_per_quality"],
               f"Per quality-year (admission at GBP {notes['wtp_per_admission']:,.0f})"))
    with style.paper():
        fig, axes = style.figure(1, 2, 62, sharey=True)
        for letter, ax, (varied, label, chosen, title) in zip("ab", axes, panels):
            part = data[data["varied"] == varied]
            for i, (policy, rows) in enumerate(part.groupby("policy", sort=False)):
                ax.plot(rows[varied], rows["probability"], color=style.colour(i), ls=style.LINE_STYLES[i % 4],
                        label=policy_label(policy))
            ax.axvline(chosen, color="grey", ls=":", lw=0.8)
            ax.set_xlabel(f"willingness to pay {label}")
            ax.set_ylim(-0.02, 1.02)
            style.panel_label(ax, letter, title)
        axes[0].set_ylabel("probability of the highest net benefit")
        axes[0].legend(loc="best")
    return fig
