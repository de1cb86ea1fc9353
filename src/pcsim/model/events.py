"""Named events: the changes to the world that a scheme may ask for.

A scheme never assigns the engine's state. Besides its levers and payments, it
emits events (``world.emit(event)``), which :meth:`pcsim.model.engine.Simulation.apply`
carries out, at once and in one place, so that a reader of the engine sees
every way a scheme can change the world. Arrays carry the run axis: (R, Q) for
groupings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GroupingsSelected:
    """A fund has chosen these groupings (selection is for good: being chosen is visible)."""

    groupings: np.ndarray


@dataclass(frozen=True)
class ProjectsStarted:
    """Innovation projects begun by a scheme (a funded proposal ready to start) where ``groupings`` is
    true, at ``stage`` with ``progress`` towards the next, and this true effect."""

    groupings: np.ndarray
    stage: int
    progress: np.ndarray | float
    effect: np.ndarray


@dataclass(frozen=True)
class FundingEnded:
    """These groupings' funding has ended: each weighs the value it has seen in its project against the
    cost it must now carry, and drops what is not worth it (:func:`pcsim.model.innovation.review_at_funding_end`)."""

    groupings: np.ndarray


@dataclass(frozen=True)
class ProjectsDropped:
    """Innovation projects ended where ``groupings`` is true (a grouping that failed, say): the time and
    energy spent is lost (a loss for motivation)."""

    groupings: np.ndarray


@dataclass(frozen=True)
class GroupingsFailed:
    """These groupings have failed under financial risk, for good."""

    groupings: np.ndarray


Event = GroupingsSelected | ProjectsStarted | FundingEnded | ProjectsDropped | GroupingsFailed
