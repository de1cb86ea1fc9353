"""MODEL.md section 6, patterns 4, 5, 6, 7, 8, 9, 11 and 12: the investment fund and what follows it.

Each pattern is checked by :mod:`pcsim.experiments.patterns` (the same checks as
the pattern scorecard and ``pcsim patterns``): arms share ten seeds (twenty or
forty for the noisier patterns: each arm's ``times``; common random numbers), each size between a
lower and an upper bound. A pattern counts only if it holds with its mechanism
and fails with that mechanism knocked out, so each test asserts both. No value
is copied from a run. The arms come from the session's shared ``runs``.
"""

from __future__ import annotations

import numpy as np
import pytest

from pcsim import config as configs
from pcsim.experiments import patterns
from pcsim.experiments.patterns import Arm, Check, Verdict

from .conftest import SEEDS, assert_reproduced, paired_difference


@pytest.mark.parametrize("number", [4, 5, 6, 7, 8, 9, 11, 12])
def test_each_investment_pattern_holds_with_its_mechanism_and_fails_without_it(runs, number):
    assert_reproduced(patterns.evaluate(patterns.PATTERNS[number], runs, knockouts=True))


def test_the_scorecard_gives_every_pattern_in_order(runs, monkeypatch):
    monkeypatch.setattr(patterns, "Runs", lambda seeds: runs)      # the arms the tests above have built
    ticks = []
    verdicts = patterns.scorecard(SEEDS, progress=ticks.append)
    assert sorted(patterns.PATTERNS) == list(range(1, 13))
    assert [v.number for v in verdicts] == list(range(1, 13)) and ticks == [1] * 12
    for verdict in verdicts:
        assert verdict.claim and verdict.source.startswith("[") and verdict.checks, verdict.number
        assert verdict.seeds in (len(SEEDS), 2 * len(SEEDS), 4 * len(SEEDS))
        assert verdict.mechanism and verdict.knockout
        assert verdict.gives().count("[") >= len(verdict.checks)


def test_a_verdict_fails_when_any_check_fails():
    good = Check("a rise (share)", 0.2, "> 0.1", True, se=0.01)
    bad = Check("a fall (level)", 0.05, "< 0", False)
    assert Verdict(1, "claim", "[Miller18]", (good, good), 10).passed
    verdict = Verdict(1, "claim", "[Miller18]", (good, bad), 10)
    assert not verdict.passed
    assert verdict.gives() == "a rise (share) 0.2 (SE 0.01) [> 0.1: pass]; a fall (level) 0.05 [< 0: FAIL]"
    holding = Verdict(1, "claim", "[Miller18]", (good,), 10)
    assert Verdict(1, "c", "[s]", (good,), 10, knocked_out=Verdict(1, "c", "[s]", (bad,), 10)).reproduced
    assert not Verdict(1, "c", "[s]", (good,), 10, knocked_out=holding).reproduced    # holds whatever the mechanism
    assert holding.reproduced is None


def test_a_size_check_fails_on_either_side_of_its_bounds():
    seeds = np.arange(10.0)
    assert patterns.between("x", seeds + 0.5, seeds, 0.1, 1.0).passed
    assert not patterns.between("x", seeds + 0.05, seeds, 0.1, 1.0).passed        # too small to be material
    assert not patterns.between("x", seeds + 2.0, seeds, 0.1, 1.0).passed         # implausibly large


def test_selection_raises_innovator_identity_of_the_selected():
    sim = Arm(config="ace.toml", months=12, changes=(("policy.investment_fund.places", 3),)).run(SEEDS, {})
    gp_grouping = sim.structure.practice_grouping[sim.structure.gp_practice]
    named_gp = np.isin(gp_grouping, patterns.named(sim))
    selected_gp = np.take_along_axis(sim.selected, np.broadcast_to(gp_grouping, (len(SEEDS), len(gp_grouping))), axis=1)
    innovator = sim.motivation[2]
    chosen = np.array([innovator[r, selected_gp[r] & named_gp].mean() for r in range(len(SEEDS))])
    passed = np.array([innovator[r, ~selected_gp[r] & named_gp].mean() for r in range(len(SEEDS))])
    assert np.all(sim.selected[:, patterns.named(sim)].sum(axis=1) == 3)
    diff, se = paired_difference(chosen, passed)
    assert diff > 0.03 and diff > 4 * se


@pytest.mark.parametrize("raw, words", [
    ({"policy": [{"scheme": "investment_fund", "applicants": ["A", "Z"]}]}, ["'Z'", "not a grouping"]),
    ({"policy": [{"scheme": "investment_fund", "design": {"paid": "bonus"}}]}, ["design.paid", "'bonus'", "up_front"]),
    ({"policy": [{"scheme": "investment_fund", "design": {"trust": 0.9}}]}, ["unknown design feature", "'trust'"]),
    ({"policy": [{"scheme": "qof", "design": {"contingent": 1.5}}]}, ["design.contingent", "1.5", "0.0 to 1.0"]),
    ({"policy": [{"scheme": "investment_fund", "places": 0}]}, ["places", "0"]),
    ({"investment": {"funding_per_patient": -1.0}}, ["investment.funding_per_patient", "-1.0"]),
    ({"policy": [{"scheme": "risk_sharing", "share": 1.5}]}, ["share", "1.5", "0.0 to 1.0"]),
    ({"policy": [{"scheme": "risk_sharing", "groupings": ["Q"]}]}, ["'Q'"]),
    ({"policy": [{"scheme": "rollout", "contract": "strict"}]}, ["contract", "'strict'", "directive or partnership"]),
    ({"groupings": [], "policy": [{"scheme": "investment_fund"}]}, ["no groupings"]),
    ({"policy": [{"scheme": "investment_fund", "start": 0, "end": 0}]}, ["not after start"]),
])
def test_bad_fund_input_is_named(raw, words):
    with pytest.raises(configs.ConfigError) as err:
        configs.from_dict(raw)
    for word in words:
        assert word in str(err.value)
