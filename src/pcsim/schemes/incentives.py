"""Financial micro-incentives: what a payment is worth, how much of it is noticed, what it costs.

Shared by the QOF, CQUIN-style and enhanced-services schemes (MODEL.md section 3).

*Achievement and points* follow QOF: an indicator's achievement (recorded
care, with exception-reported patients taken out of the denominator) earns its
points in proportion between a lower and an upper threshold. Payment follows
the record, not the care.

*Salience*: a practice gives a scheme attention in proportion to
pot^s / (pot^s + salience^s), a Hill function of the scheme's pot per practice
a year (:func:`pcsim.model.perception.salience`). Small pots are barely noticed
([Nuffield15]: incentives work best when "large scale and high profile";
CQUIN's money was "spread across too many locally defined projects"); this,
with the fixed reporting cost of every scheme, is why many small schemes buy
less than a few large ones (MODEL.md pattern 10).

*Design*: what the money does depends on how it is paid. Only the share of it
that is contingent on measured targets (``design.contingent``) rewards an hour
more of work on an indicator, buys staff for it and pulls its recording
towards complete; only money contingent on *records* invites recording without
care. How the design is felt - control or support - is the perception
submodel's business (:mod:`pcsim.model.perception`): the scheme registers its
design and the money at stake.

*Burden*: every scheme that measures something costs reporting hours per
practice, plus some for each indicator, taken from the GPs' time budget before
discretionary time.

*Reinvestment*: practices spend part of their incentive income on nurse and
assistant time for the paid work (QOF's chronic-disease clinics were largely
run by practice nurses), which is effort on the paid indicators that costs
GPs no time.
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
    """How much an hour more still earns: fully up to 0.05 below the upper threshold, falling
    linearly to a third just above it (effort there only keeps what is already earned)."""
    return np.clip((upper + 0.05 - achieved) / 0.1, 1 / 3, 1.0)


def staff_hours(annual_income, params):
    """Nurse and assistant hours a month that a practice buys with its incentive income."""
    return params.incentives.reinvested_share * annual_income / 12 / params.incentives.staff_cost_per_hour


def admin_hours_per_gp(schemes, indicators, posts_per_practice, params):
    """Reporting hours per GP post a month for ``schemes`` schemes with ``indicators`` paid indicators."""
    incentives = params.incentives
    return (schemes * incentives.admin_hours_per_scheme + indicators * incentives.admin_hours_per_indicator) / posts_per_practice


def hours_per_year(world):
    """Hours of work a year each indicator's eligible patients need in each practice: (K, 1, P)."""
    structure = world.structure
    return world.catalogue.hours_needed_per_1000[:, None, None] * structure.list_size / 1000 * structure.needs * 12


def earned(world, pot, exception_rate):
    """Annual value (GBP) of current achievement of indicators worth ``pot`` at full marks: (K, R, P)."""
    catalogue = world.catalogue
    achieved = achievement(world.recorded, exception_rate)
    return pot * points_share(achieved, catalogue.lower[:, None, None], catalogue.upper[:, None, None])


def pay_for_indicators(world, levers, pot, attention, schemes: int, exception_rate, design: dict) -> None:
    """What paying ``pot`` (GBP a year at full marks, (K, ..., P), 0 where unpaid) with ``design`` does to this
    month's levers.

    An hour of work on an indicator is worth the contingent part of its pot over the hours its patients
    need, while more work still earns; practices notice it in proportion to ``attention`` (salience);
    they buy nurse time with what the contingent money earns; paid indicators get coded in proportion to
    the contingent money and attention, and indicators met by recording can partly be met by recording
    without care where the money is contingent on records; every scheme that measures something costs
    reporting time; the design and the money at stake go to the perception submodel.
    """
    catalogue, structure, params = world.catalogue, world.structure, world.params
    contingent = design["contingent"]
    paid = np.broadcast_to(pot > 0, (len(catalogue.indicators), world.runs, structure.n_practices))
    achieved = achievement(world.recorded, exception_rate)
    per_hour = pot / hours_per_year(world) * marginal_share(achieved, catalogue.upper[:, None, None])
    levers.pay_per_hour = levers.pay_per_hour + contingent * per_hour * attention
    earned_income = earned(world, pot, exception_rate)
    levers.staff_hours = levers.staff_hours + contingent * staff_hours(earned_income, params) * attention
    pull = contingent * attention * paid
    levers.coding_target = levers.coding_target + (1 - levers.coding_target) * pull
    if design["measures"] == "records":
        gap = np.maximum(catalogue.ceiling[:, None, None] - world.delivered, 0.0)
        gaming = (paid & ~catalogue.is_action[:, None, None]) * contingent * params.incentives.gaming_share * gap
        levers.record_only_target = np.maximum(levers.record_only_target, gaming)
    if design["measures"] != "nothing":
        indicators = paid.any(axis=(1, 2)).sum()
        levers.admin_hours_per_gp = (levers.admin_hours_per_gp
                                     + admin_hours_per_gp(schemes, indicators, structure.posts, params))
    levers.in_scheme = levers.in_scheme | paid.any(axis=(1, 2))
    levers.schemes = levers.schemes + schemes


