"""Table: the pattern scorecard - each pattern of MODEL.md section 6, what the model gives, with and without its mechanism.

Patterns 1-12 are the checks of :mod:`pcsim.experiments.patterns` (the same
functions the test suite asserts and ``pcsim patterns`` runs), on the spec's
replicate seeds, each evaluated twice: with the mechanism ``docs/ODD.md`` names
as its cause, and with that mechanism knocked out. A pattern is *reproduced*
when it holds with its mechanism and fails without it. Where pattern 12 puts
the investment a material change needs - at the default parameters, and its
interval over parameter uncertainty, beside London's 2-5.3% - is read from the
investment-response figure made before this table. A failure is reported,
never hidden.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pandas as pd

from pcsim import config as configs
from pcsim.experiments import patterns
from pcsim.figures.base import Context, Result, replicate_seeds
from pcsim.experiments.response import LONDON_RANGE

FIELDS = {"replicates": 20, "response_figure": "fig6_investment_response"}
PATTERN_12 = (patterns.PATTERNS[12].claim, patterns.PATTERNS[12].source)


def check(spec) -> None:
    """Nothing to check beyond the spec's keys: the driver checks that the response figure comes first."""


def compute(spec, ctx: Context) -> Result:
    seeds = replicate_seeds(spec)
    read = {"default": configs.load(), **{path: configs.load(patterns.CONFIGS / path) for path in
                                          patterns.CONFIG_FILES}}
    made_by = {"seeds": seeds, "configs": {name: c.to_dict() for name, c in read.items()},
               "code": [Path(module.__file__).read_text() for module in (patterns, sys.modules[__name__])]}
    bar = ctx.bar(len(patterns.PATTERNS), "patterns")
    checks = ctx.store.table("patterns", made_by,
                             lambda: _check_rows(patterns.scorecard(seeds, bar.update, knockouts=True)))
    bar.close()
    response = ctx.done[spec["response_figure"]]
    data = pd.concat([checks, _pattern_12_rows(response, spec["response_figure"])], ignore_index=True)
    table = summary(data)
    return Result(data, read, seeds, {"passed": int((table["result"] == "pass").sum()), "patterns": len(table),
                                      "reproduced": int((table["reproduced"] == "yes").sum())},
                  texts={".md": _markdown(table), ".tex": _latex(table), "_summary.csv": table.to_csv(index=False)})


def _check_rows(verdicts: list[patterns.Verdict]) -> pd.DataFrame:
    return pd.DataFrame([{"pattern": v.number, "claim": v.claim, "source": v.source, "mechanism": v.mechanism,
                          "knockout": v.knockout, "arm": arm, "check": c.label, "value": c.value, "se": c.se,
                          "rule": c.rule, "passed": c.passed, "seeds": v.seeds}
                         for v in verdicts for arm, judged in (("with mechanism", v), ("knocked out", v.knocked_out))
                         for c in judged.checks])


def _pattern_12_rows(response, figure: str) -> pd.DataFrame:
    """Where the model puts the investment a material change needs (read from the response figure): at the
    default parameters, and its interval over parameter uncertainty, beside London's 2-5.3%. Reported, as
    MODEL.md asks; the mechanism's checks are pattern 12's rows from :mod:`pcsim.experiments.patterns`."""
    notes = response.notes
    low, high = (100 * v for v in LONDON_RANGE)
    common = {"pattern": 12, "claim": PATTERN_12[0], "source": PATTERN_12[1], "seeds": len(response.seeds),
              "mechanism": "", "knockout": "", "arm": "with mechanism", "se": math.nan, "passed": True}
    share = notes["minimum_budget_share_percent"]
    top = 100 * notes["levels_up_to_gbp"] / notes["budget_per_patient_year"]
    rows = [{**common, "check": f"minimum investment for {notes['target_percent']:g}% fewer emergency admissions at "
                                f"the default parameters (% of the budget; {figure}; not reached: up to {top:.1f}%)",
             "value": math.nan if share is None else share,
             "rule": f"reported beside London's {low:g}-{high:g}%"}]
    spread = notes.get("over_parameter_uncertainty")
    if spread:
        interval = spread["minimum_budget_share_percent"]
        for name in ("p5", "p95"):
            value = interval[name]
            rows.append({**common, "check": f"the same over {spread['parameter_sets']} parameter sets, {name} "
                                            f"(% of the budget; not reached: above {top:.1f}%)",
                         "value": math.nan if value is None else value, "rule": "reported"})
        rows.append({**common, "check": f"parameter sets reaching the target up to {top:.1f}% of the budget (share)",
                     "value": spread["reached_share"], "rule": "reported"})
    rows.append({**common, "check": f"largest mean change in emergency admissions on the curve (%; {figure})",
                 "value": notes["best_change_percent"], "rule": "reported"})
    return pd.DataFrame(rows)


