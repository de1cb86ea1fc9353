"""Each scheme mechanism on its own: what a scheme does to the levers and the state, directly."""

from __future__ import annotations

import numpy as np

from pcsim import config as configs
from pcsim.model import innovation
from pcsim.model.engine import Simulation

from .conftest import CONFIGS


def fund_sim(groupings=None, months=18):
    raw = configs.load(CONFIGS / "ace.toml").to_dict()
    raw["run"]["months"] = months
    if groupings:
        raw["groupings"] = [dict(g, **groupings) for g in raw["groupings"]]
    return Simulation(configs.from_dict(raw), seeds=[1, 2, 3])


def test_a_concrete_proposal_is_ready_to_start_when_the_money_arrives():
    sim = fund_sim()
    sim.projects = innovation.Projects.empty(sim.runs, sim.structure.n_groupings)
    fund = sim.policy.schemes[1]
    sim._levers(0)                    # the fund's first month: it selects the groupings
    fund.after_projects(0)
    names = sim.structure.grouping_names
    stage = {n: sim.projects.furthest[:, names.index(n)] for n in "ABCDEF"}
    for concrete in "ABD":
        assert np.all(stage[concrete] == innovation.DEVELOPING)
        assert np.all(sim.projects.advancement[:, names.index(concrete)] == innovation.DEVELOPING)  # sooner, not further
    for vague in "C":
        assert np.all(stage[vague] == innovation.NONE)


def test_funding_buys_protected_time_enabler_money_and_visibility_only_for_the_funded():
    sim = fund_sim()
    levers = sim._levers(0)
    funded = sim.practice_grouping.spread(sim.selected)
    assert np.all(levers.protected_hours[funded] > 0) and np.all(levers.protected_hours[~funded] == 0)
    assert np.all(levers.visibility[funded] == 1) and np.all(levers.visibility[~funded] == 0)
    assert np.all(levers.enabler_money[funded] > 0) and np.all(levers.enabler_money[~funded] == 0)
    assert np.array_equal(np.broadcast_to(levers.forum, sim.selected.shape), sim.selected)
    investment = sim.params.investment
    grant = investment.funding_per_patient[0, 0] * sim.structure.list_size
    hours = (grant * (1 - investment.enabler_share[0, 0]) / 12 / investment.backfill_cost_per_hour[0, 0]
             * investment.backfill_supply[0, 0])
    np.testing.assert_allclose(levers.protected_hours[0][funded[0]], hours[funded[0]])
    assert sim._levers(1).enabler_money.max() == 0                     # the enabler money comes once, up front
    design, stake = levers.exposures[-1].design, levers.exposures[-1].stake
    assert design["paid"] == "up_front" and design["forum"] == "learning_sets"
    assert np.all(stake[funded] > 0) and np.all(stake[~funded] == 0)


def test_groupings_that_are_not_committed_drop_their_projects_when_funding_ends():
    kept, dropped = (fund_sim({"commitment": c}, months=12) for c in (1.0, 0.0))
    for sim in (kept, dropped):
        sim.run()
    q = np.flatnonzero(kept.structure.grouping_named)
    assert dropped.projects.live[:, :, q].sum() == 0
    assert kept.projects.live[:, :, q].sum() > 0


def test_a_directive_contract_is_felt_as_control_less_support_less_freedom_and_savings():
    raw = configs.load(CONFIGS / "ace_rollout_directive.toml").to_dict()
    directive = Simulation(configs.from_dict(raw), seeds=[1])
    raw["policy"][2]["contract"] = "partnership"
    partnership = Simulation(configs.from_dict(raw), seeds=[1])
    for sim in (directive, partnership):
        sim.run(9)                                        # to the roll-out
    felt = [sim._feel(sim._levers(9)) for sim in (directive, partnership)]
    d, pt = felt
    assert np.all(d.control > pt.control) and np.all(d.support < pt.support)
    assert np.all(d.freedom < pt.freedom) and np.all(d.savings_framing > 0.5) and np.all(pt.savings_framing == 0)
    assert np.all(directive._levers(9).admin_hours_per_gp > partnership._levers(9).admin_hours_per_gp)


def test_a_roll_out_gives_every_practice_enabler_money_and_capacity_work_delivers_them_over_months():
    raw = configs.load(CONFIGS / "ace_rollout_directive.toml").to_dict()
    sim = Simulation(configs.from_dict(raw), seeds=[1, 2])
    sim.run(9)
    pilots = sim.practice_grouping.spread(sim.selected)
    before = sim.enablers.min(axis=0)
    sim.run(2)
    assert sim.enablers.min(axis=0)[~pilots].mean() < 0.5              # not at once: the work takes months
    sim.run(16)
    assert sim.enablers.min(axis=0).mean() > 0.95                      # ... and gets done within a year and a half
    assert before[~pilots].max() == 0


def test_a_shadow_period_learns_the_baseline_from_the_figures():
    raw = configs.load().to_dict()
    raw["run"]["months"] = 12
    raw["risk"] = {"baseline_error_sd": 0.15, "correction_per_month": 0.5}
    raw["policy"] = [{"scheme": "core_contract"}, {"scheme": "risk_sharing", "shadow_months": 12}]
    sim = Simulation(configs.from_dict(raw), seeds=[1, 2, 3])
    scheme = sim.policy.schemes[1]
    start = None
    seen = []
    for month in range(12):
        sim.step()
        if start is None:
            start = scheme.ratio.copy()
        by_g = sim.practice_grouping
        seen.append(by_g.sum(sim.admissions.sum(axis=0)) / by_g.sum(sim.expected[2]))
    q = np.flatnonzero(sim.structure.grouping_named)
    target = np.mean(seen[-6:], axis=0)[:, q]
    assert np.abs(scheme.ratio[:, q] - target).mean() < 0.5 * np.abs(start[:, q] - target).mean()


def test_in_shadow_nothing_is_paid_and_live_losses_beyond_reserves_fail_a_grouping():
    from pcsim.model.outputs import COLUMNS

    raw = configs.load().to_dict()
    raw["run"]["months"] = 12
    raw["policy"] = [{"scheme": "core_contract"}, {"scheme": "risk_sharing", "shadow_months": 12}]
    shadow = Simulation(configs.from_dict(raw), seeds=[1, 2])
    shadow.run()
    assert np.all(shadow.outputs.monthly[:, COLUMNS.index("spend_risk_sharing")] == 0)
    raw["run"]["months"] = 36
    raw["policy"][1] = {"scheme": "risk_sharing", "shadow_months": 0, "ramp_months": 0, "share": 1.0}
    raw["risk"] = {"reserve_months": 1.0, "baseline_error_sd": 0.15}
    live = Simulation(configs.from_dict(raw), seeds=list(range(1, 11)))
    live.run()
    scheme, s = live.policy.schemes[1], live.structure
    reserves = live.params.risk.reserve_months * live.params.commissioner.capitation_per_patient_year / 12 * s.grouping_list_size
    assert live.failed.any() and not live.failed.all()
    assert np.all(scheme.position[live.failed] < -reserves[live.failed])       # failed: losses beyond reserves
    assert np.all(scheme.position[scheme.member & ~live.failed] >= -reserves[scheme.member & ~live.failed])
    assert not (live.failed & ~scheme.member).any()
