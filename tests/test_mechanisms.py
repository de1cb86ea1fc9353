"""Every core mechanism, tested so that it fails if the mechanism is wrong.

Function-level tests pin each submodel's direction and bounds; model-level tests
compare arms on the same seeds (common random numbers) over ten seeds and judge
differences against their seed-to-seed standard error.
"""

from __future__ import annotations

import numpy as np
import pytest

from pcsim import config as configs
from pcsim.inputs.parameters import make_params
from pcsim.model import commissioner
from pcsim.model import demand
from pcsim.model import hospital
from pcsim.model import innovation
from pcsim.model import motivation
from pcsim.model import quality
from pcsim.model import wellbeing
from pcsim.model import workforce
from pcsim.model import workload
from pcsim.model.engine import Simulation
from pcsim.model.outputs import COLUMNS

from .conftest import SEEDS, column, paired_difference, simulate

P = make_params(configs.load().params, runs=None)


# ----------------------------------------------------------------------------- demand and time
def test_more_demand_leaves_less_discretionary_time_function():
    contracted = np.array([180.0, 180.0])
    free, _, overload = workload.required_hours(np.array([100.0, 150.0]), np.array([12.0, 12.0]), contracted, P)
    assert free[1] < free[0] and overload[0] == 0
    free, overtime, overload = workload.required_hours(np.array([200.0]), np.array([12.0]), np.array([180.0]), P)
    assert free[0] == 0 and overtime[0] == pytest.approx(32 * P.time.overtime_share)
    assert overload[0] == pytest.approx(overtime[0] / 180)
    _, overtime, overload = workload.required_hours(np.array([900.0]), np.array([12.0]), np.array([180.0]), P)
    assert overtime[0] == pytest.approx(90) and overload[0] == pytest.approx(workload.MAX_OVERTIME)


def test_demand_grows_and_needs_raise_it():
    sizes, needs = np.array([6000.0, 6000.0]), np.array([1.0, 1.3])
    now, later = (demand.core_hours_per_practice(sizes, needs, P, m) for m in (0, 60))
    assert now[1] > now[0]
    assert np.all(later > now)


def test_more_demand_leaves_gps_less_discretionary_time_in_the_model():
    def discretionary(sim):
        return sum(column(sim, c) for c in ("incentivised_hours_per_gp", "holistic_hours_per_gp",
                                            "transformation_hours_per_gp"))
    base = simulate(months=1, seeds=SEEDS)
    busy = simulate(months=1, seeds=SEEDS, **{"demand.consultations_per_patient_year": 6.5})
    diff, se = paired_difference(discretionary(busy)[0], discretionary(base)[0])
    assert diff < -5 and diff < -4 * se


def test_time_goes_where_it_is_valued():
    values = np.array([[0.2], [0.8], [0.2]])
    hours = workload.share_time(np.array([30.0]), values, P)
    assert hours.sum() == pytest.approx(30.0)
    assert hours[1, 0] > hours[0, 0] == pytest.approx(hours[2, 0])
    flat = make_params({**configs.load().params, "time.allocation_sensitivity": 0.5}, runs=None)
    assert workload.share_time(np.array([30.0]), values, flat)[1, 0] < hours[1, 0]


# ----------------------------------------------------------------------------- motivation and wellbeing
def test_control_crowds_out_and_trust_crowds_in():
    level = np.array([0.7])
    assert motivation.crowd(level, 0.7, 1.0, 0.0, P) < level
    assert motivation.crowd(level, 0.7, 0.0, 1.0, P) > level
    for control, trust in ((0.3, 0.0), (0.0, 0.5), (1.0, 1.0)):
        eq = motivation.crowd_equilibrium(0.7, control, trust, P)
        assert motivation.crowd(eq, 0.7, control, trust, P) == pytest.approx(eq)
        assert 0 < eq < 1


def test_visibility_quick_wins_and_losses():
    assert motivation.visibility(0.3, 0.3, 1.0, 0.0, P) > 0.3
    assert motivation.visibility(0.3, 0.3, 0.0, 1.0, P) < 0.3
    assert motivation.self_efficacy(0.5, 1.0, 0.0, P) > 0.5 > motivation.self_efficacy(0.5, 0.0, 1.0, P)