def summary(data: pd.DataFrame) -> pd.DataFrame:
    """One row a pattern: its claim and source, what the model gives (every check), pass or fail, its
    mechanism, whether it still holds with that mechanism knocked out, and whether it is reproduced."""
    rows = []
    for number, every in data.groupby("pattern", sort=True):
        checks = every[every["arm"] == "with mechanism"]
        knocked = every[every["arm"] == "knocked out"]
        gives = "; ".join(f"{c.check}: {_number(c.value)}" + (f" (SE {_number(c.se)})" if _finite(c.se) else "")
                          + f" [{c.rule}]" for c in checks.itertuples())
        holds = bool(checks["passed"].all())
        holds_knocked = None if knocked.empty else bool(knocked["passed"].all())
        rows.append({"pattern": int(number), "claim": checks["claim"].iloc[0], "source": checks["source"].iloc[0],
                     "model_gives": gives, "result": "pass" if holds else "fail",
                     "mechanism": checks["mechanism"].iloc[0], "knockout": checks["knockout"].iloc[0],
                     "knocked_out": "" if holds_knocked is None else ("holds" if holds_knocked else "fails"),
                     "reproduced": "" if holds_knocked is None else ("yes" if holds and not holds_knocked else "no"),
                     "seeds": int(checks["seeds"].iloc[0])})
    return pd.DataFrame(rows)


def _finite(value) -> bool:
    return value is not None and isinstance(value, float) and math.isfinite(value)


def _number(value) -> str:
    return "not reached" if not _finite(float(value)) else f"{value:.3g}"


def _markdown(table: pd.DataFrame) -> str:
    lines = ["| # | pattern (MODEL.md section 6) | source | what the model gives | result | mechanism (knocked out by) "
             "| without it | reproduced |", "|---|---|---|---|---|---|---|---|"]
    for row in table.itertuples():
        mechanism = f"{row.mechanism} ({row.knockout})" if row.mechanism else ""
        lines.append(f"| {row.pattern} | {row.claim} | {row.source} | {row.model_gives} (seeds: {row.seeds}) | "
                     f"**{row.result}** | {mechanism} | {row.knocked_out} | {row.reproduced} |")
    passed = (table["result"] == "pass").sum()
    reproduced = (table["reproduced"] == "yes").sum()
    lines.append(f"\n{passed} of {len(table)} patterns pass; {reproduced} hold with their mechanism and fail "
                 f"without it.")
    return "\n".join(lines) + "\n"


LATEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                 "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(text: str) -> str:
    return re.sub(r"[\\&%$#_{}~^]", lambda match: LATEX_ESCAPES[match.group()], text)


def _latex(table: pd.DataFrame) -> str:
    lines = [r"\begin{tabular}{r p{0.22\linewidth} p{0.1\linewidth} p{0.36\linewidth} l l l}", r"\hline",
             r"\# & Pattern & Source & What the model gives & Result & Without its mechanism & Reproduced \\",
             r"\hline"]
    for row in table.itertuples():
        lines.append(f"{row.pattern} & {_tex(row.claim)} & {_tex(row.source)} & {_tex(row.model_gives)} & "
                     f"{row.result} & {row.knocked_out} & {row.reproduced} \\\\")
    lines += [r"\hline", r"\end{tabular}"]
    return "\n".join(lines) + "\n"


def draw(result: Result, spec) -> None:
    """A table has no figure: its .md and .tex are written instead."""
    return None
