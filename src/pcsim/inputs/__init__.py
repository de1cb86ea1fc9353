"""What pcsim is given: the parameter table, the clinical catalogue, and the configs and specs it ships.

``parameters``
    every behavioural, economic and epidemiological number, with unit, range and source.
``indicators``
    the clinical conditions and the indicators of care that schemes can pay for.
``configs/``, ``experiments/``
    the TOML configs, experiment specs and paper-figure specs that come with pcsim. A source
    checkout shows them at its top level (``configs/``, ``experiments/``); :func:`locate` finds
    them from anywhere, an installed wheel included.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGED = Path(str(files(__name__)))


def locate(given: str | Path) -> Path:
    """The file ``given`` names: the path itself when it exists, else the packaged file it names.

    A packaged file is named by a path ending in its place under this package
    (``configs/ace.toml``, ``../configs/default.toml``, ``experiments/figures``) or, for a
    config, by its bare name (``ace`` or ``ace.toml``). A path that names neither is returned
    as given, for the caller to report.
    """
    path = Path(given)
    if path.exists():
        return path
    parts = [part for part in path.parts if part not in ("..", ".", "/")]
    for start in range(len(parts)):
        candidate = PACKAGED.joinpath(*parts[start:])
        if candidate.exists():
            return candidate
    if len(parts) == 1:
        name = parts[0] if parts[0].endswith(".toml") else parts[0] + ".toml"
        if (PACKAGED / "configs" / name).is_file():
            return PACKAGED / "configs" / name
    return path
