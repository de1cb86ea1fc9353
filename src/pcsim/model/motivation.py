"""Process 3a: the four motivations of GPs and their self-efficacy move.

The four motivations of [Miller18] are levels in [0, 1]: *improve clinical
care*, *organisational autonomy*, *identified as an innovator* and *peer
judgement*. Each GP has a trait level for each (drawn at entry) that the
motivation returns to when nothing pushes it (``reversion``).

Motivation crowding (Frey & Jegen 2001; Deci, Koestner & Ryan 1999;
self-determination theory, Ryan & Deci 2000): rewards experienced as
controlling (tick-box micro-incentives, tight contract monitoring) crowd
*out* the intrinsic motivation to improve care and the sense of autonomy;
support experienced as trust and flexibility (funding up front, a
commissioner acting as a partner in uncertainty) crowds them *in*
[Miller18; Miller16]. With control c and trust s in [0, 1]:

    dm/dt = reversion (trait - m) - crowd_out c m + crowd_in s (1 - m)

with equilibrium m* = (reversion trait + crowd_in s) / (reversion + crowd_out c
+ crowd_in s), solved exactly each month (:mod:`pcsim.dynamics`).

Innovator identity and peer judgement rise with being selected and visible
(prestige, and fear of criticism from practices not selected, [Miller18]);
innovator identity and self-efficacy fall when an innovation is lost
("the time and energy spent ... was seen to have been lost", [Miller18]);
self-efficacy rises with quick wins, an innovation reaching its next stage
("making initial progress consolidated the belief ... that change was
possible", [Miller18]).
"""

from __future__ import annotations

from pcsim.model.dynamics import approach, equilibrium

MOTIVATIONS = ("clinical_care", "autonomy", "innovator", "peer_judgement")   # [Miller18]'s four
CLINICAL_CARE, AUTONOMY, INNOVATOR, PEER_JUDGEMENT = range(4)                 # their rows in (4, R, G) arrays


def _crowding(trait, control, trust, params):
    motivation = params.motivation
    inflow = motivation.reversion_per_month * trait + motivation.crowd_in_per_month * trust
    rate = motivation.reversion_per_month + motivation.crowd_out_per_month * control + motivation.crowd_in_per_month * trust
    return inflow, rate


def crowd(level, trait, control, trust, params):
    """One month of crowding out by control and crowding in by trust (clinical care, autonomy)."""
    inflow, rate = _crowding(trait, control, trust, params)
    return approach(level, equilibrium(inflow, rate), rate)


def crowd_equilibrium(trait, control, trust, params):
    """Level at which :func:`crowd` stops moving under constant control and trust."""
    return equilibrium(*_crowding(trait, control, trust, params))


def visibility(level, trait, exposure, losses, params):
    """One month of innovator identity or peer judgement: raised by exposure, lowered by losses."""
    motivation = params.motivation
    inflow = motivation.reversion_per_month * trait + motivation.visibility_per_month * exposure
    rate = motivation.reversion_per_month + motivation.visibility_per_month * exposure + motivation.loss_effect * losses
    return approach(level, equilibrium(inflow, rate), rate)


def self_efficacy(level, wins, losses, params):
    """One month of self-efficacy: quick wins raise it, lost innovations lower it."""
    motivation = params.motivation
    inflow = motivation.reversion_per_month * motivation.self_efficacy_mean + motivation.quick_win_effect * wins
    rate = motivation.reversion_per_month + motivation.quick_win_effect * wins + motivation.loss_effect * losses
    return approach(level, equilibrium(inflow, rate), rate)
