"""Calibration by Bayesian history matching: which parameter values are consistent with what is known.

History matching (Craig et al. 1997; Vernon, Goldstein & Bower 2010; for an agent-based model,
Andrianakis et al. 2015) rules out the parts of parameter space where the model cannot reproduce
the observations, in waves. For a target with observed value z, observation sd s and model
discrepancy sd d, and parameters x, the *implausibility* is

    I(x) = |z - E[f(x)]| / sqrt(V_em(x) + V_rep + d^2 + s^2)

where E[f(x)] and V_em(x) are a Gaussian-process emulator's mean and variance of the model's
expected output (:mod:`pcsim.experiments.emulators`), and V_rep the replicate variance: how much one
run (one world) scatters around that expectation, estimated by pooling the variance over the
replicate seeds of every design point. x is *non-implausible* when I(x) <= cutoff (3, Pukelsheim's
three-sigma rule) for every target under the emulators of every wave so far.

Wave 1 runs a Latin hypercube over the parameters' ranges (by default the parameter table's
plausible ranges); each later wave runs a space-filling design inside the space still
non-implausible, where its new emulators are more accurate, so the space shrinks wave by wave. After
each wave a large uniform sample of the whole space, judged by the emulators, estimates the share of
the space still non-implausible. The non-implausible parameter sets after the last wave
(``plausible.parquet``) are a uniform sample of what remains: an ensemble for ``pcsim compare
--ensemble``. Runs go through the sweep machinery: batched on the run axis, stored as chunks,
resumable, on local workers or Dask.

A spec (TOML; ``experiments/calibrate_ace.toml`` is the worked example)::

    [calibrate]
    name = "ace"
    config = "../configs/ace.toml"     # relative to the spec
    waves = 4
    runs = 160                         # design points a wave
    replicates = 3                     # seeds a point: their scatter is the replicate variance
    seed = 1
    cutoff = 3.0
    candidates = 20000                 # uniform points the emulators judge after each wave
    plausible = 200                    # parameter sets written to plausible.parquet

    [quick]                            # pcsim calibrate --quick: fewer waves and runs
    waves = 2
    runs = 24

    [parameters]                       # [] = the parameter table's plausible range; or [low, high]
    "innovation.hours_per_stage" = []

    [[targets]]
    name = "innovations_running_after_pilot"
    observable = "funded_innovations_running_at_month_17"   # or a table: pcsim.experiments.observables
    observed = 0.5
    sd = 0.2                           # the observation's uncertainty
    discrepancy = 0.05                 # model discrepancy (sd), default 0
    source = "Miller 2018: pilots B, D and E of six continued"
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pcsim import config as configs
from pcsim.config import ConfigError
from pcsim.experiments import compare, emulators, observables, sweeps
from pcsim.inputs import parameters

CALIBRATE_FIELDS = {"name": "", "config": "", "policy": "", "months": 0, "waves": 3, "runs": 100, "replicates": 3,
                    "seed": 1, "cutoff": 3.0, "candidates": 20_000, "plausible": 200, "chunk": 32}
TARGET_FIELDS = ("name", "observable", "observed", "sd", "discrepancy", "source")
SEED_KEY = 17                         # spawn-key namespace of the calibration's own random numbers
TOP_UP_ROUNDS = 8                     # rounds of sampling around survivors when few uniform points survive


# ------------------------------------------------------------------------------------------- spec
@dataclass(frozen=True)
class Target:
    """An observation the model should reproduce: an observable, its observed value and uncertainties."""

    name: str
    observable: observables.Observable
    observed: float
    sd: float                 # observation uncertainty (sd)
    discrepancy: float = 0.0  # model discrepancy (sd): how far the best model can be from reality
    source: str = ""


@dataclass
class Spec:
    """A checked calibration spec, with the settings in force (full size or ``--quick``)."""

    name: str
    path: Path
    config: configs.Config
    parameters: list[str]
    bounds: np.ndarray                        # (d, 2): low, high
    targets: list[Target]
    settings: dict[str, Any]
    quick: bool = False

    def __getattr__(self, key: str) -> Any:
        settings = self.__dict__.get("settings", {})
        if key in settings:
            return settings[key]
        raise AttributeError(key)

    @property
    def observables(self) -> dict[str, observables.Observable]:
        return {t.name: t.observable for t in self.targets}

    def fingerprint(self) -> str:
        """A hash of everything that decides the calibration's numbers."""
        text = json.dumps({"config": self.config.to_dict(), "parameters": self.parameters,
                           "bounds": self.bounds.tolist(), "settings": self.settings,
                           "targets": [(t.name, t.observable.to_dict(), t.observed, t.sd, t.discrepancy)
                                       for t in self.targets]}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_spec(path: str | Path, quick: bool = False, overrides: list[str] | None = None) -> Spec:
    """Read and check a calibration spec; ``quick`` applies its ``[quick]`` table."""
    path = Path(path)
    raw = configs.read_toml(path, "calibration spec")
    for section in raw:
        if section not in ("calibrate", "quick", "parameters", "targets"):
            raise ConfigError(f"{path}: unknown section [{section}]; a calibration spec has [calibrate], [quick], "
                              f"[parameters] and [[targets]]")
    settings = dict(CALIBRATE_FIELDS)
    settings.update(_checked_table(path, "calibrate", raw.get("calibrate", {})))
    shorter = _checked_table(path, "quick", raw.get("quick", {}))
    if quick:
        settings.update(shorter)
    settings["name"] = settings["name"] or path.stem
    for key, least in (("waves", 1), ("runs", 4), ("replicates", 2), ("candidates", 100), ("plausible", 1),
                       ("chunk", 1), ("seed", 0)):
        if settings[key] < least:
            raise ConfigError(f"{path}: {key} = {settings[key]} must be at least {least}"
                              + (" (the replicate variance needs two seeds a point)" if key == "replicates" else ""))
    if not settings["cutoff"] > 0:
        raise ConfigError(f"{path}: cutoff = {settings['cutoff']} must be positive (3 is the usual choice)")
    config = sweeps.base_config(path, {"config": settings["config"] or None, "months": settings["months"] or None,
                                       "policy": settings["policy"] or None}, overrides)
    names, bounds = _parameters(path, raw.get("parameters", {}))
    targets = _targets(path, raw.get("targets"), config.months)
    return Spec(settings["name"], path, config, names, bounds, targets, settings, quick)


def _checked_table(path: Path, section: str, table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{section}] must be a table")
    out = {}
    for key, value in table.items():
        if key not in CALIBRATE_FIELDS:
            raise ConfigError(f"{path}: unknown key {section}.{key}; allowed: {', '.join(sorted(CALIBRATE_FIELDS))}")
        expected = type(CALIBRATE_FIELDS[key])
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool):
            kind = {int: "a whole number", float: "a number", str: "a string"}[expected]
            raise ConfigError(f"{path}: {section}.{key} = {value!r} must be {kind}")
        out[key] = value
    return out


