"""Levers: what the schemes in force set for a month, before GPs decide (process 0).

A scheme changes the world in three ways only (see :mod:`pcsim.model.engine`):
the levers it sets for the month (this module), the payments it books on the
commissioner's ledger (:class:`pcsim.model.commissioner.Ledger`), and the named
events it emits (:mod:`pcsim.model.events`). Levers hold for one month: each
month starts from :meth:`Levers.neutral`, the commissioner's own monitoring and
freedom are added, and every scheme in force adds its part.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pcsim.model.hospital import ENABLERS

NEUTRAL_ENGAGEMENT = 0.3   # partner engagement in a grouping's projects without a scheme that brings partners in


@dataclass
class Levers:
    """What the schemes in force do to practices this month (broadcastable to (R, P) or (K, R, P))."""

    in_scheme: np.ndarray             # (K,) indicator paid for by a scheme
    pay_per_hour: np.ndarray          # (K, 1, 1) or (K, R, P) GBP a practice earns per hour of work on an indicator
    control: np.ndarray               # (P,) how controlling schemes feel (tick-box, directive), 0-1
    trust: np.ndarray                 # (P,) trust-based, flexible support, 0-1
    freedom: np.ndarray               # (P,) latitude to innovate
    transformation_pay: np.ndarray    # (P,) GBP a practice expects per hour of transformation work (rewards)
    visibility: np.ndarray            # (P,) being selected and visible as an innovator, 0-1
    peer_exposure: np.ndarray         # (P,) exposure to peers' judgement, 0-1
    admin_hours_per_gp: np.ndarray    # (P,) reporting and administration the schemes ask for
    protected_hours: np.ndarray       # (P,) transformation hours bought for the practice (backfill)
    morale_shock: np.ndarray          # (P,) extra monthly rate of morale loss while a shock lasts
    engagement: np.ndarray            # (Q,) partner engagement in groupings' projects, 0-1
    coding_target: np.ndarray         # (K, ...) share of delivered care that gets recorded, where recording heads
    record_only_target: np.ndarray    # (K, ...) care recorded without being given, where it heads
    enablers: np.ndarray              # (4, ...) enablers a scheme pays practices to offer this month
    staff_hours: np.ndarray           # (K, ...) nurse and assistant hours a month bought for each indicator
    schemes: int = 0                  # micro-incentive schemes in force
    services_offered: int = 0         # enhanced services on offer
    services_provided: np.ndarray | int = 0   # (R, P) enhanced services each practice provides

    @classmethod
    def neutral(cls, n_indicators: int, n_practices: int, n_groupings: int) -> Levers:
        """No scheme at all: nothing paid, asked, permitted or felt."""
        practices = np.zeros(n_practices)
        per_indicator = np.zeros((n_indicators, 1, 1))
        return cls(in_scheme=np.zeros(n_indicators, dtype=bool), pay_per_hour=per_indicator.copy(),
                   control=practices.copy(), trust=practices.copy(), freedom=practices.copy(),
                   transformation_pay=practices.copy(), visibility=practices.copy(), peer_exposure=practices.copy(),
                   admin_hours_per_gp=practices.copy(), protected_hours=practices.copy(),
                   morale_shock=practices.copy(), engagement=np.full(n_groupings, NEUTRAL_ENGAGEMENT),
                   coding_target=per_indicator.copy(), record_only_target=per_indicator.copy(),
                   enablers=np.zeros((len(ENABLERS), 1, 1)), staff_hours=per_indicator.copy())
