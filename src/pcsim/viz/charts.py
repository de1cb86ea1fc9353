"""The page's charts as Vega-Lite specifications and the data fed to them each month.

A chart's specification is built once a world (or when the network's colouring changes) and holds
what does not change during a run: titles, axes, the scheme windows, the ties between practices.
What changes every month is sent as named data sets (``months``, ``practices``, ``bins``), columns of
plain numbers, and the browser redraws from them (:mod:`pcsim.viz.widgets`). Time runs along a fixed
axis of the run's twelve years, so a student sees from the start where each scheme begins and ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pcsim.experiments.plots import PALETTE, SCHEME_SHADES
from pcsim.model.engine import MOTIVATIONS
from pcsim.viz import world
from pcsim.viz.scenarios import MONTHS

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"   # a name Vega-Lite reads, never fetched
HEIGHT = 190
FIT_WIDTH = {"type": "fit-x", "contains": "padding", "resize": True}   # the panel's width, axes and legend inside
FONT = {"config": {"font": "Roboto, Helvetica, Arial, sans-serif", "view": {"stroke": None},
                   "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal"},
                   "legend": {"labelFontSize": 11, "symbolStrokeWidth": 3, "labelLimit": 220}}}


@dataclass(frozen=True)
class TimeChart:
    """A panel of monthly outputs over the run: which series, how the axis reads, what it shows."""

    key: str
    title: str
    series: dict[str, str]              # output column (or a derived series, see DERIVED) -> legend label
    y_title: str
    caption: str
    y_domain: tuple[float, float] | None = None


TIME_CHARTS = (
    TimeChart("motivations", "GPs' four motivations and self-efficacy",
              {"motivation_clinical_care": "improve clinical care", "motivation_autonomy": "autonomy",
               "motivation_innovator": "identified as innovator", "motivation_peer_judgement": "peer judgement",
               "self_efficacy": "self-efficacy"}, "mean over GPs (0-1)",
              "Controlling, tick-box rewards crowd out the wish to improve care and autonomy; trusting, flexible "
              "funding crowds them in; being selected makes GPs feel seen as innovators, and judged by their "
              "peers (Miller 2018).", (0, 1)),
    TimeChart("quality", "Recorded against delivered care",
              {"quality_incentivised_recorded": "indicators, recorded", "quality_incentivised_delivered":
               "indicators, delivered", "quality_non_incentivised": "holistic care", "continuity": "continuity"},
              "share of patients (0-1)",
              "Payment follows the record: paid indicators get recorded faster than care improves, and the "
              "record falls back when a payment is withdrawn. Holistic care is what no indicator pays for.", (0, 1)),
    TimeChart("wellbeing", "Morale and burnout",
              {"morale": "morale, all GPs", "pilot_lead_morale": "morale, pilot leads", "burnout": "burnout"},
              "mean over GPs (0-1)",
              "Overload and meaningless work lower morale and build burnout; a directive contract after the "
              "pilot hits its leads hardest (Miller 2018).", (0, 1)),
    TimeChart("exits", "GPs leaving",
              {"exits_so_far": "GP exits so far", "exits_last_year": "exits in the last 12 months"}, "GPs", "GPs retire or quit more often when burnt out and low in morale; each vacant post is filled "
              "after a while by a new GP with their own motivations."),
    TimeChart("admissions", "Emergency admissions",
              {"admissions_per_1000_incentivised": "incentivised conditions",
               "admissions_per_1000_other": "other conditions"}, "per 1,000 patients a month",
              "Delivered indicator care lowers admissions for those conditions; holistic care, continuity and "
              "running innovations lower the rest. Demand grows every year."),
    TimeChart("money", "Spend against savings, so far",
              {"spend_so_far": "incentive and investment spend", "savings_so_far": "hospital cost avoided"},
              "GBP million",
              "What the commissioner paid on top of capitation, against the hospital cost avoided compared with "
              "care as it was in month 0 (below zero: care got worse and cost more)."),
)


def derived_series(data: np.ndarray) -> dict[str, np.ndarray]:
    """Series the time charts show that are not output columns: running totals and a rolling count."""
    exits = world.column(data, "gp_exits")
    spend = world.scheme_spend(data)
    running = np.cumsum(exits)
    last_year = running - np.concatenate([np.zeros(min(12, len(running))), running[:-12]]) if len(running) else running
    return {"exits_so_far": running, "exits_last_year": last_year,
            "spend_so_far": np.cumsum(spend) / 1e6,
            "savings_so_far": np.cumsum(world.column(data, "hospital_cost_avoided")) / 1e6}


def numbers(values: np.ndarray, decimals: int = 4) -> list:
    """Values as JSON numbers, rounded (the screen shows no more), with None where there is no number."""
    rounded = np.round(np.asarray(values, dtype=float), decimals)
    return [v if v == v and abs(v) != float("inf") else None for v in rounded.tolist()]


def time_columns(chart: TimeChart, data: np.ndarray, derived: dict[str, np.ndarray]) -> dict[str, list]:
    """The chart's data set by columns: ``t`` in years (the end of each month) and one column a series,
    named by its label (the browser turns columns into rows)."""
    columns = {"t": numbers(np.arange(1, len(data) + 1) / 12)}
    for name, label in chart.series.items():
        columns[label] = numbers(derived[name] if name in derived else world.column(data, name))
    return columns


def window_rows(windows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Scheme windows (shaded, labelled at their start) and events (a dashed rule), in years."""
    spans = [w for w in windows if w["kind"] == "window"]
    shaded = [{"start": w["start"] / 12, "end": w["end"] / 12, "label": w["label"], "row": i,
               "shade": SCHEME_SHADES[i % len(SCHEME_SHADES)]} for i, w in enumerate(spans)]
    events = [{"at": w["start"] / 12, "label": w["label"], "row": len(spans) + i}
              for i, w in enumerate(w for w in windows if w["kind"] == "event")]
    return shaded, events


