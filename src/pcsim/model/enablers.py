"""Objective 1 of the investment fund: the four enablers, delivered by capacity work.

The ACE pilots had to deliver four diagnostic and treatment enablers - ECG,
spirometry, insulin initiation and phlebotomy - each "by its own staff and
equipment, hub and spoke within the grouping, or bought from an external
provider" [Miller18]; money bought "diagnostic equipment", training and "new
posts". Here an enabler is delivered when enough *capacity work* has been done
on it (training and recruiting staff, buying and setting up equipment,
contracting a hub or provider): ``work_hours_per_1000`` per 1,000 patients with
its own staff, less per practice hub-and-spoke (``hub_work_relative``) or from
an external provider (``external_work_relative``). A single practice uses its
own staff; a grouping with the change infrastructure to run a hub
(``hub_infrastructure``) shares one; the others buy from a provider.

Money a scheme gives for enablers (:attr:`pcsim.model.levers.Levers.enabler_money`)
buys capacity hours at ``cost_per_hour``. A practice can absorb only so much
set-up work a month - ``monthly_capacity_per_1000`` per 1,000 patients, times
(0.5 + change infrastructure) - and a month's work slips with chance
``slip_chance_per_month`` (staff off, equipment or provider late), so delivery
takes time, differs between practices and can miss a deadline. Enablers are
worked on one at a time, each a quick win when delivered; once delivered an
enabler is provided for good (the contract that paid for it guarantees it), so
the commissioner can decommission hospital diagnostics
(:func:`pcsim.model.commissioner.decommission`).
"""

from __future__ import annotations

import numpy as np

OWN, HUB, EXTERNAL = range(3)


def delivery_mode(practices_per_grouping, grouping_infrastructure, params):
    """How each grouping would provide the enablers: own staff, hub and spoke, external provider (R, Q)."""
    hub = grouping_infrastructure >= params.enablers.hub_infrastructure
    return np.where(practices_per_grouping == 1, OWN, np.where(hub, HUB, EXTERNAL))


def work_needed(list_size, mode, params):
    """Capacity work one enabler needs in each practice, hours (R, P), from its grouping's delivery mode."""
    enablers = params.enablers
    relative = np.where(mode == OWN, 1.0, np.where(mode == HUB, enablers.hub_work_relative,
                                                    enablers.external_work_relative))
    return enablers.work_hours_per_1000 * list_size / 1000 * relative


def monthly_capacity(list_size, infrastructure, params):
    """Capacity work a practice can absorb in a month, hours (R, P)."""
    return params.enablers.monthly_capacity_per_1000 * list_size / 1000 * (0.5 + infrastructure)


def advance(work, delivered, money, needed, capacity, slipped, params):
    """One month of capacity work. Returns (work, delivered, money, newly delivered) with work and
    delivered (E, R, P), money (R, P) the GBP left for enablers.

    The month's hours are what the money buys, up to the practice's capacity and the work still to do,
    unless the month slipped; they go to the first enabler not yet delivered, any left over to the next.
    Money with no work left to buy stays unspent.
    """
    cost = params.enablers.cost_per_hour
    remaining = np.where(delivered > 0, 0.0, np.maximum(needed - work, 0.0)).sum(axis=0)
    hours = np.where(slipped, 0.0, np.minimum(np.minimum(money / cost, capacity), remaining))
    money = money - hours * cost
    work, newly = work.copy(), np.zeros_like(delivered)
    for e in range(len(work)):
        todo = np.where(delivered[e] > 0, 0.0, np.maximum(needed - work[e], 0.0))
        spent = np.minimum(hours, todo)
        work[e] = work[e] + spent
        hours = hours - spent
        newly[e] = (delivered[e] == 0) & (todo > 0) & (work[e] >= needed)
    return work, np.maximum(delivered, newly), money, newly
