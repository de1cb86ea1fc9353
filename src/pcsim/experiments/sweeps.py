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

    record = ["morale", "gps"] # optional: outputs also kept over time (BehaviorSpace's "measure runs at every step")
    record_every = 12          # months per kept value: 1 every month, 12 each year's mean

    [parameters]               # grid: values; list: values, all the same length; random, lhs: [low, high]
    "demand.growth_per_year" = [0.0, 0.02, 0.04]

``--set run.months=N`` wins over the spec's ``months``. ``name`` names the study's folder
(``results/sweeps/<name>``): letters, digits, ``-``, ``_`` and ``.``.

Runs are grouped by everything but the parameter table (what fixes the shape
of the arrays) and advanced ``chunk`` at a time in one Simulation, each run
with its own parameters and seed. A run's seed derives from its replicate
number and the spec's seed (:func:`pcsim.experiments.replicate_seed`), so every
point meets the same seeds (common random numbers) and results are the same
bits whatever the engine, the number of workers or the order. Each finished
chunk is written as its own Parquet file (write, then rename); running the same
spec again skips the chunks already written, so an interrupted sweep resumes
without recomputing or duplicating a run, and memory stays flat however many
runs there are. Outputs kept over time (``record``) go to ``series/``, one Parquet
file a chunk beside its chunk of results, so memory stays flat there too
(:func:`load_series`). Engines: local processes (``workers``), which die with the
process that started them, however it ends; or a Dask cluster (``scheduler``), where a
sweep whose workers have all gone stops with a message after
:data:`DASK_IDLE_TIMEOUT` seconds. A study folder has one writer at a time
(:class:`pcsim.experiments.folders.Claim`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import os
import select
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pcsim import config as configs
from pcsim.config import ConfigError
from pcsim.experiments import compare, folders, provenance
from pcsim.inputs import parameters
from pcsim.model.outputs import COLUMNS

DESIGNS = ("grid", "list", "random", "lhs")
SWEEP_FIELDS = {"name": str, "config": str, "design": str, "replicates": int, "months": int, "policy": str,
                "samples": int, "seed": int, "chunk": int, "record": list, "record_every": int}
DASK_IDLE_TIMEOUT = float(os.environ.get("PCSIM_DASK_IDLE_TIMEOUT", 120))
"""Seconds a Dask sweep waits with no worker in the cluster before it stops with a message."""
DASK_CONNECT_TIMEOUT = 10.0


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
    record: tuple[str, ...] = ()              # monthly outputs also kept over time (series/)
    record_every: int = 1                     # months per kept value (their mean)

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
        made = {"base": self.base, "runs": [(r.point, r.replicate, r.seed, r.values, r.policy) for r in self.runs]}
        if self.record:
            made["record"] = [list(self.record), self.record_every]
        return _digest(made)


def load_spec(path: str | Path, section: str, fields: dict[str, type]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A spec's ``[section]`` table (its keys and their types checked against ``fields``) and its
    ``[parameters]``."""
    path = Path(path)
    raw = configs.read_toml(path, "spec file")
    for name in raw:
        if name not in (section, "parameters"):
            raise ConfigError(f"{path}: unknown section [{name}]{configs.suggest(name, (section, 'parameters'))}; "
                              f"this spec has [{section}] and [parameters]")
    table = raw.get(section, {})
    space = raw.get("parameters", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {section} must be a table, [{section}]")
    if not isinstance(space, dict):
        raise ConfigError(f"{path}: parameters must be a table, [parameters], of config keys")
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(f"{path}: unknown key {section}.{key}{configs.suggest(key, fields, section + '.')}; "
                              f"allowed: {', '.join(sorted(fields))}")
        kind = fields[key]
        if not isinstance(value, (int, float) if kind is float else kind) or isinstance(value, bool):
            raise ConfigError(f"{path}: {section}.{key} = {value!r} has the wrong type: expected "
                              f"{configs._type_name(kind)}, got {configs._type_name(type(value))}")
    if "name" in table and not configs.NAME_PATTERN.fullmatch(table["name"]):
        raise ConfigError(f"{path}: {section}.name = {table['name']!r} is not allowed: use letters, digits, '-', '_' "
                          f"and '.', starting with a letter or digit (it names the study's folder under results/)")
    return table, space


def study_name(table: dict[str, Any], spec_path: Path, section: str) -> str:
    """The study's name: the spec's ``name``, or the spec file's name if that is a usable folder name."""
    name = table.get("name", spec_path.stem)
    if not configs.NAME_PATTERN.fullmatch(name):
        raise ConfigError(f"{spec_path}: the spec file's name {spec_path.stem!r} cannot name a folder; give "
                          f"{section}.name (letters, digits, '-', '_' and '.')")
    return name


def recording(table: dict[str, Any], months: int, where: str) -> tuple[tuple[str, ...], int]:
    """The outputs a spec keeps over time (``record``) and how many months each kept value covers."""
    record = table.get("record", [])
    for name in record:
        if not isinstance(name, str) or name not in COLUMNS:
            raise ConfigError(f"{where}.record: {name!r} is not a monthly output{configs.suggest(name, COLUMNS)}; "
                              f"known: {', '.join(COLUMNS)}")
    if len(set(record)) != len(record):
        raise ConfigError(f"{where}.record = {record!r} names an output twice")
    every = table.get("record_every", 1)
    if not 1 <= every <= months:
        raise ConfigError(f"{where}.record_every = {every}: allowed 1 to {months} (months per kept value, up to "
                          f"the run's length)")
    if "record_every" in table and not record:
        raise ConfigError(f"{where}.record_every is given but record is empty: name the outputs to keep")
    return tuple(record), every


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
    name = study_name(sweep, spec_path, "sweep")
    design = sweep.get("design", "grid")
    if design not in DESIGNS:
        raise ConfigError(f"sweep.design = {design!r} is not allowed: choose one of {', '.join(DESIGNS)}")
    replicates = _positive_int(sweep, "replicates", 1)
    seed = _positive_int(sweep, "seed", 1, minimum=0)
    base = base_config(spec_path, sweep, overrides)
    if not space:
        raise ConfigError(f"{spec_path}: [parameters] must name at least one config key to sweep")
    record, every = recording(sweep, base.months, "sweep")
    points = design_points(design, space, base, _positive_int(sweep, "samples", 10, maximum=100_000), seed)
    runs = [Run(i, r, compare.replicate_seed(seed, r), point, sweep.get("policy"))
            for i, point in enumerate(points) for r in range(replicates)]
    return Plan(name, base.to_dict(), runs, _positive_int(sweep, "chunk", 32, maximum=10_000),
                {"sweep": sweep, "parameters": space, "overrides": overrides or [],
                 "warnings": outside_plausible(space, design) + base.notes}, record, every)


def base_config(spec_path: Path, table: dict[str, Any], overrides: list[str] | None) -> configs.Config:
    """A spec's config with its ``months`` (``--set run.months`` wins) and its named ``policy``."""
    config = configs.load(resolve_config_path(spec_path, table.get("config")), overrides)
    overridden = any(item.partition("=")[0].strip() == "run.months" for item in overrides or [])
    if table.get("months") is not None and not overridden:
        config = config.replace(months=_positive_int(table, "months", 0, maximum=1200))
    if table.get("policy") is not None:
        config = config.with_policy(str(table["policy"]))
    return config


def outside_plausible(space: dict[str, Any], design: str) -> list[str]:
    """A note for each swept parameter whose values leave its plausible range."""
    notes = []
    for key, values in space.items():
        param = parameters.PARAMETERS.get(key)
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)] \
            if isinstance(values, list) else []
        if param is None or not numbers:
            continue
        low, high = param.plausible
        if min(numbers) < low or max(numbers) > high:
            notes.append(f"parameters.{key} = {values!r} leaves the plausible range {low:g} to {high:g} "
                         f"{param.unit}; the runs go ahead, and the manifest records it")
    return notes


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
        bounds = {}
        for key, values in space.items():
            param = parameters.PARAMETERS.get(key)
            if param is None:
                raise ConfigError(f"parameters.{key}: a {design} design samples parameters of the table, and this is "
                                  f"not one{configs.suggest(key, parameters.PARAMETERS)}; give parameters "
                                  f"(`pcsim params` lists them), or use a grid or list design")
            bounds[key] = configs.check_range(f"parameters.{key}", values, param)
        configs.check_constraints_over(bounds, base.params, "[parameters]")
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(11,)))
        unit = rng.random((samples, len(bounds))) if design == "random" else _latin(rng, samples, len(bounds))
        points = [{key: as_value(key, lo + u * (hi - lo)) for u, (key, (lo, hi)) in zip(row, bounds.items())}
                  for row in unit]
        for key in bounds:
            check_point(base, {key: min(p[key] for p in points)} if points else {})
            check_point(base, {key: max(p[key] for p in points)} if points else {})
        return points
    for point in points:
        check_point(base, point)
    return points


