"""Process 8: the commissioner pays, counts savings and changes its stance.

Payments go through a :class:`Ledger`, so that what the commissioner spends
by source (capitation, incentives, investment, risk sharing) is exactly what
practices receive, and what hospitals are paid is their activity at tariff.
Once primary care has guaranteed an enabler for some months, the commissioner
decommissions the hospital's diagnostic capacity for those patients.

The commissioner sees admissions late and noisily ("the programme as a whole
struggled to provide meaningful activity and outcomes data ... on a timely
basis", [Miller18]). Its stance runs from 0, contract enforcer, to 1, partner
in uncertainty [Miller18]; it moves towards partnership when the data it sees
show progress towards its admissions target and away when they show
admissions above the trend, and drifts back to where it started (on the
log-odds scale, so that noisy data alone do not move it on average). An enforcing
commissioner's monitoring is felt by GPs as control, a partnering one as support
and freedom to innovate (:mod:`pcsim.model.perception`).
"""

from __future__ import annotations

import numpy as np

SOURCES = ("capitation", "incentives", "investment", "risk_sharing", "roles")


class Ledger:
    """One month's money: practice income (S, R, P), commissioner spend (S, R, C)."""

    def __init__(self, runs: int, by_commissioner, n_practices: int):
        self.by_commissioner = by_commissioner
        self.practice_income = np.zeros((len(SOURCES), runs, n_practices))
        self.spend = np.zeros((len(SOURCES), runs, by_commissioner.n))

    def pay(self, source: str, amount_per_practice) -> np.ndarray:
        """The commissioner pays each practice ``amount_per_practice`` (GBP) from ``source``; returns what
        each commissioner paid (R, C)."""
        amount = np.broadcast_to(amount_per_practice, self.practice_income.shape[1:])
        row = SOURCES.index(source)
        self.practice_income[row] += amount
        paid = self.by_commissioner.sum(amount)
        self.spend[row] += paid
        return paid


def observe(history, realised, noise, lag):
    """Push this month's admissions into the history and return what the commissioner sees now.

    ``history`` is (L + 1, R, C), newest last; run r sees the month ``lag[r]`` months back, with noise.
    """
    history = np.concatenate([history[1:], realised[None]], axis=0)
    seen = history[len(history) - 1 - lag, np.arange(len(lag))]
    return history, seen * (1 + noise)


def progress_towards_target(seen, counterfactual, target_cut):
    """Observed cut in admissions against the counterfactual, as a share of the target cut (-1 to 1)."""
    cut = np.divide(counterfactual - seen, counterfactual, out=np.zeros_like(seen), where=counterfactual > 0)
    return np.clip(cut / target_cut, -1.0, 1.0)


def update_stance(stance, initial, progress, params):
    """One month of stance, moved on the log-odds scale: symmetric, so that noise alone does not
    move it on average, and always inside (0, 1)."""
    commissioner = params.commissioner
    x, x0 = _logit(stance), _logit(initial)
    return _from_logit(x + commissioner.stance_reversion_per_month * (x0 - x) + commissioner.stance_evidence_per_month * progress)


def nudge_stance(stance, log_odds):
    """The stance moved by ``log_odds`` on the log-odds scale (towards partnership when positive)."""
    return _from_logit(_logit(stance) + log_odds)


def _from_logit(x):
    return 1 / (1 + np.exp(-x))


def _logit(share):
    share = np.clip(share, 1e-6, 1 - 1e-6)
    return np.log(share / (1 - share))


def decommission(decommissioned, months_guaranteed, params):
    """Hospital diagnostics the commissioner has closed: once primary care has guaranteed an enabler
    for a practice's patients for ``decommission_after_months``, and for good."""
    return decommissioned | (months_guaranteed >= params.commissioner.decommission_after_months)
