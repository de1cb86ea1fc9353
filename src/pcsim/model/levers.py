"""Levers: what the schemes in force set for a month, before GPs decide (process 0).

A scheme changes the world in three ways only (see :mod:`pcsim.model.engine`):
the levers it sets for the month (this module), the payments it books on the
commissioner's ledger (:class:`pcsim.model.commissioner.Ledger`), and the named
events it emits (:mod:`pcsim.model.events`). Levers hold for one month: each
month starts from :meth:`Levers.neutral` and every scheme in force adds its
part. Among them, each scheme registers its *design* and the money practices
have at stake in it (:meth:`Levers.feel`); how controlling or supportive that
feels is not a lever but the outcome of the perception submodel
(:mod:`pcsim.model.perception`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pcsim.model.capacity import ROLES
from pcsim.model.hospital import ENABLERS
from pcsim.model.perception import Exposure


@dataclass
class Levers:
    """What the schemes in force do to practices this month (broadcastable to (R, P) or (K, R, P))."""

    in_scheme: np.ndarray             # (K,) indicator paid for by a scheme
    pay_per_hour: np.ndarray          # (K, 1, 1) or (K, R, P) GBP a practice earns per hour of work on an indicator
    transformation_pay: np.ndarray    # (P,) GBP a practice expects per hour of transformation work (rewards)
    visibility: np.ndarray            # (P,) being selected and visible as an innovator, 0-1
    rejected: np.ndarray              # (P,) turned down by a fund this month's peers can see (seen to lose), 0-1
    admin_hours_per_gp: np.ndarray    # (P,) reporting and administration the schemes ask for
    protected_hours: np.ndarray       # (P,) transformation hours bought for the practice (backfill)
    enabler_money: np.ndarray         # (P,) GBP a scheme gives the practice this month for enabler capacity work
    coding_target: np.ndarray         # (K, ...) share of delivered care that gets recorded, where recording heads
    record_only_target: np.ndarray    # (K, ...) care recorded without being given, where it heads
    enablers: np.ndarray              # (4, ...) enablers a scheme pays practices to offer this month
    staff_hours: np.ndarray           # (K, ...) nurse and assistant hours a month bought for each indicator
    role_posts: np.ndarray            # (roles, ...) additional-role posts (FTE) schemes fund this month
    forum: np.ndarray                 # (Q,) groupings meeting in a scheme's learning set this month
    forum_final: np.ndarray           # (Q,) ... at its last meeting ("nothing to lose")
    exposures: list = field(default_factory=list)   # each scheme's design and money at stake (perception.Exposure)
    schemes: int = 0                  # micro-incentive schemes in force
    services_offered: int = 0         # enhanced services on offer
    services_provided: np.ndarray | int = 0   # (R, P) enhanced services each practice provides

    @classmethod
    def neutral(cls, n_indicators: int, n_practices: int, n_groupings: int) -> Levers:
        """No scheme at all: nothing paid, asked or permitted."""
        practices = np.zeros(n_practices)
        per_indicator = np.zeros((n_indicators, 1, 1))
        return cls(in_scheme=np.zeros(n_indicators, dtype=bool), pay_per_hour=per_indicator.copy(),
                   transformation_pay=practices.copy(), visibility=practices.copy(), rejected=practices.copy(),
                   admin_hours_per_gp=practices.copy(), protected_hours=practices.copy(),
                   enabler_money=practices.copy(), coding_target=per_indicator.copy(),
                   record_only_target=per_indicator.copy(), enablers=np.zeros((len(ENABLERS), 1, 1)),
                   staff_hours=per_indicator.copy(), role_posts=np.zeros((len(ROLES), 1, 1)), forum=np.zeros(n_groupings, dtype=bool),
                   forum_final=np.zeros(n_groupings, dtype=bool))

    def feel(self, design: dict, stake) -> None:
        """Register a scheme's design and the money each practice has at stake in it (GBP a year), for the
        perception submodel to turn into what GPs feel (:mod:`pcsim.model.perception`)."""
        self.exposures.append(Exposure(design, stake))
