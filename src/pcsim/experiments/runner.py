"""Running the model and writing a run directory.

``pcsim.run(...)`` runs one configuration and returns its outputs as
DataFrames; :meth:`RunResult.write` writes the run directory that ``pcsim run``
produces: ``monthly.parquet``, ``indicators.parquet``, ``groupings.parquet``,
``practices.parquet`` (every practice, every month), ``events.parquet`` (the
timeline's starts and ends and an adaptive commissioner's decisions, with their
reasons), ``manifest.json`` and ``overview.png``. The directory is assembled under a temporary name and renamed
when complete, so an interrupted run never leaves a half-written one; every
file carries the manifest (config, seed, versions, git commit) in its metadata.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pcsim.experiments import provenance
from pcsim.experiments import plots
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
        """Write the run directory (default ``results/runs/<name>-seed<seed>-<time>``); return its path."""
        target = Path(out) if out is not None else default_run_dir(self.model.config)
        if target.exists() and any(target.iterdir()):
            raise FileExistsError(f"{target} exists and is not empty; choose another --out")
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            write_parquet(staging / "monthly.parquet", self.monthly, self.manifest)
            write_parquet(staging / "indicators.parquet", self.indicators, self.manifest)
            write_parquet(staging / "groupings.parquet", self.groupings, self.manifest)
            write_parquet(staging / "practices.parquet", self.practices, self.manifest)
            write_parquet(staging / "events.parquet", self.events, self.manifest)
            provenance.write_json(staging / "manifest.json", self.manifest)
            plots.overview(self).savefig(staging / "overview.png", dpi=110,
                                         metadata={"Software": f"pcsim {self.manifest['pcsim_version']}",
                                                   "Description": _short_provenance(self.manifest)})
            staging.chmod(0o755)
            if target.exists():
                target.rmdir()
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return target


def run(config=None, *, seed: int | None = None, months: int | None = None, progress: bool = False,
        **overrides: Any) -> RunResult:
    """Run pcsim once and return its outputs.

    ``config`` is a TOML path, a Config, a dict of sections or None (the defaults).
    Overrides are dotted parameter names, with ``__`` for the dot in keyword form:
    ``pcsim.run(seed=3, demand__growth_per_year=0.02)``.
    """
    started = provenance.now()
    model = PrimaryCareModel(config, seed=seed, months=months, overrides=overrides)
    bar = _progress(model.config.months) if progress else None
    while model.running:
        model.step()
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    manifest = provenance.manifest(model.config, started)
    return RunResult(model.monthly(), model.indicators(), model.groupings(), manifest, model,
                     model.practices_table(), model.events())


def stamp() -> str:
    """A timestamp for result folder names."""
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def default_run_dir(config) -> Path:
    base = RESULTS / "runs" / f"{config.run['name']}-seed{config.seed}-{stamp()}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


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
