"""MODEL.md section 6, patterns 4, 5, 6, 7, 8, 9 and 11: the investment fund and what follows it.

Each pattern is checked by its function in :mod:`pcsim.patterns` (the same checks
as the pattern scorecard): arms share ten seeds (twenty for patterns 5 and 11;
common random numbers), directions and sizes are judged against the seed-to-seed
standard error; no value is copied from a run. The arms come from the session's
shared ``runs``.
"""

from __future__ import annotations

import numpy as np
import pytest

from pcsim import config as configs
from pcsim.experiments import patterns
from pcsim.experiments.patterns import Check, Verdict, arm_from_config

from .conftest import SEEDS, assert_holds, paired_difference



def test_pattern_4_every_funded_grouping_delivers_the_enablers_and_diagnostics_are_decommissioned(runs):
    assert_holds(patterns.pattern_4(runs))


def test_pattern_5_concrete_proposals_progress_faster(runs):
    assert_holds(patterns.pattern_5(runs))


def test_pattern_6_about_half_the_innovations_run_on_after_the_pilot(runs):
    assert_holds(patterns.pattern_6(runs))


def test_pattern_7_sharing_in_learning_sets_starts_low_and_rises(runs):
    assert_holds(patterns.pattern_7(runs))


def test_pattern_8_a_directive_contract_lowers_leads_morale_and_innovation_though_some_persist(runs):
    assert_holds(patterns.pattern_8(runs))


def test_pattern_9_at_equal_spend_capacity_beats_reward(runs):
    assert_holds(patterns.pattern_9(runs))


def test_pattern_11_risk_taken_too_fast_makes_groupings_fail_and_a_shadow_period_avoids_it(runs):
    assert_holds(patterns.pattern_11(runs))


def test_the_scorecard_gives_every_pattern_in_order(runs, monkeypatch):
    monkeypatch.setattr(patterns, "Runs", lambda seeds: runs)      # the arms the tests above have built
    ticks = []
    verdicts = patterns.scorecard(SEEDS, progress=ticks.append)
    assert sorted(patterns.PATTERNS) == list(range(1, 12))
    assert [v.number for v in verdicts] == list(range(1, 12)) and ticks == [1] * 11
    for verdict in verdicts:
        assert verdict.claim and verdict.source.startswith("[") and verdict.checks, verdict.number
        assert verdict.seeds in (len(SEEDS), 2 * len(SEEDS))
        assert verdict.gives().count("[") >= len(verdict.checks)


def test_a_verdict_fails_when_any_check_fails():
    good = Check("a rise (share)", 0.2, "> 0.1", True, se=0.01)
    bad = Check("a fall (level)", 0.05, "< 0", False)
    assert Verdict(1, "claim", "[Miller18]", (good, good), 10).passed
    verdict = Verdict(1, "claim", "[Miller18]", (good, bad), 10)
    assert not verdict.passed
    assert verdict.gives() == "a rise (share) 0.2 (SE 0.01) [> 0.1: pass]; a fall (level) 0.05 [< 0: FAIL]"


def test_selection_raises_innovator_identity_of_the_selected():
    sim = arm_from_config("ace.toml", SEEDS, months=12, **{"policy.investment_fund.places": 3})
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
    ({"policy": [{"scheme": "investment_fund", "mode": "bonus"}]}, ["mode", "'bonus'", "capacity or reward"]),
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
