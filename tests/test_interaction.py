"""Agents that interact, and a commissioner that decides.

Ties between practices and what travels over them (peers' judgement,
innovations, routines), work moving to the GPs who stay, an adaptive
commissioner's decisions from what it sees, structure drawn per seed,
heterogeneity that changes the distribution of outcomes, and Mesa's
conventions. Each test would fail if its mechanism were wrong or missing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from pcsim import config as configs
from pcsim.experiments import compare
from pcsim.inputs.parameters import make_params
from pcsim.model import decisions, demand, peers, workforce, workload
from pcsim.model.arrays import Bins, Blocks
from pcsim.model.engine import AUTONOMY, Simulation
from pcsim.model.mesa_model import PrimaryCareModel
from pcsim.model.outputs import COLUMNS, events_frame
from pcsim.model.population import build, network_summary

from .conftest import CONFIGS, SEEDS, column, simulate

P = make_params(configs.load().params, runs=None)
ADAPTIVE = CONFIGS / "ace_adaptive.toml"
EVERY_GROUPING_FUNDED = {"policy.investment_fund.open_to_all": True, "policy.investment_fund.places": 10_000}


def line_of_practices(n: int):
    """A tiny structure for the peer functions: practices 0-1-2-...-(n-1) tied in a line, one commissioner."""
    ends = np.arange(n - 1)
    structure = SimpleNamespace(n_practices=n, tie_ends=(np.concatenate([ends, ends + 1]),
                                                         np.concatenate([ends + 1, ends])))
    return peers.Ties(structure), Blocks(np.zeros(n, dtype=np.int64), 1)


# ----------------------------------------------------------------------------- networks
def test_every_practice_of_a_named_grouping_or_network_is_tied_to_the_others():
    structure = build(configs.load())
    tied = {tuple(pair) for pair in structure.practice_ties.tolist()}
    for q in np.flatnonzero(structure.grouping_named):
        members = np.flatnonzero(structure.practice_grouping == q)
        assert {(a, b) for a in members for b in members if a < b} <= tied
    assert (structure.degree > 0).all()


@pytest.mark.parametrize("change, degree, clustering, within", [
    ({"population.neighbours": 12}, "higher", None, "lower"),
    ({"population.neighbours": 0, "population.hospital_ties": 0.0, "population.network_patients": 0},
     "lower", None, "higher"),
    ({"population.hospital_ties": 8.0}, "higher", "lower", "lower"),
])
def test_the_network_knobs_change_degree_clustering_and_the_share_of_ties_within_groupings(
        change, degree, clustering, within):
    base = configs.load()
    before, after = (network_summary(build(c)) for c in (base, base.replace(**change)))
    for name, direction in (("mean_degree", degree), ("clustering", clustering),
                            ("share_within_named_groupings", within)):
        if direction is not None:
            assert (after[name] > before[name]) == (direction == "higher"), (name, before, after)
    changed = build(base.replace(**change))
    assert np.array_equal(changed.list_size, build(base).list_size)    # ties are drawn after everything else


# ----------------------------------------------------------------------------- peers' judgement from peers
def test_the_non_selected_judge_the_selected_as_much_as_they_care_about_judgement():
    ties, blocks = line_of_practices(4)
    selected = np.array([[1.0, 0.0, 0.0, 0.0]])
    nothing = np.zeros((1, 4))

    def exposure(judgement, rejected=nothing, published=nothing, achievement=nothing):
        return peers.exposure(published, achievement, selected, rejected, np.full((1, 4), judgement), ties, blocks, P)
    judged = exposure(0.3)
    assert judged[0, 0] == pytest.approx(min(1.0, P.peers.selection_exposure * 0.3))
    assert judged[0, 0] > exposure(0.1)[0, 0]
    assert (judged[0, 1:] == 0).all()                                  # the non-selected are not judged for it
    assert (exposure(0.0) == 0).all()                                  # peers who do not judge expose nobody
    seen_to_lose = exposure(0.3, rejected=np.array([[0.0, 1.0, 0.0, 0.0]]))
    assert seen_to_lose[0, 1] > 0 and seen_to_lose[0, 3] == 0         # turned down beside a winner


def test_published_comparisons_expose_the_practices_ranked_lowest_most():
    ties, blocks = line_of_practices(4)
    none = np.zeros((1, 4))
    ranked = peers.exposure(np.ones((1, 4)), np.array([[0.9, 0.7, 0.5, 0.3]]), none, none, none, ties, blocks, P)
    assert (np.diff(ranked[0]) > 0).all()
    unpublished = peers.exposure(none, np.array([[0.9, 0.7, 0.5, 0.3]]), none, none, none, ties, blocks, P)
    assert (unpublished == 0).all()


def test_in_a_run_the_selected_practices_feel_judged_by_the_practices_tied_to_them():
    sims = {knock: simulate(CONFIGS / "ace.toml", months=6, seeds=SEEDS[:3],
                            **({"peers.selection_exposure": 0.0} if knock else {})) for knock in (False, True)}
    sim = sims[False]
    selected = sim.practice_grouping.spread(sim.selected)
    assert selected.any(axis=1).all()
    assert (sim.peer_exposure[selected] > 0).all()
    assert sim.peer_exposure[selected].mean() > 3 * sim.peer_exposure[~selected].mean()
    knocked = sims[True].peer_exposure                                  # left: the fund's published results
    assert knocked[selected].mean() < 0.6 * sim.peer_exposure[selected].mean()


# ----------------------------------------------------------------------------- diffusion
def test_adoption_grows_with_offers_capacity_trust_and_evidence_and_needs_each():
    base = dict(offers=2.0, evidence=0.5, capacity=0.5, trust=0.5)
    chance = peers.adoption_chance(**base, params=P)
    for name in base:
        assert peers.adoption_chance(**{**base, name: base[name] * 2}, params=P) > chance
        assert peers.adoption_chance(**{**base, name: 0.0}, params=P) == 0


def test_routines_move_only_towards_better_routines_of_tied_practices():
    routines = np.array([0.2, 0.8])
    moved = peers.spread_routines(routines, np.array([0.6, 0.4]), P)
    assert moved[0] > 0.2 and moved[1] == 0.8


def test_innovations_spread_over_ties_beyond_the_fund_and_not_without_the_ties_or_adoption():
    arms = {"with ties": {}, "no adoption": {"peers.adoption_per_tie": 0.0},
            "no ties across groupings": {"population.neighbours": 0, "population.hospital_ties": 0.0,
                                         "population.network_patients": 0}}
    sims = {name: simulate(CONFIGS / "ace.toml", months=48, seeds=SEEDS, **change) for name, change in arms.items()}
    adopted = {name: column(sim, "innovations_adopted_outside")[-1] for name, sim in sims.items()}
    assert (adopted["with ties"] > 0).sum() >= 7, adopted["with ties"]
    not_selected = (~sims["with ties"].structure.grouping_named).sum()
    assert 0 < adopted["with ties"].mean() < 0.2 * not_selected      # a few groupings, not the whole commissioner
    assert (adopted["no adoption"] == 0).all() and (adopted["no ties across groupings"] == 0).all()


# ----------------------------------------------------------------------------- workload within a practice
def test_a_colleague_leaving_moves_core_work_to_those_who_stay():
    practice = Bins(np.zeros(3, dtype=np.int64), 1)
    core = np.array([300.0])
    full = np.array([120.0, 120.0, 60.0])
    one_gone = np.array([120.0, 0.0, 60.0])
    before, _ = demand.core_hours_per_gp(core, full, practice)
    after, unmet = demand.core_hours_per_gp(core, one_gone, practice)
    assert before.sum() == pytest.approx(after.sum()) == pytest.approx(300.0) and unmet[0] == 0
    assert after[0] > before[0] and after[2] > before[2] and after[1] == 0
    overload = [workload.required_hours(c, np.full(3, 20.0), full, P)[2] for c in (before, after)]
    assert overload[1][0] > overload[0][0]


def test_burnout_cascades_to_the_colleagues_of_gps_who_leave():
    cfg = configs.resolve(None, months=12)
    sims = [Simulation(cfg, seeds=list(SEEDS[:3])) for _ in range(2)]
    busiest = int(np.argmax(sims[0].structure.posts))
    colleagues = np.flatnonzero(sims[0].structure.gp_practice == busiest)
    gone, stay = colleagues[: len(colleagues) // 2], colleagues[len(colleagues) // 2:]
    sims[1].in_post[:, gone] = False
    for _ in range(6):
        for sim in sims:
            sim.step()
    burnout = [sim.burnout[:, stay] for sim in sims]
    hazard = [workforce.leaving_hazard(sim.burnout, sim.morale, sim.params)[:, stay] for sim in sims]
    assert (burnout[1] > burnout[0] + 0.02).all() and (hazard[1] > hazard[0]).all()


# ----------------------------------------------------------------------------- a commissioner that decides
def test_practices_want_what_tied_practices_were_funded_for_as_much_as_they_identify_as_innovators():
    selected = np.array([[1.0, 0.0, 0.0]])
    wanting = decisions.want(selected, np.array([[0.0, 1.0, 0.5]]), np.array([[0.9, 0.6, 0.6]]))
    assert wanting[0, 0] == 0 and wanting[0, 1] == pytest.approx(0.6) and wanting[0, 2] == pytest.approx(0.3)


def test_doubt_about_commitment_and_an_enforcing_stance_choose_a_directive_contract():
    doubt, stance = np.array([0.5, 0.5, 0.1]), np.array([0.2, 0.9, 0.2])
    assert decisions.directive(doubt, stance, P).tolist() == [True, False, False]


@pytest.fixture(scope="module")
def adaptive_runs():
    """configs/ace_adaptive.toml over ten seeds, and with every grouping funded."""
    cfg = configs.load(ADAPTIVE)
    runs = {}
    for name, change in (("pilot", {}), ("everyone funded", EVERY_GROUPING_FUNDED)):
        sim = Simulation(cfg.replace(**change) if change else cfg, seeds=list(SEEDS))
        sim.run()
        runs[name] = sim
    return runs


def the_story(sim: Simulation, run: int) -> bool:
    """Miller 2018's story in one run: a roll-out before the pilot's month 12 under a directive contract,
    after which the pilot leads' morale falls."""
    lead = column(sim, "pilot_lead_morale")[:, run]
    for d in sim.decisions:
        if d.run == run and d.scheme == "rollout" and d.decision.startswith("roll out"):
            return d.month < 12 and "directive" in d.decision and lead[d.month + 6] < lead[d.month] - 0.005
    return False


