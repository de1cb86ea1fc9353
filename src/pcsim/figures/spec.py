"""Figure specs: one TOML file per figure or table of the paper (``experiments/figures/``).

A spec names the kind of figure, its caption, the config it runs and how many
replicates; a ``[quick]`` table overrides some of those for ``--quick`` (fewer
replicates, what CI runs)::

    [figure]
    kind = "motivation"
    caption = "GPs' four motivations, self-efficacy and morale under each regime ..."
    config = "../../configs/default.toml"
    policies = ["status_quo", "micro_incentives", "investment_fund"]
    replicates = 40
    seed = 1

    [quick]
    replicates = 4

The file's name (without ``.toml``) names the figure's files. Every key is
checked against what its kind allows; a wrong one names the file, the key, the
value and what is allowed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcsim import config as configs
from pcsim.config import ConfigError

COMMON = {"kind": "", "caption": "", "config": "", "seed": 1}
MINIMUM = {"seed": 0, "replicates": 2}          # intervals over replicates need two of them


@dataclass(frozen=True)
class FigureSpec:
    """A figure's spec with the settings in force (full size, or ``--quick``)."""

    name: str
    path: Path
    kind: str
    caption: str
    settings: dict[str, Any]
    quick: bool

    def __getitem__(self, key: str) -> Any:
        return self.settings[key]

    def config(self, overrides: list[str] | None = None) -> configs.Config:
        """The spec's config (relative to the spec file), or the default commissioner when it names none."""
        given = self.settings["config"]
        path = None if not given else self.path.parent / given
        return configs.load(path, overrides)

    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()[:16]


def load(path: Path, kinds: dict[str, dict[str, Any]], quick: bool) -> FigureSpec:
    """Read and check a figure spec; ``kinds`` maps each kind to the keys it allows, with defaults."""
    raw = configs.read_toml(path, "figure spec")
    for section, table in raw.items():
        if section not in ("figure", "quick") or not isinstance(table, dict):
            raise ConfigError(f"{path}: {section!r} is not allowed at the top; a figure spec has the tables "
                              f"[figure] and [quick]")
    table = raw.get("figure", {})
    kind = table.get("kind")
    if kind not in kinds:
        raise ConfigError(f"{path}: figure.kind = {kind!r} is not allowed: choose one of {', '.join(kinds)}")
    allowed = {**COMMON, **kinds[kind]}
    settings = dict(allowed)
    for key, value in table.items():
        settings[key] = _checked(path, "figure", key, value, allowed)
    shorter = raw.get("quick", {})
    if "kind" in shorter:
        raise ConfigError(f"{path}: quick.kind: the kind of a figure cannot change under --quick; [quick] may only "
                          f"change its other keys")
    shorter = {key: _checked(path, "quick", key, value, allowed) for key, value in shorter.items()}
    if quick:
        settings.update(shorter)
    if not settings["caption"]:
        raise ConfigError(f"{path}: figure.caption is missing: give one that says what the figure shows, and its "
                          f"intervals")
    return FigureSpec(path.stem, path, kind, settings["caption"], settings, quick)


def _checked(path: Path, section: str, key: str, value: Any, allowed: dict[str, Any]) -> Any:
    if key not in allowed:
        raise ConfigError(f"{path}: unknown key {section}.{key}; allowed: {', '.join(sorted(allowed))}")
    default = allowed[key]
    expected = type(default)
    ok = isinstance(value, expected) and not (isinstance(value, bool) and expected is not bool)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ConfigError(f"{path}: {section}.{key} = {value!r} must be {_kind_name(expected)}")
    least = MINIMUM.get(key, 1)
    if expected is int and value < least:
        raise ConfigError(f"{path}: {section}.{key} = {value!r} must be at least {least}")
    if expected is list and not value:
        raise ConfigError(f"{path}: {section}.{key} must not be empty")
    return value


def _kind_name(kind: type) -> str:
    return {int: "a whole number", float: "a number", str: "a string", list: "a list", bool: "true or false"}[kind]
