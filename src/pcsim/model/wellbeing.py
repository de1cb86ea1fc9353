"""Process 3b: morale and burnout.

Sustained overload (overtime worked beyond contracted hours, [Nuffield15]:
GPs "already overwhelmed by the demands made of them") lowers morale and
builds burnout; time on valued work (holistic care, transformation: a
"better working day", Casalino in [Nuffield15]) raises morale; a directive
turn by the commissioner is a shock to morale ("our morale has gone down as a
consequence", Pilot A in [Miller18]). With overload o, meaningful share u and
shock k in a month:

    d morale/dt  = reversion (mean - morale) - a o morale + b u (1 - morale) - k morale
    d burnout/dt = c o (1 - burnout) - recovery burnout

each solved exactly over the month (:mod:`pcsim.dynamics`).
"""

from __future__ import annotations

from pcsim.model.dynamics import approach, equilibrium


def _morale(overload, meaningful_share, shock, params):
    wellbeing, reversion = params.wellbeing, params.motivation.reversion_per_month
    gain = wellbeing.meaning_morale_per_month * meaningful_share
    return reversion * wellbeing.morale_mean + gain, reversion + wellbeing.overload_morale_per_month * overload + gain + shock


def morale(level, overload, meaningful_share, shock, params):
    inflow, rate = _morale(overload, meaningful_share, shock, params)
    return approach(level, equilibrium(inflow, rate), rate)


def morale_equilibrium(overload, meaningful_share, params):
    return equilibrium(*_morale(overload, meaningful_share, 0.0, params))


def _burnout(overload, params):
    build = params.wellbeing.burnout_per_month * overload
    return build, build + params.wellbeing.recovery_per_month


def burnout(level, overload, params):
    inflow, rate = _burnout(overload, params)
    return approach(level, equilibrium(inflow, rate), rate)


def burnout_equilibrium(overload, params):
    return equilibrium(*_burnout(overload, params))
