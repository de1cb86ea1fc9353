"""Scheme design, perception, and the mechanisms that replaced timers and curves.

Each test would fail if its mechanism were wrong: how a design is felt (control
and support from each feature, salience, a GP's own autonomy), capacity work for
the enablers, trust built at learning sets, the design swap (crowding follows
design, not name), and the bounds on what any built-in policy may do to GPs.
"""

from __future__ import annotations

import numpy as np
import pytest

from pcsim import config as configs
from pcsim.experiments import compare
from pcsim.experiments.patterns import column
from pcsim.inputs.parameters import make_params
from pcsim.model import enablers, learning, perception
from pcsim.model.arrays import Bins
from pcsim.model.engine import Simulation
from pcsim.model.outputs import GROUPING_COLUMNS
from pcsim.schemes.base import NEUTRAL_DESIGN

from .conftest import CONFIGS, SEEDS, paired_difference

P = make_params(configs.load().params, runs=None)


def design(**features):
    return {**NEUTRAL_DESIGN, **features}


# ----------------------------------------------------------------------------- how a design is felt
@pytest.mark.parametrize("feature, low, high", [
    ("contingent", 0.0, 1.0), ("specification", 0.0, 1.0), ("monitoring", 0.0, 1.0), ("targets", 1, 20)])
def test_each_controlling_feature_raises_control(feature, low, high):
    base = design(contingent=0.5, measures="records", targets=4)
    assert perception.design_control({**base, feature: high}, P) > perception.design_control({**base, feature: low}, P)


def test_contingency_on_outcomes_is_less_controlling_than_on_records_and_on_nothing_is_not_control():
    records, outcomes, nothing = (perception.design_control(design(contingent=1.0, measures=m, targets=4), P)
                                  for m in ("records", "outcomes", "nothing"))
    assert records > outcomes > nothing == 0


@pytest.mark.parametrize("features", [{"discretion": 1.0}, {"paid": "up_front"}, {"forum": "learning_sets"},
                                      {"measures": "outcomes"}])
def test_each_supportive_feature_raises_support(features):
    assert perception.design_support(design(**features), P) > perception.design_support(design(), P) == 0


def test_a_design_is_felt_in_proportion_to_the_money_at_stake_and_the_same_money_differently_by_design():
    controlling = design(contingent=1.0, measures="records", targets=20, specification=0.6, monitoring=0.5)
    trusting = design(paid="up_front", measures="outcomes", discretion=0.9, forum="learning_sets")
    shape = (1, 2)
    stake = np.array([500.0, 50_000.0])                                 # a small pot and a large one

    def felt(d, money):
        return perception.feel([perception.Exposure(d, money)], np.zeros(shape), np.zeros(shape),
                               P, shape)
    small_large = felt(controlling, stake)
    assert small_large.control[0, 0] < small_large.control[0, 1]
    same_money = [felt(d, np.full(2, 50_000.0)) for d in (controlling, trusting)]
    assert same_money[0].control[0, 0] > same_money[1].control[0, 0]
    assert same_money[0].support[0, 0] < same_money[1].support[0, 0]
    assert same_money[1].freedom[0, 0] > same_money[0].freedom[0, 0]


def test_a_partnering_commissioner_is_felt_as_support_and_freedom_an_enforcer_as_control():
    shape = (1, 1)
    enforcer, partner = (perception.feel([], np.full(shape, s), np.zeros(shape), P, shape)
                         for s in (0.0, 1.0))
    assert enforcer.control > partner.control and enforcer.support < partner.support
    assert enforcer.freedom < partner.freedom


def test_reporting_is_felt_as_control_and_saturates():
    shape = (1, 3)
    hours = np.array([[0.0, 10.0, 200.0]])
    control = perception.feel([], np.zeros(shape), hours, P, shape).control
    assert control[0, 0] < control[0, 1] < control[0, 2] < 1


