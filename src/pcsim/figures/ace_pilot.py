"""Figure: the ACE pilot over 18 months, grouping by grouping, beside Miller 2018 Table 1.

The six groupings of [Miller18] Table 1 are funded for twelve months (GBP 10.50
per patient, up front, monthly learning sets), then followed for six. Panels:
the enablers each grouping delivers (Objective 1: all four within the year,
pattern 4), the stage its integration innovation reaches (Objective 2: the
concrete proposals of A, B and D move first, pattern 5), how often its
innovation is still running six months after the funding ends (B, D and E in
the pilot, pattern 6), and sharing in the learning sets (low, rising to the
last set, pattern 7). A table sets the model's groupings beside Table 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pcsim.figures import style
from pcsim.config import ConfigError
from pcsim.figures.base import Context, Result, long_bands, replicate_seeds
from pcsim.model.innovation import RUNNING, STAGES
from pcsim.model.outputs import GROUPING_COLUMNS

FIELDS = {"replicates": 40}

# [Miller18] Table 1, and what the text says became of each pilot's innovation after the pilot.
MILLER_TABLE_1 = pd.DataFrame({
    "grouping": ["A", "B", "C", "D", "E", "F"],
    "miller_practices": ["12", "3", "5", "1", "9", "1 (10 sites)"],
    "miller_population": [53_000, 31_500, 13_000, 11_000, 65_000, 61_500],
    "miller_innovation": [
        "shared care with the acute diabetes team",
        "formal improvement method: older people's unplanned admissions and discharge",
        "no clear integration innovation",
        "series of small PDSA pilots (chaplaincy, link worker, transitional beds, case management)",
        "developed during the programme: paramedics' direct access to a named GP",
        "multi-professional teams, then a common IT system"],
    "miller_sustained_after_pilot": [False, True, False, True, True, False],
})


def check(spec) -> None:
    """The config must be the pilot's shape: the groupings of Table 1, a fund from month 0 for a set
    number of months, and follow-up after it."""
    config = spec.config()
    fund = _fund(config)
    names = sorted(g["name"] for g in config.groupings)
    if names != sorted(MILLER_TABLE_1["grouping"]):
        raise ConfigError(f"{spec.path}: figure.config has groupings {names}; this figure sets the groupings "
                          f"A-F of Miller 2018 Table 1 beside the table, so it needs exactly those")
    if fund is None or fund["start"] != 0 or not fund["end"] or fund["end"] >= config.months:
        raise ConfigError(f"{spec.path}: figure.config must run an investment_fund from month 0 with an end "
                          f"before the last month (the funded year, then follow-up)")


def _fund(config) -> dict | None:
    return next((s for s in config.policy if s["scheme"] == "investment_fund"), None)


def compute(spec, ctx: Context) -> Result:
    config = spec.config()
    seeds = replicate_seeds(spec)
    runs = ctx.simulate({"ace": config}, seeds, "ACE pilot runs")["ace"]
    values = runs.grouping_values                                      # (months, columns, runs, groupings)
    months = np.arange(values.shape[0])
    frames = []
    for q, grouping in enumerate(runs.groupings):
        for column in ("enablers_delivered", "innovation_stage", "sharing", "lead_morale"):
            series = values[:, GROUPING_COLUMNS.index(column), :, q]
            frames.append(long_bands(months, series, grouping=grouping, series=column))
        running = (values[:, GROUPING_COLUMNS.index("innovation_stage"), :, q] == RUNNING).astype(float)
        frames.append(long_bands(months, running, share=True, grouping=grouping, series="innovation_running"))
    data = pd.concat(frames, ignore_index=True)
    table = beside_miller(data, config, len(seeds))
    notes = {"funded_months": _funded_months(config), "months": config.months}
    return Result(data, {"ace": config}, seeds, notes,
                  texts={"_table1.csv": table.to_csv(index=False), "_table1.md": _markdown(table, notes)})


def _funded_months(config) -> int:
    return _fund(config)["end"]


def beside_miller(data: pd.DataFrame, config, replicates: int) -> pd.DataFrame:
    """Each grouping: Table 1's size and innovation and what became of it, beside the model's
    enablers and innovation stage at the end of funding, and its stage and share of runs with the
    innovation running at the end of the follow-up. (Output row m is the state after month m + 1.)"""
    funded, last = _funded_months(config) - 1, config.months - 1

    def at(series: str, month: int) -> pd.Series:
        rows = data[(data["series"] == series) & (data["month"] == month)]
        return rows.set_index("grouping")["mean"]

    groupings = {g["name"]: g for g in config.groupings}
    model = pd.DataFrame({
        "model_practices": {name: g["practices"] for name, g in groupings.items()},
        "model_patients": {name: g["patients"] for name, g in groupings.items()},
        "model_concreteness": {name: g["concreteness"] for name, g in groupings.items()},
        "model_enablers_end_of_funding": at("enablers_delivered", funded),
        "model_stage_end_of_funding": at("innovation_stage", funded),
        "model_stage_end_of_follow_up": at("innovation_stage", last),
        "model_share_running_end_of_follow_up": at("innovation_running", last),
    }).rename_axis("grouping").reset_index()
    table = MILLER_TABLE_1.merge(model, on="grouping", how="outer")
    table["replicates"] = replicates
    return table


def _markdown(table: pd.DataFrame, notes: dict) -> str:
    funded, months = notes["funded_months"], notes["months"]
    lines = ["| grouping | practices (Miller / model) | patients (Miller / model) | innovation in Miller 2018 "
             f"| sustained after the pilot (Miller) | enablers by month {funded} (of 4) "
             f"| innovation stage at month {funded} / {months} (0 none - 3 running) "
             f"| runs with the innovation running at month {months} |",
             "|---|---|---|---|---|---|---|---|"]
    for row in table.itertuples():
        lines.append(f"| {row.grouping} | {row.miller_practices} / {row.model_practices} | "
                     f"{row.miller_population:,} / {row.model_patients:,} | {row.miller_innovation} | "
                     f"{'yes' if row.miller_sustained_after_pilot else 'no'} | "
                     f"{row.model_enablers_end_of_funding:.2f} | {row.model_stage_end_of_funding:.2f} / "
                     f"{row.model_stage_end_of_follow_up:.2f} | {100 * row.model_share_running_end_of_follow_up:.0f}% |")
    lines.append(f"\nModel: means over {table['replicates'].iloc[0]} replicate runs of the ACE config.")
    return "\n".join(lines) + "\n"


def draw(result: Result, spec):
    data, notes = result.data, result.notes
    groupings = list(dict.fromkeys(data["grouping"]))
    with style.paper():
        fig, axes = style.figure(2, 2, 120)
        ax = axes.ravel()
        for i, grouping in enumerate(groupings):
            rows = data[data["grouping"] == grouping]
            for panel, series in ((0, "enablers_delivered"), (1, "innovation_stage")):
                part = rows[rows["series"] == series]
                top = 4 if series == "enablers_delivered" else len(STAGES) - 1
                style.band(ax[panel], part["month"] + 1, part["mean"], part["low"].clip(lower=0),
                           part["high"].clip(upper=top), i, grouping, style.LINE_STYLES[i % 4])
        _running_bars(ax[2], data, groupings, notes)
        for i, grouping in enumerate(groupings):
            rows = data[(data["grouping"] == grouping) & (data["series"] == "sharing")
                        & (data["month"] < notes["funded_months"])]
            style.band(ax[3], rows["month"] + 1, rows["mean"], rows["low"].clip(lower=0),
                       rows["high"].clip(upper=1), i, grouping, style.LINE_STYLES[i % 4])
        for a in (ax[0], ax[1]):
            a.axvspan(0, notes["funded_months"], color="grey", alpha=0.08, lw=0)
            a.set_xlabel("month of the pilot")
            a.legend(ncol=3, loc="upper left")
        style.panel_label(ax[0], "a", "Enablers delivered (Objective 1)")
        ax[0].set_ylabel("enablers all practices deliver (of 4)")
        ax[0].set_ylim(0, 4.3)
        style.panel_label(ax[1], "b", "Integration innovation (Objective 2)")
        ax[1].set_yticks(range(len(STAGES)), STAGES)
        ax[1].set_ylabel("stage of its innovation (mean)")
        ax[1].set_ylim(-0.1, len(STAGES) - 0.4)
        style.panel_label(ax[2], "c", f"Innovation running at month {notes['months']}")
        style.panel_label(ax[3], "d", "Sharing in the monthly learning sets")
        ax[3].set_xlabel("learning set (month)")
        ax[3].set_xticks(range(1, notes["funded_months"] + 1))
        ax[3].set_ylabel("sharing (0-1)")
        ax[3].set_ylim(0, 1)
        ax[3].legend(ncol=3, loc="upper left")
    return fig


def _running_bars(ax, data, groupings, notes) -> None:
    last = data[(data["series"] == "innovation_running") & (data["month"] == notes["months"] - 1)]
    last = last.set_index("grouping").loc[groupings]
    x = np.arange(len(groupings))
    sustained = MILLER_TABLE_1.set_index("grouping").loc[groupings, "miller_sustained_after_pilot"].to_numpy()
    colours = [style.colour(2) if s else style.colour(7) for s in sustained]
    err = np.vstack([last["mean"] - last["low"], last["high"] - last["mean"]])
    ax.bar(x, 100 * last["mean"], yerr=100 * err, color=colours, alpha=0.75, capsize=2, width=0.65)
    ax.set_xticks(x, groupings)
    ax.set_ylim(0, 105)
    ax.set_xlabel("grouping")
    ax.set_ylabel("runs with it running (%, 95% interval)")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=style.colour(2), alpha=0.75, label="sustained after the pilot (Miller 2018)"),
                       Patch(color=style.colour(7), alpha=0.75, label="not sustained")], loc="upper left")
