"""Figure: calibration by history matching, wave by wave - what the ACE pilot's account rules out.

The calibration spec (``experiments/calibrate_ace.toml``; :mod:`pcsim.experiments.calibration`) matches
the model to what Miller (2018) reports of the pilot: every funded grouping delivering its enablers in
twelve months, about half the innovations running six months later, learning sets that started with
little open sharing and became more open. (a) The share of the parameter space still non-implausible
after each wave (emulators judging a uniform sample), and the share of each wave's own runs that are;
(b) each parameter's non-implausible values after each wave (middle 95% and median, as shares of its
plausible range); (c) leave-one-out validation of the last wave's emulators: standardised errors,
which should lie within 3 (dashed).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from pcsim.experiments import compare, uncertainty_plots
from pcsim.figures import style, uncertainty
from pcsim.figures.base import Context, Result

FIELDS = dict(uncertainty.CALIBRATION_FIELDS)


def check(spec) -> None:
    """The calibration spec loads and is valid."""
    uncertainty.calibration_spec(spec)


def compute(spec, ctx: Context) -> Result:
    cal = uncertainty.calibration_spec(spec)
    tables = uncertainty.calibrated(spec, ctx)
    waves, ranges, validation = tables["waves"], tables["ranges"], tables["validation"]
    last = validation[validation["wave"] == validation["wave"].max()]
    data = pd.concat([waves.assign(panel="a: waves"), ranges.assign(panel="b: ranges"),
                      last.assign(panel="c: leave-one-out")], ignore_index=True)
    per_wave = waves.drop_duplicates("wave")
    notes = {"waves": int(per_wave["wave"].max()), "runs": int(per_wave["runs"].sum()),
             "nroy_share": float(per_wave["nroy_share"].iloc[-1]), "plausible_sets": len(tables["plausible"]),
             "targets": list(dict.fromkeys(waves["target"])), "parameters": cal.parameters,
             "loo_within_3sd": float((last["standardised_error"].abs() <= 3).mean()),
             "calibration_spec": str(cal.path), "quick": cal.quick}
    seeds = [compare.replicate_seed(cal.seed, r) for r in range(cal.replicates)]
    return Result(data, {"calibration": cal.config}, seeds, notes)


def draw(result: Result, spec):
    data, notes = result.data, result.notes
    waves = data[data["panel"] == "a: waves"]
    ranges = data[data["panel"] == "b: ranges"]
    loo = data[data["panel"] == "c: leave-one-out"]
    names = list(dict.fromkeys(ranges["parameter"]))
    with style.paper():
        fig = plt.figure(figsize=(style.FULL, (30 + 3.2 * len(names)) * style.MM), layout="constrained")
        grid = fig.add_gridspec(2, 2, width_ratios=[1, 1.4], height_ratios=[1, 1])
        share, loo_ax, rng = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[:, 1])
        uncertainty_plots.draw_shares(share, waves.drop_duplicates("wave"))
        share.legend(loc="lower left")
        style.panel_label(share, "a", "The space left, wave by wave")
        uncertainty_plots.draw_ranges(rng, ranges, names)
        rng.set_xlabel("middle 95% and median, share of the range")
        fig.legend(*rng.get_legend_handles_labels(), loc="outside lower right", ncol=len(set(ranges["wave"])))
        style.panel_label(rng, "b", "Non-implausible values")
        targets = list(dict.fromkeys(loo["target"]))
        for i, target in enumerate(targets):
            errors = loo[loo["target"] == target]["standardised_error"].to_numpy()
            jitter = np.linspace(-0.25, 0.25, len(errors))
            loo_ax.plot(np.full(len(errors), i) + jitter, errors, "o", ms=2.5, color=style.colour(i))
        for level in (-3, 3):
            loo_ax.axhline(level, color="grey", ls="--", lw=0.8)
        loo_ax.set_xticks(range(len(targets)), [t.replace("_", " ") for t in targets], rotation=20, ha="right",
                          fontsize=6)
        loo_ax.set_ylabel("standardised error")
        style.panel_label(loo_ax, "c", f"Emulators left one out, wave {notes['waves']}")
    return fig
