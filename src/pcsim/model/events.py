"""Named events: the changes to the world that a scheme may ask for.

A scheme never assigns the engine's state. Besides its levers and payments, it
emits events (``world.emit(event)``), which :meth:`pcsim.model.engine.Simulation.apply`
carries out, at once and in one place, so that a reader of the engine sees
every way a scheme can change the world. Arrays carry the run axis: (R, Q) for
groupings, (E, R, P) for enablers of practices, (R, C) for commissioners.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GroupingsSelected:
    """A fund has chosen these groupings (selection is for good: being chosen is visible)."""

    groupings: np.ndarray


@dataclass(frozen=True)
class EnablersGuaranteed:
    """These practices now provide these enablers under contract, for good (the commissioner may
    then decommission the hospital's diagnostics, :func:`pcsim.model.commissioner.decommission`)."""

    practices: np.ndarray


@dataclass(frozen=True)
class QuickWins:
    """Visible progress in these groupings this month (count per grouping): raises self-efficacy."""

    groupings: np.ndarray


@dataclass(frozen=True)
class ProjectsStarted:
    """Innovation projects begun by a scheme (a funded proposal) where ``groupings`` is true, at
    ``stage`` with ``progress`` towards the next, and this true effect."""

    groupings: np.ndarray
    stage: int
    progress: np.ndarray | float
    effect: np.ndarray


@dataclass(frozen=True)
class InnovationsAdopted:
    """Groupings that adopt an innovation another grouping shared, with its true effect in their
    context: it starts at the piloting stage."""

    groupings: np.ndarray
    effect: np.ndarray


@dataclass(frozen=True)
class ProjectsDropped:
    """Innovation projects ended by a decision where ``groupings`` is true: the time and energy
    spent is lost (a loss for motivation)."""

    groupings: np.ndarray


@dataclass(frozen=True)
class LearningSetHeld:
    """A learning set met: the trust its members now hold and their chance of sharing openly."""

    members: np.ndarray
    trust: np.ndarray
    sharing: np.ndarray


@dataclass(frozen=True)
class StanceNudged:
    """The commissioners' stance moved by ``log_odds`` (towards partnership when positive)."""

    log_odds: np.ndarray


@dataclass(frozen=True)
class GroupingsFailed:
    """These groupings have failed under financial risk, for good."""

    groupings: np.ndarray


Event = (GroupingsSelected | EnablersGuaranteed | QuickWins | ProjectsStarted | InnovationsAdopted | ProjectsDropped
         | LearningSetHeld | StanceNudged | GroupingsFailed)
