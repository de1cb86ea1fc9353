"""Process 3c: GPs leave, posts stay vacant, new GPs arrive.

A GP's monthly chance of leaving rises with burnout and lost morale:

    hazard = 1 - exp(-rate/12 * exp(burnout_effect * burnout + morale_effect * max(0, mean - morale)))

A partner or salaried GP who leaves may instead go sessional (8% of GPs were
sessional in 2003, 25% in 2014 [London18]); the others quit or retire and their
post stays vacant for a while (recruitment is "increasingly difficult"
[London18]). A new GP brings their own motivation traits.
"""

from __future__ import annotations

import numpy as np

PARTNER, SALARIED, SESSIONAL = 0, 1, 2
EMPLOYMENT = ("partner", "salaried", "sessional")


def contracted_hours(employment, in_post, params):
    workforce = params.workforce
    hours = np.where(employment == PARTNER, workforce.hours_per_month_partner,
                     np.where(employment == SALARIED, workforce.hours_per_month_salaried, workforce.hours_per_month_sessional))
    return hours * in_post


def leaving_hazard(burnout, morale, params):
    workforce = params.workforce
    risk = np.exp(workforce.exit_burnout_effect * burnout + workforce.exit_morale_effect * np.maximum(params.wellbeing.morale_mean - morale, 0))
    return 1 - np.exp(-workforce.exit_rate_per_year / 12 * risk)


def draw_employment(uniform, params):
    """Employment of a new GP from a uniform draw: partner, salaried or sessional."""
    workforce = params.workforce
    return np.where(uniform < workforce.sessional_share, SESSIONAL,
                    np.where(uniform < workforce.sessional_share + workforce.partner_share, PARTNER,
                             SALARIED)).astype(np.int8)


def turnover(in_post, employment, hazard, u_leave, u_sessional, u_fill, params):
    """Who quits, who goes sessional and which vacant posts are filled this month.

    Returns boolean arrays (quits, goes_sessional, filled).
    """
    leaves = in_post & (u_leave < hazard)
    goes_sessional = leaves & (employment != SESSIONAL) & (u_sessional < params.workforce.go_sessional_share)
    quits = leaves & ~goes_sessional
    filled = ~in_post & (u_fill < 1 / params.workforce.vacancy_months)
    return quits, goes_sessional, filled