def test_the_rollout_story_comes_out_of_the_agents_in_most_seeds(adaptive_runs):
    sim = adaptive_runs["pilot"]
    told = [the_story(sim, run) for run in range(len(SEEDS))]
    assert sum(told) >= 6, told
    assert (column(sim, "pressure").max(axis=0) > sim.params.commissioner.rollout_pressure[:, 0]).sum() >= 6


def test_no_rollout_when_nobody_is_left_to_envy_the_funded(adaptive_runs):
    sim = adaptive_runs["everyone funded"]
    assert not [d for d in sim.decisions if d.scheme == "rollout"]
    assert (column(sim, "pressure") < sim.params.commissioner.rollout_pressure[0, 0]).all()
    assert (column(sim, "rolled_out") == 0).all()


def test_every_decision_is_an_event_with_the_observed_quantities_that_drove_it(adaptive_runs):
    sim = adaptive_runs["pilot"]
    run = sim.decisions[0].run
    events = events_frame(sim, run)
    assert list(events.columns) == ["month", "commissioner", "decision", "scheme", "reason"]
    decided = events[events["reason"] != "the config's timeline"]
    assert len(decided) == sum(d.run == run for d in sim.decisions) > 0
    assert decided["reason"].str.contains("pressure heard").all()
    rolled = decided["month"].iloc[0]
    assert column(sim, "rolled_out")[rolled + 1, run] > 0 and column(sim, "rolled_out")[rolled - 1, run] == 0


