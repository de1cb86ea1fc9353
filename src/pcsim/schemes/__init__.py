"""Policies as timelines of schemes.

A policy is a list of schemes, each in force from its ``start`` month up to
(not including) its ``end`` month (MODEL.md section 3), like Starsim's
interventions. A scheme is a self-contained module in this package: a subclass
of :class:`Scheme` registered with :func:`register`. It acts on the monthly
loop through three hooks, called only while it is in force:

``shape(sim, month, levers)``
    before GPs decide: what the scheme pays for, asks for (administration),
    permits (freedom, protected time) and how controlling or trusting it feels.
``after_projects(sim, month)``
    after innovation projects move: learning sets, diffusion, end-of-funding
    decisions.
``pay(sim, month, ledger)``
    when the commissioner pays: capitation, incentives in arrears, investment.

Adding a scheme is adding a module here; nothing else in the model changes.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from typing import Any, ClassVar

import numpy as np

from pcsim.config import ConfigError, Field

REGISTRY: dict[str, type[Scheme]] = {}
WINDOW_FIELDS = {"scheme", "start", "end"}


class Scheme:
    """A scheme in force over a window of months (``end`` None: to the end of the run).
    Subclasses set ``name``, ``summary``, ``fields`` and hooks."""

    name: ClassVar[str]
    summary: ClassVar[str] = ""
    fields: ClassVar[dict[str, Field]] = {}

    def __init__(self, spec: dict[str, Any], sim):
        self.spec = spec
        self.start = spec["start"]
        self.end = spec["end"] if spec["end"] is not None else sim.config.months
        self.settings = {k: v for k, v in spec.items() if k not in WINDOW_FIELDS}

    def draw(self, sim, method: str, shape: tuple[int, ...]):
        """This month's random numbers from the scheme's own stream (draw the same amount every month
        the scheme is in force, used or not, so that other processes keep their random numbers)."""
        return sim.draw(self.rngs, method, shape)

    def active(self, month: int) -> bool:
        return self.start <= month < self.end

    def shape(self, sim, month: int, levers) -> None:
        """Set this month's levers (called while in force)."""

    def after_projects(self, sim, month: int) -> None:
        """Act after innovation projects move (called while in force)."""

    def pay(self, sim, month: int, ledger) -> None:
        """Make this month's payments (called while in force)."""

    @classmethod
    def validate(cls, where: str, spec: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
        """Check and fill the scheme's own fields; override to check them against each other or
        against ``context`` (months, start, end, indicator_codes)."""
        out = {}
        for key, value in spec.items():
            if key in WINDOW_FIELDS:
                continue
            if key not in cls.fields:
                allowed = ", ".join(["start", "end", *cls.fields])
                match = difflib.get_close_matches(key, list(cls.fields), n=1)
                hint = f" (did you mean {match[0]!r}?)" if match else ""
                raise ConfigError(f"{where}: unknown field {key!r} for scheme {cls.name!r}{hint}; allowed: {allowed}")
        for key, f in cls.fields.items():
            out[key] = f.check(f"{where}.{key}", spec[key]) if key in spec else f.default
        return out


def require_known(where: str, values, known, kind: str) -> None:
    """Raise ConfigError naming the first of ``values`` that is not in ``known`` (a list of ``kind``)."""
    for value in values:
        if value not in known:
            raise ConfigError(f"{where}: {value!r} is not {kind}; known: {', '.join(map(str, known)) or 'none'}")


def named_groupings(structure, names) -> np.ndarray:
    """Mask (Q,) of the groupings called ``names``; every named grouping when ``names`` is empty."""
    names = names or [n for n, named in zip(structure.grouping_names, structure.grouping_named) if named]
    return np.isin(np.array(structure.grouping_names, dtype=object), names)


def register(cls: type[Scheme]) -> type[Scheme]:
    REGISTRY[cls.name] = cls
    return cls


def validate_spec(index: int, spec: Any, context: dict[str, Any]) -> dict[str, Any]:
    """A validated ``[[policy]]`` entry: scheme name, window and the scheme's own fields.

    ``context`` holds what a scheme may check its fields against: ``months`` (the run's length),
    ``indicator_codes`` (the config's indicator catalogue) and ``grouping_names``.
    """
    months = context["months"]
    where = f"policy[{index}]"
    if not isinstance(spec, dict):
        raise ConfigError(f"{where} must be a table with at least scheme = \"...\"")
    name = spec.get("scheme")
    if not isinstance(name, str) or name not in REGISTRY:
        match = difflib.get_close_matches(str(name), list(REGISTRY), n=1)
        hint = f" (did you mean {match[0]!r}?)" if match else ""
        raise ConfigError(f"{where}.scheme = {name!r} is not a known scheme{hint}; known: {', '.join(sorted(REGISTRY))}")
    where = f"{where} ({name})"
    start = Field(int, 0, 0, None).check(f"{where}.start", spec.get("start", 0))
    given_end = spec.get("end")
    end = months if given_end is None else Field(int, months, 0, None).check(f"{where}.end", given_end)
    if start >= months:
        raise ConfigError(f"{where}.start = {start} is outside the run: run.months = {months}, "
                          f"so a scheme must start at month 0 to {months - 1}")
    if end <= start:
        raise ConfigError(f"{where}: end = {end} is not after start = {start}; a scheme is in force "
                          f"from start up to (not including) end")
    own = REGISTRY[name].validate(where, spec, {**context, "scheme": name, "start": start, "end": end})
    # An open end stays open (None): the scheme then runs to the end of the run, however long.
    return {"scheme": name, "start": start, "end": given_end, **own}


def apply_override(raw: dict[str, Any], parts: list[str], value: Any, key: str) -> None:
    """Apply ``--set policy.<scheme or index>.<field>=value`` to a raw config dict."""
    policy = raw.setdefault("policy", [{"scheme": "core_contract"}])
    if not isinstance(policy, list) or not all(isinstance(entry, dict) for entry in policy):
        raise ConfigError(f"--set {key}: the config's policy is not a list of [[policy]] tables")
    if len(parts) != 2:
        raise ConfigError(f"--set {key}: policy keys have the form policy.<scheme name or index>.<field>")
    which, field = parts
    if which.isdigit():
        if int(which) >= len(policy):
            raise ConfigError(f"--set {key}: the policy has {len(policy)} schemes (indices 0 to {len(policy) - 1})")
        entry = policy[int(which)]
    else:
        matches = [s for s in policy if isinstance(s, dict) and s.get("scheme") == which]
        if len(matches) != 1:
            names = [s.get("scheme") for s in policy if isinstance(s, dict)]
            problem = "is not in" if not matches else "appears more than once in"
            raise ConfigError(f"--set {key}: scheme {which!r} {problem} the policy ({', '.join(map(str, names))}); "
                              f"use its index, policy.<index>.{field}")
        entry = matches[0]
    entry[field] = value


class Policy:
    """The schemes of a run, in config order."""

    def __init__(self, specs: list[dict[str, Any]], sim):
        from pcsim.simulation import SCHEME_STREAMS

        self.schemes = [REGISTRY[spec["scheme"]](spec, sim) for spec in specs]
        for i, scheme in enumerate(self.schemes):
            scheme.rngs = sim.streams(SCHEME_STREAMS + i)

    def in_force(self, month: int) -> list[Scheme]:
        return [s for s in self.schemes if s.active(month)]

    def names_in_force(self, month: int) -> list[str]:
        return [s.name for s in self.in_force(month)]


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