def time_spec(chart: TimeChart, windows: list[dict]) -> dict:
    """A line chart over the run's years with the scheme windows shaded and labelled behind it."""
    labels = list(chart.series.values())
    shaded, events = window_rows(windows)
    x = {"field": "t", "type": "quantitative", "title": "years",
         "scale": {"domain": [0, MONTHS / 12], "nice": False, "zero": True},
         "axis": {"tickMinStep": 1, "grid": False}}
    y = {"field": "value", "type": "quantitative", "title": chart.y_title,
         "scale": {"domain": list(chart.y_domain), "nice": False} if chart.y_domain else {"zero": False}}
    layers = []
    if shaded:
        layers.append({"data": {"values": shaded}, "mark": {"type": "rect", "opacity": 0.09},
                       "encoding": {"x": {"field": "start", "type": "quantitative", "scale": x["scale"]},
                                    "x2": {"field": "end"},
                                    "color": {"field": "shade", "type": "nominal", "scale": None}}})
    if shaded or events:
        # each window's or event's label at its start, in its own row of 12 px from the top
        marks = shaded + [{"start": e["at"], "label": e["label"], "row": e["row"]} for e in events]
        layers.append({"data": {"values": marks},
                       "mark": {"type": "text", "align": "left", "baseline": "top", "dx": 3, "fontSize": 10,
                                "color": "#333"},
                       "encoding": {"x": {"field": "start", "type": "quantitative"},
                                    "y": {"field": "row", "type": "quantitative", "axis": None,
                                          "scale": {"domain": [0, HEIGHT / 12], "range": [0, HEIGHT]}},
                                    "text": {"field": "label"}}})
    if events:
        layers.append({"data": {"values": events}, "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#333"},
                       "encoding": {"x": {"field": "at", "type": "quantitative"}}})
    layers.append({"data": {"name": "months"}, "transform": [{"fold": labels, "as": ["series", "value"]}],
                   "mark": {"type": "line", "strokeWidth": 2, "interpolate": "linear"},
                   "encoding": {"x": x, "y": y,
                                "color": {"field": "series", "type": "nominal",
                                          "scale": {"domain": labels, "range": list(PALETTE[:len(labels)])},
                                          "legend": {"title": None, "orient": "bottom", "columns": 2,
                                                     "direction": "horizontal"}}}})
    return {"$schema": SCHEMA, "width": "container", "height": HEIGHT, "autosize": FIT_WIDTH,
            "layer": layers, "resolve": {"scale": {"y": "independent", "color": "independent"}}, **FONT}


