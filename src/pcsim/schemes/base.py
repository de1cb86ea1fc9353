"""What every scheme is: a window of months, its own fields, and three hooks on the monthly loop.

A scheme is a subclass of :class:`Scheme` registered with :func:`register`
(which makes its name usable in a config's ``[[policy]]``). It is built once per
run batch with its validated ``spec``, a read-only view of the world
(:class:`pcsim.model.engine.World`) and its own random stream, and acts through
three hooks, called only while it is in force:

``shape(month, levers)``
    before GPs decide: what the scheme pays for, asks for (administration),
    permits (freedom, protected time) and how controlling or trusting it feels.
``after_projects(month)``
    after innovation projects move: learning sets, diffusion, end-of-funding
    decisions.
``pay(month, ledger)``
    when the commissioner pays: capitation, incentives in arrears, investment.

Every scheme also has a *design* (``design`` in its config entry, its class's
``design`` by default): the features of MODEL.md section 3 that decide how it
is felt (:data:`pcsim.config.DESIGN_FIELDS`: how much money is contingent on
measured targets, when it is paid, what is measured, how many targets,
specification, monitoring, discretion, forum, framing, publication). A scheme
registers its design each month with the money practices have at stake in it
(``levers.feel(design, stake)``); the perception submodel decides what GPs feel.
A scheme never says how controlling or trusting it is.

A scheme changes the world only through its levers, its payments and the named
events it emits (``self.world.emit(...)``, :mod:`pcsim.model.events`); it never
assigns the world's state. It may keep state of its own (whom it funded, what
it has paid), and draws its random numbers from its own stream, inside the
hook that uses them, the same amount every month it is in force, so that other
processes keep their random numbers whatever the policy.
"""

from __future__ import annotations

import difflib
from typing import Any, ClassVar

import numpy as np

from pcsim import config
from pcsim.config import DESIGN_FIELDS, WINDOW_FIELDS, ConfigError, Field, check_design

NEUTRAL_DESIGN = {key: spec_field.default for key, spec_field in DESIGN_FIELDS.items()}


class Scheme:
    """A scheme in force from ``start`` up to (not including) ``end`` (None in the spec: to the end
    of the run). Subclasses set ``name``, ``summary``, ``fields`` and the hooks they need."""

    name: ClassVar[str]
    summary: ClassVar[str] = ""
    fields: ClassVar[dict[str, Field]] = {}
    design: ClassVar[dict[str, Any]] = NEUTRAL_DESIGN

    def __init__(self, spec: dict[str, Any], world, stream):
        self.spec = spec
        self.world = world
        self.stream = stream
        self.start = spec["start"]
        self.end = spec["end"] if spec["end"] is not None else world.config.months
        self.live = np.ones(world.runs, dtype=bool)          # runs in which the scheme is on (off while dormant)
        self.started_at = np.full(world.runs, float(self.start))   # the month it started in each run
        self.stops_at = np.full(world.runs, float(self.end))       # the month it is no longer in force, each run
        self.spent = 0.0                                # what it has paid so far, by commissioner (R, C)
        self.spent_reviewed = 0.0                       # ... as of each run's last review
        self.spent_this_month = np.zeros(world.runs)    # what it paid this month, each run
        self.settings = {k: v for k, v in spec.items() if k not in WINDOW_FIELDS}
        defaults = type(self).default_design(self.settings, {"indicator_codes": world.catalogue.codes})
        self.design = {**defaults, **spec["design"]}

    def draw(self, method: str, shape: tuple[int, ...]) -> np.ndarray:
        """This month's random numbers from the scheme's own stream, stacked on the run axis."""
        return self.stream.draw(method, shape)

    def active(self, month: int) -> bool:
        """In force in at least one run this month."""
        return self.start <= month < self.end and bool(self.running(month).any())

    def running(self, month: int) -> np.ndarray:
        """Runs in which the scheme is in force this month (R,): inside its window, started and not stopped."""
        return self.live & (self.started_at <= month) & (month < self.stops_at) & (self.start <= month < self.end)

    def last_month(self, month: int) -> np.ndarray:
        """Runs in which this is the scheme's last month in force (R,): the end of its window, or of a
        commissioner's decision to stop it; schemes close their books then (final payments, a fund's
        end-of-funding review)."""
        return self.running(month) & (month == self.stops_at - 1)

    def start_in(self, runs, month: int) -> None:
        """A commissioner's decision: the scheme is in force from ``month`` in ``runs`` (R,)."""
        self.live = self.live | runs
        self.started_at = np.where(runs, np.minimum(self.started_at, month), self.started_at)

    def stop_in(self, runs, month: int) -> None:
        """A commissioner's decision: the scheme is in force in ``runs`` (R,) up to, not including, ``month``."""
        self.stops_at = np.where(runs, np.minimum(self.stops_at, month), self.stops_at)

    def dormant(self) -> None:
        """Off in every run until a commissioner decides to start it."""
        self.live = np.zeros_like(self.live)
        self.started_at = np.full_like(self.started_at, np.inf)

    def shape(self, month: int, levers) -> None:
        """Set this month's levers (called while in force)."""

    def after_projects(self, month: int) -> None:
        """Act after innovation projects move (called while in force)."""

    def pay(self, month: int, ledger) -> None:
        """Make this month's payments (called while in force)."""

    @classmethod
    def validate(cls, where: str, spec: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
        """Check and fill the scheme's own fields; override to check them against each other or
        against ``context`` (months, start, end, indicator_codes, grouping_names)."""
        out = {}
        for key in spec:
            if key in WINDOW_FIELDS or key == "design":
                continue
            if key not in cls.fields:
                allowed = ", ".join(["start", "end", "design", *cls.fields])
                match = difflib.get_close_matches(key, list(cls.fields), n=1)
                hint = f" (did you mean {match[0]!r}?)" if match else ""
                raise ConfigError(f"{where}: unknown field {key!r} for scheme {cls.name!r}{hint}; allowed: {allowed}")
        for key, spec_field in cls.fields.items():
            out[key] = spec_field.check(f"{where}.{key}", spec[key]) if key in spec else spec_field.default
        given = spec.get("design", {})
        check_design(f"{where}.design", given, cls.default_design(out, context))
        out["design"] = dict(given)        # only what the config says: defaults follow the scheme's other fields
        return out

    @classmethod
    def default_design(cls, settings: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
        """The design a scheme has unless its config says otherwise (override where it depends on the
        scheme's own fields)."""
        return {**NEUTRAL_DESIGN, **cls.design}


def register(cls: type[Scheme]) -> type[Scheme]:
    """Make a scheme usable by name in configs (``[[policy]] scheme = "NAME"``)."""
    config.SCHEMES[cls.name] = cls
    return cls


def named_groupings(structure, names) -> np.ndarray:
    """Mask (Q,) of the groupings called ``names``; every named grouping when ``names`` is empty."""
    names = names or [n for n, named in zip(structure.grouping_names, structure.grouping_named) if named]
    return np.isin(np.array(structure.grouping_names, dtype=object), names)
