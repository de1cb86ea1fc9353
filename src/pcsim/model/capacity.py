"""Process 2a: additional roles - the care capacity that investment can buy.

The Nuffield Trust asks for "a model to estimate the scale of investment
needed" [Nuffield15], and London puts it at 2-5.3% of the health budget
[London18]. Money changes care only through what it buys, and beyond the
backfill locums can supply it buys *additional roles*: clinical pharmacists,
practice nurses, care co-ordinators and case managers, paramedics and social
prescribing link workers ("nurses and other roles", a broadening skill mix
[Nuffield15]; multidisciplinary teams with care navigators and social
prescribing [London18]; Pilot E's paramedic triage of home visits [Miller18]).
England has paid for such posts since 2019 through the Additional Roles
Reimbursement Scheme (scheme ``additional_roles``).

*Posts and staff.* Schemes fund posts (FTE by role, ``Levers.role_posts``); a
practice may also keep posts itself once their funding has ended. Vacancies
fill at ``1 / hiring_months`` a month, as far as the labour market allows: it
supplies each commissioner at most ``labour_supply_per_100k_year`` FTE a year
per 100,000 patients, shared between its practices in proportion to their
vacancies. Staff leave at ``leaving_per_year``, more where the practice's GPs
are burnt out (the same burnout effect as GPs', :mod:`pcsim.model.workforce`);
a funded post left empty is filled again.

*Skill mix.* Each role's hours go to four uses in its own proportions
(:data:`SKILL_MIX`): core work the GPs would otherwise do (consultations,
medication queries, home visits), indicator care (long-term-condition
reviews, medicines optimisation), holistic care (personalised care, social
prescribing) and case management of patients at high risk of admission.

*Diminishing returns*, each from a named parameter:

* **supply** - money beyond what the labour market can supply buys vacancies,
  not staff (``labour_supply_per_100k_year``);
* **falling marginal effect** - GP core work saved per 1,000 patients is
  ``substitution * h / (1 + h / substitution_half_hours)`` for ``h`` role hours
  on core work per 1,000 patients: the first tasks handed on are the easy ones,
  and what a GP must do stays with the GP;
* **overlap** - case managers find high-risk patients independently, so the
  share reached is ``1 - exp(-coverage)`` with coverage the caseload of the
  case-management time over the high-risk patients: the more there are, the more
  they meet patients another already sees (``caseload_per_fte``,
  ``high_risk_share``).

A reached high-risk patient's emergency admissions fall by
``case_management_effect`` (small, and uncertain: Stokes et al. 2015), and
those patients account for ``high_risk_admission_share`` of admissions for other
conditions (Roland & Abel 2012).

*When funding ends* the posts' running costs continue: a practice keeps a
post where the GP time it sees saved (at GPs' pay per hour) is worth its cost,
weighed by ``carrying_cost_weight``, pays for the posts it keeps, and lets the
others go.
"""

from __future__ import annotations

import numpy as np

ROLES = ("clinical_pharmacist", "practice_nurse", "care_coordinator", "paramedic", "social_prescriber")
SALARIES = ("pharmacist_salary", "nurse_salary", "care_coordinator_salary", "paramedic_salary",
            "social_prescriber_salary")
USES = ("core", "indicators", "holistic", "case_management")
CORE, INDICATORS, HOLISTIC, CASE_MANAGEMENT = range(len(USES))

# Share of each role's clinical hours by use (rows: ROLES; columns: USES). Assumption from the roles'
# job descriptions in the Network Contract DES (NHS England 2019-2024) and [Miller18] (Pilot E's
# paramedics taking home visits; Pilot A's pharmacist-supported diabetes care).
SKILL_MIX = np.array([
    [0.5, 0.3, 0.1, 0.1],    # clinical pharmacist: medication queries and repeat prescribing; medicines optimisation
    [0.3, 0.5, 0.1, 0.1],    # practice nurse: minor illness; long-term-condition reviews
    [0.1, 0.1, 0.4, 0.4],    # care co-ordinator / case manager: personalised care plans; the high-risk caseload
    [0.6, 0.0, 0.1, 0.3],    # paramedic: home visits and same-day urgent care; frail patients at risk
    [0.1, 0.0, 0.6, 0.3],    # social prescribing link worker: non-medical needs; people at risk of crisis
])
# How England's networks have spread additional-role money between these roles (Assumption after NHS
# England's workforce statistics 2024: pharmacists the largest group, then care co-ordinators).
DEFAULT_MIX = {"clinical_pharmacist": 0.35, "practice_nurse": 0.2, "care_coordinator": 0.2, "paramedic": 0.1,
               "social_prescriber": 0.15}