def test_overload_lowers_morale_and_builds_burnout_functions():
    assert wellbeing.morale(0.7, 0.3, 0.2, 0.0, 0.0, 0.6, P) < wellbeing.morale(0.7, 0.0, 0.2, 0.0, 0.0, 0.6, P)
    assert wellbeing.burnout(0.1, 0.3, P) > 0.1 > wellbeing.burnout(0.1, 0.0, P)
    eq = wellbeing.morale_equilibrium(0.2, 0.3, 0.2, 0.1, 0.6, P)
    assert wellbeing.morale(eq, 0.2, 0.3, 0.2, 0.1, 0.6, P) == pytest.approx(eq)
    eq = wellbeing.burnout_equilibrium(0.2, P)
    assert wellbeing.burnout(eq, 0.2, P) == pytest.approx(eq)
    assert workforce.leaving_hazard(0.5, 0.4, P) > workforce.leaving_hazard(0.0, 0.7, P) > 0


def test_felt_control_lowers_morale_and_support_raises_it_the_more_a_gp_values_autonomy():
    def morale(control, support, autonomy):
        return wellbeing.morale_equilibrium(0.0, 0.3, control, support, autonomy, P)
    assert morale(0.5, 0.0, 0.6) < morale(0.0, 0.0, 0.6) < morale(0.0, 0.5, 0.6)
    assert morale(0.5, 0.0, 0.9) < morale(0.5, 0.0, 0.3)            # autonomy-minded GPs feel control more
    assert morale(0.5, 0.5, 0.0) == pytest.approx(morale(0.0, 0.0, 0.0))


def test_work_framed_by_savings_means_less():
    full = wellbeing.meaningful_share(np.array([20.0]), np.array([10.0]), np.array([150.0]), 0.0, P)
    framed = wellbeing.meaningful_share(np.array([20.0]), np.array([10.0]), np.array([150.0]), 1.0, P)
    assert full[0] == pytest.approx(0.2)
    assert framed[0] == pytest.approx(0.2 * (1 - P.wellbeing.savings_framing_meaning_loss))


def test_sustained_overload_lowers_morale_and_raises_exits_in_the_model():
    base = simulate(months=60, seeds=SEEDS)
    overloaded = simulate(months=60, seeds=SEEDS, **{"demand.minutes_per_consultation": 15.5})
    diff, se = paired_difference(column(overloaded, "morale")[-12:].mean(axis=0),
                                 column(base, "morale")[-12:].mean(axis=0))
    assert diff < -0.02 and diff < -4 * se
    diff, se = paired_difference(column(overloaded, "gp_exits").sum(axis=0), column(base, "gp_exits").sum(axis=0))
    assert diff > 0.2 * column(base, "gp_exits").sum(axis=0).mean() and diff > 3 * se


def test_turnover_rules():
    in_post = np.array([True, True, True, False, False])
    employment = np.array([0, 2, 1, 0, 0])
    u = np.array([0.0, 0.0, 0.9, 0.0, 0.9])
    quits, sessional, filled = workforce.turnover(in_post, employment, np.full(5, 0.5), u,
                                                  np.zeros(5), u, P)
    assert sessional.tolist() == [True, False, False, False, False]       # only a non-sessional GP goes sessional
    assert quits.tolist() == [False, True, False, False, False]           # a sessional GP who leaves quits
    assert filled.tolist() == [False, False, False, True, False]          # only vacant posts are filled


# ----------------------------------------------------------------------------- quality
def test_care_rises_with_effort_towards_its_ceiling_and_decays_without():
    d = np.array([0.5])
    assert quality.deliver(d, 1.0, 0.9, P) > d
    assert quality.deliver(d, 0.0, 0.9, P) < d
    for effort in (0.1, 1.0, 10.0):
        eq = quality.deliver_equilibrium(effort, 0.9, P)
        assert eq < 0.9 and quality.deliver(eq, effort, 0.9, P) == pytest.approx(eq)
    gains = np.diff([quality.deliver_equilibrium(e, 0.9, P) for e in (0.5, 1.0, 1.5, 2.0)])
    assert np.all(np.diff(gains) < 0)  # diminishing returns: gains level off


