"""Process 6: learning sets between groupings, and innovations spreading through them.

A scheme whose design brings a forum (``forum = "learning_sets"``, the ACE
pilot's monthly action-learning sets) makes its groupings meet once a month,
one set per commissioner. Each is represented at most sets, "although not
always by the same individual(s)" [Miller18]. What happens at a meeting builds
or spends trust:

* a grouping that attends shares openly with probability equal to its trust
  in the set (more at the last set of a funded period, when "they had nothing
  to lose" and the sharing was "most fulfilling", ``final_openness``);
* trust grows with the openness a grouping meets there - the share of the
  others who shared, or, where few do, the room a facilitator makes for it
  (``facilitation``: the early sets "suffered from not having sufficient
  planning in how they would be facilitated" and were "dominated by pilots
  seeking clarification with the commissioners") - the more so when the same
  person comes each time (familiarity)::

      trust' = trust + trust_per_month * familiarity * openness * (1 - trust)
      openness = others_shared + facilitation * (1 - others_shared)

* a grouping that shared when nobody else did loses some of its trust
  (``unreciprocated_loss``; the fear of "harsh criticism", reciprocity as the
  basis of trust, Ostrom 1998).

Trust and sharing thus feed each other: sharing starts low and rises over the
year when meetings go well, and stalls when attendance, consistency or
facilitation are poor. A grouping without a live project adopts an innovation
another grouping shared (one whose reading is positive) with probability
1 - (1 - relevance * trust)^offers: "an uncertainty that the work of others
were relevant" [Miller18] holds adoption back. Open sets move the
commissioner towards being a "partner in uncertainty".
"""

from __future__ import annotations

import numpy as np

from pcsim.model.dynamics import approach


def meet(trust, members, final, by_commissioner, uniform, params):
    """One month's learning sets. ``members`` and ``final`` (R, Q) mark the groupings in a set and those at
    its last meeting; ``uniform`` holds three (R, Q) uniform draws: attend, consistent, share.

    Returns (trust, sharing chance, attended, shared), each (R, Q); trust unchanged outside the sets.
    """
    learning = params.learning
    attended = members & (uniform[0] < learning.attendance)
    consistent = uniform[1] < learning.consistency
    trust = np.where(members & (trust == 0), learning.trust_initial, trust)
    chance = np.where(attended, np.clip(trust + final * learning.final_openness, 0.0, 1.0), 0.0)
    shared = attended & (uniform[2] < chance)
    others_shared = _share_of_others(shared, attended, by_commissioner)
    openness = others_shared + learning.facilitation * (1 - others_shared)
    familiarity = 0.5 + 0.5 * consistent
    grown = approach(trust, 1.0, learning.trust_per_month * familiarity * openness * attended)
    unreciprocated = shared & (others_shared == 0)
    trust = np.where(members, grown * (1 - learning.unreciprocated_loss * unreciprocated), trust)
    return trust, chance, attended, shared


def _share_of_others(flag, attended, by_commissioner):
    """For each attending grouping, the share of the others at its commissioner's set for whom ``flag`` holds."""
    flagged = by_commissioner.spread(by_commissioner.sum(flag.astype(float))) - flag
    present = by_commissioner.spread(by_commissioner.sum(attended.astype(float))) - attended
    return np.divide(flagged, present, out=np.zeros_like(flagged), where=present > 0)


def adoption(receivers_trust, offers, params):
    """Chance a grouping adopts one of ``offers`` shared innovations this month."""
    return 1 - (1 - params.learning.relevance * receivers_trust) ** offers
