"""MODEL.md section 6, patterns 1, 2, 3 and 10, and withdrawal of QOF indicators.

Each compares a scheme with a control arm on the same ten seeds (common random
numbers) and asserts a direction and a size, judged against the seed-to-seed
standard error of the paired difference; no value is copied from a run.
"""

from __future__ import annotations

import numpy as np
import pytest

from pcsim import config as configs
from pcsim.simulation import Simulation

from .conftest import CONFIGS, SEEDS, column, paired_difference


def arm(policy, months=120, config=None, **overrides):
    raw = configs.load(config).to_dict()
    raw["run"]["months"] = months
    raw["policy"] = [{"scheme": "core_contract"}, *policy]
    for key, value in overrides.items():
        section, name = key.split(".")
        raw.setdefault(section, {})[name] = value
    sim = Simulation(configs.from_dict(raw), seeds=list(SEEDS))
    sim.run()
    return sim


@pytest.fixture(scope="module")
def qof_and_control():
    return arm([{"scheme": "qof"}]), arm([])


def yearly(sim, name, year):
    return column(sim, name)[12 * (year - 1):12 * year].mean(axis=0)


def test_pattern_1_qof_raises_incentivised_care_and_cuts_those_admissions(qof_and_control):
    qof, control = qof_and_control
    diff, se = paired_difference(yearly(qof, "quality_incentivised_recorded", 2),
                                 yearly(control, "quality_incentivised_recorded", 2))
    assert diff > 0.1 and diff > 4 * se
    diff, se = paired_difference(yearly(qof, "quality_incentivised_delivered", 5),
                                 yearly(control, "quality_incentivised_delivered", 5))
    assert diff > 0.03 and diff > 4 * se
    qof_adm = column(qof, "admissions_per_1000_incentivised")[24:60].mean(axis=0)
    ctl_adm = column(control, "admissions_per_1000_incentivised")[24:60].mean(axis=0)
    diff, se = paired_difference(qof_adm, ctl_adm)
    assert diff < -0.03 * ctl_adm.mean() and diff < -4 * se


def test_pattern_1_non_incentivised_care_does_not_improve(qof_and_control):
    qof, control = qof_and_control
    for year in (2, 5, 10):
        diff, se = paired_difference(yearly(qof, "quality_non_incentivised", year),
                                     yearly(control, "quality_non_incentivised", year))
        assert diff < 2 * se, year


def test_pattern_1_the_gain_levels_off(qof_and_control):
    qof, control = qof_and_control
    gain = (column(qof, "quality_incentivised_delivered") - column(control, "quality_incentivised_delivered")).mean(axis=1)
    early = (gain[23] - gain[0]) / 2          # per year, first two years
    late = (gain[95] - gain[47]) / 4          # per year, years five to eight
    assert early > 2 * late


def test_pattern_2_long_running_incentives_crowd_out_person_centred_care(qof_and_control):
    qof, control = qof_and_control
    for name in ("quality_non_incentivised", "continuity", "motivation_clinical_care", "motivation_autonomy"):
        q = column(qof, name)[96:].mean(axis=0)
        c = column(control, name)[96:].mean(axis=0)
        diff, se = paired_difference(q, c)
        assert diff < 0 and diff < -4 * se, name
    holistic = paired_difference(column(qof, "quality_non_incentivised")[96:].mean(axis=0),
                                 column(control, "quality_non_incentivised")[96:].mean(axis=0))[0]
    assert holistic < -0.02


def test_pattern_3_more_schemes_more_admin_less_transformation_and_morale():
    few = arm([{"scheme": "cquin", "schemes": 2, "budget_per_patient_year": 1.5}], months=60)
    many = arm([{"scheme": "cquin", "schemes": 10, "budget_per_patient_year": 7.5}], months=60)
    def later(sim, name):
        return column(sim, name)[24:].mean(axis=0)
    diff, se = paired_difference(later(many, "admin_hours_per_gp"), later(few, "admin_hours_per_gp"))
    assert diff > 5 and diff > 10 * se
    for name in ("transformation_hours_per_gp", "morale"):
        diff, se = paired_difference(later(many, name), later(few, name))
        assert diff < 0 and diff < -4 * se, name


def targeted_gain(sim, control):
    """Budget-weighted gain in delivered care on the indicators a CQUIN-style scheme pays for (per seed)."""
    scheme = sim.policy.schemes[1]
    weight = scheme.schemes_per_indicator / scheme.schemes_per_indicator.sum()
    diff = (sim.outputs.indicators[24:, 1] - control.outputs.indicators[24:, 1]).mean(axis=(0, 3))   # (K, R)
    return (weight[:, None] * diff).sum(axis=0)


def test_pattern_10_a_fixed_budget_spread_thin_buys_less():
    control = arm([], months=60)
    focused = arm([{"scheme": "cquin", "schemes": 2, "budget_per_patient_year": 3.0}], months=60)
    spread = arm([{"scheme": "cquin", "schemes": 12, "budget_per_patient_year": 3.0}], months=60)
    gain_focused, gain_spread = targeted_gain(focused, control), targeted_gain(spread, control)
    assert gain_focused.mean() > 0.03
    diff, se = paired_difference(gain_focused, gain_spread)
    assert diff > 0.03 and diff > 4 * se
    adm = paired_difference(column(focused, "admissions_per_1000_incentivised")[24:].mean(axis=0),
                            column(spread, "admissions_per_1000_incentivised")[24:].mean(axis=0))
    assert adm[0] < 0 and adm[0] < -3 * adm[1]