def test_gps_who_value_autonomy_feel_the_same_control_more():
    felt = perception.felt_by_gp(np.array([0.3, 0.3]), np.array([0.3, 0.9]), P)
    assert felt[0] < felt[1] <= 1


def test_specification_takes_away_the_freedom_discretion_gives():
    shape = (1, 1)

    def freedom(spec):
        exposure = perception.Exposure(design(discretion=0.9, specification=spec), np.full(shape, 1e6))
        return perception.feel([exposure], np.zeros(shape), np.zeros(shape), P, shape).freedom[0, 0]
    assert freedom(0.9) < freedom(0.1)


# ----------------------------------------------------------------------------- capacity work for the enablers
def test_enablers_arrive_one_at_a_time_as_money_buys_work_up_to_capacity():
    need = np.array([[100.0]])
    work, delivered, money = np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.array([[1e9]])
    months = []
    for month in range(20):
        work, delivered, money, newly = enablers.advance(work, delivered, money, need, np.array([[60.0]]),
                                                          np.array([[False]]), P)
        months += [month] * int(newly.sum())
    assert months == [1, 3, 4, 6]                          # 60 h a month against 100 h each, carried over


def test_no_money_no_enablers_and_slipped_months_delay_them():
    need, capacity = np.array([[30.0]]), np.array([[40.0]])
    args = (np.zeros((4, 1, 1)), np.zeros((4, 1, 1)))
    _, delivered, _, _ = enablers.advance(*args, np.array([[0.0]]), need, capacity, np.array([[False]]), P)
    assert delivered.sum() == 0
    _, delivered, money, _ = enablers.advance(*args, np.array([[1e4]]), need, capacity, np.array([[True]]), P)
    assert delivered.sum() == 0 and money[0, 0] == 1e4      # a slipped month: no work, no money spent
    work, delivered, money, _ = enablers.advance(*args, np.array([[1e4]]), need, capacity, np.array([[False]]), P)
    assert delivered[0].sum() == 1 and money[0, 0] == pytest.approx(1e4 - 40 * P.enablers.cost_per_hour)


def test_shared_and_bought_provision_needs_less_work_than_a_practices_own_staff():
    modes = enablers.delivery_mode(np.array([1, 5, 5]), np.array([0.2, 0.6, 0.1]), P)
    assert modes.tolist() == [enablers.OWN, enablers.HUB, enablers.EXTERNAL]
    work = enablers.work_needed(np.full(3, 10_000.0), modes, P)
    assert work[0] > work[1] > work[2] > 0


def test_without_their_money_funded_groupings_deliver_no_enablers_in_the_model():
    raw = configs.load(CONFIGS / "ace.toml").to_dict()
    funded = Simulation(configs.from_dict(raw), seeds=[1, 2])
    raw["investment"] = {"enabler_share": 0.0}
    unfunded = Simulation(configs.from_dict(raw), seeds=[1, 2])
    for sim in (funded, unfunded):
        sim.run(12)
    pilots = funded.practice_grouping.spread(funded.selected)
    assert funded.enablers.min(axis=0)[pilots].mean() > 0.9 and unfunded.enablers.sum() == 0


# ----------------------------------------------------------------------------- learning sets
def _meet(trust, shared_by_others, facilitation=0.2):
    """One set of three groupings: the first's trust after the other two do or do not share."""
    params = make_params({**configs.load().params, "learning.facilitation": facilitation}, runs=None)
    members = np.ones((1, 3), dtype=bool)
    share_draw = np.array([[0.99, 0.0 if shared_by_others else 0.99, 0.0 if shared_by_others else 0.99]])
    uniform = np.stack([np.zeros((1, 3)), np.zeros((1, 3)), share_draw])
    new, chance, attended, shared = learning.meet(np.full((1, 3), trust), members, np.zeros((1, 3), bool),
                                                  Bins(np.zeros(3, int), 1), uniform, params)
    return new[0, 0]