def test_record_follows_coding_and_recording_without_care():
    assert quality.record(0.6, 0.75, 0.0) == pytest.approx(0.45)
    assert quality.record(0.6, 1.0, 0.2) == pytest.approx(0.8)
    assert quality.record(0.9, 1.0, 0.5) == 1.0


def test_continuity_falls_with_sessional_work_protocols_vacancies_and_access_pressure():
    base = quality.continuity_target(0.2, 0.1, 0.0, 0.0, P)
    for changed in ((0.5, 0.1, 0.0, 0.0), (0.2, 0.5, 0.0, 0.0), (0.2, 0.1, 0.3, 0.0), (0.2, 0.1, 0.0, 0.2)):
        assert quality.continuity_target(*changed, P) < base


def test_routines_embed_slowly_erode_more_slowly_and_keep_giving_effort():
    routine = np.array([0.2])
    grown = quality.routine(routine, np.array([0.9]), P)
    assert routine < grown < 0.9
    faded = quality.routine(np.array([0.8]), np.array([0.1]), P)
    assert faded < 0.8 and (0.8 - faded) < (grown - routine)          # erosion slower than embedding
    assert quality.with_routines(np.array([0.1]), np.array([0.8]), P)[0] == pytest.approx(
        0.1 + P.quality.routine_effort_share * 0.7)                     # an embedded routine keeps giving
    assert quality.with_routines(np.array([0.9]), np.array([0.2]), P)[0] == pytest.approx(0.9)


def test_embedded_routines_keep_care_going_after_payment_stops_in_the_model():
    """Six QOF indicators withdrawn after six years of payment (configs/qof_history.toml): two years later the
    care behind them is higher with routines embedding than with none, while their record falls regardless."""
    from .conftest import CONFIGS

    def withdrawn(**changes):
        sim = simulate(CONFIGS / "qof_history.toml", months=120, seeds=SEEDS[:4], **changes)
        spec = next(s for s in sim.config.policy if s["scheme"] == "qof")
        out = np.array([c in spec["withdraw"] for c in sim.catalogue.codes])
        month = min(spec["withdraw"].values())
        return sim.outputs.indicators[month + 18:month + 24, :, out].mean(axis=(0, 2, 4))   # (2, R)
    embedded = withdrawn()
    none = withdrawn(**{"quality.routine_embedding_per_month": 0.0})
    diff, se = paired_difference(embedded[1], none[1])
    assert diff > 0.005 and diff > 4 * se                                   # delivered care kept up by routines
    assert np.abs(embedded[0] - none[0]).mean() < diff                       # the record falls back regardless


# ----------------------------------------------------------------------------- hospital
def test_admissions_fall_with_quality_and_grow_with_the_trend():
    args = dict(list_size=np.array([10_000.0]), needs=np.array([1.0]), care_0=0.6, holistic_0=0.5,
                continuity_0=0.6, innovation_effect=0.0, params=P)
    inc, other, cf = hospital.expected_admissions(care=0.6, holistic=0.5, continuity=0.6, month=0, **args)
    assert inc + other == pytest.approx(cf)
    better_inc, _, _ = hospital.expected_admissions(care=0.8, holistic=0.5, continuity=0.6, month=0, **args)
    _, better_other, _ = hospital.expected_admissions(care=0.6, holistic=0.7, continuity=0.6, month=0, **args)
    _, cont_other, _ = hospital.expected_admissions(care=0.6, holistic=0.5, continuity=0.8, month=0, **args)
    assert better_inc < inc and better_other < other and cont_other < other
    later_inc, later_other, later_cf = hospital.expected_admissions(care=0.6, holistic=0.5, continuity=0.6,
                                                                    month=12, **args)
    assert later_cf / cf == pytest.approx(1 + P.hospital.admission_growth_per_year)


