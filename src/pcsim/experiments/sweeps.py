"""Sweeps: many runs of one config over a design, stored as they finish, resumable, on any engine.

A sweep spec (TOML) names a config, a design over config keys and a number of
replicates::

    [sweep]
    name = "growth"
    config = "configs/default.toml"
    design = "grid"            # grid | list | random | lhs
    replicates = 3
    months = 60                # optional: the config's otherwise
    policy = "status_quo"      # optional: a named policy
    samples = 20               # random and lhs only
    seed = 1

    [parameters]               # grid: values; list: values, all the same length; random, lhs: [low, high]
    "demand.growth_per_year" = [0.0, 0.02, 0.04]

Runs are grouped by everything but the parameter table (what fixes the shape
of the arrays) and advanced ``chunk`` at a time in one Simulation, each run
with its own parameters and seed. A run's seed derives from its replicate
number and the spec's seed (:func:`pcsim.experiments.replicate_seed`), so every
point meets the same seeds (common random numbers) and results are the same
bits whatever the engine, the number of workers or the order. Each finished
chunk is written as its own Parquet file (write, then rename); running the same
spec again skips the chunks already written, so an interrupted sweep resumes
without recomputing or duplicating a run, and memory stays flat however many
runs there are. Engines: local processes (``workers``) or a Dask cluster
(``scheduler``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pcsim import config as configs
from pcsim.experiments import compare
from pcsim.inputs import parameters
from pcsim.experiments import provenance
from pcsim.config import ConfigError

DESIGNS = ("grid", "list", "random", "lhs")
SWEEP_FIELDS = {"name", "config", "design", "replicates", "months", "policy", "samples", "seed", "chunk"}


@dataclass(frozen=True)
class Run:
    """One run of a sweep: its point of the design, replicate, seed, overrides."""

    point: int
    replicate: int
    seed: int
    values: dict[str, Any]
    policy: str | None = None


@dataclass
class Plan:
    """What a sweep (or a sensitivity analysis) will run: its base config and its runs, in chunks."""

    name: str
    base: dict[str, Any]                      # the resolved base config, as a dict
    runs: list[Run]
    chunk: int = 32
    spec: dict[str, Any] = field(default_factory=dict)

    def chunks(self) -> list[tuple[str, list[Run]]]:
        """Runs grouped by structure (everything but parameters) and cut into chunks, each with a
        key that names its runs, so that resuming finds exactly the chunks already written."""
        groups: dict[str, list[Run]] = {}
        for run in self.runs:
            groups.setdefault(_structure_key(run), []).append(run)
        out = []
        for key, runs in groups.items():
            for start in range(0, len(runs), self.chunk):
                part = runs[start:start + self.chunk]
                digest = _digest([key, [(r.point, r.replicate, r.seed, r.values) for r in part]])
                out.append((f"{part[0].point:06d}-{part[0].replicate:04d}-{digest[:10]}", part))
        return out

    def fingerprint(self) -> str:
        return _digest({"base": self.base, "runs": [(r.point, r.replicate, r.seed, r.values, r.policy)
                                                     for r in self.runs]})


def load_spec(path: str | Path, section: str, fields: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A spec's ``[section]`` table (its keys checked against ``fields``) and its ``[parameters]``."""
    path = Path(path)
    raw = configs.read_toml(path, "spec file")
    for name in raw:
        if name not in (section, "parameters"):
            raise ConfigError(f"{path}: unknown section [{name}]; this spec has [{section}] and [parameters]")
    table = raw.get(section, {})
    for key in table:
        if key not in fields:
            raise ConfigError(f"{path}: unknown key {section}.{key}; allowed: {', '.join(sorted(fields))}")
    return table, raw.get("parameters", {})


def resolve_config_path(spec_path: Path, given: str | None) -> str | None:
    """A spec's config path, relative to the spec file if it exists there, else to the working directory."""
    if given is None:
        return None
    beside = spec_path.parent / given
    return str(beside) if beside.is_file() else given


def plan_sweep(spec_path: str | Path, overrides: list[str] | None = None) -> Plan:
    """Validate a sweep spec and list its runs."""
    spec_path = Path(spec_path)
    sweep, space = load_spec(spec_path, "sweep", SWEEP_FIELDS)
    design = sweep.get("design", "grid")
    if design not in DESIGNS:
        raise ConfigError(f"sweep.design = {design!r} is not allowed: choose one of {', '.join(DESIGNS)}")
    replicates = _positive_int(sweep, "replicates", 1)
    seed = _positive_int(sweep, "seed", 1, minimum=0)
    base = base_config(spec_path, sweep, overrides)
    if not isinstance(space, dict) or not space:
        raise ConfigError(f"{spec_path}: [parameters] must name at least one config key to sweep")
    points = design_points(design, space, base, _positive_int(sweep, "samples", 10), seed)
    runs = [Run(i, r, compare.replicate_seed(seed, r), point, sweep.get("policy"))
            for i, point in enumerate(points) for r in range(replicates)]
    return Plan(sweep.get("name", spec_path.stem), base.to_dict(), runs, _positive_int(sweep, "chunk", 32),
                {"sweep": sweep, "parameters": space, "overrides": overrides or []})