def test_committed_practices_get_a_partnership_contract():
    sim = simulate(ADAPTIVE, months=12, seeds=SEEDS[:5], **{"population.commitment_mean": 0.98})
    contracts = [d.decision for d in sim.decisions if d.scheme == "rollout"]
    assert contracts and all("partnership" in c for c in contracts)


def test_a_rollout_must_fit_the_commissioners_budget():
    sim = simulate(ADAPTIVE, months=12, seeds=SEEDS[:5], **{"commissioner.transformation_budget_share": 0.002})
    assert column(sim, "pressure").max() > sim.params.commissioner.rollout_pressure[0, 0]
    assert not sim.decisions


def test_reviews_stop_schemes_whose_value_for_money_is_too_low_and_only_then():
    strict = simulate(ADAPTIVE, months=24, seeds=SEEDS[:4], **{"commissioner.stop_below_value_for_money": 1.0,
                                                              "commissioner.review_months": 6})
    stops = [d for d in strict.decisions if d.decision == "stop"]
    assert stops and all("value for money seen" in d.reason for d in stops)
    for d in stops:
        scheme = next(s for s in strict.policy.schemes if s.name == d.scheme)
        assert scheme.last_month(d.month + 1)[d.run]                     # one more month, to close its books
        assert not scheme.running(d.month + 2)[d.run] and not scheme.running(23)[d.run]
        assert (d.month + 1) % 6 == 0 and d.scheme != "investment_fund"   # the fund was paid up front: no saving
    lenient = simulate(ADAPTIVE, months=24, seeds=SEEDS[:4], **{"commissioner.stop_below_value_for_money": 0.0})
    assert not [d for d in lenient.decisions if d.decision == "stop"]


