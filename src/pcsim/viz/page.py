"""The teaching visualisation: pcsim in the browser with Mesa's SolaraViz.

A lecturer projects it; students pick a regime or a whole teaching scenario,
change its key levers, and watch GPs' motivations, care and the hospital
respond month by month. ``pcsim viz`` serves it on localhost with Solara's
own JavaScript (``solara-assets``), so it works with no internet access.

The views are plain matplotlib drawings of the engine's arrays, one figure a
panel, each with a sentence or two saying what it shows. The practice network
has a fixed layout computed once from the groupings (practices around their
grouping's hub), never a spring layout recomputed each step.
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import solara  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from mesa.visualization import SolaraViz  # noqa: E402
from mesa.visualization.utils import update_counter  # noqa: E402

from pcsim import config as configs  # noqa: E402
from pcsim.experiments.compare import by_run  # noqa: E402
from pcsim.model.mesa_model import PrimaryCareModel  # noqa: E402
from pcsim.model.outputs import COLUMNS  # noqa: E402
from pcsim.experiments.plots import PALETTE  # noqa: E402
from pcsim.model.engine import MOTIVATIONS  # noqa: E402

# Teaching scenarios: a label and the policy timeline it loads (months from the start).
SCENARIOS = {
    "Status quo (core contract)": [{"scheme": "core_contract"}],
    "Micro-incentives (QOF and enhanced services)": [
        {"scheme": "core_contract"}, {"scheme": "qof"}, {"scheme": "enhanced_services"}],
    "Investment fund (ACE pilot, then partnership)": [
        {"scheme": "core_contract"}, {"scheme": "investment_fund", "start": 0, "end": 12},
        {"scheme": "rollout", "start": 12, "contract": "partnership"}],
    "ACE pilot, then directive roll-out": [
        {"scheme": "core_contract"}, {"scheme": "investment_fund", "start": 0, "end": 12},
        {"scheme": "rollout", "start": 9, "contract": "directive"}],
    "QOF for eight years, then indicators withdrawn": [
        {"scheme": "core_contract"},
        {"scheme": "qof", "withdraw": {code: 96 for code in ("DM_FOOT", "DM_EDUCATION", "AST_REVIEW", "COPD_REVIEW",
                                                             "HYP_BP", "CHD_BP")}}],
    "Many small incentive schemes (CQUIN-style)": [{"scheme": "core_contract"}, {"scheme": "cquin"}],
}
COLOUR_BY = {"clinical care motivation": "clinical_care", "autonomy motivation": "autonomy",
             "innovator identity": "innovator", "peer judgement": "peer_judgement", "morale": "morale",
             "holistic quality": "holistic", "indicator care delivered": "delivered"}
MONTHS = 144
CONFIG_VARIABLE = "PCSIM_VIZ_CONFIG"   # set by `pcsim viz CONFIG`: the commissioner the class works on


class TeachingModel(PrimaryCareModel):
    """The default commissioner under a teaching scenario, with the levers a class changes.

    ``regime`` names the scenario (not ``scenario``, which Mesa's Model reserves for its own).
    """

    def __init__(self, regime: str = "Status quo (core contract)", payment_per_point: float = 157.0,
                 funding_per_patient: float = 10.5, cquin_schemes: int = 10, enabler_share: float = 0.3,
                 stance: float = 0.3, facilitation: float = 0.2, seed: str | int = 1, rng=None):
        raw = configs.load(os.environ.get(CONFIG_VARIABLE) or None).to_dict()
        raw["run"].update(months=MONTHS, name="teaching")
        raw["policy"] = [dict(spec) for spec in SCENARIOS[regime]]
        for spec in raw["policy"]:
            if spec["scheme"] == "cquin":
                spec["schemes"] = int(cquin_schemes)
        raw["qof"] = {"payment_per_point": float(payment_per_point)}
        raw["investment"] = {"funding_per_patient": float(funding_per_patient), "enabler_share": float(enabler_share)}
        raw["commissioner"] = {"stance_initial": float(stance)}
        raw["learning"] = {"facilitation": float(facilitation)}
        super().__init__(configs.from_dict(raw), seed=int(seed))
        self.layout = practice_layout(self.sim.structure)


def practice_layout(structure) -> np.ndarray:
    """Fixed positions (P, 2): groupings' hubs on a circle, their practices around them."""
    q = structure.practice_grouping
    named = structure.grouping_named
    rank = np.where(named, np.cumsum(named) - 1, np.cumsum(~named) - 1)        # place among its own ring
    count = np.where(named, max(named.sum(), 1), max((~named).sum(), 1))
    angle = 2 * np.pi * rank / count + np.where(named, np.pi / 6, 0.0)
    radius = np.where(named, 0.5, 1.0)
    hubs = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    order = np.zeros(len(q), dtype=int)
    for g in np.flatnonzero(structure.grouping_named):
        members = np.flatnonzero(q == g)
        order[members] = np.arange(len(members))
    size = structure.practices_per_grouping[q]
    around = 2 * np.pi * order / np.maximum(size, 1)
    spread = np.where(size > 1, 0.16, 0.0)
    return hubs[q] + np.stack([spread * np.cos(around), spread * np.sin(around)], axis=1)


def series(model, *names):
    """Monthly outputs so far (all commissioners together) for the named columns; ``cumulative_spend``
    and ``cumulative_avoided`` are running totals in GBP million."""
    months = model.sim.month
    data = by_run(model.sim.outputs.monthly[:months, :, :1, :])[:, :, 0]     # all commissioners together
    derived = {"cumulative_spend": np.cumsum(data[:, COLUMNS.index("spend_incentives")]
                                             + data[:, COLUMNS.index("spend_investment")]) / 1e6,
               "cumulative_avoided": np.cumsum(data[:, COLUMNS.index("hospital_cost_avoided")]) / 1e6}
    return np.arange(months) / 12, {n: derived[n] if n in derived else data[:, COLUMNS.index(n)] for n in names}


def _figure(width=5.2, height=3.0):
    fig = Figure(figsize=(width, height), dpi=90)
    fig.subplots_adjust(left=0.13, right=0.97, top=0.9, bottom=0.16)
    return fig, fig.add_subplot()


def _lines(model, columns: dict[str, str], title: str, ylabel: str, ylim=None):
    """A line chart of monthly outputs, drawn by the browser (Vega-Lite): the server only sends data."""
    import altair as alt
    import pandas as pd

    x, data = series(model, *columns)
    frame = pd.DataFrame({"years": np.tile(x, len(columns)),
                          "value": np.concatenate([data[name] for name in columns]) if len(x) else [],
                          "series": np.repeat(list(columns.values()), len(x))})
    y = alt.Y("value:Q", title=ylabel, scale=alt.Scale(domain=list(ylim)) if ylim else alt.Undefined)
    colour = alt.Color("series:N", sort=list(columns.values()), legend=alt.Legend(title=None, orient="bottom"),
                       scale=alt.Scale(domain=list(columns.values()), range=list(PALETTE[:len(columns)])))
    return (alt.Chart(frame, title=title).mark_line().encode(
        x=alt.X("years:Q", scale=alt.Scale(domain=[0, max(1.0, float(x[-1]) if len(x) else 1.0)])), y=y, color=colour)
        .properties(width=420, height=200))


@solara.component
def Panel(figure, caption: str):
    if isinstance(figure, Figure):
        solara.FigureMatplotlib(figure, format="png", dependencies=[update_counter.value])
    else:
        solara.FigureAltair(figure)
    solara.Text(caption, style={"font-size": "0.9em", "color": "#444"})


@solara.component
def NetworkView(model):
    update_counter.get()
    measure, set_measure = solara.use_state("clinical care motivation")
    sim, s = model.sim, model.sim.structure
    key = COLOUR_BY[measure]
    if key in MOTIVATIONS:
        values = sim.gp_bins.mean(sim.motivation[MOTIVATIONS.index(key)], sim.in_post.astype(float))[0]
    elif key == "morale":
        values = sim.gp_bins.mean(sim.morale, sim.in_post.astype(float))[0]
    elif key == "holistic":
        values = sim.holistic[0]
    else:
        values = sim.delivered[:, 0].mean(axis=0)
    fig, ax = _figure(5.5, 4.6)
    xy = model.layout
    funded = sim.practice_grouping.spread(sim.selected)[0]
    ax.scatter(xy[:, 0], xy[:, 1], s=s.list_size / 120, c=values, cmap="viridis", vmin=0, vmax=1,
               edgecolors=np.where(funded, "#D55E00", "white"), linewidths=np.where(funded, 1.8, 0.5))
    for g in np.flatnonzero(s.grouping_named):
        centre = xy[s.practice_grouping == g].mean(axis=0)
        ax.annotate(s.grouping_names[g], centre, ha="center", va="center", fontsize=9, fontweight="bold")
    ax.set_axis_off()
    ax.set_title(f"Practices coloured by {measure} (month {sim.month})", fontsize=10)
    fig.colorbar(ax.collections[0], ax=ax, shrink=0.7, label=measure)
    solara.Select("Colour practices by", values=list(COLOUR_BY), value=measure, on_value=set_measure)
    Panel(fig, "Each dot is a practice, sized by its list. The six ACE groupings sit in the middle; an orange "
               "ring marks a practice whose grouping the investment fund selected.")


@solara.component
def Motivations(model):
    update_counter.get()
    fig = _lines(model, {"motivation_clinical_care": "improve clinical care", "motivation_autonomy": "autonomy",
                         "motivation_innovator": "identified as innovator", "motivation_peer_judgement":
                         "peer judgement", "self_efficacy": "self-efficacy"}, "GPs' four motivations",
                 "mean level (0-1)", (0, 1))
    Panel(fig, "Controlling, tick-box rewards crowd out the wish to improve care and autonomy; trusting, flexible "
               "funding crowds them in; being selected raises innovator identity (Miller 2018).")


@solara.component
def Quality(model):
    update_counter.get()
    fig = _lines(model, {"quality_incentivised_recorded": "indicators, recorded",
                         "quality_incentivised_delivered": "indicators, delivered",
                         "quality_non_incentivised": "holistic care", "continuity": "continuity"},
                 "Recorded versus delivered care", "share (0-1)", (0, 1))
    Panel(fig, "Payment follows the record: paid indicators get recorded faster than care improves, and the "
               "record falls back when a payment is withdrawn.")


@solara.component
def Admissions(model):
    update_counter.get()
    fig = _lines(model, {"admissions_per_1000_incentivised": "incentivised conditions",
                         "admissions_per_1000_other": "other conditions"},
                 "Emergency admissions", "per 1,000 patients a month")
    Panel(fig, "Delivered indicator care lowers admissions for those conditions; holistic care, continuity and "
               "running innovations lower the rest.")


@solara.component
def Money(model):
    update_counter.get()
    fig = _lines(model, {"cumulative_spend": "incentive + investment spend",
                         "cumulative_avoided": "hospital cost avoided"},
                 "Spend against savings (cumulative)", "GBP million")
    Panel(fig, "What the commissioner has paid on top of capitation, against the hospital costs it avoided "
               "compared with care as it was at the start.")


@solara.component
def MotivationHistogram(model):
    update_counter.get()
    sim = model.sim
    fig, ax = _figure()
    posts = sim.in_post[0]
    for i, name in enumerate(("clinical_care", "autonomy")):
        ax.hist(sim.motivation[MOTIVATIONS.index(name), 0][posts], bins=np.linspace(0, 1, 26), alpha=0.6,
                color=PALETTE[i], label=name.replace("_", " "))
    ax.set_title(f"GPs' motivation now ({int(posts.sum())} GPs)", fontsize=10)
    ax.set_xlabel("level (0-1)")
    ax.set_ylabel("GPs")
    ax.legend(fontsize=7)
    Panel(fig, "The spread of motivation between GPs: each GP brings their own traits, which the regime then "
               "pushes up or down.")


MODEL_PARAMS = {
    "regime": {"type": "Select", "value": "Status quo (core contract)", "values": list(SCENARIOS),
                 "label": "Regime / teaching scenario"},
    "payment_per_point": {"type": "SliderFloat", "value": 157.0, "min": 0.0, "max": 400.0, "step": 10.0,
                          "label": "QOF payment per point (GBP)"},
    "funding_per_patient": {"type": "SliderFloat", "value": 10.5, "min": 0.0, "max": 40.0, "step": 0.5,
                            "label": "Investment fund, GBP per patient"},
    "cquin_schemes": {"type": "SliderInt", "value": 10, "min": 1, "max": 30, "step": 1,
                      "label": "Number of small incentive schemes"},
    "enabler_share": {"type": "SliderFloat", "value": 0.3, "min": 0.1, "max": 0.6, "step": 0.1,
                      "label": "Fund share on equipment (rest buys protected time)"},
    "stance": {"type": "SliderFloat", "value": 0.3, "min": 0.0, "max": 1.0, "step": 0.1,
               "label": "Commissioner: 0 contract enforcer - 1 partner"},
    "facilitation": {"type": "SliderFloat", "value": 0.2, "min": 0.0, "max": 1.0, "step": 0.1,
                     "label": "Learning-set facilitation"},
    "seed": {"type": "InputText", "value": "1", "label": "Seed"},
}


def make_page(model: TeachingModel | None = None):
    model = model or TeachingModel()
    components = [(NetworkView, 0), (Motivations, 0), (Quality, 0), (Admissions, 0), (Money, 0),
                  (MotivationHistogram, 0)]
    return SolaraViz(model, components=components, model_params=MODEL_PARAMS, name="pcsim: primary-care "
                     "transformation", play_interval=150)
