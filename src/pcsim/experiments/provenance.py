"""Provenance: what made a result file (config, seed, versions, git commit, times)."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pcsim

DEPENDENCIES = ("mesa", "numpy", "scipy", "pandas", "pyarrow", "matplotlib", "networkx", "SALib", "dask", "distributed",
                "solara", "tqdm", "scikit-learn", "ema_workbench")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "pcsim": pcsim.__version__}
    for name in DEPENDENCIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit() -> dict[str, Any]:
    """The commit of the pcsim source tree and, if it had uncommitted changes, which files changed and
    a hash of the diff against the commit, so that the exact code can be matched later."""
    where = Path(pcsim.__file__).resolve().parent

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=where, capture_output=True, text=True, timeout=10,
                              check=True).stdout

    try:
        commit = git("rev-parse", "HEAD").strip()
        changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=normal").splitlines()]
    except (OSError, subprocess.SubprocessError):
        return {"commit": "unknown (not a git checkout)", "dirty": None}
    out: dict[str, Any] = {"commit": commit, "dirty": bool(changed)}
    if changed:
        out["changed_files"] = changed
        out["diff_sha256"] = hashlib.sha256(git("diff", "HEAD").encode()).hexdigest()
    return out


def config_hash(config_dict: dict[str, Any]) -> str:
    """A short, stable hash of a resolved config."""
    text = json.dumps(config_dict, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def manifest(config, started: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    resolved = config.to_dict()
    return {
        "pcsim_version": pcsim.__version__,
        "config_source": config.source,
        "overrides": config.overrides,
        "seed": config.seed,
        "months": config.months,
        "config_hash": config_hash(resolved),
        "config": resolved,
        "warnings": list(getattr(config, "notes", [])),
        "git": git_commit(),
        "versions": versions(),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "started": started,
        "finished": now(),
        **(extra or {}),
    }


def write_atomic(path: Path, write) -> None:
    """Write a file through ``write(tmp_path)`` then rename, so no reader ever sees half a file. The
    temporary file is ``.<name>.<random>.part`` beside it; one a killed writer leaves is removed by
    the next holder of the folder's claim (:func:`pcsim.experiments.folders.remove_partial_files`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: dict[str, Any]) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2, default=str) + "\n"))