def _parameters(path: Path, space: Any) -> tuple[list[str], np.ndarray]:
    """The parameters calibrated and their ranges: the table's plausible range, or a narrower one."""
    if not isinstance(space, dict) or not space:
        raise ConfigError(f"{path}: [parameters] must name at least one parameter of the table "
                          f"(`pcsim params` lists them)")
    names, bounds = [], []
    for name, given in space.items():
        low, high = configs.spec_range(name, given, f"{path}: ")
        names.append(name)
        bounds.append((float(low), float(high)))
    return names, np.array(bounds)


def _targets(path: Path, items: Any, months: int) -> list[Target]:
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{path}: name at least one [[targets]] (an observable, its observed value and sd)")
    targets: list[Target] = []
    for i, item in enumerate(items):
        where = f"{path}: targets[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{where} must be a table")
        for key in item:
            if key not in TARGET_FIELDS:
                raise ConfigError(f"{where}.{key}: unknown field; a target has {', '.join(TARGET_FIELDS)}")
        for key in ("name", "observable", "observed", "sd"):
            if key not in item:
                raise ConfigError(f"{where}: {key} is missing")
        name = item["name"]
        if not isinstance(name, str) or not configs.NAME_PATTERN.fullmatch(name):
            raise ConfigError(f"{where}.name = {name!r}: use letters, digits, '-', '_' and '.'")
        if name in [t.name for t in targets]:
            raise ConfigError(f"{where}.name = {name!r} is used twice")
        observable = observables.resolve(f"{where}.observable", item["observable"])
        if observable.first_month_needed() > months:
            raise ConfigError(f"{where}.observable reads month {observable.first_month_needed() - 1}, beyond the "
                              f"config's {months} months")
        values = {}
        for key, least in (("observed", None), ("sd", 0.0), ("discrepancy", 0.0)):
            value = item.get(key, 0.0)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{where}.{key} = {value!r} must be a number")
            if least is not None and value < least:
                raise ConfigError(f"{where}.{key} = {value!r} must not be negative")
            values[key] = float(value)
        if values["sd"] == 0 and values["discrepancy"] == 0:
            raise ConfigError(f"{where}: sd and discrepancy are both 0: say how uncertain the observation is")
        source = item.get("source", "")
        if not isinstance(source, str):
            raise ConfigError(f"{where}.source must be a string")
        targets.append(Target(name, observable, values["observed"], values["sd"], values["discrepancy"], source))
    return targets


