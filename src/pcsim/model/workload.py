"""Process 2: each GP shares the time left after core work between activities.

Core clinical work and administration come first. What is left of a GP's
contracted hours (the discretionary time) is shared between three activities:

``incentivised``
    the narrow tasks indicators measure (reviews, tests, targets);
``holistic``
    person-centred, non-incentivised care for people with complex needs;
``transformation``
    work on new models of care (innovation projects, partnerships).

A GP values each activity by Casalino's four clinician benefits [Nuffield15]
(a better working day, better outcomes for patients, better income,
recognition or peer approval), each weighted by the motivation that cares
about it [Miller18]: outcomes by the motivation to improve clinical care, the
working day by organisational autonomy, recognition by innovator identity and
peer judgement, income by a fixed income weight. Time is then shared by a logit
rule (random-utility choice): share_a = exp(b v_a) / sum exp(b v), with b the
allocation sensitivity. Protected time bought with investment money is added
to transformation without taking it from patients.
"""

from __future__ import annotations

import numpy as np

ACTIVITIES = ("incentivised", "holistic", "transformation")
INCENTIVISED, HOLISTIC, TRANSFORMATION = range(3)

MAX_OVERTIME = 0.5  # nobody works more than half as much again as their contracted hours


def required_hours(core, admin, contracted, params):
    """Discretionary hours, overtime worked and overload from core work and administration.

    Work demanded beyond contracted hours is partly absorbed as overtime (``overtime_share``,
    at most half the contracted hours again) and the rest deferred. Overload is the overtime
    worked as a share of contracted hours: 0.2 means the GP works 20% more than they are paid
    for.
    """
    required = core + admin
    excess = np.maximum(required - contracted, 0.0)
    overtime = np.minimum(params.time.overtime_share * excess, MAX_OVERTIME * contracted)
    overload = np.divide(overtime, contracted, out=np.zeros_like(overtime), where=contracted > 0)
    return np.maximum(contracted - required, 0.0), overtime, overload


def activity_values(clinical_care, autonomy, innovator, peer, self_efficacy, lever_values, params):
    """Value of an hour of each activity to each GP: an array (3, ..., R, G).

    ``lever_values`` holds the schemes' contribution per GP: ``pay_per_hour`` (income from an hour
    of incentivised work, relative to a GP's earnings), ``control`` (how controlling that
    work is), ``freedom`` (latitude in transformation work), ``visibility`` (recognition
    for transformation work) and ``transformation_pay`` (income expected from an hour of
    transformation work, relative to a GP's earnings: a reward for outcomes) and ``uncovered`` (the
    share of the project work a GP's grouping needs that protected time leaves to the GP's own time).
    """
    time = params.time
    recognition = (innovator + peer) / 2
    incentivised = (clinical_care * time.outcome_value_incentivised - autonomy * lever_values["control"]
                    + time.income_weight * lever_values["pay_per_hour"])
    holistic = clinical_care * time.outcome_value_holistic + autonomy * time.working_day_value_holistic
    # What schemes add to transformation's value counts only for the work that bought time does not
    # already cover (``uncovered``, 0-1): protected time adds transformation without taking it from patients.
    pull = (autonomy * lever_values["freedom"] + recognition * lever_values["visibility"]
            + time.income_weight * lever_values["transformation_pay"])
    transformation = (clinical_care * time.outcome_value_transformation * self_efficacy
                      + lever_values["uncovered"] * pull)
    return np.stack(np.broadcast_arrays(incentivised, holistic, transformation))


def share_time(discretionary, values, params):
    """Hours of each activity (3, ..., R, G): discretionary time shared by the logit rule."""
    weights = np.exp(params.time.allocation_sensitivity * (values - values.max(axis=0)))
    return discretionary * weights / weights.sum(axis=0)
