"""Figure: the investment-response curve, and where the model puts the investment a material change needs.

A commissioner-wide investment fund at several levels (GBP per patient a year)
against the status quo on the same seeds (:mod:`pcsim.experiments.response`):
the paired change in emergency admissions in the final year, with a 5-95% band
over replicates at the default parameters and a 5-95% band over a Latin
hypercube of the parameters that decide what money buys, beside the ACE target
(15% fewer admissions [Miller18]) and the 2-5.3% of the budget London's
framework estimated [Nuffield15] (MODEL.md pattern 12). Its notes hold what
``minimum_investment.json`` holds, for the scorecard.
"""

from __future__ import annotations

from pcsim.experiments import plots
from pcsim.experiments import response
from pcsim.figures import style
from pcsim.config import ConfigError
from pcsim.figures.base import Context, Result, replicate_seeds

FIELDS = {"levels": [0.0, 5.0, 10.0, 20.0, 40.0, 60.0, 90.0, 120.0, 160.0], "replicates": 20, "months": 60,
          "target_percent": 15.0, "parameter_sets": 32, "seeds_per_set": 2}


def check(spec) -> None:
    """Levels are numbers, and the runs are long enough to have a final year."""
    plan_of(spec)


def plan_of(spec):
    levels = spec["levels"]
    if (len(levels) < 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in levels)
            or min(levels) < 0):
        raise ConfigError(f"{spec.path}: figure.levels = {levels!r}: give at least two numbers, none negative "
                          f"(GBP per patient a year)")
    if spec["months"] < 12:
        raise ConfigError(f"{spec.path}: figure.months = {spec['months']}: the final year needs at least 12 months")
    config = spec.config().replace(months=spec["months"])
    levels = [float(v) for v in levels]
    return config, levels, response.plan(config, levels, spec["replicates"], spec["seed"])


def compute(spec, ctx: Context) -> Result:
    config, levels, plan = plan_of(spec)
    results = ctx.sweep(plan, "response runs")
    sets = uncertain = None
    if spec["parameter_sets"]:
        sets = response.parameter_sets(spec["parameter_sets"], spec["seed"])
        uncertain = ctx.sweep(response.uncertainty_plan(config, levels, spec["seeds_per_set"], spec["seed"], sets),
                              "response runs over parameter sets")
    table, summary = response.analyse(results, uncertain, sets, levels, config, spec["target_percent"])
    at_defaults = summary["at_default_parameters"]
    notes = {**summary, "minimum_gbp_per_patient_year": at_defaults["minimum_gbp_per_patient_year"],
             "minimum_budget_share_percent": at_defaults["minimum_budget_share_percent"],
             "best_change_percent": at_defaults["largest_change_percent"]}
    return Result(table, {"status_quo_and_fund": config}, replicate_seeds(spec), notes)


def draw(result: Result, spec):
    """The curve on the left, what the money buys on the right (staff in post, funded posts filled): the right
    panel says why the curve flattens."""
    notes = result.notes
    with style.paper():
        fig, (curve, bought) = style.figure(1, 2, 85, width=style.FULL, width_ratios=[3, 2])
        plots.draw_response(curve, result.data, notes["target_percent"], notes["budget_per_patient_year"],
                            response.LONDON_RANGE)
        style.panel_label(curve, "a", "Change in emergency admissions")
        handles = curve.get_legend_handles_labels()[0] + plots.draw_capacity_bought(bought, result.data)
        style.panel_label(bought, "b", "What the money buys")
        fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=6)
    return fig