def test_better_delivered_care_means_fewer_admissions_in_the_model():
    cfg = configs.load(None, ["run.months=24"])
    control, better = Simulation(cfg, seeds=list(SEEDS)), Simulation(cfg, seeds=list(SEEDS))
    better.delivered = np.maximum(better.delivered, better.catalogue.ceiling[:, None, None] * 0.98)
    better.holistic = np.maximum(better.holistic, 0.75)
    control.run()
    better.run()
    for name in ("admissions_per_1000_incentivised", "admissions_per_1000_other"):
        diff, se = paired_difference(column(better, name)[:12].mean(axis=0), column(control, name)[:12].mean(axis=0))
        assert diff < 0 and diff < -4 * se, name


def test_enablers_move_diagnostics_to_primary_care():
    enablers = np.zeros((4, 1, 2))
    enablers[:, 0, 1] = 1
    in_hospital, in_primary = hospital.diagnostics(np.array([5000.0, 5000.0]), np.array([1.0, 1.0]), enablers, P)
    assert in_primary[0, 0] == 0 and in_hospital[0, 1] == pytest.approx(0)
    assert in_hospital[0, 0] == pytest.approx(in_primary[0, 1])


# ----------------------------------------------------------------------------- innovation
def _draws(q, **values):
    slots = (innovation.MAX_PROJECTS, 1, q)
    shapes = {"u_start": (1, q), "u_lose": slots, "z_effect": (1, q), "z_reading": slots}
    base = {"u_start": np.ones((1, q)), "u_lose": np.ones(slots), "z_effect": np.zeros((1, q)),
            "z_reading": np.zeros(slots)}
    base.update({k: np.full(shapes[k], v) for k, v in values.items()})
    return base


def _in_first_slot(projects, **values):
    """``projects`` with each of ``values`` (R, Q) set in every grouping's first slot (the others empty)."""
    changed = {}
    for name, value in values.items():
        array = np.zeros_like(getattr(projects, name))
        array[0] = value
        changed[name] = array
    return projects.__class__(**{**projects.__dict__, **changed})


def test_infrastructure_method_and_engagement_speed_projects_and_concreteness_does_not_multiply_progress():
    args = dict(transformation_hours=np.array([50.0]), list_size=np.array([10_000.0]),
                infrastructure=np.array([0.2]), method=np.array([0]), engaged=np.array([0.3]))
    base = innovation.effective_hours(**args)
    for key, value in (("infrastructure", [0.6]), ("method", [1]), ("engaged", [0.9])):
        assert innovation.effective_hours(**{**args, key: np.array(value)}) > base, key
    # a concrete proposal acts through what a clear plan changes: engaged partners and a better idea
    assert innovation.engagement(1.0, P) > innovation.engagement(0.0, P)
    assert innovation.expected_effect(1.0, P) > innovation.expected_effect(0.0, P) == P.innovation.effect_mean


def test_readings_arrive_late():
    lag = int(P.innovation.reading_lag_months)
    projects = innovation.Projects.empty(1, 1)
    projects = _in_first_slot(projects, stage=innovation.PILOTING, true_effect=0.05)
    for month in range(lag + 2):
        projects, _, _ = innovation.advance(projects, np.zeros((1, 1)), np.array([[20.0]]), np.array([0]),
                                            _draws(1), P)
        assert projects.evidence_months[0, 0, 0] == max(0, month + 1 - lag), month


def test_at_funding_end_a_grouping_keeps_what_is_worth_its_cost():
    projects = innovation.Projects.empty(1, 3)
    projects = _in_first_slot(projects, stage=innovation.RUNNING, evidence_sum=np.array([[0.10, 0.00, -0.05]]) * 4,
                              evidence_months=4.0)
    others = np.full(3, 1000.0)                                      # admissions for other conditions a year
    sizes, concrete, commitment = np.full(3, 10_000.0), np.zeros(3), np.ones(3)
    dropped = innovation.review_at_funding_end(projects, np.ones((1, 3), bool), others, sizes, concrete,
                                               commitment, P)
    assert dropped[0].tolist() == [[False, True, True]]              # a good reading is worth its cost; nothing is not
    assert not dropped[1:].any()                                     # empty slots have nothing to drop
    free = make_params({**configs.load().params, "innovation.carrying_cost_weight": 0.0}, runs=None)
    dropped = innovation.review_at_funding_end(projects, np.ones((1, 3), bool), others, sizes, concrete,
                                               commitment, free)
    assert dropped[0].tolist() == [[False, False, True]]             # with no cost to carry, only harm is dropped
    assert not innovation.review_at_funding_end(projects, np.zeros((1, 3), bool), others, sizes, concrete,
                                                commitment, P).any()