# ------------------------------------------------------------------------------------ the method
@dataclass
class Wave:
    """One wave: its design (unit cube), outputs, emulators and replicate variances."""

    number: int
    design: np.ndarray                        # (n, d) unit cube
    outputs: np.ndarray                       # (n, replicates, targets)
    emulators: list[emulators.Emulator]
    replicate_variance: np.ndarray            # (targets,) pooled over design points

    def implausibility(self, x: np.ndarray, observed: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
        """(N, targets) implausibility at unit-cube points x under this wave's emulators."""
        out = np.empty((len(x), len(self.emulators)))
        for t, emulator in enumerate(self.emulators):
            mean, variance = emulator.predict(x)
            out[:, t] = np.abs(observed[t] - mean) / np.sqrt(variance + self.replicate_variance[t] + tolerance[t])
        return out


@dataclass
class Matching:
    """What history matching found: per wave, the runs, emulators and the space left."""

    names: list[str]
    bounds: np.ndarray
    targets: list[str]
    observed: np.ndarray
    tolerance: np.ndarray                     # discrepancy^2 + sd^2 of each target
    cutoff: float
    waves: list[Wave] = field(default_factory=list)
    summaries: list[dict[str, Any]] = field(default_factory=list)
    ranges: list[pd.DataFrame] = field(default_factory=list)
    validation: list[pd.DataFrame] = field(default_factory=list)
    space: pd.DataFrame | None = None         # the last uniform sample: values and implausibility
    plausible: pd.DataFrame | None = None

    def to_values(self, unit: np.ndarray) -> np.ndarray:
        return self.bounds[:, 0] + unit * (self.bounds[:, 1] - self.bounds[:, 0])

    def to_unit(self, values: np.ndarray) -> np.ndarray:
        return (values - self.bounds[:, 0]) / (self.bounds[:, 1] - self.bounds[:, 0])

    def implausibility(self, x: np.ndarray, waves: int | None = None) -> np.ndarray:
        """Largest implausibility over targets and the first ``waves`` waves at unit-cube points x (N,)."""
        worst = np.zeros(len(x))
        for wave in self.waves[:waves]:
            worst = np.maximum(worst, wave.implausibility(x, self.observed, self.tolerance).max(axis=1))
        return worst

    def non_implausible(self, x: np.ndarray) -> np.ndarray:
        """Whether each unit-cube point passes every wave (judged wave by wave, survivors only)."""
        keep = np.ones(len(x), dtype=bool)
        for wave in self.waves:
            idx = np.flatnonzero(keep)
            if not len(idx):
                break
            keep[idx] = wave.implausibility(x[idx], self.observed, self.tolerance).max(axis=1) <= self.cutoff
        return keep

    @property
    def share(self) -> float:
        """Share of the space still non-implausible after the last wave (1 before any wave)."""
        return self.summaries[-1]["nroy_share"] if self.summaries else 1.0


Evaluate = Callable[[int, np.ndarray], np.ndarray]
"""``evaluate(wave, values)``: the model at parameter values (n, d), as outputs (n, replicates, targets)."""


def history_match(names: list[str], bounds: np.ndarray, targets: list[Target] | list[tuple], evaluate: Evaluate,
                  waves: int, runs: int, cutoff: float = 3.0, candidates: int = 20_000, plausible: int = 200,
                  seed: int = 1, integer: list[bool] | None = None,
                  progress: Callable[[str], None] | None = None) -> Matching:
    """History matching in waves (see the module's description). ``targets``: Target objects, or
    (name, observed, sd, discrepancy) tuples; ``evaluate`` runs the model (or any simulator)."""
    rows = [(t.name, t.observed, t.sd, t.discrepancy) if isinstance(t, Target) else tuple(t) for t in targets]
    bounds = np.asarray(bounds, float)
    matching = Matching(list(names), bounds, [r[0] for r in rows], np.array([r[1] for r in rows], float),
                        np.array([r[3] ** 2 + r[2] ** 2 for r in rows], float), cutoff)
    integer = integer or [False] * len(names)
    d = len(names)
    pool = None
    for number in range(1, waves + 1):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(SEED_KEY, number)))
        if number == 1:
            from scipy.stats import qmc

            design = qmc.LatinHypercube(d, seed=rng).random(runs)
        else:
            design = _space_filling(pool, runs, rng)
        design = _snap(matching, design, integer)
        outputs = np.asarray(evaluate(number, matching.to_values(design)), float)
        if outputs.ndim != 3 or outputs.shape[0] != len(design) or outputs.shape[2] != len(rows):
            raise ValueError(f"evaluate gave outputs of shape {outputs.shape}; expected ({len(design)}, replicates, "
                             f"{len(rows)})")
        if not np.all(np.isfinite(outputs)):
            bad = [matching.targets[t] for t in range(len(rows)) if not np.all(np.isfinite(outputs[..., t]))]
            raise ConfigError(f"targets {', '.join(bad)}: the observable is undefined in some runs (no funded "
                              f"grouping?): does the config fund any?")
        wave = _fit_wave(number, design, outputs, seed)
        matching.waves.append(wave)
        validation = _validate(matching, wave)
        matching.validation.append(validation)
        uniform = rng.random((candidates, d))
        passed = matching.non_implausible(uniform)
        survivors = uniform[passed]
        pool = _top_up(matching, survivors, max(runs, plausible), rng)
        matching.ranges.append(_ranges(matching, number, survivors if len(survivors) else pool))
        actual = _run_implausibility(matching, outputs)
        summary = {"wave": number, "design_points": len(design), "replicates": outputs.shape[1],
                   "runs": int(outputs.shape[0] * outputs.shape[1]), "candidates": candidates,
                   "nroy_share": float(passed.mean()), "nroy_points": int(len(pool)),
                   "runs_non_implausible": float((actual <= cutoff).mean())}
        matching.summaries.append(summary)
        if progress is not None:
            q2 = ", ".join(f"{t} Q2 {emulators.loo_summary(validation[validation['target'] == t])['loo_q2']:.2f}"
                           for t in matching.targets)
            progress(f"wave {number}: {summary['runs']} runs; emulators {q2}; "
                     f"{100 * summary['nroy_share']:.3g}% of the space non-implausible")
        if not len(pool):
            break
    matching.space = _space_frame(matching, uniform, passed)
    matching.plausible = _plausible(matching, survivors, pool, plausible, seed)
    return matching


