"""Scenario discovery with PRIM: in which parts of parameter space does one policy beat another?

Scenario discovery (Bryant & Lempert 2010) looks through the runs of a study for simple descriptions
- boxes, ranges of a few parameters - of where an outcome of interest happens. Here the runs are a
stored sweep or SA study (every sample runs both policies on the same seed), a *case of interest* is
a sample at which the first policy beats the second on a chosen outcome by more than a threshold
(e.g. the investment fund gives fewer emergency admissions than micro-incentives), and the boxes come
from the Patient Rule Induction Method of EMA Workbench (``ema_workbench.analysis.prim``; Friedman &
Fisher 1999). PRIM peels thin slices off a box while the share of cases of interest inside rises;
each step of the *peeling trajectory* trades *coverage* (the share of all cases of interest inside
the box) for *density* (the share of the box's cases that are of interest). The box chosen on each
trajectory is the densest whose coverage is at least ``min_coverage``; further boxes are sought among
the cases outside those already found. The quasi-p-values of each limit (a one-sided binomial test,
Bryant & Lempert 2010) say whether restricting that parameter is more than chance: a restriction
with a quasi-p-value above 0.05 is marked not ``significant`` (it may be dropped from the box).

A spec (TOML)::

    [discover]
    name = "fund_fewer_admissions"
    sa = "sa_contrast.toml"            # the study: an SA spec (or sweep = "a sweep spec"), relative to this file
    outcome = "emergency_admissions_per_1000"
    better = "lower"                   # lower | higher
    policies = ["investment_fund", "micro_incentives"]   # first beats second (one policy: its outcome alone)
    threshold = 0.0                    # by more than this
    boxes = 2
    min_coverage = 0.5
    peel_alpha = 0.05
    mass_min = 0.05

The study's runs are read from where ``pcsim sa`` (or ``pcsim sweep``) stores them, or from
``--study DIR``; what is missing is run first (resumable, local or Dask).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pcsim.config import ConfigError
from pcsim.experiments import compare, sensitivity, sweeps

FIELDS = {"name": "", "sa": "", "sweep": "", "outcome": "emergency_admissions_per_1000", "better": "lower",
          "policies": ["investment_fund", "micro_incentives"], "threshold": 0.0, "boxes": 2, "min_coverage": 0.5,
          "peel_alpha": 0.05, "paste_alpha": 0.05, "mass_min": 0.05}
SIGNIFICANT = 0.05      # a restriction whose quasi-p-value is above this may be chance (Bryant & Lempert 2010)


@dataclass
class Spec:
    """A checked discovery spec and the study it reads."""

    name: str
    path: Path
    plan: sweeps.Plan
    kind: str                        # "sa" or "sweep"
    settings: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.settings[key]

    @property
    def default_dir(self) -> Path:
        from pcsim.experiments.runner import RESULTS

        return RESULTS / ("sa" if self.kind == "sa" else "sweeps") / self.plan.name


def load_spec(path: str | Path, overrides: list[str] | None = None) -> Spec:
    """Read and check a discovery spec, and plan its study."""
    path = Path(path)
    table, space = sweeps.load_spec(path, "discover", {key: type(value) for key, value in FIELDS.items()})
    if space:
        raise ConfigError(f"{path}: a discover spec has no [parameters]: the inputs are its study's")
    settings = {**FIELDS, **table}
    for key, value in settings.items():
        expected = type(FIELDS[key])
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            settings[key] = value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool):
            kind = {str: "a string", int: "a whole number", float: "a number", list: "a list"}[expected]
            raise ConfigError(f"{path}: discover.{key} = {value!r} has the wrong type; expected {kind}")
    if bool(settings["sa"]) == bool(settings["sweep"]):
        raise ConfigError(f"{path}: name the study: sa = \"an SA spec\" or sweep = \"a sweep spec\" (one of them)")
    if settings["better"] not in ("lower", "higher"):
        raise ConfigError(f"{path}: discover.better = {settings['better']!r} is not allowed: lower or higher")
    if settings["outcome"] not in compare.METRIC_NAMES:
        raise ConfigError(f"{path}: discover.outcome = {settings['outcome']!r} is not an outcome; known: "
                          f"{', '.join(compare.METRIC_NAMES)}")
    for key, low, high in (("min_coverage", 0.0, 1.0), ("peel_alpha", 0.0, 0.5), ("paste_alpha", 0.0, 0.5),
                           ("mass_min", 0.0, 1.0)):
        if not low < settings[key] <= high:
            raise ConfigError(f"{path}: discover.{key} = {settings[key]!r} must be above {low} and at most {high}")
    if settings["boxes"] < 1:
        raise ConfigError(f"{path}: discover.boxes = {settings['boxes']} must be at least 1")
    study_path = sweeps.resolve_config_path(path, settings["sa"] or settings["sweep"])
    if settings["sa"]:
        plan, kind = sensitivity.Study(study_path, overrides=overrides).plan, "sa"
    else:
        plan, kind = sweeps.plan_sweep(study_path, overrides), "sweep"
    in_study = sorted({r.policy or "" for r in plan.runs})
    policies = settings["policies"]
    if kind == "sweep":
        if "policies" in table and len(policies) > 1:
            raise ConfigError(f"{path}: discover.policies = {policies!r}: a sweep runs one policy; its outcome is "
                              f"judged against the threshold (leave policies out)")
        settings["policies"] = in_study[:1]
    elif not 1 <= len(policies) <= 2 or any(p not in in_study for p in policies):
        raise ConfigError(f"{path}: discover.policies = {policies!r}: name one or two of the study's policies "
                          f"({', '.join(in_study)})")
    return Spec(settings["name"] or path.stem, path, plan, kind, settings)


def cases(results: pd.DataFrame, spec: Spec) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The study's inputs (one row a design point), the value judged at each point (the first policy's
    advantage over the second in the outcome, mean over replicates, positive where the first is better)
    and whether each point is a case of interest."""
    outcome, sign = spec["outcome"], (1.0 if spec["better"] == "higher" else -1.0)
    means = results.groupby(["policy", "point"])[outcome].mean()
    per = [means.loc[p] for p in spec["policies"]]
    value = sign * (per[0] - per[1]) if len(per) == 2 else sign * per[0]
    value = value.dropna()
    inputs = results.drop_duplicates("point").set_index("point").loc[value.index]
    x = inputs[[c for c in inputs.columns if c.startswith("x:")]]
    x.columns = [c[2:] for c in x.columns]
    x = x.reset_index(drop=True)
    for column in x.columns:
        if x[column].dtype == bool or x[column].dtype == object:
            x[column] = x[column].astype(str)
    values = value.to_numpy()
    return x, values, values > spec["threshold"]