def as_value(key: str, value: float) -> float | int:
    """A sampled value as the parameter takes it: rounded to a whole number for an integer parameter."""
    param = parameters.PARAMETERS.get(key)
    return int(round(value)) if param is not None and param.integer else float(value)


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


def _positive_int(table: dict, key: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (maximum and value > maximum):
        allowed = f"{minimum} to {maximum}" if maximum else f"at least {minimum}"
        raise ConfigError(f"{key} = {value!r} must be a whole number: allowed {allowed}")
    return value


def _structure_key(run: Run) -> str:
    structural = {k: v for k, v in run.values.items() if k not in parameters.PARAMETERS}
    return _digest([run.policy, structural])


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


# --------------------------------------------------------------------------------------- running
def run_chunk(base: dict[str, Any], runs: list[Run], record: tuple[str, ...] = (),
              every: int = 1) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Run one chunk (runs that share their structure) in one Simulation: one row per run, and the
    outputs kept over time (``record``, every ``every`` months) as one row per run and period.

    Picklable and pure: what local workers and Dask workers execute.
    """
    sims = simulate_chunk(base, runs)
    monthly = compare.stacked(sims, "monthly", 2)
    keys = chunk_keys(runs)
    series = over_time(monthly, keys, record, every) if record else None
    return chunk_frame(sims, runs), series


def simulate_chunk(base: dict[str, Any], runs: list[Run]) -> list:
    """One chunk of runs advanced to the end, each with its own parameters and seed: the finished
    Simulations (one for the chunk, or one a run where the structure is drawn per seed)."""
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
    return compare.simulate(config, [r.seed for r in runs], params)


def chunk_keys(runs: list[Run]) -> pd.DataFrame:
    return pd.DataFrame({"point": [r.point for r in runs], "replicate": [r.replicate for r in runs],
                         "seed": [r.seed for r in runs], "policy": [r.policy or "" for r in runs]})


def chunk_frame(sims: list, runs: list[Run]) -> pd.DataFrame:
    """One row a run of a finished chunk: its keys, its design values (``x:`` columns) and its summary."""
    frame = compare.summarise(compare.stacked(sims, "monthly", 2))
    values = pd.DataFrame([r.values for r in runs]).add_prefix("x:")
    return pd.concat([chunk_keys(runs), values, frame], axis=1)


def over_time(monthly: np.ndarray, keys: pd.DataFrame, record: tuple[str, ...], every: int) -> pd.DataFrame:
    """Outputs kept over time: each recorded output's mean over each block of ``every`` months (all
    commissioners together), one row per run and block, labelled by the block's last month."""
    months = monthly.shape[0]
    ends = list(range(every - 1, months, every)) + ([months - 1] if months % every else [])
    starts = [0] + [end + 1 for end in ends[:-1]]
    blocks = {name: np.stack([compare.commissioners_together(monthly[a:b + 1], name).mean(axis=0)
                              for a, b in zip(starts, ends)]) for name in record}       # (blocks, R)
    runs = len(keys)
    frame = keys.loc[np.tile(np.arange(runs), len(ends))].reset_index(drop=True)
    frame.insert(len(keys.columns), "month", np.repeat(ends, runs))
    for name in record:
        frame[name] = blocks[name].ravel()
    return frame