def unconditional(value_per_year, paid: str, month: int, start: int):
    """This month's payment of money that does not depend on measured results: a year's worth at the start
    of each scheme year if paid up front, else a twelfth each month."""
    if paid == "up_front":
        return value_per_year if (month - start) % 12 == 0 else 0.0 * value_per_year
    return value_per_year / 12


class AnnualPayments:
    """QOF-style payment on an annual cycle, paid in arrears: monthly aspiration payments of 70% of
    last year's achievement (in the first year, of achievement when the scheme starts), and a
    balancing payment for the year's achievement at its last month, or, pro rata, at the scheme's
    last month if it ends mid-year.

    Payments are kept per indicator (any leading axes of ``value_now``), so that an indicator
    withdrawn from the scheme stops drawing aspiration payments from the month it goes, and its
    year is balanced on its achievement while it was paid for (pro rata for its months in the
    scheme). The balance is negative only when a practice's achievement on an indicator falls below
    70% of last year's, as real QOF claws back aspiration payments.
    """

    def __init__(self, start: int, end: int):
        self.start, self.end = start, end
        self.last_year_value = None
        self.paid_this_year = None
        self.value_while_paid = None
        self.months_paid = None

    def pay(self, month: int, value_now, in_scheme=True, last=None):
        """What to pay this month (summed over indicators), given the annual value of current
        achievement, (R, P) or per indicator (K, R, P), which indicators the scheme pays for this month
        (``in_scheme``, (K,) or True) and in which runs this is the scheme's last month (``last``, (R,);
        default: the end of its window)."""
        value_now = np.asarray(value_now, dtype=float)
        paid_for = np.asarray(in_scheme, dtype=bool).reshape(np.shape(in_scheme) + (1,) * (value_now.ndim - np.ndim(in_scheme)))
        if self.last_year_value is None:
            self.last_year_value = value_now.copy()
            self._new_year()
        aspiration = ASPIRATION_SHARE * self.last_year_value / 12 * paid_for
        self.paid_this_year = self.paid_this_year + aspiration
        self.value_while_paid = np.where(paid_for, value_now, self.value_while_paid)
        self.months_paid = self.months_paid + paid_for
        months_into_year = (month - self.start) % 12 + 1
        last = month == self.end - 1 if last is None else np.asarray(last)[:, None]
        closing = np.broadcast_to((months_into_year == 12) | last, value_now.shape)    # books closed, run by run
        earned = self.value_while_paid * self.months_paid / 12
        payment = aspiration + np.where(closing, earned - self.paid_this_year, 0.0)
        self.last_year_value = np.where(closing, np.where(paid_for, value_now, 0.0), self.last_year_value)
        for name in ("paid_this_year", "value_while_paid", "months_paid"):
            setattr(self, name, np.where(closing, 0.0, getattr(self, name)))
        return payment.reshape(-1, *payment.shape[-2:]).sum(axis=0) if payment.ndim > 2 else payment

    def _new_year(self) -> None:
        self.paid_this_year = np.zeros_like(self.last_year_value)
        self.value_while_paid = np.zeros_like(self.last_year_value)
        self.months_paid = np.zeros_like(self.last_year_value)