# ---------------------------------------------------------------------- the practices
NETWORK_WIDTH, NETWORK_HEIGHT = 400, 300
TOOLTIP = (("practice", "practice", None), ("grouping", "grouping", None), ("list size", "list_size", ",.0f"),
           ("GPs in post", "gps", ".0f"), ("GP posts", "posts", ".0f"),
           ("improve clinical care", "clinical_care", ".2f"), ("autonomy", "autonomy", ".2f"),
           ("identified as innovator", "innovator", ".2f"), ("peer judgement", "peer_judgement", ".2f"),
           ("morale", "morale", ".2f"), ("holistic care", "holistic", ".2f"),
           ("indicator care delivered", "delivered", ".2f"), ("indicator care recorded", "recorded", ".2f"),
           ("income so far, GBP", "income", ",.0f"), ("of which incentives", "income_incentives", ",.0f"),
           ("of which investment", "income_investment", ",.0f"))


def network_spec(model, measure: str) -> dict:
    """The practices as a network: ties drawn once, practices sized by list and coloured by
    ``measure`` (a key of :data:`pcsim.viz.world.MEASURES`), funded ones ringed, grouping names."""
    s = model.sim.structure
    xy = model.layout
    ties = [{"x": float(xy[a, 0]), "y": float(xy[a, 1]), "x2": float(xy[b, 0]), "y2": float(xy[b, 1])}
            for a, b in model.ties]
    names = [{"x": float(xy[s.practice_grouping == g, 0].mean()), "y": float(xy[s.practice_grouping == g, 1].mean()),
              "name": s.grouping_names[g]} for g in np.flatnonzero(s.grouping_named)]
    reach = 1.18
    aspect = NETWORK_WIDTH / NETWORK_HEIGHT
    x = {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": [-reach * aspect, reach * aspect]}}
    y = {"field": "y", "type": "quantitative", "axis": None, "scale": {"domain": [-reach, reach]}}
    tooltip = [{"field": f, "title": t, "type": "quantitative" if fmt else "nominal",
                **({"format": fmt} if fmt else {})} for t, f, fmt in TOOLTIP]
    return {"$schema": SCHEMA, "width": NETWORK_WIDTH, "height": NETWORK_HEIGHT, "autosize": "pad", **FONT,
            "layer": [
                {"data": {"values": ties}, "mark": {"type": "rule", "color": "#9a9a9a", "opacity": 0.5,
                                                     "strokeWidth": 0.8},
                 "encoding": {"x": x, "y": y, "x2": {"field": "x2"}, "y2": {"field": "y2"}}},
                {"data": {"name": "practices"},
                 "mark": {"type": "circle", "opacity": 1, "cursor": "pointer"},
                 "encoding": {
                     "x": x, "y": y,
                     "size": {"field": "list_size", "type": "quantitative", "legend": None,
                              "scale": {"domain": [0, float(s.list_size.max())], "range": [10, 420]}},
                     "color": {"field": "value", "type": "quantitative",
                               "scale": {"scheme": "viridis", "domain": [0, 1]},
                               "legend": {"title": measure, "orient": "bottom", "direction": "horizontal",
                                          "gradientLength": 220, "titleLimit": 380}},
                     "stroke": {"condition": {"test": "datum.selected", "value": "#000000"},
                                "field": "ring", "type": "nominal", "legend": None,
                                "scale": {"domain": ["funded", "not funded"], "range": ["#D55E00", "#ffffff"]}},
                     "strokeWidth": {"condition": {"test": "datum.selected", "value": 3},
                                     "field": "funded", "type": "quantitative", "legend": None,
                                     "scale": {"domain": [0, 1], "range": [0.6, 2.4]}},
                     "tooltip": tooltip}},
                {"data": {"values": names}, "mark": {"type": "text", "fontWeight": "bold", "fontSize": 13,
                                                      "color": "#111"},
                 "encoding": {"x": x, "y": y, "text": {"field": "name"}}},
            ]}


def network_columns(model, values: dict[str, np.ndarray], measure: str, selected: int | None) -> dict[str, list]:
    """The practices' data set by columns: position, size, the value each is coloured by, and what its
    tooltip shows."""
    s = model.sim.structure
    income = world.total_income(values)
    names = np.array([name if named else "none" for name, named in zip(s.grouping_names, s.grouping_named)],
                     dtype=object)[s.practice_grouping]
    funded = values["funded"].astype(bool)
    columns = {"practice": list(range(1, s.n_practices + 1)), "index": list(range(s.n_practices)),
               "grouping": names.tolist(), "x": numbers(model.layout[:, 0]), "y": numbers(model.layout[:, 1]),
               "value": numbers(values[world.MEASURES[measure]]),
               "ring": np.where(funded, "funded", "not funded").tolist(), "funded": funded.astype(int).tolist(),
               "selected": (np.arange(s.n_practices) == selected).tolist(), "income": numbers(income, 0)}
    for _, field, fmt in TOOLTIP:
        if fmt and field not in columns:
            columns[field] = numbers(values[field], 0 if field.startswith("income") or field == "list_size" else 3)
    return columns


# ---------------------------------------------------------------------- the spread between GPs
BIN_EDGES = np.linspace(0, 1, 21)
SPREAD = {"motivation_clinical_care": "improve clinical care", "motivation_autonomy": "autonomy"}


def histogram_spec() -> dict:
    labels = list(SPREAD.values())
    return {"$schema": SCHEMA, "width": "container", "height": HEIGHT, "autosize": FIT_WIDTH,
            "data": {"name": "bins"}, **FONT,
            "mark": {"type": "bar", "opacity": 0.65, "binSpacing": 0},
            "encoding": {
                "x": {"field": "low", "type": "quantitative", "bin": {"binned": True, "step": 0.05},
                      "title": "level (0-1)", "scale": {"domain": [0, 1]}, "axis": {"format": ".1f", "tickCount": 5}},
                "x2": {"field": "high"},
                "y": {"field": "GPs", "type": "quantitative", "stack": None, "title": "GPs in post"},
                "color": {"field": "motivation", "type": "nominal",
                          "scale": {"domain": labels, "range": list(PALETTE[:len(labels)])},
                          "legend": {"title": None, "orient": "bottom", "direction": "horizontal"}},
                "tooltip": [{"field": "motivation"}, {"field": "low", "title": "from", "format": ".2f"},
                            {"field": "high", "title": "to", "format": ".2f"}, {"field": "GPs"}]}}


def histogram_columns(model) -> dict[str, list]:
    """GPs in post counted by level of two motivations, in bins of 0.05, by columns."""
    sim = model.sim
    posts = sim.in_post[world.RUN]
    columns = {"motivation": [], "low": [], "high": [], "GPs": []}
    for column, label in SPREAD.items():
        levels = sim.motivation[MOTIVATIONS.index(column.removeprefix("motivation_")), world.RUN][posts]
        counts, _ = np.histogram(levels, bins=BIN_EDGES)
        columns["motivation"] += [label] * len(counts)
        columns["low"] += numbers(BIN_EDGES[:-1], 2)
        columns["high"] += numbers(BIN_EDGES[1:], 2)
        columns["GPs"] += counts.tolist()
    return columns