def execute(plan: Plan, out: Path, workers: int | None = None, scheduler: str | None = None,
            progress: Callable[[int], None] | None = None, limit: int | None = None, client=None,
            task: Callable[[dict[str, Any], list[Run]], pd.DataFrame] | None = None) -> Path:
    """Run every chunk of ``plan`` not yet stored under ``out``; return the directory.

    The folder is claimed for the whole of it (a second process is refused), its manifest checked
    against the plan, what a killed writer left half-written removed, and a stored chunk that cannot
    be read is run again. ``limit`` stops after that many chunks (for tests and for splitting a study
    into sessions). ``task`` runs one chunk instead of :func:`run_chunk`: it must be picklable, take
    ``(base, runs)`` and give one row a run with the same key columns (observables besides the summary,
    say: :func:`pcsim.experiments.observables.chunk_task`).
    """
    task = task or functools.partial(run_chunk, record=plan.record, every=plan.record_every)
    if client is not None or not scheduler:
        _execute(plan, out, workers, client, progress, limit, task)
        return out
    with engine(scheduler) as client:
        _execute(plan, out, workers, client, progress, limit, task)
    return out


@contextlib.contextmanager
def engine(scheduler: str | None):
    """A Dask client of ``scheduler`` (None for local processes), connected before anything is written,
    so that an unusable cluster stops a sweep in one line and leaves nothing behind."""
    if not scheduler:
        yield None
        return
    client = connect(scheduler)
    try:
        yield client
    finally:
        client.close()


