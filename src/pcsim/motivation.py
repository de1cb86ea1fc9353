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
[Miller18; Miller16]. With control c and trust s in [0, 1] a month's change is

    dm = reversion (trait - m) - crowd_out c m + crowd_in s (1 - m)

which stays inside [0, 1] and has the equilibrium
m* = (reversion trait + crowd_in s) / (reversion + crowd_out c + crowd_in s).

Innovator identity and peer judgement rise with being selected and visible
(prestige, and fear of criticism from practices not selected, [Miller18]);
innovator identity and self-efficacy fall when an innovation is lost for lack of
funding; self-efficacy rises with quick wins (an innovation reaching its next
stage, "making initial progress consolidated the belief ... that change was
possible" [Miller18]).
"""

from __future__ import annotations


def crowd(level, trait, control, trust, p):
    """One month of crowding out by control and crowding in by trust (clinical care, autonomy)."""
    m = p.motivation
    return (level + m.reversion_per_month * (trait - level) - m.crowd_out_per_month * control * level
            + m.crowd_in_per_month * trust * (1 - level))


def crowd_equilibrium(trait, control, trust, p):
    """Level at which :func:`crowd` stops moving under constant control and trust."""
    m = p.motivation
    return ((m.reversion_per_month * trait + m.crowd_in_per_month * trust)
            / (m.reversion_per_month + m.crowd_out_per_month * control + m.crowd_in_per_month * trust))


def visibility(level, trait, exposure, losses, p):
    """One month of innovator identity or peer judgement: raised by exposure, lowered by losses."""
    m = p.motivation
    rise = m.visibility_per_month * exposure * (1 - level)
    return level + m.reversion_per_month * (trait - level) + rise - m.loss_effect * losses * level


def self_efficacy(level, wins, losses, p):
    """One month of self-efficacy: quick wins raise it, lost innovations lower it."""
    m = p.motivation
    return (level + m.reversion_per_month * (m.self_efficacy_mean - level) + m.quick_win_effect * wins * (1 - level)
            - m.loss_effect * losses * level)
