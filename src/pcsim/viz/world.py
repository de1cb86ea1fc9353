"""The world a class watches: the default commissioner under a teaching scenario, and what the page
reads from it.

:class:`TeachingModel` is pcsim's Mesa model (:class:`pcsim.model.mesa_model.PrimaryCareModel`) built
from the sidebar's settings. Everything else here reads the engine's arrays (``model.sim``, run 0 on
the run axis) and says what a panel or monitor shows: the monthly outputs with all commissioners
together, each practice's motivations, quality and income, the ties between practices, where the
schemes start and stop, and the run's monthly data as a CSV file.
"""

from __future__ import annotations

import io
import os

import numpy as np

from pcsim import config as configs
from pcsim.experiments import provenance
from pcsim.experiments.compare import by_run
from pcsim.model import commissioner, hospital, innovation
from pcsim.model.engine import MOTIVATIONS
from pcsim.model.mesa_model import PrimaryCareModel
from pcsim.model.outputs import COLUMNS
from pcsim.model.workforce import EMPLOYMENT
from pcsim.viz.scenarios import DEFAULT_SCENARIO, MONTHS, SCENARIOS, levers, parse_seed

RUN = 0                                # the page shows run 0 of the engine's run axis
CONFIG_VARIABLE = "PCSIM_VIZ_CONFIG"   # set by `pcsim viz CONFIG`: the commissioner the class works on
SCHEME_LABELS = {"qof": "QOF", "enhanced_services": "enhanced services", "investment_fund": "ACE pilot",
                 "rollout": "roll-out", "cquin": "small schemes", "risk_sharing": "risk sharing"}


class TeachingModel(PrimaryCareModel):
    """The commissioner of ``pcsim viz`` (the default one, or the config it was given) for twelve years
    under a teaching scenario, with the levers a class changes.

    ``regime`` names the scenario (not ``scenario``, which Mesa's Model reserves for its own).
    Bad values raise :class:`pcsim.config.ConfigError` naming the setting, as a config would.
    """

    def __init__(self, regime: str = DEFAULT_SCENARIO, payment_per_point: float = 157.0,
                 funding_per_patient: float = 10.5, cquin_schemes: int = 10, enabler_share: float = 0.3,
                 stance: float = 0.3, facilitation: float = 0.2, seed: str | int = 1, rng=None):
        if regime not in SCENARIOS:
            raise configs.ConfigError(f"scenario {regime!r} is not one of: {', '.join(SCENARIOS)}")
        chosen = {"payment_per_point": payment_per_point, "funding_per_patient": funding_per_patient,
                  "cquin_schemes": cquin_schemes, "enabler_share": enabler_share, "stance": stance,
                  "facilitation": facilitation}
        values = {name: lever.check(chosen[name]) for name, lever in levers().items()}
        seed = parse_seed(seed)
        raw = configs.load(os.environ.get(CONFIG_VARIABLE) or None).to_dict()
        raw["run"].update(months=MONTHS, name="teaching")
        raw["policy"] = [dict(spec) for spec in SCENARIOS[regime].policy]
        for spec in raw["policy"]:
            if spec["scheme"] == "cquin":
                spec["schemes"] = values["cquin_schemes"]
        raw.setdefault("qof", {})["payment_per_point"] = values["payment_per_point"]
        raw.setdefault("investment", {}).update(funding_per_patient=values["funding_per_patient"],
                                                enabler_share=values["enabler_share"])
        raw.setdefault("commissioner", {})["stance_initial"] = values["stance"]
        raw.setdefault("learning", {})["facilitation"] = values["facilitation"]
        super().__init__(configs.from_dict(raw, source=os.environ.get(CONFIG_VARIABLE) or "<defaults>"), seed=seed)
        self.regime = regime
        self.settings = {"regime": regime, "seed": seed, **values}
        self.started = provenance.now()
        self.layout = practice_layout(self.sim.structure)
        self.ties = self.sim.structure.practice_ties      # the model's own network (ODD 5.1)


# ---------------------------------------------------------------------- the practices as a network
def practice_layout(structure) -> np.ndarray:
    """Fixed positions (P, 2): named groupings' hubs on an inner circle with their practices around
    them, single practices on an outer circle. Computed once a world, never a spring layout."""
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


# ---------------------------------------------------------------------- what each practice is like now
MEASURES = {   # "colour practices by": label -> key of practice_values
    "motivation: improve clinical care": "clinical_care",
    "motivation: autonomy": "autonomy",
    "motivation: identified as innovator": "innovator",
    "motivation: peer judgement": "peer_judgement",
    "self-efficacy": "self_efficacy",
    "morale": "morale",
    "burnout": "burnout",
    "holistic (non-incentivised) care": "holistic",
    "indicator care delivered": "delivered",
    "indicator care recorded": "recorded",
    "continuity of care": "continuity",
}
DEFAULT_MEASURE = "motivation: improve clinical care"


def practice_values(model) -> dict[str, np.ndarray]:
    """This month's state of every practice, (P,) each: its GPs' mean motivations, self-efficacy,
    morale and burnout (GPs in post), GPs in post and posts, quality, income so far by source,
    whether its grouping is funded, and its grouping's innovation stage."""
    sim, s = model.sim, model.sim.structure
    in_post = sim.in_post[RUN].astype(float)
    gp_mean = lambda values: sim.gp_bins.mean(values[RUN], in_post)   # noqa: E731
    out = {name: gp_mean(sim.motivation[i]) for i, name in enumerate(MOTIVATIONS)}
    out.update(self_efficacy=gp_mean(sim.self_efficacy), morale=gp_mean(sim.morale), burnout=gp_mean(sim.burnout),
               gps=sim.gp_bins.sum(in_post), posts=s.posts.astype(float), list_size=s.list_size.astype(float),
               holistic=sim.holistic[RUN], delivered=sim.delivered[:, RUN].mean(axis=0),
               recorded=sim.recorded[:, RUN].mean(axis=0), continuity=sim.continuity[RUN],
               funded=sim.practice_grouping.spread(sim.selected[RUN]),
               stage=sim.projects.furthest[RUN][s.practice_grouping],
               enablers=sim.enablers_in_use[:, RUN].sum(axis=0))
    for i, source in enumerate(commissioner.SOURCES):
        out[f"income_{source}"] = sim.income_to_date[i, RUN]
    return out


