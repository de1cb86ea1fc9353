"""Process 4: quality of care moves with effort and decays without it.

Indicator care (per indicator k and practice): delivered care d moves towards
the indicator's ceiling with effort e (hours given to it relative to the hours
its eligible patients need) and decays without it (patients lapse, staff
change):

    dd/dt = gain e (ceiling - d) - decay d,  equilibrium  ceiling gain e / (gain e + decay)

solved exactly over the month (:mod:`pcsim.dynamics`), so that gains level off
as care nears its ceiling (MODEL.md pattern 1).
Effort comes from incentivised time aimed at the indicator and a share of
holistic time (a holistic review also checks blood pressure). What is
*recorded* is delivered care times coding completeness, plus care recorded
without being given (``record_only``; payment follows the record, MODEL.md
section 3); both move towards targets that paying schemes set (:func:`toward`). Holistic quality h (non-incentivised, person-centred care for
people with complex needs) follows the same law with holistic effort; its
baseline near 0.5 echoes Box 1 of [Miller18] ("only 51.3% of people with a
long term condition felt supported to manage their condition").
Continuity of care moves towards what the way care is organised allows:
sessional GPs and vacancies [London18], protocol-driven clinics for paid
conditions, which split a patient's care across the team (the share of
clinical time given to indicator work, by GPs or by the nurses and assistants
incentive income buys; [Miller18, intro]: "a decrease in person-centred
practice"), and access pressure, which sends patients to whoever is free.

*What payment leaves behind.* Effort on an indicator that is sustained becomes
an embedded *routine* of the practice - a recall system, a template, a
nurse-led clinic, staff hired for a target - at ``routine_embedding_per_month``;
a routine erodes slowly (``routine_decay_per_month``) once the effort that
built it has gone, and meanwhile fills ``routine_effort_share`` of the gap
between the effort now given and the effort it was built on. Recording done for pay, and effort driven by the payment, stop when
the payment stops; routines fade only slowly. So what withdrawing an indicator
does to the care behind it is an outcome of how long it was paid for.
"""

from __future__ import annotations

import numpy as np

from pcsim.model.dynamics import approach, equilibrium

HOLISTIC_EFFORT_UNIT = 10.0  # holistic hours per 1,000 patients a month that count as one unit of effort


def indicator_effort(incentivised_hours, holistic_hours, need_share, list_size, needs, hours_needed, params):
    """Effort on each indicator (K, R, P): hours given over hours its patients need."""
    hours = incentivised_hours + params.quality.holistic_spillover * holistic_hours * need_share[:, None, None]
    return hours / (list_size / 1000 * needs) / hours_needed[:, None, None]


def _deliver(effort, ceiling, params):
    gain = params.quality.indicator_gain * effort
    return gain * ceiling, gain + params.quality.indicator_decay


def deliver(delivered, effort, ceiling, params):
    inflow, rate = _deliver(effort, ceiling, params)
    return approach(delivered, equilibrium(inflow, rate), rate)


def deliver_equilibrium(effort, ceiling, params):
    return equilibrium(*_deliver(effort, ceiling, params))


def toward(level, target, params):
    """One month of a recording habit (coding completeness, recording without care) moving to its target.

    Schemes that pay for a record set the targets; when they stop paying, the targets return to
    the unpaid habit and the record follows: what withdrawal does is the outcome of this law.
    """
    return approach(level, target, params.quality.recording_adjustment_per_month)


def record(delivered, coding, record_only):
    """What the record shows: coded delivered care plus care recorded but not given."""
    return np.clip(coding * delivered + record_only, 0.0, 1.0)


def holistic_effort(holistic_hours, list_size, needs, params):
    return holistic_hours * (1 - params.quality.holistic_spillover) / (list_size / 1000 * needs) / HOLISTIC_EFFORT_UNIT


def _holistic(effort, params):
    gain = params.quality.holistic_gain * effort
    return gain, gain + params.quality.holistic_decay


def holistic(level, effort, params):
    inflow, rate = _holistic(effort, params)
    return approach(level, equilibrium(inflow, rate), rate)


def holistic_equilibrium(effort, params):
    return equilibrium(*_holistic(effort, params))


def continuity_target(sessional_share, protocol_share, vacancy_share, overload, params):
    """Continuity the practice's staffing and ways of working allow."""
    quality = params.quality
    return (quality.continuity_max * (1 - quality.continuity_sessional_penalty * sessional_share)
            * (1 - quality.continuity_protocol_penalty * protocol_share) * (1 - vacancy_share)
            * np.clip(1 - quality.continuity_access_penalty * overload, 0.0, 1.0))


def routine(level, effort, params):
    """One month of each indicator's embedded routine (K, R, P): it grows towards the effort given
    while that effort is above it, and erodes towards it, more slowly, once it falls below."""
    quality = params.quality
    target = np.minimum(effort, 1.0)
    rate = np.where(target >= level, quality.routine_embedding_per_month, quality.routine_decay_per_month)
    return approach(level, target, rate)


def with_routines(effort, routines, params):
    """Effort on each indicator counting what embedded routines give by themselves: where the effort given
    falls below the routine a practice has built, the routine fills ``routine_effort_share`` of the gap."""
    return effort + params.quality.routine_effort_share * np.maximum(routines - np.minimum(effort, 1.0), 0.0)


def continuity(level, target, params):
    return approach(level, target, params.quality.continuity_adjustment_per_month)