@pytest.fixture(scope="module")
def withdrawal():
    path = CONFIGS / "qof_history.toml"
    withdrawn = Simulation(configs.load(path), seeds=list(SEEDS))
    kept = Simulation(configs.load(path, ["policy.qof.withdraw={}"]), seeds=list(SEEDS))
    withdrawn.run()
    kept.run()
    return withdrawn, kept


def test_withdrawing_indicators_changes_only_what_their_mechanisms_say(withdrawal):
    withdrawn, kept = withdrawal
    spec = next(s for s in withdrawn.config.policy if s["scheme"] == "qof")
    month = min(spec["withdraw"].values())
    codes = withdrawn.catalogue.codes
    out = np.array([c in spec["withdraw"] for c in codes])
    after = slice(month + 12, month + 36)
    rec = (withdrawn.outputs.indicators[after, 0] - kept.outputs.indicators[after, 0]).mean(axis=(0, 3))   # (K, R)
    dlv = (withdrawn.outputs.indicators[after, 1] - kept.outputs.indicators[after, 1]).mean(axis=(0, 3))
    before = (withdrawn.outputs.indicators[:month] - kept.outputs.indicators[:month])
    assert np.abs(before).max() == 0                         # identical until the withdrawal (common random numbers)
    assert np.all(rec[out].mean(axis=1) < -0.08)             # the record of withdrawn indicators falls
    assert np.all(rec[out].mean(axis=1) < dlv[out].mean(axis=1))   # more than the care behind it
    assert np.all(dlv[out].mean(axis=1) <= 0.005)            # care on them does not improve
    assert np.all(np.abs(rec[~out].mean(axis=1)) < 0.03)     # indicators still paid barely move
    in_scheme = withdrawn.outputs.in_scheme
    assert in_scheme[month - 1, out].all() and not in_scheme[month, out].any() and in_scheme[month, ~out].all()


def test_enhanced_services_give_an_inconsistent_offer_and_move_diagnostics():
    offer = arm([{"scheme": "enhanced_services"}], months=24)
    richer = arm([{"scheme": "enhanced_services", "payment_scale": 3.0}], months=24)
    control = arm([], months=24)
    uptake = column(offer, "enhanced_services_uptake").mean(axis=0)
    assert np.all((uptake > 0.05) & (uptake < 0.95))
    assert np.all(column(offer, "offer_inconsistency").mean(axis=0) > 0.1)
    diff, se = paired_difference(column(richer, "enhanced_services_uptake").mean(axis=0), uptake)
    assert diff > 0.1 and diff > 4 * se
    moved = column(offer, "hospital_diagnostics").mean(axis=0) - column(control, "hospital_diagnostics").mean(axis=0)
    assert np.all(moved < 0)
    assert np.all(column(control, "enhanced_services_uptake") == 0)


def test_overloaded_practices_join_fewer_services():
    sim = Simulation(configs.load(None, ["run.months=1"]))
    from pcsim.schemes.enhanced_services import EnhancedServices

    scheme = EnhancedServices({"scheme": "enhanced_services", "start": 0, "end": None, "services": ["ecg"],
                               "payment_scale": 1.0}, sim)
    calm, busy = scheme.cost(sim, 0.0), scheme.cost(sim, 0.3)
    assert np.all(busy > calm)


@pytest.mark.parametrize("raw, words", [
    ({"indicators": [{"code": "X1", "condition": "gout", "kind": "action", "points": 5, "lower": 0.4, "upper": 0.8,
                      "ceiling": 0.9, "minutes_per_patient_year": 10}]}, ["condition", "'gout'", "known"]),
    ({"indicators": [{"code": "HYP_BP", "lower": 0.8, "upper": 0.4}]}, ["HYP_BP", "out of order"]),
    ({"indicators": [{"code": "HYP_BP", "points": -3}]}, ["points", "-3", "negative"]),
    ({"policy": [{"scheme": "cquin", "budget_per_patient_year": -1.0}]}, ["budget_per_patient_year", "-1.0"]),
    ({"policy": [{"scheme": "enhanced_services", "payment_scale": -2.0}]}, ["payment_scale", "-2.0"]),
    ({"policy": [{"scheme": "qof", "withdraw": {"HYP_BP": 500}}]}, ["withdraw.HYP_BP", "500", "outside the run"]),
    ({"policy": [{"scheme": "qof", "withdraw": {"NOPE": 5}}]}, ["'NOPE'"]),
    ({"policy": [{"scheme": "qof", "indicators": ["HYP_BP", "XX"]}]}, ["'XX'", "not an indicator"]),
    ({"policy": [{"scheme": "enhanced_services", "services": ["podiatry"]}]}, ["'podiatry'", "known"]),
])
def test_bad_scheme_input_is_named(raw, words):
    with pytest.raises(configs.ConfigError) as err:
        configs.from_dict(raw)
    for word in words:
        assert word in str(err.value)
