"""Process 1: demand arrives at practices and core work takes the time it takes.

Consultations per patient grow over time (3.9 a year in 1999, 5.5 in 2009,
and +15% from 2010/11 to 2014/15 [London18]); practices with greater needs
(more long-term conditions, older people, complex needs) see more. GPs give a
share of consultations; nurses and other roles give the rest, and take a
growing part of the growth as the skill mix broadens [London18]. Core work is
shared between a practice's GPs in proportion to their contracted hours; a
practice with every post vacant cannot see its patients (unmet demand).

So the GPs of a practice are tied by their patients: when a colleague leaves
or goes sessional, the practice's core work does not shrink, and their share
moves to those who stay. Their overload rises, then their burnout and their
chance of leaving (:mod:`pcsim.model.wellbeing`, :mod:`pcsim.model.workforce`):
burnout can cascade through a practice.
"""

from __future__ import annotations

import numpy as np


def consultations_per_patient_month(params, month: int) -> float:
    """Consultations per patient this month, grown from the month-0 rate."""
    return params.demand.consultations_per_patient_year / 12 * (1 + params.demand.growth_per_year) ** (month / 12)


def gp_consultations_per_patient_month(params, month: int) -> float:
    """The GPs' part: their month-0 share, plus the share of growth other roles do not absorb."""
    demand = params.demand
    start = demand.consultations_per_patient_year / 12
    growth = consultations_per_patient_month(params, month) - start
    return demand.gp_share_of_consultations * (start + (1 - demand.skill_mix_absorption) * growth)


def core_hours_per_practice(list_size: np.ndarray, needs: np.ndarray, params, month: int) -> np.ndarray:
    """GP hours of core clinical work a practice's patients need this month."""
    consultations = list_size * gp_consultations_per_patient_month(params, month) * (1 + params.demand.needs_elasticity * (needs - 1))
    return consultations * params.demand.minutes_per_consultation / 60


def core_hours_per_gp(core_per_practice, contracted, by_practice) -> tuple[np.ndarray, np.ndarray]:
    """Share each practice's core work among its GPs by contracted hours.

    Returns (core hours per GP post, unmet core hours per practice).
    """
    practice_hours = by_practice.sum(contracted)
    share = np.divide(contracted, by_practice.spread(practice_hours),
                      out=np.zeros_like(contracted), where=contracted > 0)
    unmet = np.where(practice_hours > 0, 0.0, core_per_practice)
    return by_practice.spread(core_per_practice) * share, unmet