def _execute(plan: Plan, out: Path, workers: int | None, client, progress, limit: int | None, task) -> None:
    with folders.Claim(out, "study folder"):
        _claim(plan, out)
        chunk_dir, series_dir = out / "chunks", out / "series"
        chunk_dir.mkdir(exist_ok=True)
        if plan.record:
            series_dir.mkdir(exist_ok=True)
        folders.remove_partial_files(out, chunk_dir, series_dir)
        todo = [(key, runs) for key, runs in plan.chunks() if not _stored(chunk_dir, series_dir, key, runs, plan)]
        if limit is not None:
            todo = todo[:limit]

        def save(key: str, result: tuple[pd.DataFrame, pd.DataFrame | None] | pd.DataFrame) -> None:
            frame, series = result if isinstance(result, tuple) else (result, None)
            if series is not None:          # the series first: the chunk file says the chunk is done
                provenance.write_atomic(series_dir / f"{key}.parquet", lambda tmp: series.to_parquet(tmp, index=False))
            provenance.write_atomic(chunk_dir / f"{key}.parquet", lambda tmp: frame.to_parquet(tmp, index=False))
            if progress is not None:
                progress(len(frame))

        if client is not None:
            _run_dask(plan, todo, client, save, task)
        else:
            _run_local(plan, todo, workers, save, task)


def _stored(chunk_dir: Path, series_dir: Path, key: str, runs: list[Run], plan: Plan) -> bool:
    """Whether a chunk is stored whole: its file (and series file) there and readable, with a row a run. A
    damaged one is removed, to be run again."""
    import pyarrow.parquet as pq

    path = chunk_dir / f"{key}.parquet"
    if not path.exists():
        return False
    try:
        whole = pq.read_metadata(path).num_rows == len(runs)
        if whole and plan.record:
            whole = pq.read_metadata(series_dir / f"{key}.parquet").num_rows > 0
    except (OSError, ValueError):              # pyarrow's ArrowInvalid is a ValueError
        whole = False
    if not whole:
        path.unlink(missing_ok=True)
    return whole


def _claim(plan: Plan, out: Path) -> None:
    """Write the sweep's manifest, or check that an existing one was made by the same plan (the caller
    holds the folder's claim, so no other process is between the check and the write)."""
    manifest_path = out / "manifest.json"
    fingerprint = plan.fingerprint()
    if folders.same_study(manifest_path, fingerprint):
        return
    if any(p.name != folders.LOCK for p in out.iterdir()):
        raise ConfigError(f"{out} is not empty and holds no pcsim study (no manifest.json): give a new or empty "
                          f"folder")
    config = configs.from_dict(plan.base)
    manifest = provenance.manifest(config, provenance.now(), {
        "experiment": plan.name, "fingerprint": fingerprint, "spec": plan.spec, "runs": len(plan.runs),
        "seeds": sorted({r.seed for r in plan.runs}), "warnings": plan.spec.get("warnings", []) + config.notes})
    provenance.write_json(manifest_path, manifest)


def _watch_parent(pid: int) -> None:
    """Run in each local worker: end the worker as soon as the process that started it has ended (by
    Ctrl-C, SIGTERM or SIGKILL), so that no worker outlives its sweep. Linux's pidfd wakes the
    watcher the moment the parent ends; elsewhere it looks every half second."""
    def watch() -> None:
        try:
            handle = os.pidfd_open(pid)
            select.select([handle], [], [])
        except (AttributeError, OSError):
            while _alive(pid):
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="pcsim-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_local(plan: Plan, todo, workers: int | None, save, task) -> None:
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
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_watch_parent,
                               initargs=(os.getpid(),))
    try:
        def submit(key, runs) -> None:
            pending[pool.submit(task, plan.base, runs)] = key

        for key, runs in itertools.islice(queue, 2 * workers):
            submit(key, runs)
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                save(pending.pop(future), future.result())
                for key, runs in itertools.islice(queue, 1):
                    submit(key, runs)
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or failed: stop the workers now rather than after their chunks
        # (Python 3.14 has pool.kill_workers(); until then, the pool's own list of them).
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def check_scheduler(scheduler: str) -> None:
    """Raise a one-line ConfigError at once if ``scheduler`` is not an address where something answers
    (a TCP connection, not a Dask handshake: quick, before anything is written)."""
    import socket

    from distributed.comm import parse_address, parse_host_port

    try:
        protocol, location = parse_address(scheduler)
        host, port = parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"--scheduler {scheduler!r} is not a Dask scheduler address "
                          f"({' '.join(str(exc).split())}): give tcp://HOST:PORT") from None
    if protocol == "tcp":
        try:
            socket.create_connection((host, port), timeout=DASK_CONNECT_TIMEOUT).close()
        except OSError as exc:
            raise ConfigError(f"--scheduler {scheduler}: no Dask scheduler answers there "
                              f"({exc.strerror or exc}); start one (`dask scheduler`) or check the address") from None


