"""The run store of ``pcsim figures``: runs are kept, keyed by what made them, and reused.

A stored entry's key is a hash of everything that decides its numbers: the
resolved config, the seeds (or the sweep plan) and the simulation code. The
code is the source of every pcsim module except those that only present
results (the CLI, the plots of experiments, the figures package with its house style,
the teaching app, the ODD generator) and the pattern checks (whose own source keys the
scorecard's table), so redrawing a figure never reruns the model, and changing
the model always does. Entries are written whole, then renamed: an
interrupted ``pcsim figures`` leaves no half-written run behind, and sweeps
(Sobol study, response curve) resume chunk by chunk.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

import pcsim
from pcsim.experiments import compare
from pcsim.experiments import provenance
from pcsim.experiments import sweeps
from pcsim.config import Config

# besides the cli, figures and viz packages
PRESENTATION = {"docs.py", "experiments/plots.py", "experiments/uncertainty_plots.py"}
CHECKS = {"experiments/patterns.py"}   # the pattern checks key their own table (the scorecard's), not every run


@cache
def code_fingerprint(package: Path | None = None) -> str:
    """A hash of the simulation code: every source file of the pcsim package (by default the one
    imported) but the presentation modules."""
    package = package or Path(pcsim.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in ("cli", "figures", "viz") or relative.as_posix() in PRESENTATION | CHECKS:
            continue
        digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


NUMERICAL = ("numpy", "scipy", "pandas", "pyarrow", "SALib", "mesa")   # their versions can change the numbers


@cache
def numerical_versions() -> dict[str, str]:
    installed = provenance.versions()
    return {name: installed[name] for name in NUMERICAL}


def key_of(*parts: Any) -> str:
    """A key of what decides stored numbers: the simulation code, the numerical libraries' versions,
    and ``parts``."""
    text = json.dumps([code_fingerprint(), numerical_versions(), *parts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def run_config(config: Config) -> dict[str, Any]:
    """What of a config decides a run's numbers: all of it but its name and its menu of named policies
    (a run follows its own policy timeline)."""
    resolved = config.to_dict()
    resolved.pop("policies", None)
    resolved["run"] = {k: v for k, v in resolved["run"].items() if k != "name"}
    return resolved


@dataclass
class RunSet:
    """The outputs of runs of one config on several seeds (common random numbers across arms)."""

    seeds: list[int]
    monthly: np.ndarray          # (months, columns, runs, commissioners)
    indicators: np.ndarray       # (months, recorded|delivered, indicators, runs, commissioners)
    in_scheme: np.ndarray        # (months, indicators): paid for by a scheme that month
    grouping_values: np.ndarray  # (months, grouping columns, runs, named groupings)
    codes: list[str]             # indicator codes
    groupings: list[str]         # names of the named groupings

    def series(self, column: str) -> np.ndarray:
        """A monthly output with all commissioners together, (months, runs)."""
        return compare.commissioners_together(self.monthly, column)

    def summary(self) -> pd.DataFrame:
        """Each run's key outcomes (:data:`pcsim.experiments.METRICS`), one row a run."""
        return compare.summarise(self.monthly)


def _save_runset(runs: RunSet, path: Path) -> None:
    arrays = {name: getattr(runs, name) for name in ("monthly", "indicators", "in_scheme", "grouping_values")}
    labels = {"seeds": runs.seeds, "codes": runs.codes, "groupings": runs.groupings}

    def write(tmp: Path) -> None:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, labels=np.array(json.dumps(labels)), **arrays)
        tmp.write_bytes(buffer.getvalue())

    provenance.write_atomic(path, write)


def _load_runset(path: Path) -> RunSet:
    with np.load(path) as data:
        labels = json.loads(str(data["labels"]))
        return RunSet(labels["seeds"], data["monthly"], data["indicators"], data["in_scheme"],
                      data["grouping_values"], labels["codes"], labels["groupings"])


@dataclass
class Store:
    """Stored runs under ``root``; ``fresh`` ignores (and replaces) what is stored."""

    root: Path
    fresh: bool = False
    used: list[dict[str, Any]] = field(default_factory=list)

    def simulate(self, config: Config, seeds: list[int]) -> RunSet:
        """``config`` run on ``seeds`` together, or the stored runs that the same config, seeds and code made."""
        key = key_of("simulate", run_config(config), list(seeds))
        path = self.root / "runs" / f"{config.run['name']}-{key}.npz"
        reused = self._stored(path, key)
        if reused:
            runs = _load_runset(path)
        else:
            sims = compare.simulate(config, list(seeds))
            sim, out = sims[0], sims[0].outputs
            runs = RunSet(list(seeds), compare.stacked(sims, "monthly", 2), compare.stacked(sims, "indicators", 3),
                          out.in_scheme, compare.stacked(sims, "grouping_values", 2), list(sim.catalogue.codes),
                          [sim.structure.grouping_names[q] for q in out.named])
            _save_runset(runs, path)
        self._note("simulate", key, reused, config=provenance.config_hash(config.to_dict()), seeds=list(seeds))
        return runs

    def sweep(self, plan: sweeps.Plan, workers: int | None, scheduler: str | None,
              progress: Callable[[int], None] | None = None, task: Callable | None = None,
              task_key: Any = None) -> pd.DataFrame:
        """Every run of a sweep plan, one row a run: what is stored, and the rest run now (resumable).
        ``task``: another chunk task than the sweeps' (:func:`pcsim.experiments.sweeps.execute`), with
        ``task_key`` saying what of it decides the numbers (e.g. the observables it computes)."""
        key = key_of("sweep", plan.fingerprint()) if task is None else key_of("sweep", plan.fingerprint(), task_key)
        out = self.root / "sweeps" / f"{plan.name}-{key}"
        if self.fresh and out.exists() and not self._made_this_session(key):
            shutil.rmtree(out)
        stored = sweeps.finished(plan, out) if out.exists() else 0
        if progress is not None and stored:
            progress(stored)
        sweeps.execute(plan, out, workers=workers, scheduler=scheduler, progress=progress,
                       **({} if task is None else {"task": task}))
        self._note("sweep", key, stored == len(plan.runs), config=provenance.config_hash(plan.base),
                   runs=len(plan.runs), stored_before=stored)
        return sweeps.load_results(out)

    def table(self, name: str, parts: Any, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """A table computed from runs (e.g. the pattern scorecard), stored under its key."""
        key = key_of("table", name, parts)
        path = self.root / "tables" / f"{name}-{key}.parquet"
        reused = self._stored(path, key)
        if reused:
            frame = pd.read_parquet(path)
        else:
            frame = compute()
            provenance.write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))
        self._note("table", key, reused)
        return frame

    def _made_this_session(self, key: str) -> bool:
        return any(entry["key"] == key for entry in self.used)

    def _stored(self, path: Path, key: str) -> bool:
        """Whether ``path`` may be reused: it exists, and ``fresh`` is off or it was made this session."""
        return path.exists() and (not self.fresh or self._made_this_session(key))

    def _note(self, kind: str, key: str, reused: bool, **details: Any) -> None:
        self.used.append({"kind": kind, "key": key, "reused": reused, **details})
