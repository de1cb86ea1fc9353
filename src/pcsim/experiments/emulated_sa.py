"""Sobol indices computed on a Gaussian-process emulator: an SA study for a few hundred runs.

The direct estimate of Sobol indices (:mod:`pcsim.experiments.sensitivity`) needs N x (D + 2) runs
of every policy (26,624 for ``experiments/sa_contrast.toml``). An emulator needs far fewer
(Oakley & O'Hagan 2004; Marrel et al. 2009): the study's parameters are sampled by a Latin
hypercube of a few hundred points over the same ranges, every point runs every policy of the study
on the same seeds, and a Gaussian process (:mod:`pcsim.experiments.emulators`) is fitted to each
analysed output (with two policies, the contrasts; with one, its outputs). SALib then estimates the
indices by the same Saltelli scheme as the direct study, but on the emulator's mean, where a run
costs microseconds, with many base samples. The emulator's own error is reported beside the indices
by its leave-one-out Q2 (an output it cannot predict, Q2 well below 1, has indices that mean little).

``pcsim sa SPEC --emulator`` writes these indices; where the direct study of the same spec is stored
complete, it sets them beside the direct estimate. ``benchmarks/emulated_sa.py`` measures how many
runs each needs for the direct study's top-five ranking on ``experiments/sa_contrast.toml``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pcsim.experiments import compare, emulators, sensitivity, sweeps

SAMPLES = 8192                 # Saltelli base samples on the emulator
SEED_KEY = 19                  # spawn-key namespace of the training design


def training_design(study: sensitivity.Study, points: int) -> np.ndarray:
    """A Latin hypercube of ``points`` parameter sets over the study's ranges (values, not unit), a
    whole-number parameter rounded as the runs take it (:func:`pcsim.experiments.sweeps.as_value`), so that
    the emulators learn from the values that were run."""
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence(study.seed, spawn_key=(SEED_KEY, points)))
    unit = qmc.LatinHypercube(study.problem["num_vars"], seed=rng).random(points)
    bounds = np.array(study.problem["bounds"], float)
    design = bounds[:, 0] + unit * (bounds[:, 1] - bounds[:, 0])
    return np.array([[sweeps.as_value(name, v) for name, v in zip(study.problem["names"], row)] for row in design],
                    float)


def training_plan(study: sensitivity.Study, points: int) -> tuple[sweeps.Plan, np.ndarray]:
    """The emulator's training runs: every design point under every policy of the study, on its seeds."""
    design = training_design(study, points)
    names = study.problem["names"]
    runs = [sweeps.Run(i, r, compare.replicate_seed(study.seed, r), {name: sweeps.as_value(name, v) for name, v in zip(names, row)}, policy)
            for policy in study.policies for i, row in enumerate(design) for r in range(study.replicates)]
    plan = sweeps.Plan(f"{study.plan.name}-emulator{points}", study.plan.base, runs, study.plan.chunk,
                       {**study.plan.spec, "emulator_points": points})
    return plan, design


def responses(study: sensitivity.Study, results: pd.DataFrame, points: int) -> dict[str, np.ndarray]:
    """Each output the emulators model, per design point (mean over replicates): the contrasts of a
    two-policy study, each policy's outputs of a one-policy study; named as the direct study names them."""
    means = results.groupby(["policy", "point"])[study.outputs].mean()
    out = {}
    for metric in study.outputs:
        per_policy = [means.loc[p, metric].reindex(range(points)).to_numpy() for p in study.policies]
        if len(study.policies) == 2:
            out[f"{metric} | {study.policies[0]} - {study.policies[1]}"] = per_policy[0] - per_policy[1]
        else:
            out[f"{metric} | {study.policies[0]}"] = per_policy[0]
    return out


def indices(study: sensitivity.Study, design: np.ndarray, outputs: dict[str, np.ndarray],
            samples: int = SAMPLES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sobol indices (S1, ST with bootstrap 95% half-widths) of each output on its emulator, and each
    emulator's leave-one-out validation."""
    from SALib.sample import sobol as sobol_sample

    bounds = np.array(study.problem["bounds"], float)
    unit = (design - bounds[:, 0]) / (bounds[:, 1] - bounds[:, 0])
    x = sobol_sample.sample(study.problem, samples, calc_second_order=False, seed=study.seed)
    x_unit = (x - bounds[:, 0]) / (bounds[:, 1] - bounds[:, 0])
    frames, checks = [], []
    for k, (output, y) in enumerate(outputs.items()):
        if not np.all(np.isfinite(y)):
            raise ValueError(f"output {output!r} is incomplete: the training runs have not finished")
        emulator = emulators.Emulator.fit(unit, y, 0.0, seed=study.seed + k)
        mean, _ = emulator.predict(x_unit)
        frame = sensitivity.analyse(study.problem, "sobol", x, mean, study.seed)
        frame.insert(0, "output", output)
        frames.append(frame.rename_axis("parameter").reset_index())
        checks.append({"output": output, "training_points": len(y), "emulator": emulator.describe(),
                       **emulators.loo_summary(emulator.leave_one_out())})
    table = pd.concat(frames, ignore_index=True)
    table["training_points"] = len(design)
    table["emulator_samples"] = samples
    return table, pd.DataFrame(checks)


def beside(emulated: pd.DataFrame, direct: pd.DataFrame) -> pd.DataFrame:
    """Emulated and direct indices of the outputs both have, side by side, with each one's rank by ST."""
    keep = ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    merged = emulated[keep].merge(direct[keep], on=["output", "parameter"], suffixes=("_emulator", "_direct"))
    for source in ("emulator", "direct"):
        merged[f"rank_{source}"] = merged.groupby("output")[f"ST_{source}"].rank(ascending=False, method="first")
    return merged.sort_values(["output", "rank_direct"], ignore_index=True)


def top(frame: pd.DataFrame, output: str, column: str = "ST", n: int = 5) -> list[str]:
    """The ``n`` parameters with the largest ``column`` for ``output``, largest first."""
    part = frame[frame["output"] == output]
    return list(part.sort_values(column, ascending=False, kind="stable")["parameter"].head(n))