def connect(scheduler: str):
    """A Dask client of the scheduler at ``scheduler``, or a one-line ConfigError saying why not."""
    from distributed import Client

    check_scheduler(scheduler)
    try:
        return Client(scheduler, timeout=f"{DASK_CONNECT_TIMEOUT}s")
    except Exception as exc:            # a refused handshake, a time-out, or something there that is not Dask
        raise ConfigError(f"--scheduler {scheduler}: cannot connect to a Dask scheduler there "
                          f"({type(exc).__name__}: {' '.join(str(exc).split())[:100]})") from None


def _run_dask(plan: Plan, todo, client, save, task, idle_timeout: float | None = None) -> None:
    """Run the chunks on a Dask cluster, a few ahead of what is done; stop with a message if the cluster
    has had no worker for ``idle_timeout`` seconds (:data:`DASK_IDLE_TIMEOUT`)."""
    from distributed import wait

    idle_timeout = DASK_IDLE_TIMEOUT if idle_timeout is None else idle_timeout
    scheduler = client.scheduler.address
    tag = plan.fingerprint()[:8]
    queue = iter(todo)
    pending = {}

    def submit(key, runs) -> None:
        future = client.submit(task, plan.base, runs, key=f"pcsim-{plan.name}-{key}-{tag}")
        pending[future] = key

    for key, runs in itertools.islice(queue, 4 * max(1, len(client.ncores()))):
        submit(key, runs)
    idle_since = None
    while pending:
        try:
            done = wait(list(pending), timeout=min(5.0, max(idle_timeout / 2, 0.1)), return_when="FIRST_COMPLETED").done
        except TimeoutError:
            done = set()
        for future in done:
            key = pending.pop(future)
            try:
                result = future.result()
            except Exception as exc:
                raise ConfigError(f"a chunk of the sweep failed on the Dask cluster at {scheduler} "
                                  f"({type(exc).__name__}: {' '.join(str(exc).split())[:120]}); what was "
                                  f"finished is stored: run the same command again to resume") from None
            save(key, result)
            future.release()
            for key, runs in itertools.islice(queue, 1):
                submit(key, runs)
        if done or client.scheduler_info().get("workers"):
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since > idle_timeout:
            raise ConfigError(f"the Dask cluster at {scheduler} has had no workers for {idle_timeout:g} s; "
                              f"{len(pending)} chunks were waiting. What was finished is stored: start workers "
                              f"and run the same command again to resume")


def load_results(out: str | Path) -> pd.DataFrame:
    """Every stored run of a sweep, one row a run, ordered by point and replicate."""
    files = sorted((Path(out) / "chunks").glob("*.parquet"))
    if not files:
        return pd.DataFrame()
    frame = pd.concat([_read(f) for f in files], ignore_index=True)
    return frame.sort_values(["policy", "point", "replicate"], ignore_index=True)


def load_series(out: str | Path, outputs: Iterable[str] | None = None, **where: Any) -> pd.DataFrame:
    """Outputs kept over time (a spec's ``record``), one row per run and period: all of them, or only
    the columns ``outputs`` of the rows matching ``where`` (``point=3``, ``policy="status_quo"``), read a
    chunk at a time so that a large study need not fit in memory to be filtered."""
    frames = []
    for path in sorted((Path(out) / "series").glob("*.parquet")):
        frame = _read(path)
        for column, value in where.items():
            frame = frame[frame[column] == value]
        if outputs is not None:
            frame = frame[["point", "replicate", "seed", "policy", "month", *outputs]]
        frames.append(frame)
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True).sort_values(["policy", "point", "replicate", "month"],
                                                            ignore_index=True)


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path} is damaged ({' '.join(str(exc).split())[:80]}): delete it and run the same "
                          f"command again to run its runs again") from None


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