def _ranges(matching: Matching, number: int, points: np.ndarray) -> pd.DataFrame:
    """Each parameter's non-implausible values after a wave: least, 2.5%, median, 97.5% and greatest."""
    frame = pd.DataFrame({"wave": number, "parameter": matching.names, "low": matching.bounds[:, 0],
                          "high": matching.bounds[:, 1]})
    for column, q in (("nroy_min", 0.0), ("nroy_p2.5", 0.025), ("nroy_median", 0.5), ("nroy_p97.5", 0.975),
                      ("nroy_max", 1.0)):
        frame[column] = matching.to_values(np.quantile(points, q, axis=0)) if len(points) else np.nan
    return frame


def _snap(matching: Matching, design: np.ndarray, integer: list[bool]) -> np.ndarray:
    """Integer parameters rounded to whole values (and the design moved to match)."""
    if not any(integer):
        return design
    values = matching.to_values(design)
    for j, whole in enumerate(integer):
        if whole:
            values[:, j] = np.round(values[:, j])
    return matching.to_unit(values)


def _fit_wave(number: int, design: np.ndarray, outputs: np.ndarray, seed: int) -> Wave:
    """Emulators of each target's mean over replicates, with the pooled replicate variance."""
    replicates = outputs.shape[1]
    variance = outputs.var(axis=1, ddof=1).mean(axis=0)                        # (targets,)
    fitted = [emulators.Emulator.fit(design, outputs[:, :, t].mean(axis=1), variance[t] / replicates,
                                     seed=seed + 1000 * number + t) for t in range(outputs.shape[2])]
    return Wave(number, design, outputs, fitted, variance)


