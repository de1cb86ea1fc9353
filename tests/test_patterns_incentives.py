"""MODEL.md section 6, patterns 1, 2, 3 and 10, and withdrawal of QOF indicators.

Each pattern is checked by :mod:`pcsim.experiments.patterns` (the same checks as
the pattern scorecard and ``pcsim patterns``): a scheme against a control arm on
the same ten seeds (common random numbers), each size between a lower and an
upper bound. A pattern counts only if it holds with its mechanism and fails with
that mechanism knocked out, so each test asserts both. No value is copied from a
run. The arms come from the session's shared ``runs``.
"""

from __future__ import annotations

import numpy as np
import pytest

from pcsim import config as configs
from pcsim.experiments import patterns
from pcsim.experiments.patterns import Arm
from pcsim.model.engine import Simulation

from .conftest import CONFIGS, SEEDS, assert_reproduced, column, paired_difference


@pytest.mark.parametrize("number", [1, 2, 3, 10])
def test_each_micro_incentive_pattern_holds_with_its_mechanism_and_fails_without_it(runs, number):
    assert_reproduced(patterns.evaluate(patterns.PATTERNS[number], runs, knockouts=True))


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
    offer = Arm(policy=({"scheme": "enhanced_services"},), months=24).run(SEEDS, {})
    richer = Arm(policy=({"scheme": "enhanced_services", "payment_scale": 3.0},), months=24).run(SEEDS, {})
    control = Arm(policy=(), months=24).run(SEEDS, {})
    uptake = column(offer, "enhanced_services_uptake").mean(axis=0)
    assert np.all((uptake > 0.05) & (uptake < 0.95))
    assert np.all(column(offer, "offer_inconsistency").mean(axis=0) > 0.1)
    diff, se = paired_difference(column(richer, "enhanced_services_uptake").mean(axis=0), uptake)
    assert diff > 0.1 and diff > 4 * se
    moved = column(offer, "hospital_diagnostics").mean(axis=0) - column(control, "hospital_diagnostics").mean(axis=0)
    assert np.all(moved < 0)
    assert np.all(column(control, "enhanced_services_uptake") == 0)


def test_overloaded_practices_join_fewer_services():
    sim = Simulation(configs.load(None, ["run.months=1", "policy.0.scheme=enhanced_services"]))
    scheme = sim.policy.schemes[0]
    calm, busy = scheme.cost(0.0), scheme.cost(0.3)
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
