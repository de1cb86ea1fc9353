"""Process 0, second step: how GPs feel the schemes in force - control, support, freedom, exposure.

What distinguishes financial micro-incentives from an investment fund, for a
GP, is their *design*, not their name (MODEL.md section 3, "How a scheme is
felt"): how much income is contingent on measured targets, whether it is paid
up front or in arrears, what is measured, how many targets, how tightly
activities are specified, monitoring and sanctions, discretion over the money,
the forum that comes with it, what the money is framed by, and whether results
are published. Every scheme declares these features (``design`` in its config
entry); no scheme says how controlling or trusting it feels.

Cognitive evaluation theory and motivation crowding (Deci, Koestner & Ryan
1999; Frey & Jegen 2001; Gagne & Deci 2005) say which features are felt as
*control* - expected rewards contingent on performance (more so on records and
processes than on outcomes, and more so with many narrow targets), specified
activities, monitoring and sanctions, reporting - and which as *support* for
autonomy - money trusted in advance, discretion over its use, a forum of peers,
informational review of outcomes. For scheme s with design d::

    control_s = from_contingency * contingent * measure(d) * targets / (targets + targets_half)
                + from_specification * specification + from_monitoring * monitoring
    support_s = from_up_front * [paid up front] + from_discretion * discretion
                + from_forum * [learning sets] + from_outcome_review * [measures outcomes]

each clipped to [0, 1], where ``measure`` is 1 for records and activities,
``outcome_measures_relative`` for outcomes and 0 for nothing. A practice feels
a scheme in proportion to how much it matters to it: the salience of the
scheme's money at stake for the practice (:func:`pcsim.model.perception.salience`,
the same Hill function that decides attention to incentives). Schemes combine
as independent pressures, ``1 - prod(1 - felt_s)``, together with the
commissioner's own stance (contract monitoring felt as control, a partner in
uncertainty felt as support) and the reporting all schemes ask for (tick-box
work, felt as control whatever the money). The same money paid with another
design is felt differently; that is the design swap of ``experiments/design_swap.toml``.

Each GP then feels the practice's control in proportion to their own
autonomy trait (causality orientations, Deci & Ryan 1985): ``felt = control *
(1 + autonomy_sensitivity * (trait - mean))``, clipped to [0, 1].

Freedom to innovate is what the schemes' discretion leaves unspecified, plus a
partnering commissioner's latitude, cut back by any scheme's specification::

    latitude_s = freedom_from_discretion * discretion * (1 - lost * specification)
    freedom    = combine(partner_freedom * stance, latitude_s) * (1 - combine(lost * specification_s))

with ``lost = freedom_lost_to_specification`` (each scheme weighted by its salience).
How far a practice's results are published is passed on to the peers
submodel, which decides its exposure to peers' judgement (:mod:`pcsim.model.peers`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MEASURE_CONTROL = {"nothing": 0.0, "records": 1.0, "activities": 1.0}   # outcomes: a parameter


@dataclass(frozen=True)
class Exposure:
    """A scheme in force as one practice-level pressure: its design and the money each practice has at
    stake in it (GBP a year, broadcastable to (R, P); 0 where a practice is not in the scheme)."""

    design: dict
    stake: np.ndarray


@dataclass
class Felt:
    """What the schemes in force and the commissioner's stance add up to, per practice (R, P)."""

    control: np.ndarray
    support: np.ndarray
    freedom: np.ndarray
    published: np.ndarray         # how far the practice's results are published and compared (0-1)
    savings_framing: np.ndarray


def salience(stake_per_year, params):
    """Share of a practice's attention a scheme with this much money at stake (GBP a year) gets:
    stake^s / (stake^s + salience_gbp^s) ([Nuffield15]: incentives work best 'large scale and high profile')."""
    incentives = params.incentives
    stake = np.maximum(stake_per_year, 0.0) ** incentives.salience_steepness
    total = stake + incentives.salience_gbp ** incentives.salience_steepness
    return np.divide(stake, total, out=np.zeros(np.broadcast(stake, total).shape), where=total > 0)


def design_control(design: dict, params):
    """How controlling a design is at full salience, 0-1."""
    perception = params.perception
    measure = (perception.outcome_measures_relative if design["measures"] == "outcomes"
               else MEASURE_CONTROL[design["measures"]])
    targets = design["targets"] / (design["targets"] + perception.targets_half)
    control = (perception.control_from_contingency * design["contingent"] * measure * targets
               + perception.control_from_specification * design["specification"]
               + perception.control_from_monitoring * design["monitoring"])
    return np.clip(control, 0.0, 1.0)


def design_support(design: dict, params):
    """How much a design supports autonomy at full salience, 0-1."""
    perception = params.perception
    support = (perception.support_from_up_front * (design["paid"] == "up_front")
               + perception.support_from_discretion * design["discretion"]
               + perception.support_from_forum * (design["forum"] == "learning_sets")
               + perception.support_from_outcome_review * (design["measures"] == "outcomes"))
    return np.clip(support, 0.0, 1.0)


def combine(pressures, shape):
    """Independent pressures, each 0-1, felt together: 1 - prod(1 - p)."""
    unfelt = np.ones(shape)
    for pressure in pressures:
        unfelt = unfelt * (1 - pressure)
    return 1 - unfelt


def feel(exposures: list[Exposure], stance, reporting_per_gp, params, shape) -> Felt:
    """Control, support, freedom, publication and savings framing per practice (``shape`` (R, P)).

    ``stance`` is the practice's commissioner's stance (0 contract enforcer, 1 partner), ``reporting_per_gp``
    the scheme reporting asked of each GP a month.
    """
    perception, commissioner = params.perception, params.commissioner
    intensity = [salience(exposure.stake, params) for exposure in exposures]
    reporting = perception.control_from_reporting * reporting_per_gp / (reporting_per_gp + perception.reporting_half_hours)
    control = combine([commissioner.monitoring_control * (1 - stance), reporting]
                      + [weight * design_control(e.design, params) for weight, e in zip(intensity, exposures)], shape)
    support = combine([commissioner.partner_support * stance]
                      + [weight * design_support(e.design, params) for weight, e in zip(intensity, exposures)], shape)
    lost = perception.freedom_lost_to_specification
    latitude = combine([commissioner.partner_freedom * stance]
                       + [weight * perception.freedom_from_discretion * e.design["discretion"]
                          * (1 - lost * e.design["specification"]) for weight, e in zip(intensity, exposures)], shape)
    specified = combine([weight * lost * e.design["specification"] for weight, e in zip(intensity, exposures)], shape)
    published = combine([weight * e.design["publication"] for weight, e in zip(intensity, exposures)], shape)
    savings = combine([weight * (e.design["framing"] == "savings") for weight, e in zip(intensity, exposures)], shape)
    return Felt(control=control, support=support, freedom=latitude * (1 - specified),
                published=published,
                savings_framing=savings)


def felt_by_gp(practice_control, autonomy_trait, params):
    """The practice's control as each GP feels it: more for GPs whose autonomy trait is high (R, G)."""
    sensitivity = 1 + params.perception.autonomy_sensitivity * (autonomy_trait - params.motivation.autonomy_mean)
    return np.clip(practice_control * sensitivity, 0.0, 1.0)