def _validate(matching: Matching, wave: Wave) -> pd.DataFrame:
    frames = []
    for t, emulator in enumerate(wave.emulators):
        loo = emulator.leave_one_out()
        loo.insert(0, "point", np.arange(len(loo)))
        loo.insert(0, "target", matching.targets[t])
        loo.insert(0, "wave", wave.number)
        frames.append(loo)
    return pd.concat(frames, ignore_index=True)


def _run_implausibility(matching: Matching, outputs: np.ndarray) -> np.ndarray:
    """Implausibility of each design point from its own runs (no emulator): the mean over replicates
    against the observation, with the variance of that mean besides the replicate variance."""
    n_rep = outputs.shape[1]
    variance = outputs.var(axis=1, ddof=1).mean(axis=0)
    mean = outputs.mean(axis=1)
    return (np.abs(matching.observed - mean) / np.sqrt(variance * (1 + 1 / n_rep) + matching.tolerance)).max(axis=1)


def _top_up(matching: Matching, survivors: np.ndarray, wanted: int, rng) -> np.ndarray:
    """The survivors of the uniform sample and, when they are fewer than ``wanted``, points drawn
    around them (a Gaussian step of a tenth of each range, kept inside the cube) that also pass."""
    pool = survivors
    step = 0.1
    for _ in range(TOP_UP_ROUNDS):
        if len(pool) >= wanted or not len(pool):
            break
        parents = pool[rng.integers(len(pool), size=4 * wanted)]
        children = np.clip(parents + step * rng.standard_normal(parents.shape), 0.0, 1.0)
        pool = np.concatenate([pool, children[matching.non_implausible(children)]])
        step /= 1.5
    return pool


def _space_filling(pool: np.ndarray, n: int, rng) -> np.ndarray:
    """``n`` points of ``pool`` chosen greedily, each the farthest from those already chosen."""
    if len(pool) <= n:
        return pool.copy()
    chosen = [int(rng.integers(len(pool)))]
    distance = np.linalg.norm(pool - pool[chosen[0]], axis=1)
    for _ in range(n - 1):
        nxt = int(np.argmax(distance))
        chosen.append(nxt)
        distance = np.minimum(distance, np.linalg.norm(pool - pool[nxt], axis=1))
    return pool[chosen]


