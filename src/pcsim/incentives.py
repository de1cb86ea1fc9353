"""Financial micro-incentives: what a payment is worth, how much of it is noticed, what it costs.

Shared by the QOF, CQUIN-style and enhanced-services schemes (MODEL.md section 3).

*Achievement and points* follow QOF: an indicator's achievement (recorded
care, with exception-reported patients taken out of the denominator) earns its
points in proportion between a lower and an upper threshold. Payment follows
the record, not the care.

*Salience*: a practice gives a scheme attention in proportion to
pot^s / (pot^s + salience^s), a Hill function of the scheme's pot per practice
a year. Small pots are barely noticed ([Nuffield15]: incentives work best when
"large scale and high profile"; CQUIN's money was "spread across too many
locally defined projects"); this, with the fixed reporting cost of every
scheme, is why many small schemes buy less than a few large ones
(MODEL.md pattern 10).

*Control*: each scheme is felt as some control; schemes combine as
1 - prod(1 - c), so that control saturates below 1.

*Burden*: every scheme costs reporting hours per practice, plus some for each
indicator, taken from the GPs' time budget before discretionary time.
"""

from __future__ import annotations

import numpy as np

AVERAGE_LIST_SIZE = 7000.0  # England's mean registered list, 2014/15 (NHS Digital), for QOF's per-point scaling
ASPIRATION_SHARE = 0.7      # QOF aspiration payments: 70% of the previous year's achievement, paid monthly


def achievement(recorded, exception_rate):
    """Achievement as QOF counts it: recorded care over the patients not exception-reported."""
    return np.minimum(recorded / (1 - exception_rate), 1.0)


def points_share(achieved, lower, upper):
    """Share of an indicator's points earned: 0 below the lower threshold, all at the upper."""
    return np.clip((achieved - lower) / (upper - lower), 0.0, 1.0)


def marginal_share(achieved, upper):
    """How much an hour more still earns: fully below the upper threshold, a third above it
    (effort then only keeps what is already earned)."""
    return np.clip((upper + 0.05 - achieved) / 0.1, 1 / 3, 1.0)


def salience(pot_per_year, p):
    """Share of a practice's attention a scheme with this pot (GBP a year) gets."""
    i = p.incentives
    pot = np.maximum(pot_per_year, 0.0) ** i.salience_steepness
    return pot / (pot + i.salience_gbp ** i.salience_steepness)


def combine_control(existing, added):
    """Control from one more scheme on top of what is already felt."""
    return 1 - (1 - existing) * (1 - added)


def admin_hours_per_gp(schemes, indicators, posts_per_practice, p):
    """Reporting hours per GP post a month for ``schemes`` schemes with ``indicators`` paid indicators."""
    i = p.incentives
    return (schemes * i.admin_hours_per_scheme + indicators * i.admin_hours_per_indicator) / posts_per_practice


class AnnualPayments:
    """QOF-style payment on an annual cycle, paid in arrears: monthly aspiration payments of 70% of
    last year's achievement, and a balancing payment for the year's achievement at its last month."""

    def __init__(self, start: int):
        self.start = start
        self.last_year_value = None
        self.paid_this_year = None

    def pay(self, month: int, value_now):
        """What to pay this month, given the annual value of current achievement (R, P)."""
        if self.last_year_value is None:
            self.last_year_value = np.array(value_now, dtype=float)
            self.paid_this_year = np.zeros_like(self.last_year_value)
        payment = ASPIRATION_SHARE * self.last_year_value / 12
        self.paid_this_year = self.paid_this_year + payment
        if (month - self.start) % 12 == 11:
            payment = payment + value_now - self.paid_this_year
            self.last_year_value = np.array(value_now, dtype=float)
            self.paid_this_year = np.zeros_like(self.last_year_value)
        return payment
