"""Process 3b: morale and burnout.

Sustained overload (work demanded beyond contracted hours, [Nuffield15]:
GPs "already overwhelmed by the demands made of them") lowers morale and
builds burnout; time on valued work (holistic care, transformation: a
"better working day", Casalino in [Nuffield15]) raises morale; a directive
turn by the commissioner is a shock to morale ("our morale has gone down as a
consequence", Pilot A in [Miller18]). With overload o, meaningful share u and
shock k in a month:

    d morale  = reversion (mean - morale) - a o morale + b u (1 - morale) - k morale
    d burnout = c o (1 - burnout) - recovery burnout
"""

from __future__ import annotations


def morale(level, overload, meaningful_share, shock, p):
    w = p.wellbeing
    return (level + p.motivation.reversion_per_month * (w.morale_mean - level)
            - w.overload_morale_per_month * overload * level
            + w.meaning_morale_per_month * meaningful_share * (1 - level) - shock * level)


def morale_equilibrium(overload, meaningful_share, p):
    w, r = p.wellbeing, p.motivation.reversion_per_month
    gain = w.meaning_morale_per_month * meaningful_share
    return (r * w.morale_mean + gain) / (r + w.overload_morale_per_month * overload + gain)


def burnout(level, overload, p):
    w = p.wellbeing
    return level + w.burnout_per_month * overload * (1 - level) - w.recovery_per_month * level


def burnout_equilibrium(overload, p):
    w = p.wellbeing
    build = w.burnout_per_month * overload
    return build / (build + w.recovery_per_month)