def _space_frame(matching: Matching, uniform: np.ndarray, passed: np.ndarray) -> pd.DataFrame:
    """The last uniform sample of the space: values, largest implausibility, and whether it passed every
    wave (``passed``, as the last wave judged it)."""
    frame = pd.DataFrame(matching.to_values(uniform), columns=matching.names)
    frame["implausibility"] = matching.implausibility(uniform)
    frame["non_implausible"] = passed
    return frame


def _plausible(matching: Matching, survivors: np.ndarray, pool: np.ndarray, n: int, seed: int) -> pd.DataFrame:
    """Up to ``n`` non-implausible parameter sets: a uniform sample of what remains (survivors of the
    uniform sample first; points found around them only when there are too few)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(SEED_KEY, 0)))
    if len(survivors) >= n:
        chosen = survivors[np.sort(rng.choice(len(survivors), size=n, replace=False))]
    else:
        extra = pool[len(survivors):]
        take = min(n - len(survivors), len(extra))
        chosen = np.concatenate([survivors, extra[np.sort(rng.choice(len(extra), size=take, replace=False))]]) \
            if take else survivors
    frame = pd.DataFrame(matching.to_values(chosen), columns=matching.names)
    frame.insert(0, "set", np.arange(len(frame)))
    frame["implausibility"] = matching.implausibility(chosen) if len(chosen) else []
    return frame


# ---------------------------------------------------------------------------------- pcsim's runs
Runner = Callable[[sweeps.Plan, Callable, str], pd.DataFrame]
"""``runner(plan, task, what)``: every run of a plan (the stored ones and the rest), one row a run."""


def wave_plan(spec: Spec, number: int, values: np.ndarray) -> sweeps.Plan:
    """Wave ``number``'s runs: each design point on each replicate seed (common random numbers)."""
    runs = [sweeps.Run(i, r, compare.replicate_seed(spec.seed, r),
                       {name: _value(name, v) for name, v in zip(spec.parameters, row)})
            for i, row in enumerate(values) for r in range(spec.replicates)]
    return sweeps.Plan(f"calibrate-{spec.name}-wave{number}", spec.config.to_dict(), runs, spec.chunk,
                       {"calibration": spec.fingerprint(), "wave": number})


def _value(name: str, value: float) -> float | int:
    return int(round(value)) if parameters.PARAMETERS[name].integer else float(value)


def calibrate(spec: Spec, runner: Runner,
              progress: Callable[[str], None] | None = None) -> tuple[Matching, pd.DataFrame]:
    """History matching of pcsim itself: each wave's runs through ``runner``; returns the matching and
    every run (one row a run: wave, point, replicate, seed, design values, summary, observables)."""
    task = observables.chunk_task(spec.observables)
    frames: list[pd.DataFrame] = []

    def evaluate(number: int, values: np.ndarray) -> np.ndarray:
        plan = wave_plan(spec, number, values)
        results = runner(plan, task, f"wave {number} runs")
        results = results.sort_values(["point", "replicate"], ignore_index=True)
        results.insert(0, "wave", number)
        frames.append(results)
        columns = [observables.column_name(t.name) for t in spec.targets]
        return results[columns].to_numpy().reshape(len(values), spec.replicates, len(columns))

    integer = [parameters.PARAMETERS[name].integer for name in spec.parameters]
    matching = history_match(spec.parameters, spec.bounds, spec.targets, evaluate, spec.waves, spec.runs,
                             spec.cutoff, spec.candidates, spec.plausible, spec.seed, integer, progress)
    return matching, pd.concat(frames, ignore_index=True)


