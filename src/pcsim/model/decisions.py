"""Process 8, last step: a commissioner that decides, from what it sees (``[commissioner] decisions = "adaptive"``).

Birmingham Cross-City CCG did not follow a script [Miller18]: "the CCG came
under increasing pressure from other member practices who wanted to adopt the
enhanced level and receive the related funding. This resulted in the wider
roll out being commenced before the twelve month pilot phase was complete. The
CCG also became concerned that the post-pilot practices may not be
sufficiently committed ... and a directive commissioning approach would be
required." An adaptive commissioner:

* *feels pressure* from practices that want what the funded ones have: a
  practice outside the fund wants the enhanced level in proportion to how many
  of the practices it is tied to were funded and to its GPs' innovator
  identity; the pressure follows that want, times how visible the funded
  practices' success is (the enablers they provide), at ``pressure_per_month``;
  the commissioner hears it with noise;
* *rolls the enhanced level out* to every practice when the pressure it hears
  passes ``rollout_pressure`` and the roll-out fits its transformation budget
  (``transformation_budget_share`` of its allocation);
* *chooses the contract* from its doubt about the commitment of the practices
  joining (their commitment, seen with noise) and its stance: directive when
  doubt x (1 - stance) passes ``directive_doubt``, partnership otherwise;
* *reviews* the schemes in force every ``review_months`` on the value for money
  it observes - hospital cost avoided by its late, noisy figures against what
  the schemes cost - and stops the costliest when it falls below
  ``stop_below_value_for_money`` (a scheme is one policy for every commissioner
  of a run, so the commissioners review together: such a decision's commissioner
  is -1 when there are several).

Every decision is recorded with the observed quantities that drove it
(``events.parquet``). A ``"scripted"`` commissioner decides nothing: the
config's timeline is followed as written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pcsim.model.dynamics import approach


EVERY_COMMISSIONER = -1   # a review's decision, taken for every commissioner of a run together


@dataclass(frozen=True)
class Decision:
    """One decision of one commissioner in one run."""

    run: int
    month: int
    commissioner: int
    decision: str
    scheme: str
    reason: str


def want(selected, tied_selected_share, innovator):
    """How much each practice outside a fund wants what the funded ones have, 0-1 (R, P)."""
    return (1 - selected) * tied_selected_share * innovator


def pressure(level, wanting, visible_success, params):
    """One month of the pressure on each commissioner (R, C): towards its practices' wanting times how
    visible the funded ones' success is."""
    return approach(level, wanting * visible_success, params.commissioner.pressure_per_month)


def directive(doubt, stance, params):
    """Whether a commissioner with this doubt about the joining practices' commitment, and this stance,
    chooses a directive contract (R, C)."""
    return doubt * (1 - stance) > params.commissioner.directive_doubt


def value_for_money(avoided, spent):
    """Hospital cost avoided per pound spent (R, C); 0 where nothing was spent."""
    return np.divide(avoided, spent, out=np.zeros_like(np.asarray(avoided, dtype=float)), where=spent > 0)