@dataclass
class Discovery:
    """The boxes found, each peeling trajectory, and the cases they were found among."""

    boxes: pd.DataFrame           # one row a box and restricted parameter
    trajectory: pd.DataFrame      # one row a box and peeling step
    chosen: pd.DataFrame          # one row a box: the chosen step
    x: pd.DataFrame
    values: np.ndarray
    interest: np.ndarray


def discover(x: pd.DataFrame, interest: np.ndarray, boxes: int = 2, min_coverage: float = 0.5,
             peel_alpha: float = 0.05, paste_alpha: float = 0.05, mass_min: float = 0.05,
             values: np.ndarray | None = None) -> Discovery:
    """PRIM (EMA Workbench) on inputs ``x`` and cases of interest ``interest``: up to ``boxes`` boxes,
    each the densest step of its peeling trajectory with coverage at least ``min_coverage``."""
    import logging

    interest = np.asarray(interest, dtype=bool)
    if interest.sum() == 0:
        raise ConfigError("no case of interest: the first policy never beats the second by more than the "
                          "threshold in this study, so there is no box to find")
    if interest.all():
        raise ConfigError("every case is of interest: the first policy always beats the second by more than the "
                          "threshold in this study, so no box is needed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("EMA").setLevel(logging.WARNING)
        from ema_workbench.analysis import prim

        finder = prim.Prim(x, interest.astype(int), peel_alpha=peel_alpha, paste_alpha=paste_alpha,
                           mass_min=mass_min)
        initial = finder.box_init
        box_rows, trajectories, chosen_rows = [], [], []
        for number in range(1, boxes + 1):
            box = finder.find_box()
            if box is None:
                break
            trajectory = box.peeling_trajectory.copy()
            eligible = trajectory[trajectory["coverage"] >= min_coverage]
            if eligible.empty:
                eligible = trajectory.iloc[:1]
            step = int(eligible.sort_values(["density", "coverage"], ascending=[False, False]).index[0])
            box.select(step)
            trajectory.insert(0, "box", number)
            trajectory["chosen"] = trajectory.index == step
            trajectories.append(trajectory)
            stats = trajectory.loc[step]
            chosen_rows.append({"box": number, "step": step, **{k: stats[k] for k in
                                ("coverage", "density", "mass", "res_dim", "n", "k")}})
            limits = box.box_lims[step]
            quasi_p = box.p_values[step]
            for name in x.columns:
                low, high = limits[name].iloc[0], limits[name].iloc[1]
                if low == initial[name].iloc[0] and high == initial[name].iloc[1]:
                    continue
                qp = [_qp(v) for v in quasi_p.get(name, [np.nan, np.nan])]
                box_rows.append({"box": number, "parameter": name, "low": low, "high": high,
                                 "range_low": initial[name].iloc[0], "range_high": initial[name].iloc[1],
                                 "qp_low": qp[0], "qp_high": qp[1],
                                 "significant": bool(np.nanmax(qp) <= SIGNIFICANT) if np.isfinite(qp).any() else False,
                                 **{k: stats[k] for k in ("coverage", "density", "mass", "res_dim")},
                                 "cases": int(stats["n"]), "cases_of_interest": int(stats["k"])})
            if finder.yi_remaining.shape[0] == 0:
                break
    boxes_frame = pd.DataFrame(box_rows, columns=["box", "parameter", "low", "high", "range_low", "range_high",
                                                  "qp_low", "qp_high", "significant", "coverage", "density", "mass",
                                                  "res_dim", "cases", "cases_of_interest"])
    trajectory_frame = pd.concat(trajectories, ignore_index=True).rename(columns={"id": "step"})
    return Discovery(boxes_frame, trajectory_frame, pd.DataFrame(chosen_rows), x,
                     np.zeros(len(x)) if values is None else np.asarray(values), interest)


def _qp(value: Any) -> float:
    """A quasi-p-value; EMA Workbench marks a limit left unrestricted with -1."""
    value = float(value)
    return np.nan if value < 0 else value


def write(spec: Spec, found: Discovery, out: Path, study_dir: Path, started: str) -> list[str]:
    """boxes.csv, trajectory.csv, cases.csv, tradeoff.png, boxes.png, scenario.png, manifest.json."""
    from pcsim import config as configs
    from pcsim.experiments import provenance, uncertainty_plots

    out.mkdir(parents=True, exist_ok=True)
    cases_frame = found.x.assign(value=found.values, of_interest=found.interest)
    provenance.write_atomic(out / "boxes.csv", lambda tmp: found.boxes.to_csv(tmp, index=False))
    provenance.write_atomic(out / "trajectory.csv", lambda tmp: found.trajectory.to_csv(tmp, index=False))
    provenance.write_atomic(out / "cases.csv", lambda tmp: cases_frame.to_csv(tmp, index=False))
    what = describe(spec)
    figures = {"tradeoff.png": uncertainty_plots.tradeoff_figure(found.trajectory, found.chosen),
               "boxes.png": uncertainty_plots.boxes_figure(found.boxes, f"Where {what}")}
    figures["scenario.png"] = uncertainty_plots.scenario_figure(found, what)
    for name, fig in figures.items():
        provenance.write_atomic(out / name, lambda tmp, fig=fig: fig.savefig(tmp, dpi=110, format="png"))
        uncertainty_plots.close(fig)
    manifest = provenance.manifest(configs.from_dict(spec.plan.base), started, {
        "experiment": "discover", "spec": str(spec.path), "settings": spec.settings, "study": str(study_dir),
        "study_fingerprint": spec.plan.fingerprint(), "cases": len(found.x),
        "cases_of_interest": int(found.interest.sum()), "boxes": found.chosen.to_dict("records")})
    provenance.write_json(out / "manifest.json", manifest)
    return ["boxes.csv", "trajectory.csv", "cases.csv", *figures, "manifest.json"]


def describe(spec: Spec) -> str:
    """What a case of interest is, in words."""
    policies = spec["policies"]
    direction = "fewer" if spec["better"] == "lower" else "more"
    outcome = spec["outcome"].replace("_", " ")
    if len(policies) == 2:
        return (f"{policies[0]} beats {policies[1]} ({direction} {outcome}"
                + (f", by more than {spec['threshold']:g})" if spec["threshold"] else ")"))
    return f"{outcome} is {'below' if spec['better'] == 'lower' else 'above'} {spec['threshold']:g}"


def summary_text(spec: Spec, found: Discovery) -> str:
    lines = [f"cases of interest ({describe(spec)}): {int(found.interest.sum())} of {len(found.x)}"]
    for _, box in found.chosen.iterrows():
        lines.append(f"box {int(box['box'])}: coverage {box['coverage']:.2f}, density {box['density']:.2f}, "
                     f"mass {box['mass']:.2f}")
        for _, row in found.boxes[found.boxes["box"] == box["box"]].iterrows():
            lines.append(f"  {row['parameter']:40} {row['low']:.4g} - {row['high']:.4g}   (of {row['range_low']:.4g} - "
                         f"{row['range_high']:.4g}; quasi-p {_fmt_p(row['qp_low'])}, {_fmt_p(row['qp_high'])}"
                         f"{'' if row['significant'] else '; may be chance'})")
    return "\n".join(lines)


def _fmt_p(value: float) -> str:
    return "-" if not np.isfinite(value) else f"{value:.2g}"
