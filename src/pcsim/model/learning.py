"""Process 6: monthly learning sets between funded groupings, and innovations spreading.

Each funded grouping is represented at most learning sets, "although not
always by the same individual(s)" [Miller18]. Trust between pilots starts low
(early sets were "dominated by pilots seeking clarification with the
commissioners") and grows with attendance by consistent representatives and
with facilitation (the sets "suffered from not having sufficient planning in
how they would be facilitated") [Miller18]:

    d trust/dt = rate * attended * (0.5 + 0.5 consistent) * (1 + facilitation) * (1 - trust)

A grouping shares openly with probability equal to its trust, and more at the
last set of the funded period, when "they had nothing to lose" and the
sharing was "most fulfilling" [Miller18]. A grouping without a live project
adopts an innovation another grouping shared (one whose reading is positive)
with probability 1 - (1 - relevance * trust)^offers: "an uncertainty that the
work of others were relevant" [Miller18] holds adoption back. Adopted projects
start at the piloting stage with the original's true effect, plus noise for
context.
"""

from __future__ import annotations

import numpy as np

from pcsim.model.dynamics import approach


def build_trust(trust, attended, consistent, params):
    learning = params.learning
    rate = learning.trust_per_month * attended * (0.5 + 0.5 * consistent) * (1 + learning.facilitation)
    return approach(trust, 1.0, rate)


def sharing(trust, attended, last_set: bool, params):
    """Chance each grouping shares openly at this month's set."""
    openness = trust + (params.learning.final_openness if last_set else 0.0)
    return np.clip(openness, 0.0, 1.0) * attended


def adoption(receivers_trust, offers, params):
    """Chance a grouping adopts one of ``offers`` shared innovations this month."""
    return 1 - (1 - params.learning.relevance * receivers_trust) ** offers