def mix_vector(mix: dict[str, float]) -> np.ndarray:
    """Shares of money by role (ROLES order), normalised to sum to 1."""
    shares = np.array([float(mix.get(role, 0.0)) for role in ROLES])
    return shares / shares.sum()


def monthly_cost(params) -> np.ndarray:
    """Cost of one FTE of each role a month: (roles, R, 1), or (roles, 1, 1) for plain-number parameters."""
    cost = np.stack(np.broadcast_arrays(*(getattr(params.roles, name) / 12 for name in SALARIES)))
    return cost if cost.ndim == 3 else cost.reshape(len(ROLES), 1, 1)


def posts_bought(money_per_month, mix, params) -> np.ndarray:
    """FTE posts of each role (roles, R, P) that ``money_per_month`` (R, P) buys, spent in the shares ``mix``."""
    return mix[:, None, None] * np.asarray(money_per_month)[None] / monthly_cost(params)


def hours_by_use(staff, params) -> np.ndarray:
    """Clinical hours a month of the staff in post (roles, R, P), by use: (uses, R, P)."""
    hours = staff * params.roles.hours_per_fte_month
    return np.stack([(hours * SKILL_MIX[:, u, None, None]).sum(axis=0) for u in range(len(USES))])


def core_hours_saved(core_role_hours, list_size, params):
    """GP hours of core work a month the roles' core work saves each practice (falling marginal effect)."""
    roles = params.roles
    per_1000 = core_role_hours / (list_size / 1000)
    return roles.substitution * per_1000 / (1 + per_1000 / roles.substitution_half_hours) * list_size / 1000


def high_risk_reached(case_hours, list_size, params):
    """Share of the practice's high-risk patients under case management (overlap: 1 - exp(-coverage))."""
    roles = params.roles
    managed = case_hours / roles.hours_per_fte_month * roles.caseload_per_fte
    return 1 - np.exp(-managed / (list_size * roles.high_risk_share))


def admission_effect(reached, params):
    """Share of a practice's admissions for other conditions that case management avoids."""
    return params.roles.high_risk_admission_share * params.roles.case_management_effect * reached


def hires(staff, posts, patients_per_commissioner, by_commissioner, params) -> np.ndarray:
    """Staff hired this month (roles, R, P): vacancies filled at 1/hiring_months, as far as each
    commissioner's labour supply goes (shared in proportion to the vacancies)."""
    roles = params.roles
    wanted = np.maximum(posts - staff, 0.0) / roles.hiring_months
    asked = by_commissioner.sum(wanted.sum(axis=0))                                # (R, C)
    supply = roles.labour_supply_per_100k_year / 12 * patients_per_commissioner / 100_000
    share = np.divide(supply, asked, out=np.ones_like(asked), where=asked > supply)
    return wanted * by_commissioner.spread(np.minimum(share, 1.0))


def leavers(staff, posts, burnout, params) -> np.ndarray:
    """Staff leaving this month (roles, R, P): at the roles' leaving rate, raised by the practice's GPs'
    burnout (``burnout`` (R, P)), and everyone in a post that no longer exists."""
    rate = params.roles.leaving_per_year / 12 * np.exp(params.workforce.exit_burnout_effect * burnout)
    unposted = np.maximum(staff - posts, 0.0)
    return unposted + (staff - unposted) * (1 - np.exp(-rate))


def kept_share(hours_saved, staff, params) -> np.ndarray:
    """Share of its unfunded posts of each role a practice keeps (roles, R, P): the GP time it sees saved per
    FTE, at GPs' pay per hour, against each role's cost."""
    total = staff.sum(axis=0)
    saved_per_fte = np.divide(hours_saved, total, out=np.zeros_like(total), where=total > 0)
    value = saved_per_fte * params.time.reference_pay_per_hour
    weighed_cost = params.roles.carrying_cost_weight * monthly_cost(params)
    worth = np.divide(value, weighed_cost, out=np.ones(np.broadcast_shapes(value.shape, weighed_cost.shape)),
                      where=weighed_cost > 0)                               # a cost that weighs nothing: keep all
    return np.clip(worth, 0.0, 1.0)
