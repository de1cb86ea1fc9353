"""Investment that buys capacity: additional roles, portfolios of projects, scale-up.

Each mechanism has a test that would fail if it were wrong: supply limits
hiring, each role hour on core work saves less GP time than the one before,
case managers overlap, staff leave and are replaced, running costs outlast
funding, a grouping with capacity runs several projects, and what works is
scaled up. The response of admissions to money comes from these, so more money
buys more until a named limit binds.
"""

from __future__ import annotations

import numpy as np
import pytest

from pcsim import config as configs
from pcsim.inputs.parameters import make_params
from pcsim.model import capacity, innovation
from pcsim.model.arrays import Bins

from .conftest import SEEDS, column, paired_difference, simulate

P = make_params(configs.load().params, runs=None)


def with_params(**changes):
    return make_params({**configs.load().params, **changes}, runs=None)


def fund_everyone(level_per_year: float, months: int, seeds=SEEDS[:4], **overrides):
    """A commissioner-wide fund of ``level_per_year`` GBP per patient a year for ``months`` months."""
    cfg = configs.resolve(None, months=months, overrides=overrides).with_policy("investment_fund_all")
    return simulate(cfg.replace(**{"investment.funding_per_patient": level_per_year * months / 12}), months=months,
                    seeds=seeds)


# ----------------------------------------------------------------------------- the roles, as functions
def test_hiring_is_limited_by_the_labour_supply_and_shared_in_proportion_to_vacancies():
    one = Bins(np.zeros(2, dtype=np.int64), 1)
    staff = np.zeros((len(capacity.ROLES), 1, 2))
    posts = staff + np.array([1.0, 3.0])                              # practice 2 has three times the vacancies
    patients = np.array([100_000.0])
    plenty = capacity.hires(staff, posts, patients, one, with_params(**{"roles.labour_supply_per_100k_year": 500.0}))
    assert plenty.sum() == pytest.approx(posts.sum() / P.roles.hiring_months)
    scarce = capacity.hires(staff, posts, patients, one, P)
    assert scarce.sum() == pytest.approx(P.roles.labour_supply_per_100k_year / 12)
    assert scarce[..., 1].sum() == pytest.approx(3 * scarce[..., 0].sum())


def test_each_role_hour_on_core_work_saves_less_gp_time_than_the_one_before():
    hours = np.arange(0.0, 100.0, 10.0)
    saved = capacity.core_hours_saved(hours, 1000.0, P)
    assert saved[0] == 0 and (np.diff(saved) > 0).all() and (np.diff(np.diff(saved)) < 0).all()
    assert saved[1] == pytest.approx(P.roles.substitution * 10, rel=0.25)   # the first hours save about `substitution`


def test_case_managers_overlap_so_each_reaches_fewer_new_patients():
    fte = np.arange(0.0, 6.0)
    reached = capacity.high_risk_reached(fte * P.roles.hours_per_fte_month, 10_000.0, P)
    assert reached[0] == 0 and (np.diff(reached) > 0).all() and (np.diff(np.diff(reached)) < 0).all()
    assert reached[-1] < 1
    effect = capacity.admission_effect(reached, P)
    assert effect[-1] == pytest.approx(P.roles.high_risk_admission_share * P.roles.case_management_effect * reached[-1])


def test_staff_leave_faster_from_burnt_out_practices_and_at_once_from_posts_that_are_gone():
    staff = np.ones((len(capacity.ROLES), 1, 3))
    posts = np.array([1.0, 1.0, 0.0]) * np.ones_like(staff)
    left = capacity.leavers(staff, posts, np.array([[0.0, 0.5, 0.0]]), P)
    assert 0 < left[0, 0, 0] < left[0, 0, 1] < 1 and left[0, 0, 2] == 1


def test_a_practice_keeps_unfunded_posts_only_where_the_gp_time_saved_is_worth_their_cost():
    staff = np.ones((len(capacity.ROLES), 1, 2))
    kept = capacity.kept_share(np.array([[0.0, 1000.0]]), staff, P)
    assert (kept[:, 0, 0] == 0).all() and (kept[:, 0, 1] > 0).all()
    heavier = capacity.kept_share(np.array([[0.0, 1000.0]]), staff, with_params(**{"roles.carrying_cost_weight": 5.0}))
    assert (heavier[:, 0, 1] < kept[:, 0, 1]).all() and (heavier[:, 0, 0] == 0).all()   # a heavier cost, fewer kept


# ----------------------------------------------------------------------------- the roles, in runs
@pytest.fixture(scope="module")
def roles_for_two_years():
    """England's additional-roles scheme for 24 months of a 48-month run, with and without the posts' cost
    weighing on practices when the funding ends."""
    def run(weight):
        cfg = configs.resolve(None, months=48, overrides={"roles.carrying_cost_weight": weight})
        raw = cfg.to_dict()
        raw["policy"] = [{"scheme": "core_contract"}, {"scheme": "additional_roles", "start": 0, "end": 24}]
        return simulate(configs.from_dict(raw), months=48, seeds=SEEDS[:3])
    return {weight: run(weight) for weight in (0.0, 5.0)}


def test_roles_are_hired_with_a_lag_and_their_salaries_reimbursed_while_the_scheme_runs(roles_for_two_years):
    sim = roles_for_two_years[0.0]
    fte, spend = column(sim, "additional_roles_fte"), column(sim, "spend_roles")
    assert (np.diff(fte[:24], axis=0) >= -1e-9).all() and fte[1].max() < fte[23].min()
    allowance = 22.0 * sim.structure.list_size.sum() / 12
    assert (spend[23] > 0.3 * allowance).all() and (spend[:24] <= allowance * 1.0001).all()
    assert (spend[24:] == 0).all()


