"""How a level moves in a month: exactly, towards its equilibrium.

Most state variables of the model (motivations, self-efficacy, morale,
burnout, quality, continuity, recording habits) follow a linear law

    d level / dt = inflow - rate * level

whose equilibrium is inflow / rate. Over one month it is solved exactly,

    level' = target + (level - target) * exp(-rate),   target = inflow / rate,

rather than by an Euler step: the level then never overshoots its target or
leaves [0, 1], however strong the pressures, and the equilibria used to start
a run (month 0 is the status quo in equilibrium) are exactly the fixed points
of the monthly update.
"""

from __future__ import annotations

import numpy as np


def approach(level, target, rate):
    """One month of relaxation of ``level`` towards ``target`` at ``rate`` (per month)."""
    return target + (level - target) * np.exp(-rate)


def equilibrium(inflow, rate):
    """Where ``inflow - rate * level`` is zero (0 where nothing flows)."""
    inflow, rate = np.broadcast_arrays(np.asarray(inflow, dtype=float), np.asarray(rate, dtype=float))
    return np.divide(inflow, rate, out=np.zeros(inflow.shape), where=rate > 0)