def test_trust_grows_with_the_openness_met_at_a_set_and_with_facilitation():
    assert _meet(0.3, shared_by_others=True) > _meet(0.3, shared_by_others=False) > 0.3
    assert _meet(0.3, False, facilitation=0.8) > _meet(0.3, False, facilitation=0.0) == pytest.approx(0.3)


def test_sharing_nobody_returns_costs_trust():
    params = make_params(configs.load().params, runs=None)
    members = np.ones((1, 3), dtype=bool)
    uniform = np.stack([np.zeros((1, 3)), np.zeros((1, 3)), np.array([[0.0, 0.99, 0.99]])])
    new, _, _, shared = learning.meet(np.full((1, 3), 0.3), members, np.zeros((1, 3), bool), Bins(np.zeros(3, int), 1),
                                      uniform, params)
    assert shared[0].tolist() == [True, False, False] and new[0, 0] < new[0, 1]


def test_poorly_attended_sets_stall_in_the_model():
    def late_sharing(attendance):
        sim = Simulation(configs.load(CONFIGS / "ace.toml", [f"learning.attendance={attendance}"]), seeds=SEEDS[:5])
        sim.run(12)
        return sim.outputs.grouping_values[8:11, GROUPING_COLUMNS.index("sharing")].mean(axis=(0, 2))
    diff, se = paired_difference(late_sharing(0.5), late_sharing(1.0))
    assert diff < -0.1 and diff < -4 * se


# ----------------------------------------------------------------------------- design, not name
@pytest.fixture(scope="module")
def design_swap():
    config = configs.load(CONFIGS.parent / "experiments" / "design_swap.toml").replace(months=60)
    policies = ["micro_incentives", "qof_as_fund", "investment_fund", "fund_as_qof"]
    return compare.compare(config, policies, 6).runs


def test_crowding_in_or_out_follows_the_design_not_the_schemes_name(design_swap):
    runs = design_swap.set_index(["policy", "replicate"])
    for metric in ("motivation_clinical_care", "motivation_autonomy"):
        qof_swapped = runs.loc["qof_as_fund", metric] - runs.loc["micro_incentives", metric]
        fund_swapped = runs.loc["fund_as_qof", metric] - runs.loc["investment_fund", metric]
        assert 0.03 < qof_swapped.mean() < 0.5 and qof_swapped.min() > 0, metric       # QOF's money, fund's design
        assert -0.5 < fund_swapped.mean() < -0.03 and fund_swapped.max() < 0, metric   # fund's money, QOF's design


# ----------------------------------------------------------------------------- harms, bounded
@pytest.fixture(scope="module")
def ten_years():
    config = configs.load()
    return {name: Simulation(config.with_policy(name), seeds=list(SEEDS[:5])) for name in
            ("status_quo", "micro_incentives", "investment_fund", "investment_fund_all")}


def test_no_built_in_policy_makes_a_motivation_or_care_collapse(ten_years):
    """Bounds argued in docs/ODD.md section 1: ten years of any built-in policy lower a motivation by at most
    0.25, and morale, holistic care and continuity by at most 0.1, against the status quo - except the
    commissioner-wide fund's holistic care, bounded at 0.2: freeing and rewarding every GP's transformation
    work for ten years with one grant's worth of backfill pulls GPs' own hours from holistic care (ODD 7.2)."""
    for sim in ten_years.values():
        sim.run()
    control = ten_years["status_quo"]
    for name, sim in ten_years.items():
        for metric, bound in (("motivation_clinical_care", 0.25), ("motivation_autonomy", 0.25),
                              ("motivation_innovator", 0.25), ("motivation_peer_judgement", 0.25), ("morale", 0.1),
                              ("quality_non_incentivised", 0.2 if name == "investment_fund_all" else 0.1),
                              ("continuity", 0.1)):
            diff = column(sim, metric)[-12:].mean() - column(control, metric)[-12:].mean()
            assert diff > -bound, (name, metric, diff)
