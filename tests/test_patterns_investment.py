"""MODEL.md section 6, patterns 4, 5, 6, 7, 8, 9 and 11: the investment fund and what follows it.

Arms share ten seeds (common random numbers); directions and sizes are judged
against the seed-to-seed standard error; no value is copied from a run.
"""

from __future__ import annotations

import numpy as np
import pytest

from pcsim import config as configs
from pcsim import innovation
from pcsim.simulation import Simulation

from .conftest import CONFIGS, SEEDS, column, paired_difference


def run(path="ace.toml", months=None, groupings=None, seeds=SEEDS, **changes):
    raw = configs.load(CONFIGS / path).to_dict()
    if months:
        raw["run"]["months"] = months
    for key, value in changes.items():
        *where, name = key.split(".")
        if where[0] == "policy":
            next(s for s in raw["policy"] if s["scheme"] == where[1])[name] = value
        else:
            raw.setdefault(where[0], {})[name] = value
    if groupings:
        raw["groupings"] = [dict(g, **groupings) for g in raw["groupings"]]
    sim = Simulation(configs.from_dict(raw), seeds=list(seeds))
    stages = []
    for _ in range(sim.config.months):
        sim.step()
        stages.append(sim.projects.stage.copy())
    sim.stage_history = np.array(stages)
    sim.named = np.flatnonzero(sim.structure.grouping_named)
    return sim


@pytest.fixture(scope="module")
def ace():
    return run()


def test_pattern_4_every_funded_grouping_delivers_the_enablers_and_diagnostics_are_decommissioned(ace):
    frame = ace.outputs.grouping_values[11, 1]                                # enablers delivered, (R, named)
    assert np.all(ace.selected[:, ace.named])
    assert np.all(frame == 4)
    control = Simulation(configs.load(None, ["run.months=18"]), seeds=list(SEEDS))
    control.run()
    patients_share = ace.structure.grouping_list_size[ace.named].sum() / ace.structure.list_size.sum()
    decommissioned = column(ace, "decommissioned_share")[15]
    assert np.all(decommissioned > 0.9 * patients_share)
    fall = 1 - column(ace, "hospital_diagnostics")[15] / column(control, "hospital_diagnostics")[15]
    assert np.all(fall > 0.8 * patients_share)


def test_pattern_5_concrete_proposals_progress_faster():
    concrete = run(months=12, groupings={"concreteness": 1.0}, seeds=range(1, 21))
    vague = run(months=12, groupings={"concreteness": 0.0}, seeds=range(1, 21))
    def progress(sim):
        q = sim.named
        return (sim.projects.stage[:, q] + sim.projects.progress[:, q]).mean(axis=1)
    diff, se = paired_difference(progress(concrete), progress(vague))
    assert diff > 0.3 and diff > 4 * se


def test_pattern_6_about_half_the_innovations_run_on_after_the_pilot(ace):
    running = (ace.stage_history[17][:, ace.named] == innovation.RUNNING).mean(axis=1)   # six months after
    assert 0.3 < running.mean() < 0.7
    assert running.min() < running.max()                                      # not one fixed outcome


def test_pattern_7_sharing_in_learning_sets_starts_low_and_rises(ace):
    sharing = ace.outputs.grouping_values[:12, 7].mean(axis=(1, 2))
    assert sharing[:3].mean() < 0.3
    assert sharing[8:11].mean() > 2 * sharing[:3].mean()
    assert sharing[11] == sharing.max()                                      # the last set is the most open
    assert np.all(ace.outputs.grouping_values[12:, 7] == 0)                  # no sets after the funded year


@pytest.fixture(scope="module")
def rollouts():
    return run("ace_rollout_directive.toml"), run("ace_rollout_directive.toml", **{"policy.rollout.contract": "partnership"})


def test_pattern_8_a_directive_contract_lowers_leads_morale_and_innovation_though_some_persist(rollouts):
    directive, partnership = rollouts
    diff, se = paired_difference(column(directive, "pilot_lead_morale")[12:24].mean(axis=0),
                                 column(partnership, "pilot_lead_morale")[12:24].mean(axis=0))
    assert diff < -0.01 and diff < -4 * se
    def running(sim):
        return (sim.stage_history[23:][:, :, sim.named] == innovation.RUNNING).mean(axis=(0, 2))
    diff, se = paired_difference(running(directive), running(partnership))
    assert diff < 0 and diff < -2 * se
    assert running(directive).mean() > 0.15                                   # some innovations persist


def test_pattern_9_at_equal_spend_capacity_beats_reward():
    capacity = run(months=24)
    reward = run(months=24, **{"policy.investment_fund.mode": "reward", "investment.funding_per_patient": 16.0})
    spend = [column(s, "spend_investment").sum(axis=0) for s in (capacity, reward)]
    assert spend[1].mean() >= 0.95 * spend[0].mean()                          # reward spends as much, on average
    for name, sign in (("admissions_per_1000_other", -1), ("quality_non_incentivised", 1),
                       ("hospital_cost_avoided", 1), ("motivation_clinical_care", 1), ("motivation_autonomy", 1)):
        diff, se = paired_difference(column(capacity, name)[6:].mean(axis=0), column(reward, name)[6:].mean(axis=0))
        assert sign * diff > 4 * se, name


def test_pattern_11_risk_taken_too_fast_makes_groupings_fail_and_a_shadow_period_avoids_it():
    def failures(**risk):
        raw = configs.load().to_dict()
        raw["run"]["months"] = 48
        raw["policy"] = [{"scheme": "core_contract"}, {"scheme": "risk_sharing", **risk}]
        sim = Simulation(configs.from_dict(raw), seeds=list(range(1, 21)))
        sim.run()
        return sim.failed[:, sim.structure.grouping_named].sum(axis=1)
    fast = failures(share=1.0, shadow_months=0, ramp_months=0)
    gradual = failures(share=0.5, shadow_months=6, ramp_months=12)
    assert fast.sum() >= 4 and fast.sum() > 3 * max(gradual.sum(), 1)
    assert gradual.mean() <= 0.1


def test_selection_raises_innovator_identity_of_the_selected():
    sim = run(months=12, **{"policy.investment_fund.places": 3})
    gp_grouping = sim.structure.practice_grouping[sim.structure.gp_practice]
    named_gp = np.isin(gp_grouping, sim.named)
    selected_gp = np.take_along_axis(sim.selected, np.broadcast_to(gp_grouping, (len(SEEDS), len(gp_grouping))), axis=1)
    innovator = sim.motivation[2]
    chosen = np.array([innovator[r, selected_gp[r] & named_gp].mean() for r in range(len(SEEDS))])
    passed = np.array([innovator[r, ~selected_gp[r] & named_gp].mean() for r in range(len(SEEDS))])
    assert np.all(sim.selected[:, sim.named].sum(axis=1) == 3)
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