def test_each_run_reviews_on_its_own_period_alone_or_in_a_batch():
    cfg = configs.resolve(ADAPTIVE, months=24, overrides={"commissioner.stop_below_value_for_money": 1.0})
    values = {**cfg.params, "commissioner.review_months": [12, 6]}
    batch = Simulation(cfg, seeds=[3, 3], params=values)
    alone = Simulation(cfg.replace(**{"commissioner.review_months": 6}), seeds=[3])
    for sim in (batch, alone):
        sim.run()
    assert [(d.month, d.decision, d.scheme) for d in batch.decisions if d.run == 1] == \
        [(d.month, d.decision, d.scheme) for d in alone.decisions]
    assert np.array_equal(batch.outputs.monthly[:, :, 1], alone.outputs.monthly[:, :, 0])


def test_a_scripted_commissioner_follows_the_timeline_and_decides_nothing():
    sim = simulate(CONFIGS / "ace_rollout_directive.toml", months=24, seeds=SEEDS[:3])
    assert sim.config.commissioner["decisions"] == "scripted" and not sim.decisions
    assert (column(sim, "pressure") == 0).all()


# ----------------------------------------------------------------------------- structure per seed
def test_a_per_seed_structure_is_drawn_from_each_runs_seed_and_a_fixed_one_is_not():
    fixed, per_seed = configs.load(), configs.load(overrides=["population.structure=per_seed"])
    assert np.array_equal(build(fixed, 1).list_size, build(fixed, 2).list_size)
    one, again, two = build(per_seed, 1), build(per_seed, 1), build(per_seed, 2)
    for name in ("list_size", "needs", "infrastructure", "practice_grouping", "practice_ties"):
        assert np.array_equal(getattr(one, name), getattr(again, name))
    assert not np.array_equal(one.list_size, two.list_size)
    assert not np.array_equal(one.practice_ties, two.practice_ties)
    assert one.list_size.sum() == pytest.approx(two.list_size.sum(), rel=1e-4)   # the same commissioner, again


def test_per_seed_runs_are_the_same_alone_or_in_a_batch_and_comparisons_work():
    cfg = configs.resolve(None, months=12, overrides={"population.structure": "per_seed"})
    with pytest.raises(ValueError, match="one seed per Simulation"):
        Simulation(cfg, seeds=[1, 2])
    together = compare.simulate(cfg, [1, 2, 3])
    alone = Simulation(cfg, seeds=[2])
    alone.run()
    assert np.array_equal(together[1].outputs.monthly, alone.outputs.monthly)
    runs = compare.compare(cfg, ["status_quo", "micro_incentives"], replicates=3).runs
    assert len(runs) == 6 and runs.notna().all().all()


# ----------------------------------------------------------------------------- heterogeneity that matters
def interdecile(values):
    return np.percentile(values, 90, axis=-1) - np.percentile(values, 10, axis=-1)