def base_config(spec_path: Path, table: dict[str, Any], overrides: list[str] | None) -> configs.Config:
    config = configs.load(resolve_config_path(spec_path, table.get("config")), overrides)
    if table.get("policy") is not None:
        config = config.with_policy(str(table["policy"]))
    if table.get("months") is not None:
        config = config.replace(months=_positive_int(table, "months", 0))
    return config


def design_points(design: str, space: dict[str, Any], base: configs.Config, samples: int,
                  seed: int) -> list[dict[str, Any]]:
    """The points of a design: a list of {config key: value}, each checked against the config."""
    for key, values in space.items():
        if not isinstance(values, list) or not values:
            raise ConfigError(f"parameters.{key} must be a list ({'values' if design in ('grid', 'list') else '[low, high]'})")
    if design == "grid":
        keys = list(space)
        points = [dict(zip(keys, combo)) for combo in itertools.product(*(space[k] for k in keys))]
    elif design == "list":
        lengths = {len(v) for v in space.values()}
        if len(lengths) != 1:
            raise ConfigError(f"a list design needs value lists of one length; got lengths {sorted(lengths)}")
        points = [dict(zip(space, values)) for values in zip(*space.values())]
    else:
        bounds = {key: configs.check_range(f"parameters.{key}", values, parameters.PARAMETERS.get(key))
                  for key, values in space.items()}
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(11,)))
        unit = rng.random((samples, len(bounds))) if design == "random" else _latin(rng, samples, len(bounds))
        points = [{key: float(lo + u * (hi - lo)) for u, (key, (lo, hi)) in zip(row, bounds.items())}
                  for row in unit]
    for point in points:
        check_point(base, point)
    return points


def check_point(base: configs.Config, point: dict[str, Any]) -> None:
    """Raise ConfigError, naming the key and value, if a point does not make a valid config."""
    try:
        base.replace(**point)
    except ConfigError as exc:
        raise ConfigError(f"design point {point}: {exc}") from None


def _latin(rng, n: int, d: int) -> np.ndarray:
    """Latin hypercube on [0, 1)^d: one point in each of n strata of every dimension."""
    strata = np.stack([rng.permutation(n) for _ in range(d)], axis=1)
    return (strata + rng.random((n, d))) / n


def _positive_int(table: dict, key: str, default: int, minimum: int = 1) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{key} = {value!r} must be a whole number of at least {minimum}")
    return value


def _structure_key(run: Run) -> str:
    structural = {k: v for k, v in run.values.items() if k not in parameters.PARAMETERS}
    return _digest([run.policy, structural])


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


# --------------------------------------------------------------------------------------- running
def run_chunk(base: dict[str, Any], runs: list[Run]) -> pd.DataFrame:
    """Run one chunk (runs that share their structure) in one Simulation; one row per run.

    Picklable and pure: what local workers and Dask workers execute.
    """
    return chunk_frame(simulate_chunk(base, runs), runs)


def simulate_chunk(base: dict[str, Any], runs: list[Run]):
    """One chunk of runs (they share their structure) advanced to the end together, each with its own
    parameters and seed: the finished Simulation."""
    from pcsim.model.engine import Simulation

    config = configs.from_dict(base)
    if runs[0].policy is not None:
        config = config.with_policy(runs[0].policy)
    structural = {k: v for k, v in runs[0].values.items() if k not in parameters.PARAMETERS}
    if structural:
        config = config.replace(**structural)
    params = dict(config.params)
    for key in {k for r in runs for k in r.values if k in parameters.PARAMETERS}:
        params[key] = [configs.check_param(parameters.PARAMETERS[key], r.values.get(key, config.params[key]))
                       for r in runs]
    sim = Simulation(config, seeds=[r.seed for r in runs], params=params)
    sim.run()
    return sim


def chunk_frame(sim, runs: list[Run]) -> pd.DataFrame:
    """One row a run of a finished chunk: its keys, its design values (``x:`` columns) and its summary."""
    frame = compare.summarise(sim.outputs.monthly)
    keys = pd.DataFrame({"point": [r.point for r in runs], "replicate": [r.replicate for r in runs],
                         "seed": [r.seed for r in runs], "policy": [r.policy or "" for r in runs]})
    values = pd.DataFrame([r.values for r in runs]).add_prefix("x:")
    return pd.concat([keys, values, frame], axis=1)