def waves_table(matching: Matching) -> pd.DataFrame:
    """``waves.csv``: one row a wave and target: the wave's runs and share of the space still
    non-implausible, the emulator's kernel and leave-one-out validation, the replicate sd."""
    rows = []
    for wave, summary, validation in zip(matching.waves, matching.summaries, matching.validation):
        for t, name in enumerate(matching.targets):
            emulator = wave.emulators[t]
            rows.append({**summary, "target": name, "observed": matching.observed[t],
                         "replicate_sd": float(np.sqrt(wave.replicate_variance[t])),
                         "emulator": emulator.describe(), "emulator_nugget_sd": float(np.sqrt(emulator.nugget)),
                         **emulators.loo_summary(validation[validation["target"] == name])})
    return pd.DataFrame(rows)


def claim(spec: Spec, out: Path) -> None:
    """Refuse an output directory that holds another calibration's runs (changing the spec or the
    config changes every later wave)."""
    from pcsim.experiments import folders, provenance

    path = out / "calibration.json"
    if folders.same_study(path, spec.fingerprint()):
        return
    out.mkdir(parents=True, exist_ok=True)

    provenance.write_json(path, {"fingerprint": spec.fingerprint(), "spec": str(spec.path), "quick": spec.quick})


def write(spec: Spec, matching: Matching, runs: pd.DataFrame, out: Path, started: str) -> list[str]:
    """Write the calibration's files into ``out``; return their names."""
    from pcsim.experiments import provenance, uncertainty_plots
    from pcsim.experiments.runner import write_parquet

    waves = waves_table(matching)
    ranges = pd.concat(matching.ranges, ignore_index=True)
    validation = pd.concat(matching.validation, ignore_index=True)
    manifest = provenance.manifest(spec.config, started, {
        "experiment": "calibrate", "spec": str(spec.path), "quick": spec.quick, "settings": spec.settings,
        "fingerprint": spec.fingerprint(), "parameters": dict(zip(spec.parameters, spec.bounds.tolist())),
        "targets": [{"name": t.name, "observable": t.observable.to_dict(), "observed": t.observed, "sd": t.sd,
                     "discrepancy": t.discrepancy, "source": t.source} for t in spec.targets],
        "waves": len(matching.waves), "nroy_share": matching.share, "plausible_sets": len(matching.plausible),
        "seeds": sorted(set(runs["seed"].tolist()))})
    provenance.write_atomic(out / "waves.csv", lambda tmp: waves.to_csv(tmp, index=False))
    provenance.write_atomic(out / "ranges.csv", lambda tmp: ranges.to_csv(tmp, index=False))
    provenance.write_atomic(out / "validation.csv", lambda tmp: validation.to_csv(tmp, index=False))
    write_parquet(out / "runs.parquet", runs, manifest)
    write_parquet(out / "plausible.parquet", matching.plausible, manifest)
    figures = {"implausibility.png": uncertainty_plots.implausibility_pairs(matching),
               "waves.png": uncertainty_plots.waves_figure(matching, waves, ranges),
               "validation.png": uncertainty_plots.validation_figure(validation, matching.targets)}
    for name, fig in figures.items():
        provenance.write_atomic(out / name, lambda tmp, fig=fig: fig.savefig(tmp, dpi=110, format="png"))
        uncertainty_plots.close(fig)
    provenance.write_json(out / "manifest.json", manifest)
    return ["waves.csv", "ranges.csv", "validation.csv", "runs.parquet", "plausible.parquet", *figures,
            "manifest.json"]


def summary_text(spec: Spec, matching: Matching) -> str:
    """What the calibration found, in a few lines."""
    lines = [f"{len(matching.waves)} waves; {100 * matching.share:.3g}% of the space is still non-implausible; "
             f"{len(matching.plausible)} plausible parameter sets"]
    last = matching.ranges[-1]
    for _, row in last.iterrows():
        lines.append(f"  {row['parameter']:40} {row['low']:>9.4g} - {row['high']:<9.4g} -> "
                     f"{row['nroy_p2.5']:>9.4g} - {row['nroy_p97.5']:<9.4g} (95% of the non-implausible sets)")
    if not len(matching.plausible):
        lines.append("no parameter set reproduces every target within its uncertainty: revisit the targets' sd, "
                     "the model discrepancy or the model itself")
    return "\n".join(lines)
