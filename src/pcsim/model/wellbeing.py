"""Process 3b: morale and burnout.

Sustained overload (overtime worked beyond contracted hours, [Nuffield15]:
GPs "already overwhelmed by the demands made of them") lowers morale and
builds burnout; time on meaningful work (holistic care, transformation: a
"better working day", Casalino in [Nuffield15]) raises morale, less so where
the money governing the work is framed by savings ("It was supposed to be
aspiring to clinical excellence, not aspiring to saving lots of money",
[Miller18]); felt control thwarts the need for autonomy and lowers morale, and
felt support satisfies it and raises morale, each in proportion to how much a
GP values autonomy (self-determination theory, Gagne & Deci 2005; Pilot A
under the directive contract: "our morale has gone down as a consequence",
[Miller18]). With overload o, meaningful share u (after framing), felt control
c and support s of a GP with autonomy motivation a, in a month:

    d morale/dt  = reversion (mean - morale) - k_o o morale + (k_u u + k_s s a) (1 - morale) - k_c c a morale
    d burnout/dt = k_b o (1 - burnout) - recovery burnout

each solved exactly over the month (:mod:`pcsim.dynamics`).
"""

from __future__ import annotations

import numpy as np

from pcsim.model.dynamics import approach, equilibrium


def _morale(overload, meaningful_share, control, support, autonomy, params):
    wellbeing, reversion = params.wellbeing, params.motivation.reversion_per_month
    gain = wellbeing.meaning_morale_per_month * meaningful_share + wellbeing.support_morale_per_month * support * autonomy
    loss = wellbeing.overload_morale_per_month * overload + wellbeing.control_morale_per_month * control * autonomy
    return reversion * wellbeing.morale_mean + gain, reversion + loss + gain


def morale(level, overload, meaningful_share, control, support, autonomy, params):
    """One month of morale, given felt control and support and the GP's autonomy motivation."""
    inflow, rate = _morale(overload, meaningful_share, control, support, autonomy, params)
    return approach(level, equilibrium(inflow, rate), rate)


def morale_equilibrium(overload, meaningful_share, control, support, autonomy, params):
    return equilibrium(*_morale(overload, meaningful_share, control, support, autonomy, params))


def meaningful_share(holistic_hours, transformation_hours, worked_hours, savings_framing, params):
    """Share of worked time spent on meaningful work, discounted where the money is framed by savings."""
    meaning = 1 - params.wellbeing.savings_framing_meaning_loss * savings_framing
    hours = (holistic_hours + transformation_hours) * meaning
    return np.divide(hours, worked_hours, out=np.zeros_like(hours), where=worked_hours > 0)


def _burnout(overload, params):
    build = params.wellbeing.burnout_per_month * overload
    return build, build + params.wellbeing.recovery_per_month


def burnout(level, overload, params):
    inflow, rate = _burnout(overload, params)
    return approach(level, equilibrium(inflow, rate), rate)


def burnout_equilibrium(overload, params):
    return equilibrium(*_burnout(overload, params))