def test_qof_narrows_the_gap_between_practices_and_the_furthest_behind_improve_most():
    """Doran et al. 2008 (Lancet 372:728): under the QOF the practices furthest behind improved most and the
    gap between practices narrowed. In the model the narrowing travels over ties: practices take up the
    routines of better neighbours (templates, recall systems); without that it does not happen."""
    seeds = SEEDS[:5]

    def narrowing(**knockout):
        start = simulate(None, months=1, seeds=seeds, **knockout).delivered.mean(axis=0)
        qof, none = (simulate(c, months=60, seeds=seeds, **knockout).delivered.mean(axis=0)
                     for c in (CONFIGS / "qof.toml", None))
        gap = interdecile(qof) / interdecile(none)
        catch_up = np.array([np.corrcoef(qof[r] - none[r], start[r])[0, 1] for r in range(len(seeds))])
        return gap, catch_up
    gap, catch_up = narrowing()
    assert (0.2 < gap).all() and (gap < 0.85).all() and (catch_up < -0.3).all(), (gap, catch_up)
    gap_without, catch_up_without = narrowing(**{"peers.routine_spread_per_month": 0.0})
    assert gap_without.mean() > 0.7 and catch_up_without.mean() > -0.3, (gap_without, catch_up_without)
    assert (gap_without - gap > 0.2).all(), (gap, gap_without)        # the ties narrow it, seed by seed


def test_the_morale_cost_of_qof_falls_on_the_gps_who_value_autonomy_most_and_more_so_the_wider_they_differ():
    seeds = SEEDS[:5]

    def cost_ratio(trait_sd):
        qof, none = (simulate(c, months=60, seeds=seeds, **{"motivation.trait_sd": trait_sd})
                     for c in (CONFIGS / "qof.toml", None))
        trait, both = qof.trait[AUTONOMY], qof.in_post & none.in_post
        top = (trait > np.percentile(trait, 75, axis=1, keepdims=True)) & both
        bottom = (trait < np.percentile(trait, 25, axis=1, keepdims=True)) & both
        loss = none.morale - qof.morale
        hazard = (workforce.leaving_hazard(qof.burnout, qof.morale, qof.params)
                  - workforce.leaving_hazard(none.burnout, none.morale, none.params))
        mean = lambda values, who, axis=1: (values * who).sum(axis=axis) / who.sum(axis=axis)  # noqa: E731
        return mean(loss, top) / mean(loss, bottom), mean(hazard, top, None) / mean(hazard, bottom, None)
    narrow, wide = cost_ratio(0.05), cost_ratio(0.2)
    assert (wide[0] > 1.5).all() and wide[1] > 1.1, wide          # morale in every seed; leaving, pooled
    assert (wide[0] > narrow[0] + 0.3).all(), (narrow, wide)


# ----------------------------------------------------------------------------- Mesa's conventions
def test_agents_and_their_network_exist_for_any_run_of_a_batch():
    sim = Simulation(configs.resolve(CONFIGS / "ace.toml", months=6), seeds=[1, 2, 3], practices=True)
    for _ in range(3):
        sim.step()
    model = PrimaryCareModel(simulation=sim, run=2)
    practice = model.practices[5]
    assert model.practices[0].holistic_quality == sim.holistic[2, 0] != sim.holistic[0, 0]
    assert model.gps[0].morale == pytest.approx(sim.morale[2, 0])
    assert sorted(model.graph.edges()) == sorted(map(tuple, sim.structure.practice_ties.tolist()))
    assert {p.index for p in practice.tied_practices} == set(model.graph.neighbors(5))
    assert practice.cell is model.network[5] and practice in practice.cell.agents
    assert practice.peer_exposure == pytest.approx(sim.peer_exposure[2, 5])
    assert len(model.practices_table()) == 3 * sim.structure.n_practices


def test_model_level_reporters_give_the_whole_commissioner():
    model = PrimaryCareModel(months=3)
    for _ in range(3):
        model.step()
    whole = model.datacollector.get_model_vars_dataframe()
    by_commissioner = model.monthly()
    assert list(whole.columns) == list(COLUMNS) and len(whole) == 3
    assert np.allclose(whole["gps"].to_numpy(), by_commissioner.groupby("month")["gps"].sum().to_numpy())


def test_mesa_batch_run_runs_the_model():
    """In a child process: batch_run sets multiprocessing's start method for the whole interpreter."""
    script = (
        "import json, mesa\n"
        "from pcsim.model.mesa_model import PrimaryCareModel\n"
        "rows = mesa.batch_run(PrimaryCareModel, {'months': 2, 'demand__growth_per_year': [0.0, 0.05]},\n"
        "                      rng=[1], max_steps=2, display_progress=False)\n"
        "print(json.dumps([[r['demand__growth_per_year'], r['Step'], r['overload']] for r in rows]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    assert [r[:2] for r in rows] == [[0.0, 2], [0.05, 2]]
    assert rows[1][2] > rows[0][2]                                     # more demand, more overload