def test_projects_start_advance_and_count_quick_wins():
    projects = innovation.Projects.empty(1, 1)
    projects, wins, _ = innovation.advance(projects, np.array([[0.0]]), np.array([[20.0]]), np.array([0]),
                                           _draws(1, u_start=0.0), P)
    assert projects.stage[0, 0, 0] == innovation.DEVELOPING and wins[0, 0] == 0
    assert not projects.live[1:].any()                               # one new idea a month, in the first slot
    projects, wins, _ = innovation.advance(projects, np.array([[P.innovation.hours_per_stage]]),
                                           np.array([[0.0]]), np.array([0]), _draws(1), P)
    assert projects.stage[0, 0, 0] == innovation.PILOTING and wins[0, 0] == 1


def test_pdsa_drops_a_poor_idea_early_but_no_method_lets_it_run():
    for method, dropped in ((1, True), (0, False)):
        projects = innovation.Projects.empty(1, 1)
        projects, _, _ = innovation.advance(projects, np.zeros((1, 1)), np.array([[20.0]]), np.array([method]),
                                            _draws(1, u_start=0.0, z_effect=-3.0), P)
        projects = projects.__class__(**{**projects.__dict__, "stage": np.where(projects.live, innovation.PILOTING,
                                                                                projects.stage).astype(np.int8)})
        for _ in range(innovation.REVIEW_MONTHS + int(P.innovation.reading_lag_months)):   # readings come late
            projects, _, losses = innovation.advance(projects, np.zeros((1, 1)), np.array([[20.0]]),
                                                     np.array([method]), _draws(1), P)
        assert (projects.stage[0, 0, 0] == innovation.NONE) == dropped
        assert projects.dropped_early[0, 0] == dropped and losses[0, 0] == 0


def test_starved_projects_are_lost():
    projects = innovation.Projects.empty(1, 1)
    projects = _in_first_slot(projects, stage=innovation.RUNNING, true_effect=0.05, reach=1.0)
    kept, _, losses = innovation.advance(projects, np.zeros((1, 1)), np.array([[20.0]]), np.array([0]),
                                         _draws(1, u_lose=0.05), P)
    assert kept.stage[0, 0, 0] == innovation.RUNNING and losses[0, 0] == 0
    lost, _, losses = innovation.advance(projects, np.zeros((1, 1)), np.array([[0.0]]), np.array([0]),
                                         _draws(1, u_lose=0.05), P)
    assert lost.stage[0, 0, 0] == innovation.NONE and losses[0, 0] == 1
    assert innovation.admission_effect(kept)[0, 0] == pytest.approx(0.05)


# ----------------------------------------------------------------------------- commissioner and money
def test_stance_moves_with_observed_progress():
    s = np.array([0.3])
    assert commissioner.update_stance(s, s, np.array([1.0]), P) > s
    assert commissioner.update_stance(s, s, np.array([-1.0]), P) < s


def test_money_is_conserved_between_commissioner_practices_and_hospitals():
    cfg = configs.load(None, ["run.months=24"])
    sim = Simulation(cfg, seeds=[1, 2])
    hospital_income = np.zeros((2,))
    for _ in range(24):
        sim.step()
        hospital_income += sim.last.hospital_cost.sum(axis=-1)
    monthly = sim.outputs.monthly
    spend = monthly[:, COLUMNS.index("spend_capitation")].sum(axis=(0, 2))
    np.testing.assert_allclose(spend, sim.income_to_date[0].sum(axis=-1), rtol=1e-12)
    s = sim.structure
    expected = 24 * P.commissioner.capitation_per_patient_year / 12 * (s.list_size * s.needs).sum()
    np.testing.assert_allclose(spend, expected, rtol=1e-12)
    np.testing.assert_allclose(monthly[:, COLUMNS.index("hospital_cost")].sum(axis=(0, 2)), hospital_income,
                               rtol=1e-12)


