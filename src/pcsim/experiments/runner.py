"""Running the model and writing a run directory.

``pcsim.run(...)`` runs one configuration and returns its outputs as
DataFrames; :meth:`RunResult.write` writes the run directory that ``pcsim run``
produces: ``monthly.parquet``, ``indicators.parquet``, ``groupings.parquet``,
``practices.parquet`` (every practice, every month), ``events.parquet`` (the
timeline's starts and ends and an adaptive commissioner's decisions, with their
reasons), ``manifest.json`` and ``overview.png``. The directory is assembled under a hidden staging name and
renamed when complete (:mod:`pcsim.experiments.folders`), so an interrupted run never leaves a
half-written one and two runs started together never share one; every
file carries the manifest (config, seed, versions, git commit) in its metadata.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pcsim import config as configs
from pcsim.experiments import folders, plots, provenance
from pcsim.model.mesa_model import PrimaryCareModel

RESULTS = Path("results")


@dataclass
class RunResult:
    """The outputs of one run: ``monthly``, ``indicators``, ``groupings``, ``practices`` and ``events`` tables, the
    ``manifest``, the ``model``."""

    monthly: pd.DataFrame
    indicators: pd.DataFrame
    groupings: pd.DataFrame
    manifest: dict[str, Any]
    model: PrimaryCareModel
    practices: pd.DataFrame | None = None
    events: pd.DataFrame | None = None

    def write(self, out: str | Path | None = None) -> Path:
        """Write the run directory (default ``results/runs/<name>-seed<seed>-<time>``, with ``-2``, ``-3``
        ... if another run took that name); return its path. ``out`` must be new or empty."""
        target = folders.check_new_folder(out) if out is not None else default_run_dir(self.model.config)
        with folders.Staging(target) as staging:
            write_parquet(staging.path / "monthly.parquet", self.monthly, self.manifest)
            write_parquet(staging.path / "indicators.parquet", self.indicators, self.manifest)
            write_parquet(staging.path / "groupings.parquet", self.groupings, self.manifest)
            write_parquet(staging.path / "practices.parquet", self.practices, self.manifest)
            write_parquet(staging.path / "events.parquet", self.events, self.manifest)
            provenance.write_json(staging.path / "manifest.json", self.manifest)
            provenance.write_atomic(staging.path / "overview.png", lambda tmp: plots.overview(self).savefig(
                tmp, dpi=110, format="png", metadata={"Software": f"pcsim {self.manifest['pcsim_version']}",
                                                      "Description": _short_provenance(self.manifest)}))
            return staging.publish(choose_name=out is None)


def run(config=None, *, seed: int | None = None, months: int | None = None, policy: str | None = None,
        progress: bool = False, **overrides: Any) -> RunResult:
    """Run pcsim once and return its outputs (a :class:`RunResult`; ``.write()`` writes its folder).

    ``config``
        a TOML path (or a shipped config's name, ``"ace"``), a :class:`~pcsim.config.Config`, a dict
        of sections as a TOML file holds them, or None for the default commissioner.
    ``seed``, ``months``
        replace the config's ``run.seed`` and ``run.months``.
    ``policy``
        a named policy (``"status_quo"``, ``"micro_incentives"``, ``"investment_fund"``,
        ``"investment_fund_all"`` or one of the config's ``[[policies.NAME]]``) to run instead of
        the config's ``[[policy]]`` timeline.
    ``progress``
        show a progress bar over months.
    ``**overrides``
        parameters or config keys, with ``__`` for the dot: ``pcsim.run(demand__growth_per_year=0.02)``.

    Bad input raises :class:`~pcsim.config.ConfigError` naming the field, the value and what is
    allowed. Example::

        result = pcsim.run("ace", seed=3, months=24, policy="investment_fund")
        result.monthly[["month", "emergency_admissions", "morale"]]
    """
    started = provenance.now()
    config = configs.resolve(config, seed=seed, months=months, overrides=overrides)
    if policy is not None:
        config = config.with_policy(policy)
    for note in config.notes:
        warnings.warn(note, stacklevel=2)
    model = PrimaryCareModel(config)
    bar = _progress(model.config.months) if progress else None
    while model.running:
        model.step()
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    manifest = provenance.manifest(model.config, started, {"policy": policy} if policy else None)
    return RunResult(model.monthly(), model.indicators(), model.groupings(), manifest, model,
                     model.practices_table(), model.events())


def stamp() -> str:
    """A timestamp for result folder names."""
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def default_run_dir(config) -> Path:
    """``results/runs/<name>-seed<seed>-<time>``; a name another run takes first gives way to ``-2``, ... when
    the folder is published (:meth:`pcsim.experiments.folders.Staging.publish`)."""
    return RESULTS / "runs" / f"{config.run['name']}-seed{config.seed}-{stamp()}"


def write_parquet(path: Path, frame: pd.DataFrame, manifest: dict[str, Any]) -> None:
    """A Parquet file with the manifest in its schema metadata (key ``pcsim``)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           b"pcsim": json.dumps(manifest, default=str).encode()})
    provenance.write_atomic(path, lambda tmp: pq.write_table(table, tmp))


def read_manifest(parquet_path: str | Path) -> dict[str, Any]:
    """The manifest stored in a pcsim Parquet file."""
    return json.loads(pq.read_schema(parquet_path).metadata[b"pcsim"])


def _short_provenance(manifest: dict[str, Any]) -> str:
    return json.dumps({k: manifest[k] for k in ("config_source", "seed", "months", "config_hash", "pcsim_version")}
                      | {"git": manifest["git"]["commit"]})


def _progress(total: int):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="month", desc="simulating", leave=False, disable=None)
