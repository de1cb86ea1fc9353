"""What the figures of calibration and decision share: the calibration and the ensemble, through the store.

Not a figure kind. The calibration of a spec (``experiments/calibrate_ace.toml``) runs wave by wave
through the run store (each wave a stored sweep whose chunks also compute the targets' observables),
and its tables - waves, ranges, leave-one-out validation, plausible sets - are stored under a key of
the calibration spec, the simulation code and the versions of scikit-learn and SciPy, so the three
figures that need them run the calibration once between them, and a second ``pcsim figures``
redraws without fitting an emulator. The ensemble of the acceptability and EVPPI figures (every
policy at every plausible set, on common seeds) is a stored sweep, run once for both.
"""

from __future__ import annotations

import pandas as pd

from pcsim.config import ConfigError
from pcsim.experiments import calibration, ensembles, observables, provenance
from pcsim.figures.base import Context

CALIBRATION_FIELDS = {"calibration": "../calibrate_ace.toml", "calibration_quick": False}
ENSEMBLE_FIELDS = {**CALIBRATION_FIELDS, "policies": ["status_quo", "micro_incentives", "investment_fund"],
                   "sets": 200, "replicates": 2, "months": 120, "wtp_admission": 2000.0, "wtp_quality": 100.0,
                   "wtp_max_admission": 20000.0, "wtp_max_quality": 1000.0}
TABLES = ("waves", "ranges", "validation", "plausible")


def calibration_spec(spec) -> calibration.Spec:
    """The calibration spec a figure names (relative to the figure's spec), full size or quick."""
    return calibration.load_spec(spec.path.parent / spec["calibration"], quick=spec["calibration_quick"])


def calibrated(spec, ctx: Context) -> dict[str, pd.DataFrame]:
    """The calibration's tables, from the store, or calibrated now (its runs through the store). Either
    way the figure's provenance lists the stored sweeps of the calibration's waves."""
    cal = calibration_spec(spec)
    versions = provenance.versions()
    parts = [cal.fingerprint(), {name: versions[name] for name in ("scikit-learn", "scipy")}]
    made: dict[str, pd.DataFrame] = {}

    def compute() -> dict[str, pd.DataFrame]:
        if not made:
            before = len(ctx.store.used)

            def runner(plan, task, what):
                bar = ctx.bar(len(plan.runs), f"calibration {what}")
                results = ctx.store.sweep(plan, ctx.workers, ctx.scheduler, bar.update, task,
                                          observables.task_key(cal.observables))
                bar.close()
                return results

            matching, _ = calibration.calibrate(cal, runner)
            waves = [{k: v for k, v in entry.items() if k not in ("reused", "stored_before")}
                     for entry in ctx.store.used[before:] if entry["kind"] == "sweep"]
            made.update(sweeps=pd.DataFrame(waves), waves=calibration.waves_table(matching),
                        ranges=pd.concat(matching.ranges, ignore_index=True),
                        validation=pd.concat(matching.validation, ignore_index=True), plausible=matching.plausible)
        return made

    position = len(ctx.store.used)
    waves_run = ctx.store.table(f"calibration-{cal.name}-sweeps", parts, lambda: compute()["sweeps"])
    if not made:                        # the tables were stored: the waves' runs made them, untouched now
        ctx.store.used[position:position] = [
            {"kind": "sweep", "key": str(row["key"]), "reused": True, "config": str(row["config"]),
             "runs": int(row["runs"]), "stored_before": int(row["runs"])} for _, row in waves_run.iterrows()]
    return {name: ctx.store.table(f"calibration-{cal.name}-{name}", parts, lambda name=name: compute()[name])
            for name in TABLES}


def check_ensemble(spec) -> None:
    """The calibration spec loads, the policies are known, the sizes make sense."""
    calibration_spec(spec)
    config = spec.config()
    policies = spec["policies"]
    if len(policies) < 2:
        raise ConfigError(f"{spec.path}: figure.policies = {policies!r}: name at least two")
    for name in policies:
        config.with_policy(name)
    if spec["months"] < 12:
        raise ConfigError(f"{spec.path}: figure.months = {spec['months']}: the runs need at least a year")
    for key in ("wtp_admission", "wtp_quality", "wtp_max_admission", "wtp_max_quality"):
        if spec[key] < 0:
            raise ConfigError(f"{spec.path}: figure.{key} = {spec[key]} must not be negative")


def ensemble(spec, ctx: Context):
    """Every policy at the first ``sets`` plausible sets on ``replicates`` common seeds: (runs, sets, config)."""
    tables = calibrated(spec, ctx)
    sets = ensembles.check_sets(tables["plausible"], f"{spec.path}: the plausible sets of {spec['calibration']}",
                                spec["sets"])
    config = spec.config().replace(months=spec["months"])
    plan = ensembles.compare_plan(config, spec["policies"], sets, spec["replicates"], spec["seed"])
    bar = ctx.bar(len(plan.runs), "ensemble runs")
    results = ctx.store.sweep(plan, ctx.workers, ctx.scheduler, bar.update, ensembles.task(),
                              observables.task_key(ensembles.DECISION_OBSERVABLES))
    bar.close()
    return results, sets, config