# ----------------------------------------------------------------------------- the status quo over ten years
def test_status_quo_admissions_grow_at_a_plausible_cited_rate():
    """Emergency admissions in England grew about 3% a year, 2004/05-2014/15 (HES; Blunt 2013)."""
    sim = simulate(months=120, seeds=SEEDS)
    yearly = column(sim, "emergency_admissions").reshape(10, 12, -1).sum(axis=1)
    growth = (yearly[-1] / yearly[0]) ** (1 / 9) - 1
    assert np.all((growth > 0.02) & (growth < 0.05)), growth


@pytest.mark.parametrize("config, seeds", [("default.toml", SEEDS), ("england.toml", (1,))])
def test_ten_years_at_both_presets_without_nan(config, seeds):
    from .conftest import CONFIGS

    sim = simulate(CONFIGS / config, months=120, seeds=seeds)
    assert np.isfinite(sim.outputs.monthly).all()
    assert np.isfinite(sim.outputs.indicators).all()
    levels = [COLUMNS.index(c) for c in COLUMNS if c.startswith(("quality", "motivation", "morale", "burnout",
                                                                  "continuity", "self_efficacy"))]
    assert ((sim.outputs.monthly[:, levels] >= 0) & (sim.outputs.monthly[:, levels] <= 1)).all()


# ----------------------------------------------------------------------------- micro-incentives
def test_points_follow_achievement_between_thresholds():
    from pcsim.schemes import incentives

    assert incentives.points_share(np.array([0.3, 0.6, 0.9]), 0.4, 0.8).tolist() == pytest.approx([0, 0.5, 1])
    assert incentives.achievement(0.94, 0.06) == pytest.approx(1.0)
    assert incentives.achievement(0.5, 0.0) == 0.5
    assert incentives.marginal_share(0.5, 0.8) == 1 and incentives.marginal_share(0.95, 0.8) == pytest.approx(1 / 3)


def test_small_pots_get_little_attention():
    from pcsim.model.perception import salience

    pots = np.array([500.0, P.incentives.salience_gbp, 20_000.0])
    attention = salience(pots, P)
    assert attention[1] == pytest.approx(0.5)
    assert attention[0] < 0.1 < 0.9 < attention[2]
    # attention per pound falls when a pot is split: two halves get less than one whole
    assert 2 * salience(pots[1] / 2, P) * (pots[1] / 2) < salience(pots[1], P) * pots[1]
    assert salience(np.array([0.0]), make_params({**configs.load().params, "incentives.salience_gbp": 0.0},
                                                 runs=None))[0] == 0


def test_pressures_saturate_and_burden_adds_up():
    from pcsim.model.perception import combine
    from pcsim.schemes import incentives

    assert 0.95 < combine([0.15] * 20, (1,))[0] < 1
    one = incentives.admin_hours_per_gp(1, 10, 4, P)
    assert incentives.admin_hours_per_gp(2, 10, 4, P) - one == pytest.approx(P.incentives.admin_hours_per_scheme / 4)


def test_annual_payments_pay_a_years_achievement_by_its_end():
    from pcsim.schemes import incentives

    payments = incentives.AnnualPayments(start=3, end=40)
    paid = [payments.pay(m, np.array([1200.0])) for m in range(3, 15)]
    assert sum(paid)[0] == pytest.approx(1200.0)                  # the year's value, by its last month
    assert paid[0][0] == pytest.approx(0.7 * 1200 / 12)           # aspiration: 70% of a year's value a month
    ending = incentives.AnnualPayments(start=0, end=6)
    assert sum(ending.pay(m, np.array([600.0])) for m in range(6))[0] == pytest.approx(300.0)   # half a year