def practice_details(model, practice: int, values: dict[str, np.ndarray] | None = None) -> dict:
    """One practice as the inspector shows it, with each of its GP posts (``values``: this month's
    :func:`practice_values`, if already computed)."""
    sim, s = model.sim, model.sim.structure
    values = practice_values(model) if values is None else values
    posts = np.flatnonzero(s.gp_practice == practice)
    gps = [{"post": int(g) - int(posts[0]) + 1, "in_post": bool(sim.in_post[RUN, g]),
            "employment": EMPLOYMENT[int(sim.employment[RUN, g])],
            **{name: float(sim.motivation[i, RUN, g]) for i, name in enumerate(MOTIVATIONS)},
            "morale": float(sim.morale[RUN, g]), "burnout": float(sim.burnout[RUN, g])} for g in posts]
    grouping = int(s.practice_grouping[practice])
    return {"practice": practice, "grouping": s.grouping_names[grouping] if s.grouping_named[grouping] else "none",
            "funded": bool(values["funded"][practice]), "stage": innovation.STAGES[int(values["stage"][practice])],
            "enablers": int(values["enablers"][practice]), "of_enablers": len(hospital.ENABLERS),
            **{key: float(v[practice]) for key, v in values.items()
               if key not in ("funded", "stage", "enablers")}, "gp_posts": gps}


# ---------------------------------------------------------------------- the run so far
def monthly(model) -> np.ndarray:
    """Monthly outputs so far, all commissioners together: (months, COLUMNS)."""
    return by_run(model.sim.outputs.monthly[:model.sim.month, :, RUN:RUN + 1, :])[:, :, 0]


def column(data: np.ndarray, name: str) -> np.ndarray:
    return data[:, COLUMNS.index(name)]


# What the commissioner spends on schemes, beyond the capitation it pays anyway (monitors and charts alike).
SCHEME_SPEND = tuple(f"spend_{source}" for source in commissioner.SOURCES if source != "capitation")


def scheme_spend(data: np.ndarray) -> np.ndarray:
    """Each month's spend on schemes (GBP): incentives, investment, risk sharing and additional roles."""
    return sum(column(data, name) for name in SCHEME_SPEND)


def total_income(values: dict) -> np.ndarray:
    """A practice's income to date from every source (``income_<source>`` of :func:`practice_values`)."""
    return sum(values[f"income_{source}"] for source in commissioner.SOURCES)


def monitors(model, data: np.ndarray | None = None) -> dict[str, float]:
    """The numbers of the monitors: months simulated, the year and month of the year last simulated
    (0 before the first step), GPs in post, GP exits, spend, savings and net savings so far (GBP),
    innovations running."""
    data = monthly(model) if data is None else data
    month = model.sim.month
    spend = scheme_spend(data)
    return {"month": month, "year": (month - 1) // 12 + 1 if month else 0,
            "month_of_year": (month - 1) % 12 + 1 if month else 0,
            "gps": float(model.sim.in_post[RUN].sum()), "posts": float(model.sim.structure.n_gps),
            "exits": float(column(data, "gp_exits").sum()), "spend": float(spend.sum()),
            "savings": float(column(data, "hospital_cost_avoided").sum()),
            "net_savings": float(column(data, "net_savings").sum()),
            "innovations": float(column(data, "innovations_running")[-1]) if len(data) else
            float((model.sim.projects.stage[:, RUN] == innovation.STAGES.index("running")).sum())}


def scheme_windows(model) -> list[dict]:
    """The schemes of the run (the core contract aside) with their windows in months, and the
    months at which a scheme withdraws indicators: ``{"label", "start", "end", "kind"}``."""
    windows = []
    for scheme in model.sim.policy.schemes:
        if scheme.name == "core_contract":
            continue
        label = SCHEME_LABELS.get(scheme.name, scheme.name.replace("_", " "))
        if scheme.name == "rollout":
            label = f"roll-out ({scheme.settings['contract']})"
        windows.append({"label": label, "start": scheme.start, "end": scheme.end, "kind": "window"})
        withdrawals = sorted(set((scheme.settings.get("withdraw") or {}).values()))
        for month in withdrawals:
            codes = [c for c, m in scheme.settings["withdraw"].items() if m == month]
            windows.append({"label": f"{len(codes)} indicators withdrawn", "start": month, "end": month,
                            "kind": "event"})
    return windows


def monthly_csv(model) -> str:
    """The run's monthly outputs so far as CSV: month, year, the schemes in force, then every output
    column of ``monthly.parquet`` (docs/ODD.md gives their units)."""
    frame = model.sim.outputs.monthly_frame(run=RUN, months=model.sim.month)
    frame.insert(1, "year", frame["month"] // 12 + 1)
    frame.insert(3, "schemes_in_force",
                 ["+".join(model.sim.policy.names_in_force(int(m))) for m in frame["month"]])
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue()


def run_manifest(model) -> dict:
    """The provenance of the run on the page: settings, resolved config, seed, versions, git commit."""
    return provenance.manifest(model.config, model.started, extra={
        "teaching_scenario": model.regime, "settings": model.settings, "months_simulated": model.sim.month})