def test_running_costs_continue_after_funding_for_the_posts_practices_keep(roles_for_two_years):
    keeping, letting_go = roles_for_two_years[0.0], roles_for_two_years[5.0]
    assert (column(keeping, "roles_cost_to_practices")[30] > 0).all()
    assert (column(keeping, "additional_roles_fte")[40] > 0.5 * column(keeping, "additional_roles_fte")[23]).all()
    assert (column(letting_go, "additional_roles_fte")[30] < 0.2 * column(letting_go, "additional_roles_fte")[23]).all()


def test_more_labour_supply_buys_more_staff_and_fewer_admissions_with_the_same_money():
    scarce, ample = (fund_everyone(160, 48, **{"roles.labour_supply_per_100k_year": supply}) for supply in (6.0, 24.0))
    assert (column(ample, "additional_roles_fte")[-1] > 1.5 * column(scarce, "additional_roles_fte")[-1]).all()
    admissions = [column(sim, "emergency_admissions")[-12:].sum(axis=0) for sim in (ample, scarce)]
    change, se = paired_difference(*admissions)
    relative = 100 * change / admissions[1].mean()
    assert change < -3 * se and -30 < relative < -1, relative     # clearly fewer, and not implausibly many


def test_the_same_money_buys_more_where_roles_take_on_more_gp_work():
    less, more = (fund_everyone(160, 36, **{"roles.substitution": s}) for s in (0.2, 0.8))
    assert (column(more, "gp_core_hours_saved_per_gp")[-1] > 2 * column(less, "gp_core_hours_saved_per_gp")[-1]).all()
    assert (column(more, "overload")[-12:].mean(axis=0) < column(less, "overload")[-12:].mean(axis=0)).all()


# ----------------------------------------------------------------------------- portfolios and scale-up
def draws(**values):
    slots = (innovation.MAX_PROJECTS, 1, 1)
    base = {"u_start": np.zeros((1, 1)), "u_lose": np.ones(slots), "z_effect": np.zeros((1, 1)),
            "z_reading": np.zeros(slots)}
    return {**base, **{k: np.full(base[k].shape, v) for k, v in values.items()}}


@pytest.mark.parametrize("hours, projects", [(5.0, 1), (25.0, 2), (100.0, innovation.MAX_PROJECTS)])
def test_a_grouping_runs_as_many_projects_as_its_capacity_opens(hours, projects):
    state = innovation.Projects.empty(1, 1)
    for _ in range(innovation.MAX_PROJECTS + 1):
        state, _, _ = innovation.advance(state, np.zeros((1, 1)), np.array([[hours]]), np.array([0]), draws(), P)
    assert state.live.sum() == projects
    assert state.open[0, 0] == projects


def test_what_works_is_scaled_up_with_transformation_hours_and_what_does_not_is_not():
    def running(effect):
        state = innovation.Projects.empty(1, 1)
        state, _, _ = innovation.advance(state, np.zeros((1, 1)), np.array([[5.0]]), np.array([0]), draws(), P)
        return state.__class__(**{**state.__dict__, "stage": np.where(state.live, innovation.RUNNING, 0).astype(np.int8),
                                  "true_effect": np.where(state.live, effect, 0.0),
                                  "evidence_sum": np.where(state.live, effect, 0.0),
                                  "evidence_months": np.where(state.live, 1.0, 0.0)})
    good, poor = running(0.05), running(-0.02)
    hours = np.array([[P.innovation.scale_up_hours / 2]])
    assert good.reach[0, 0, 0] == pytest.approx(P.innovation.pilot_reach)
    for name in ("good", "poor"):
        state = good if name == "good" else poor
        after, _, _ = innovation.advance(state, hours, np.array([[5.0]]), np.array([0]), draws(u_start=1.0), P)
        if name == "good":
            assert after.reach[0, 0, 0] == pytest.approx(P.innovation.pilot_reach + (1 - P.innovation.pilot_reach) / 2)
            assert innovation.admission_effect(after)[0, 0] == pytest.approx(0.05 * after.reach[0, 0, 0])
        else:
            assert after.reach[0, 0, 0] == pytest.approx(P.innovation.pilot_reach)


# ----------------------------------------------------------------------------- the response to money
def test_more_money_buys_clearly_more_until_the_labour_supply_binds():
    change = {}
    control = simulate(configs.resolve(None, months=48).with_policy("status_quo"), months=48, seeds=SEEDS[:4])
    base = column(control, "emergency_admissions")[-12:].sum(axis=0)
    for level in (20, 160, 300):
        arm = column(fund_everyone(level, 48), "emergency_admissions")[-12:].sum(axis=0)
        change[level] = 100 * (arm / base - 1)
    assert -40 < change[160].mean() < change[20].mean() - 3, change          # clearly more, bounded
    assert abs(change[300].mean() - change[160].mean()) < 1.5                 # flat where the supply binds
    ample = fund_everyone(300, 48, **{"roles.labour_supply_per_100k_year": 25.0})
    more = 100 * (column(ample, "emergency_admissions")[-12:].sum(axis=0) / base - 1)
    assert more.mean() < change[300].mean() - 1                                # ... and the supply is why