def execute(plan: Plan, out: Path, workers: int | None = None, scheduler: str | None = None,
            progress: Callable[[int], None] | None = None, limit: int | None = None,
            task: Callable[[dict[str, Any], list[Run]], pd.DataFrame] = run_chunk) -> Path:
    """Run every chunk of ``plan`` not yet stored under ``out``; return the directory.

    ``limit`` stops after that many chunks (for tests and for splitting a study into sessions).
    ``task`` runs one chunk (default :func:`run_chunk`); another must be picklable, take the same
    arguments and give one row a run with the same key columns (e.g. observables besides the summary,
    :func:`pcsim.experiments.observables.chunk_task`).
    """
    out.mkdir(parents=True, exist_ok=True)
    _claim(plan, out)
    chunk_dir = out / "chunks"
    chunk_dir.mkdir(exist_ok=True)
    todo = [(key, runs) for key, runs in plan.chunks() if not (chunk_dir / f"{key}.parquet").exists()]
    if limit is not None:
        todo = todo[:limit]

    def save(key: str, frame: pd.DataFrame) -> None:
        path = chunk_dir / f"{key}.parquet"
        provenance.write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))
        if progress is not None:
            progress(len(frame))

    if scheduler:
        _run_dask(plan, todo, scheduler, save, task)
    else:
        _run_local(plan, todo, workers, save, task)
    return out


def _claim(plan: Plan, out: Path) -> None:
    """Write the sweep's manifest, or check that an existing one was made by the same plan."""
    manifest_path = out / "manifest.json"
    fingerprint = plan.fingerprint()
    if manifest_path.exists():
        existing = json.loads(manifest_path.read_text())
        if existing.get("fingerprint") != fingerprint:
            raise ConfigError(f"{out} holds results of a different spec or config; choose another --out "
                              f"(or delete it to start again)")
        return
    config = configs.from_dict(plan.base)
    manifest = provenance.manifest(config, provenance.now(), {
        "experiment": plan.name, "fingerprint": fingerprint, "spec": plan.spec, "runs": len(plan.runs),
        "seeds": sorted({r.seed for r in plan.runs})})
    provenance.write_json(manifest_path, manifest)


def _run_local(plan: Plan, todo, workers: int | None, save, task=run_chunk) -> None:
    if not todo:
        return
    if workers == 1 or len(todo) == 1:
        for key, runs in todo:
            save(key, task(plan.base, runs))
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    workers = workers or multiprocessing.cpu_count()
    pending: dict = {}
    queue = iter(todo)
    # forkserver: workers forked from a clean, single-threaded server with pcsim already imported
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["pcsim.experiments.sweeps"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for key, runs in itertools.islice(queue, 2 * workers):
            pending[pool.submit(task, plan.base, runs)] = key
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                save(pending.pop(future), future.result())
                for key, runs in itertools.islice(queue, 1):
                    pending[pool.submit(task, plan.base, runs)] = key


def _run_dask(plan: Plan, todo, scheduler: str, save, task=run_chunk) -> None:
    from distributed import Client, as_completed

    with Client(scheduler) as client:
        queue = iter(todo)
        futures = {}
        for key, runs in itertools.islice(queue, 4 * max(1, len(client.ncores()))):
            futures[client.submit(task, plan.base, runs, key=f"pcsim-{plan.name}-{key}")] = key
        stream = as_completed(list(futures))
        for future in stream:
            save(futures.pop(future), future.result())
            future.release()
            for key, runs in itertools.islice(queue, 1):
                new = client.submit(task, plan.base, runs, key=f"pcsim-{plan.name}-{key}")
                futures[new] = key
                stream.add(new)


def load_results(out: str | Path) -> pd.DataFrame:
    """Every stored run of a sweep, one row a run, ordered by point and replicate."""
    files = sorted((Path(out) / "chunks").glob("*.parquet"))
    if not files:
        return pd.DataFrame()
    frame = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    return frame.sort_values(["policy", "point", "replicate"], ignore_index=True)


def finished(plan: Plan, out: Path) -> int:
    """How many of the plan's runs are stored under ``out``."""
    chunk_dir = out / "chunks"
    return sum(len(runs) for key, runs in plan.chunks() if (chunk_dir / f"{key}.parquet").exists())


def summary_frame(results: pd.DataFrame, keys: Iterable[str]) -> pd.DataFrame:
    """Mean and 2.5-97.5% range of each metric over replicates, per design point."""
    keys = list(keys)
    grouped = results.groupby(["policy", "point", *keys])[list(compare.METRIC_NAMES)]
    mean = grouped.mean().add_suffix(":mean")
    low = grouped.quantile(0.025).add_suffix(":p2.5")
    high = grouped.quantile(0.975).add_suffix(":p97.5")
    return pd.concat([mean, low, high], axis=1).reset_index()
