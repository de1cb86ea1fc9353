"""The simulation engine: the model's state as arrays and its monthly step.

:class:`Simulation` holds the state of R runs of one config (same structure,
their own seeds) as NumPy arrays with the run axis second to last (see
:mod:`pcsim.model.arrays`). :meth:`Simulation.step` is one month, in the process
order of MODEL.md section 4 (documented in ``docs/ODD.md``):

0. the schemes in force set this month's levers, and practices feel their designs (perception);
1. demand arrives and core work takes the time it takes, less what additional roles take on;
2. GPs share their remaining time between activities;
3. practices are exposed to their peers' judgement; motivations, morale and burnout move; GPs leave
   and posts are filled; additional-role staff leave and are hired;
4. quality of care moves, and routines embed, erode and spread over ties;
5. innovation projects progress, and capacity work builds the enablers;
6. schemes act after projects (a fund's start and end), learning sets meet, and innovations spread
   over ties;
7. hospital activity follows from care, innovations and case management;
8. the commissioner pays, observes and updates its stance, and an adaptive commissioner decides
   (roll-out, contract, reviews); savings are counted when outputs are recorded.

What a scheme can do to the world, and nothing else (:mod:`pcsim.schemes`):

* set this month's **levers** (:class:`pcsim.model.levers.Levers`) in ``shape``, before GPs decide;
* book **payments** on the commissioner's ledger (:class:`pcsim.model.commissioner.Ledger`) in ``pay``;
* emit **named events** (:mod:`pcsim.model.events`), which :meth:`Simulation.apply` carries out at
  once and in one place: groupings selected, projects started, funding ended (each grouping then
  reviews its project), projects dropped, groupings failed.

Among the levers, a scheme registers its *design* and the money practices have at stake in it;
how controlling or supportive that feels is the perception submodel's answer, not the scheme's.
A scheme's money for the enablers and its forum (learning sets) are levers too: the capacity
work they buy and what happens at meetings are the engine's submodels.

A scheme reads the world through a :class:`World`, which refuses assignment, and draws its random
numbers from its own :class:`Stream`, inside the hook that uses them.

Random numbers come from one stream per process and run (NumPy
``SeedSequence`` children of the run's seed), drawn in fixed-size blocks every
month whether used or not: a run's numbers do not depend on the policy, the
batch it runs in, or which other processes exist (common random numbers).
The Mesa model (:mod:`pcsim.model.mesa_model`) is the readable face of this engine.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np

from pcsim.config import SCHEMES, Config, validate_spec
from pcsim.inputs.indicators import catalogue
from pcsim.inputs.parameters import Params, make_params
from pcsim.model import (capacity, commissioner, decisions, demand, enablers, events, hospital, innovation, learning,
                         motivation, outputs, peers, perception, quality, wellbeing, workforce, workload)
from pcsim.model.arrays import Bins, Blocks
from pcsim.model.levers import Levers
from pcsim.model.motivation import AUTONOMY, CLINICAL_CARE, INNOVATOR, MOTIVATIONS, PEER_JUDGEMENT  # noqa: F401
from pcsim.model.population import Structure, build

TIME_USES = ("core", "admin", "incentivised", "holistic", "transformation", "overtime")
STREAMS = ("traits", "turnover", "innovation", "hospital", "commissioner", "warmup", "learning", "enablers",
           "diffusion", "decisions")
SCHEME_STREAMS = 100  # scheme i of the policy draws from stream key SCHEME_STREAMS + i
WARMUP_MONTHS = 120   # months of the project process run before month 0 to reach its stock of projects


class Stream:
    """A random stream: one generator per run (children of each run's seed under one key)."""

    def __init__(self, seeds: list[int], key: int):
        self.generators = [np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(key,))) for seed in seeds]

    def draw(self, method: str, shape: tuple[int, ...]) -> np.ndarray:
        """One block of random numbers per run, stacked on the run axis: ``shape[:-1] + (R, N)``."""
        return np.stack([getattr(generator, method)(size=shape) for generator in self.generators], axis=-2)


class World:
    """What a scheme sees of the simulation: its state and structure, read-only, and :meth:`emit`."""

    __slots__ = ("_simulation",)

    def __init__(self, simulation: Simulation):
        object.__setattr__(self, "_simulation", simulation)

    def __getattr__(self, name: str):
        return getattr(self._simulation, name)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"a scheme cannot set the world's {name!r}: it sets levers, books payments or "
                             f"emits an event (pcsim.model.events)")

    def emit(self, event: events.Event) -> None:
        """Change the world through a named event, applied at once (:meth:`Simulation.apply`)."""
        self._simulation.apply(event)


class Policy:
    """The schemes of a run, in config order, each with its own random stream; a commissioner's decisions
    may add schemes (dormant until started) and start or stop them run by run."""

    def __init__(self, specs: list[dict], simulation: Simulation):
        self.world = World(simulation)
        self.simulation = simulation
        self.schemes = []
        for spec in specs:
            self.add(spec)

    def add(self, spec: dict):
        """A scheme of ``spec`` (validated), with the next scheme stream."""
        scheme = SCHEMES[spec["scheme"]](spec, self.world, self.simulation.stream(SCHEME_STREAMS + len(self.schemes)))
        self.schemes.append(scheme)
        return scheme

    def in_force(self, month: int) -> list:
        return [scheme for scheme in self.schemes if scheme.active(month)]

    def names_in_force(self, month: int) -> list[str]:
        return [scheme.name for scheme in self.in_force(month)]


class SchemeLedger:
    """The ledger as one scheme pays into it: payments only in the runs where the scheme is in force, and
    what it spent kept, by commissioner, for the commissioner's reviews."""

    def __init__(self, ledger, scheme, live):
        self.ledger, self.scheme, self.live = ledger, scheme, live

    def pay(self, source: str, amount_per_practice) -> None:
        amount = np.broadcast_to(amount_per_practice, self.ledger.practice_income.shape[1:]) * self.live[:, None]
        self.scheme.spent = self.scheme.spent + self.ledger.pay(source, amount)
        self.scheme.spent_this_month = self.scheme.spent_this_month + amount.sum(axis=-1)


NOT_PER_RUN = {"in_scheme", "schemes", "services_offered", "exposures"}   # counts and records, kept as they are


def masked_levers(before: Levers, after: Levers, live: np.ndarray) -> Levers:
    """What a scheme in force in only some runs did to the month's levers: its changes kept in the runs
    ``live`` (R,), undone in the others; the money it puts at stake (perception) only in those runs."""
    for name in Levers.__dataclass_fields__:
        new, old = getattr(after, name), getattr(before, name)
        if name in NOT_PER_RUN or new is old or not isinstance(new, np.ndarray):
            continue
        mask = live.reshape((1,) * (max(new.ndim, 2) - 2) + (-1, 1))
        setattr(after, name, np.where(mask, new, old))
    added = after.exposures[len(before.exposures):]
    after.exposures[len(before.exposures):] = [perception.Exposure(e.design, e.stake * live[:, None]) for e in added]
    return after


@dataclass
class MonthRecord:
    """What happened this month that outputs and agents report (arrays with the run axis)."""

    time: np.ndarray = None            # (6, R, G) hours by use, see TIME_USES
    overload: np.ndarray = None        # (R, G)
    worked: np.ndarray = None          # (R, G) posts whose GP worked this month (before turnover)
    quits: np.ndarray = None           # (R, G)
    admissions: np.ndarray = None      # (2, R, P) incentivised, other
    expected: np.ndarray = None        # (3, R, P) incentivised, other, counterfactual
    diagnostics: np.ndarray = None     # (2, R, P) hospital, primary care
    ledger: commissioner.Ledger = None
    hospital_cost: np.ndarray = None   # (R, H)
    practice_cost: np.ndarray = None   # (R, P) hospital cost of each practice's patients
    diagnostic_cost: np.ndarray = None  # (R, P) the diagnostic part of it
    levers: Levers = None
    wins: np.ndarray = field(default=None)
    losses: np.ndarray = field(default=None)


class Simulation:
    """R runs of one config, advanced together one month at a time."""

    def __init__(self, config: Config, seeds: list[int] | None = None, params: dict | None = None,
                 practices: bool = False):
        """``seeds``: one per run (default: the config's); ``params``: ``{dotted name: value or R values}``
        (default: the config's parameter table); ``practices``: also record every practice every month."""
        self.config = config
        self.keep_practices = practices
        self.seeds = list(seeds) if seeds is not None else [config.seed]
        self.runs = len(self.seeds)
        self._event_runs: np.ndarray | None = None     # the runs a scheme's events apply in, while it acts
        self.params: Params = make_params(params if params is not None else config.params, self.runs)
        if config.population["structure"] == "per_seed" and self.runs > 1:
            raise ValueError("a config whose structure is drawn per seed runs one seed per Simulation "
                             "(pcsim.experiments.compare.batches groups seeds accordingly)")
        self.structure: Structure = build(config, self.seeds[0])
        self.catalogue = catalogue(config.indicators)
        structure = self.structure
        self.gp_bins = Bins(structure.gp_practice, structure.n_practices)
        self.practice_grouping = Bins(structure.practice_grouping, structure.n_groupings)
        self.practice_commissioner = Bins(structure.practice_commissioner, structure.n_commissioners)
        self.practice_hospital = Bins(structure.practice_hospital, structure.n_hospitals)
        self.grouping_commissioner = Bins(structure.grouping_commissioner, structure.n_commissioners)
        self.gp_commissioner = Bins(structure.practice_commissioner[structure.gp_practice], structure.n_commissioners)
        self.gp_grouping = Bins(structure.practice_grouping[structure.gp_practice], structure.n_groupings)
        self.grouping_method = structure.grouping_method
        self.grouping_infrastructure = self.practice_grouping.sum(structure.infrastructure * structure.list_size) / structure.grouping_list_size
        self.ties = peers.Ties(structure)
        self.ties_across = peers.TiesAcross(self.ties, structure.practice_grouping, structure.n_groupings)
        self.commissioner_blocks = Blocks(structure.practice_commissioner, structure.n_commissioners)
        self.streams = {name: self.stream(key) for key, name in enumerate(STREAMS)}
        self.policy = Policy(config.policy, self)
        self.adaptive = config.commissioner["decisions"] == "adaptive"
        self.decisions: list[decisions.Decision] = []
        self.rollout = self._decided_rollout() if self.adaptive else None
        self.month = 0
        self._initialise()

    def _decided_rollout(self):
        """The roll-out an adaptive commissioner may decide on: where a fund is in the policy and no roll-out
        is scripted, a roll-out scheme that starts dormant (:mod:`pcsim.model.decisions`)."""
        names = [scheme.name for scheme in self.policy.schemes]
        if "investment_fund" not in names or "rollout" in names:
            return None
        spec = validate_spec(len(names), {"scheme": "rollout", "start": 0, "funding_per_patient_year":
                                          self.config.commissioner["rollout_funding_per_patient_year"]},
                             {"months": self.config.months, "indicator_codes": self.catalogue.codes,
                              "grouping_names": list(self.structure.grouping_names)})
        scheme = self.policy.add(spec)
        scheme.dormant()
        return scheme

    # ------------------------------------------------------------------ set-up
    def stream(self, key: int) -> Stream:
        """The random stream ``key`` of every run (a child of each run's seed)."""
        return Stream(self.seeds, key)

    def draw(self, process: str, method: str, shape: tuple[int, ...]) -> np.ndarray:
        """One block of random numbers per run from a process's stream: ``shape[:-1] + (R, N)``."""
        return self.streams[process].draw(method, shape)

    def _initialise(self) -> None:
        """Month 0 is the status quo in equilibrium: motivations, time, wellbeing and quality as the
        core contract alone would leave them, so that a run's changes come from its policy."""
        structure, params, R = self.structure, self.params, self.runs
        G, P, Q = structure.n_gps, structure.n_practices, structure.n_groupings
        uniform = self.draw("traits", "random", (2, G))
        normal = self.draw("traits", "standard_normal", (4, G))
        self.employment = workforce.draw_employment(uniform[0], params)
        self.in_post = np.ones((R, G), dtype=bool)   # equilibria are those of a fully staffed practice
        self.role_staff = np.zeros((len(capacity.ROLES), R, P))    # additional-role staff in post (FTE)
        self.role_funded = np.zeros_like(self.role_staff)          # posts schemes funded last month
        self.role_kept = np.zeros_like(self.role_staff)            # posts practices pay for themselves
        self.role_posts = np.zeros_like(self.role_staff)           # posts funded or kept, this month
        self.role_staff_funded = np.zeros_like(self.role_staff)    # staff in funded posts (what schemes reimburse)
        self.roles_cost_to_practices = np.zeros((R, P))            # GBP a month for the posts they keep
        self.high_risk_reached = np.zeros((R, P))                  # share of high-risk patients case-managed
        self.trait = self._traits(normal)
        self.stance = np.zeros((R, structure.n_commissioners)) + params.commissioner.stance_initial
        self.stance_initial = self.stance.copy()
        self.engagement = innovation.engagement(structure.grouping_concreteness, params)   # (R, Q)
        mode = enablers.delivery_mode(structure.practices_per_grouping, self.grouping_infrastructure, params)
        self.enabler_mode = self.practice_grouping.spread(mode)                          # (R, P)
        self.enabler_need = enablers.work_needed(structure.list_size, self.enabler_mode, params)

        neutral = Levers.neutral(len(self.catalogue.indicators), P, Q)
        self.felt = self._feel(neutral)
        self.felt_by_gp = control, support = self.feel_per_gp(self.trait[AUTONOMY])
        self.motivation = self.trait.copy()
        for m in (CLINICAL_CARE, AUTONOMY):
            self.motivation[m] = motivation.crowd_equilibrium(self.trait[m], control, support, params)
        self.self_efficacy = np.zeros((R, G)) + params.motivation.self_efficacy_mean

        time, overload, effort, holistic_effort, protocol = self._plan_month(0, neutral)
        self.morale = wellbeing.morale_equilibrium(overload, self._meaningful_share(time), control, support,
                                                   self.motivation[AUTONOMY], params)
        self.burnout = wellbeing.burnout_equilibrium(overload, params)
        ceiling = self.catalogue.ceiling[:, None, None]
        self.routines = self._routines_of_the_status_quo(effort)   # (K, R, P)
        self.delivered = quality.deliver_equilibrium(quality.with_routines(effort, self.routines, params), ceiling,
                                                     params)
        self.coding = np.zeros_like(self.delivered) + params.quality.coding_completeness
        self.record_only = np.zeros_like(self.delivered)
        self.recorded = quality.record(self.delivered, self.coding, self.record_only)
        self.holistic = quality.holistic_equilibrium(holistic_effort, params)
        self.continuity = self._continuity_target(time, overload, protocol)
        self.enablers = np.zeros((len(hospital.ENABLERS), R, P))   # provided for good (guaranteed)
        self.enablers_in_use = self.enablers
        self.enabler_work = np.zeros_like(self.enablers)           # capacity work done towards each
        self.enabler_money = np.zeros((R, P))                      # money given for enablers, not yet spent
        self.enabler_months = np.zeros_like(self.enablers)
        self.decommissioned = np.zeros(self.enablers.shape, dtype=bool)
        self.selected = np.zeros((R, Q), dtype=bool)       # groupings an investment fund has chosen
        self.learning_trust = np.zeros((R, Q))             # trust built in learning sets
        self.sharing = np.zeros((R, Q))                    # chance a grouping shares openly this month
        self.adopted = np.zeros((R, Q))                    # innovations adopted from other groupings
        self.adopted_outside = np.zeros((R, Q))            # ... by groupings no fund selected (over ties)
        self.failed = np.zeros((R, Q), dtype=bool)         # groupings failed under financial risk
        self.wins = np.zeros((R, Q))                       # this month's quick wins, by grouping
        self.losses = np.zeros((R, Q))                     # this month's lost innovations, by grouping
        self.leads = self._pilot_leads()
        self.projects = self._project_stock(time)
        vacancy = workforce.leaving_hazard(0.0, params.wellbeing.morale_mean, params) * params.workforce.vacancy_months
        self.in_post = uniform[1] >= vacancy / (1 + vacancy)           # then posts are vacant as usual

        self.care_0 = hospital.care_index(self.delivered, self.catalogue.admission_weight)
        self.holistic_0 = self.holistic.copy()
        self.continuity_0 = self.continuity.copy()
        self.data_lag = params.commissioner.data_lag_months[:, 0].astype(int)
        start = self.practice_commissioner.sum(hospital.expected_admissions(
            structure.list_size, structure.needs, self.care_0, self.care_0, self.holistic, self.holistic,
            self.continuity, self.continuity, 0.0, params, 0)[2])
        self.admissions_history = np.repeat(start[None], self.data_lag.max() + 1, axis=0)
        self.counterfactual_history = self.admissions_history.copy()
        self.income_to_date = np.zeros((len(commissioner.SOURCES), R, P))
        C = structure.n_commissioners
        self.pressure = np.zeros((R, C))                   # pressure on the commissioner to roll out
        self.rolled_out = np.zeros((R, C), dtype=bool)     # an adaptive commissioner has rolled out
        self.savings_seen = np.zeros((R, C))               # hospital cost avoided it has seen since its last review
        self.last = MonthRecord(overload=overload, wins=np.zeros((R, Q)), losses=np.zeros((R, Q)))
        self.peer_exposure = np.zeros((R, P))
        self.funded_now = np.zeros((R, P))                 # practices a fund is paying this month
        self.outputs = outputs.Recorder(self, practices=self.keep_practices)

    def _routines_of_the_status_quo(self, effort) -> np.ndarray:
        """Each practice's routines as years of the status quo have left them: built to its own effort and
        raised towards its neighbours' better routines, run for WARMUP_MONTHS (a fixed count, so that a run
        gives the same bits alone or in a batch)."""
        routines = np.minimum(effort, 1.0)
        for _ in range(WARMUP_MONTHS):
            routines = peers.spread_routines(quality.routine(routines, effort, self.params), self.ties.mean(routines),
                                             self.params)
        return routines

    def _pilot_leads(self) -> np.ndarray:
        """A lead GP for each named grouping: the one most identified as an innovator (R, named)."""
        structure = self.structure
        named = np.flatnonzero(structure.grouping_named)
        grouping_of_gp = structure.practice_grouping[structure.gp_practice]
        leads = np.zeros((self.runs, len(named)), dtype=np.int64)
        for i, q in enumerate(named):
            posts = np.flatnonzero(grouping_of_gp == q)
            leads[:, i] = posts[np.argmax(self.trait[INNOVATOR][:, posts], axis=1)]
        return leads

    def _project_stock(self, time) -> innovation.Projects:
        """The groupings' innovation projects as the status quo leaves them: the project process run
        for WARMUP_MONTHS under month-0 transformation time, from its own random stream, with its
        counters then set to zero."""
        projects = innovation.Projects.empty(self.runs, self.structure.n_groupings)
        for _ in range(WARMUP_MONTHS):
            projects, _, _ = self._advance_projects(projects, time, "warmup")
        zero = np.zeros_like(projects.started)
        return replace(projects, started=zero, dropped_early=zero, lost=zero)

    def _traits(self, normal):
        """Each GP's trait level of the four motivations, from four standard-normal draws per GP."""
        rates = self.params.motivation
        means = (rates.clinical_care_mean, rates.autonomy_mean, rates.innovator_mean, rates.peer_judgement_mean)
        return np.clip(np.stack([mean + rates.trait_sd * normal[i] for i, mean in enumerate(means)]), 0.01, 0.99)

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """Advance every run one month."""
        month, params, structure = self.month, self.params, self.structure
        Q = structure.n_groupings
        self.wins, self.losses = np.zeros((self.runs, Q)), np.zeros((self.runs, Q))   # this month's, by grouping
        levers = self._levers(month)                                          # 0. schemes in force
        self.felt = self._feel(levers)                                        #    and how GPs feel them
        self.felt_by_gp = self.feel_per_gp(self.trait[AUTONOMY])
        self.funded_now = np.broadcast_to(levers.visibility, (self.runs, structure.n_practices)).astype(float)

        time, overload, effort, holistic_effort, protocol = self._plan_month(month, levers)   # 1-2. demand, time
        worked = self.in_post                                                 # who worked this month
        self._motivations_and_wellbeing(time, overload, levers)               # 3. motivations, morale
        quits = self._turnover()                                              # 3. leaving and recruitment
        self._additional_roles(levers)                                        #    and of additional roles

        ceiling = self.catalogue.ceiling[:, None, None]                       # 4. quality
        self.delivered = quality.deliver(self.delivered, quality.with_routines(effort, self.routines, params),
                                         ceiling, params)
        self.routines = peers.spread_routines(quality.routine(self.routines, effort, params),
                                              self.ties.mean(self.routines), params)
        self.coding = quality.toward(self.coding, levers.coding_target, params)
        self.record_only = quality.toward(self.record_only, levers.record_only_target, params)
        self.recorded = quality.record(self.delivered, self.coding, self.record_only)
        self.holistic = quality.holistic(self.holistic, holistic_effort, params)
        self.continuity = quality.continuity(self.continuity, self._continuity_target(time, overload, protocol),
                                             params)

        wins, losses = self._projects(time)                                   # 5. innovation
        self.wins, self.losses = self.wins + wins, self.losses + losses
        self._capacity_work(levers)                                           #    and the enablers
        self.sharing = np.zeros_like(self.sharing)                            # no learning set unless a scheme holds one
        self._after_projects(month)                                           # 6. schemes after projects
        self._learning_sets(levers)                                           #    learning sets
        self._diffusion(time)                                                 #    and diffusion over ties

        admissions, expected, diagnostics, diagnostic_cost = self._hospital_activity(month, levers)   # 7. hospital
        practice_cost = admissions.sum(axis=0) * params.hospital.cost_per_emergency_admission + diagnostic_cost
        cost = self.practice_hospital.sum(practice_cost)
        self.admissions, self.expected = admissions, expected                 # this month's, for schemes paying on them
        self.diagnostics_avoided = self.practice_commissioner.sum(             # the commissioner's own bills, as it sees them
            diagnostics.sum(axis=0) * params.hospital.cost_per_diagnostic - diagnostic_cost)
        ledger = self._commission(month, admissions, expected, cost)          # 8. commissioner

        self.last = MonthRecord(time=time, overload=overload, worked=worked, quits=quits, admissions=admissions,
                                expected=expected, diagnostics=diagnostics, ledger=ledger, hospital_cost=cost,
                                practice_cost=practice_cost, diagnostic_cost=diagnostic_cost, levers=levers,
                                wins=self.wins, losses=self.losses)
        self.outputs.record(self)
        self.month += 1

    def run(self, months: int | None = None) -> None:
        """Advance ``months`` months (default: to the end of the config's run)."""
        for _ in range(months if months is not None else self.config.months - self.month):
            self.step()

    def apply(self, event: events.Event) -> None:
        """Carry out a scheme's event: the one place where schemes change the state of the world."""
        runs = self._event_runs
        if runs is not None and not runs.all():
            event = replace(event, groupings=event.groupings & runs[:, None])
        match event:
            case events.GroupingsSelected(groupings=chosen):
                self.selected = self.selected | chosen
            case events.ProjectsStarted(groupings=where, stage=stage, progress=progress, effect=effect):
                self.projects = innovation.begin(self.projects, where, stage, progress, effect, self.params)
            case events.ProjectsDropped(groupings=where):
                self.projects, lost = innovation.drop(self.projects, where)
                self.losses = self.losses + lost
            case events.FundingEnded(groupings=ending):
                self.projects, lost = innovation.drop(self.projects, self._review_at_funding_end(ending))
                self.losses = self.losses + lost
            case events.GroupingsFailed(groupings=failing):
                self.failed = self.failed | failing
            case _:
                raise TypeError(f"not an event a scheme can emit: {event!r}")

    # ------------------------------------------------------------------ processes
    def _levers(self, month: int) -> Levers:
        """Process 0: what the schemes in force set this month, with the unpaid recording habit. A scheme in
        force in only some runs of the batch acts only in those (:func:`masked_levers`)."""
        structure = self.structure
        levers = Levers.neutral(len(self.catalogue.indicators), structure.n_practices, structure.n_groupings)
        levers.coding_target = levers.coding_target + self.params.quality.coding_completeness
        for scheme in self.policy.in_force(month):
            live = scheme.running(month)
            with self._events_in(live):
                if live.all():
                    scheme.shape(month, levers)
                else:
                    before = replace(levers, exposures=list(levers.exposures))
                    scheme.shape(month, levers)
                    levers = masked_levers(before, levers, live)
        return levers

    @contextmanager
    def _events_in(self, runs: np.ndarray):
        """While a scheme acts, the events it emits apply only in the runs where it is in force."""
        self._event_runs = runs
        try:
            yield
        finally:
            self._event_runs = None

    def _after_projects(self, month: int) -> None:
        """Process 6, first part: schemes act after projects move; the events of a scheme in force in only
        some runs apply only in those."""
        for scheme in self.policy.in_force(month):
            with self._events_in(scheme.running(month)):
                scheme.after_projects(month)

    def _feel(self, levers: Levers) -> perception.Felt:
        """Process 0, second step: the designs of the schemes in force and the commissioner's stance as
        each practice feels them (:mod:`pcsim.model.perception`)."""
        shape = (self.runs, self.structure.n_practices)
        stance = self.practice_commissioner.spread(self.stance)
        return perception.feel(levers.exposures, stance, np.broadcast_to(levers.admin_hours_per_gp, shape),
                               self.params, shape)

    def feel_per_gp(self, autonomy_trait):
        """Felt control and support of each GP (R, G), given their autonomy traits."""
        control = perception.felt_by_gp(self._per_gp(self.felt.control), autonomy_trait, self.params)
        return control, self._per_gp(self.felt.support)

    def _plan_month(self, month: int, levers: Levers):
        """Processes 1 and 2: core work, administration, and how GPs share what is left.

        Returns time by use (6, R, G), overload (R, G), effort on each indicator (K, R, P), holistic
        effort (R, P) and the protocol share of each practice's clinical time (R, P).
        """
        structure, params, catalogue = self.structure, self.params, self.catalogue
        contracted = workforce.contracted_hours(self.employment, self.in_post, params)
        core_practice = demand.core_hours_per_practice(structure.list_size, structure.needs, params, month)
        role_hours = capacity.hours_by_use(self.role_staff, params)                       # 2a. additional roles
        self.core_hours_saved = np.minimum(capacity.core_hours_saved(role_hours[capacity.CORE], structure.list_size,
                                                                     params), core_practice)
        core_practice = core_practice - self.core_hours_saved
        core, _unmet = demand.core_hours_per_gp(core_practice, contracted, self.gp_bins)
        sessions = contracted / params.workforce.hours_per_month_partner   # administration scales with sessions worked
        admin = (params.time.core_admin_hours_per_month + self._per_gp(levers.admin_hours_per_gp)) * sessions
        discretionary, overtime, overload = workload.required_hours(core, admin, contracted, params)

        split = self._indicator_split(levers)
        pay_per_hour = (split * levers.pay_per_hour).sum(axis=0)
        in_post_practice = self.gp_bins.sum(self.in_post.astype(float))
        protected_per_gp = np.divide(np.broadcast_to(levers.protected_hours, in_post_practice.shape), in_post_practice,
                                     out=np.zeros_like(in_post_practice), where=in_post_practice > 0)
        need_per_gp = innovation.project_need_per_gp(structure.list_size, structure.posts, params)
        control, _ = self.felt_by_gp
        lever_values = {
            "pay_per_hour": self._per_gp(pay_per_hour) / params.time.reference_pay_per_hour,
            "control": control,
            "freedom": self._per_gp(self.felt.freedom),
            "transformation_pay": self._per_gp(levers.transformation_pay) / params.time.reference_pay_per_hour,
            "uncovered": self.gp_bins.spread(np.clip(1 - protected_per_gp / need_per_gp, 0.0, 1.0)),
            "visibility": self._per_gp(levers.visibility),
        }
        mot = self.motivation
        values = workload.activity_values(mot[CLINICAL_CARE], mot[AUTONOMY], mot[INNOVATOR], mot[PEER_JUDGEMENT],
                                          self.self_efficacy, lever_values, params)
        shared = workload.share_time(discretionary, values, params)
        protected = self.gp_bins.spread(protected_per_gp) * self.in_post
        time = np.stack([core, admin, shared[0], shared[1], shared[2] + protected, overtime])

        practice_hours = self.gp_bins.sum(time[2:4])
        staff = (np.broadcast_to(levers.staff_hours, (len(catalogue.indicators), self.runs, structure.n_practices))
                 + catalogue.need_share[:, None, None] * role_hours[capacity.INDICATORS])
        incentivised_k = practice_hours[0] * split + staff
        effort = quality.indicator_effort(incentivised_k, practice_hours[1], catalogue.need_share, structure.list_size,
                                          structure.needs, catalogue.hours_needed_per_1000, params)
        clinical = self.gp_bins.sum(time[0]) + practice_hours.sum(axis=0) + staff.sum(axis=0)
        protocol_hours = practice_hours[0] + staff.sum(axis=0)
        protocol = np.divide(protocol_hours, clinical, out=np.zeros_like(protocol_hours), where=clinical > 0)
        holistic_hours = practice_hours[1] + params.roles.holistic_equivalence * role_hours[capacity.HOLISTIC]
        return (time, overload, effort, quality.holistic_effort(holistic_hours, structure.list_size, structure.needs,
                                                                params), protocol)

    def _indicator_split(self, levers: Levers) -> np.ndarray:
        """How a practice's incentivised time is shared between indicators: by clinical need,
        tilted towards what pays: (K, R, P)."""
        need = self.catalogue.hours_needed_per_1000[:, None, None]
        weights = need * (1 + levers.pay_per_hour / self.params.time.reference_pay_per_hour)
        # Summed over full (K, R, P) arrays: NumPy sums a length-1 trailing axis in another order.
        weights = np.broadcast_to(weights, (len(need), self.runs, self.structure.n_practices))
        return weights / weights.sum(axis=0)

    def _per_gp(self, practice_values) -> np.ndarray:
        values = np.broadcast_to(practice_values, (self.runs, self.structure.n_practices))
        return self.gp_bins.spread(values)

    def _meaningful_share(self, time):
        return wellbeing.meaningful_share(time[3], time[4], time[:5].sum(axis=0), self._per_gp(self.felt.savings_framing),
                                          self.params)

    def _continuity_target(self, time, overload, protocol):
        """Continuity each practice's staffing and organisation allow: sessional share, vacancies, the
        protocol share of clinical time and its GPs' overload (access pressure)."""
        structure = self.structure
        in_post = self.gp_bins.sum(self.in_post.astype(float))
        sessional = self.gp_bins.sum((self.in_post & (self.employment == workforce.SESSIONAL)).astype(float))
        pressure = self.gp_bins.mean(overload, self.in_post.astype(float))
        return quality.continuity_target(np.divide(sessional, in_post, out=np.zeros_like(in_post), where=in_post > 0),
                                         protocol, 1 - in_post / structure.posts, pressure, self.params)

    def _motivations_and_wellbeing(self, time, overload, levers: Levers) -> None:
        """Process 3: motivations move with felt control and support, visibility, wins and losses; morale
        and burnout with overload, meaningful work and thwarted autonomy."""
        params = self.params
        control, support = self.felt_by_gp
        wins = self._grouping_to_gp(self.last.wins)
        losses = self._grouping_to_gp(self.last.losses)
        visibility = self._per_gp(levers.visibility)
        self.peer_exposure = self._peer_exposure(levers)
        exposure = self._per_gp(self.peer_exposure)
        mot, trait = self.motivation, self.trait
        self.motivation = np.stack([
            motivation.crowd(mot[CLINICAL_CARE], trait[CLINICAL_CARE], control, support, params),
            motivation.crowd(mot[AUTONOMY], trait[AUTONOMY], control, support, params),
            motivation.visibility(mot[INNOVATOR], trait[INNOVATOR], visibility, losses, params),
            motivation.visibility(mot[PEER_JUDGEMENT], trait[PEER_JUDGEMENT], exposure, 0.0, params),
        ])
        self.self_efficacy = motivation.self_efficacy(self.self_efficacy, wins, losses, params)
        self.morale = wellbeing.morale(self.morale, overload, self._meaningful_share(time), control, support,
                                       self.motivation[AUTONOMY], params)
        self.burnout = wellbeing.burnout(self.burnout, overload, params)

    def _peer_exposure(self, levers: Levers):
        """Exposure of each practice to peers' judgement (R, P): published rankings, and what tied practices
        make of a fund's choices, each as judgemental as its GPs are (:mod:`pcsim.model.peers`)."""
        in_post = self.in_post.astype(float)
        judgement = self.gp_bins.mean(self.motivation[PEER_JUDGEMENT], in_post)
        achievement = self.recorded.mean(axis=0)
        selected = self.funded_now                                   # envy lasts while the money does
        rejected = np.broadcast_to(levers.rejected, selected.shape)
        return peers.exposure(self.felt.published, achievement, selected, rejected, judgement, self.ties,
                              self.commissioner_blocks, self.params)

    def _diffusion(self, time) -> None:
        """Process 6, last part: innovations spread over ties between practices, beyond any fund's members;
        a grouping without a live project adopts one it sees running well in a tied practice of another
        grouping (:mod:`pcsim.model.peers`)."""
        structure, params = self.structure, self.params
        Q = structure.n_groupings
        uniform = self.draw("diffusion", "random", (Q,))
        normal = self.draw("diffusion", "standard_normal", (Q,))
        projects = self.projects
        good, best_seen, best_effect = self._best_running(projects)                            # (R, Q) each
        offers = self.ties_across.sum(self.practice_grouping.spread(good.astype(float)))          # (R, Q)
        if not offers.any():
            return
        seen = self.ties_across.sum(self.practice_grouping.spread(peers.evidence(best_seen, params) * good))
        carried = self.ties_across.sum(self.practice_grouping.spread(best_effect * good))
        evidence = np.divide(seen, offers, out=np.zeros_like(seen), where=offers > 0)
        capacity = np.clip(self._transformation_per_1000(time)[1] / innovation.monthly_need(params), 0.0, 1.0)
        trust = np.maximum(params.peers.tie_trust, self.learning_trust)
        receivers = projects.room
        adopt = receivers & (offers > 0) & (uniform < peers.adoption_chance(offers, evidence, capacity, trust, params))
        offered = np.divide(carried, offers, out=np.zeros_like(carried), where=offers > 0)
        context = params.innovation.effect_sd * 0.5 * normal
        self.projects = innovation.begin(projects, adopt, innovation.PILOTING, 0.0, offered + context, params)
        self.adopted = self.adopted + adopt
        self.adopted_outside = self.adopted_outside + (adopt & ~self.selected)

    @staticmethod
    def _best_running(projects, from_stage: int = innovation.RUNNING):
        """For each grouping (R, Q): whether it has a project at ``from_stage`` or beyond whose readings look
        good, and that project's mean reading and true effect (the best-looking one, if several)."""
        good = (projects.stage >= from_stage) & (projects.seen_effect > 0)
        best = np.argmax(np.where(good, projects.seen_effect, -np.inf), axis=0)[None]
        pick = lambda values: np.take_along_axis(values, best, axis=0)[0]  # noqa: E731
        return good.any(axis=0), pick(projects.seen_effect), pick(projects.true_effect)

    def _grouping_to_gp(self, values):
        return self.gp_bins.spread(self.practice_grouping.spread(values))

    def _turnover(self) -> np.ndarray:
        """GPs leave or go sessional; vacant posts are filled by new GPs with their own traits,
        whose clinical-care and autonomy motivations start where the control and support they
        feel here would hold them (they trained and worked in the same NHS)."""
        params, G = self.params, self.structure.n_gps
        uniform = self.draw("turnover", "random", (4, G))
        normal = self.draw("turnover", "standard_normal", (4, G))
        hazard = workforce.leaving_hazard(self.burnout, self.morale, params)
        quits, goes_sessional, filled = workforce.turnover(self.in_post, self.employment, hazard, uniform[0], uniform[1], uniform[2],
                                                           params)
        self.employment = np.where(goes_sessional, workforce.SESSIONAL, self.employment).astype(np.int8)
        self.burnout = np.where(goes_sessional, self.burnout / 2, self.burnout)
        new_traits = self._traits(normal)
        control, support = self.feel_per_gp(new_traits[AUTONOMY])
        newcomer = new_traits.copy()
        for m in (CLINICAL_CARE, AUTONOMY):
            newcomer[m] = motivation.crowd_equilibrium(new_traits[m], control, support, params)
        self.employment = np.where(filled, workforce.draw_employment(uniform[3], params), self.employment).astype(np.int8)
        self.trait = np.where(filled, new_traits, self.trait)
        self.motivation = np.where(filled, newcomer, self.motivation)
        self.self_efficacy = np.where(filled, params.motivation.self_efficacy_mean, self.self_efficacy)
        self.morale = np.where(filled, params.wellbeing.morale_mean, self.morale)
        self.burnout = np.where(filled, 0.0, self.burnout)
        self.in_post = (self.in_post & ~quits) | filled
        return quits

    def _additional_roles(self, levers: Levers) -> None:
        """Process 3, last part: additional-role posts and the staff in them (:mod:`pcsim.model.capacity`).
        Posts whose funding ended this month are kept where the GP time saved is worth their cost;
        staff leave, and vacancies fill as far as the labour market allows."""
        params, structure = self.params, self.structure
        funded = np.broadcast_to(levers.role_posts, self.role_staff.shape)
        unfunded = np.maximum(self.role_funded - funded, 0.0)
        self.role_kept = self.role_kept + unfunded * capacity.kept_share(self.core_hours_saved, self.role_staff, params)
        posts = funded + self.role_kept
        self.role_posts = posts
        burnout = self.gp_bins.mean(self.burnout, self.in_post.astype(float))
        staff = self.role_staff - capacity.leavers(self.role_staff, posts, burnout, params)
        self.role_staff = staff + capacity.hires(staff, posts, structure.patients_per_commissioner,
                                                 self.practice_commissioner, params)
        self.role_funded = funded
        self.role_staff_funded = np.minimum(self.role_staff, funded)      # what schemes reimburse
        self.roles_cost_to_practices = ((self.role_staff - self.role_staff_funded)
                                        * capacity.monthly_cost(params)).sum(axis=0)

    def _projects(self, time):
        """Process 5: every grouping's innovation project moves (:mod:`pcsim.model.innovation`)."""
        self.projects, wins, losses = self._advance_projects(self.projects, time, "innovation")
        return wins, losses

    def _capacity_work(self, levers: Levers) -> None:
        """Process 5, second part: capacity work towards the enablers, paid for by schemes
        (:mod:`pcsim.model.enablers`); each enabler delivered is a quick win for its grouping."""
        structure = self.structure
        self.enabler_money = self.enabler_money + levers.enabler_money
        slipped = self.draw("enablers", "random", (structure.n_practices,)) < self.params.enablers.slip_chance_per_month
        capacity = enablers.monthly_capacity(structure.list_size, structure.infrastructure, self.params)
        self.enabler_work, self.enablers, self.enabler_money, newly = enablers.advance(
            self.enabler_work, self.enablers, self.enabler_money, self.enabler_need, capacity, slipped, self.params)
        self.wins = self.wins + self.practice_grouping.sum(newly.sum(axis=0)) / structure.practices_per_grouping

    def _learning_sets(self, levers: Levers) -> None:
        """Process 6: the learning sets of the schemes whose design brings one (:mod:`pcsim.model.learning`);
        innovations shared there are adopted, and open sets move the commissioner towards partnership."""
        params, Q = self.params, self.structure.n_groupings
        uniform = self.draw("learning", "random", (4, Q))
        members = np.broadcast_to(levers.forum, self.sharing.shape)
        if not members.any():
            return
        trust, self.sharing, attended, shared = learning.meet(self.learning_trust, members, levers.forum_final,
                                                              self.grouping_commissioner, uniform[:3], params)
        self.learning_trust = trust
        projects = self.projects
        good, _, best_effect = self._best_running(projects, innovation.PILOTING)
        good = shared & good
        offers = self.grouping_commissioner.spread(self.grouping_commissioner.sum(good.astype(float)))
        offered_effect = np.divide(
            self.grouping_commissioner.spread(self.grouping_commissioner.sum(best_effect * good)), offers,
            out=np.zeros(offers.shape), where=offers > 0)
        receivers = members & attended & projects.room
        adopt = receivers & (offers > 0) & (uniform[3] < learning.adoption(self.learning_trust, offers, params))
        self.projects = innovation.begin(projects, adopt, innovation.PILOTING, 0.0, offered_effect, params)
        self.adopted = self.adopted + adopt
        open_sets = self.grouping_commissioner.mean(self.sharing, members * 1.0)
        self.stance = commissioner.nudge_stance(self.stance, params.learning.stance_per_month * open_sets)

    def _review_at_funding_end(self, ending):
        """Which of the ending groupings' projects are dropped when their funding ends (S, R, Q)."""
        structure, params = self.structure, self.params
        hospital_rates = params.hospital
        other = (hospital_rates.emergency_admissions_per_1000_year * (1 - hospital_rates.incentivised_condition_share)
                 * self.practice_grouping.sum(structure.list_size / 1000 * structure.needs))
        return innovation.review_at_funding_end(self.projects, ending, other, structure.grouping_list_size,
                                                structure.grouping_concreteness, structure.grouping_commitment, params)

    def _transformation_per_1000(self, time):
        """Each grouping's transformation hours this month (R, Q), and per 1,000 of its patients."""
        hours = self.practice_grouping.sum(self.gp_bins.sum(time[4]))
        return hours, hours / (self.structure.grouping_list_size / 1000)

    def _advance_projects(self, projects, time, stream: str):
        structure = self.structure
        hours, per_1000 = self._transformation_per_1000(time)
        effective = innovation.effective_hours(hours, structure.grouping_list_size, self.grouping_infrastructure,
                                               structure.grouping_method, self.engagement)
        Q = structure.n_groupings
        uniform = self.draw(stream, "random", (1 + innovation.MAX_PROJECTS, Q))
        normal = self.draw(stream, "standard_normal", (1 + innovation.MAX_PROJECTS, Q))
        draws = {"u_start": uniform[0], "u_lose": uniform[1:], "z_effect": normal[0], "z_reading": normal[1:]}
        return innovation.advance(projects, effective, per_1000, structure.grouping_method, draws, self.params)

    def _hospital_activity(self, month: int, levers: Levers):
        structure, params = self.structure, self.params
        care = hospital.care_index(self.delivered, self.catalogue.admission_weight)
        innovations = self.practice_grouping.spread(innovation.admission_effect(self.projects))
        case_hours = capacity.hours_by_use(self.role_staff, params)[capacity.CASE_MANAGEMENT]
        self.high_risk_reached = capacity.high_risk_reached(case_hours, structure.list_size, params)
        effect = 1 - (1 - innovations) * (1 - capacity.admission_effect(self.high_risk_reached, params))
        expected = np.stack(np.broadcast_arrays(*hospital.expected_admissions(
            structure.list_size, structure.needs, care, self.care_0, self.holistic, self.holistic_0, self.continuity,
            self.continuity_0, effect, params, month)))
        admissions = hospital.poisson_counts(expected[:2], self.draw("hospital", "standard_normal", (2, structure.n_practices)))
        self.enablers_in_use = np.maximum(self.enablers, levers.enablers)
        diagnostics = np.stack(hospital.diagnostics(structure.list_size, structure.needs, self.enablers_in_use, params))
        return admissions, expected, diagnostics, hospital.diagnostic_cost(diagnostics[0], diagnostics[1],
                                                                           self.decommissioned, params)

    def _commission(self, month: int, admissions, expected, cost):
        params = self.params
        ledger = commissioner.Ledger(self.runs, self.practice_commissioner, self.structure.n_practices)
        for scheme in self.policy.schemes:
            scheme.spent_this_month = np.zeros(self.runs)
        for scheme in self.policy.in_force(month):
            live = scheme.running(month)
            with self._events_in(live):
                scheme.pay(month, SchemeLedger(ledger, scheme, live))
        self.income_to_date += ledger.practice_income
        noise = params.commissioner.data_noise * self.draw("commissioner", "standard_normal", (self.stance.shape[-1],))
        realised = self.practice_commissioner.sum(admissions.sum(axis=0))
        counterfactual = self.practice_commissioner.sum(expected[2])
        self.admissions_history, seen = commissioner.observe(self.admissions_history, realised, noise, self.data_lag)
        self.counterfactual_history, seen_cf = commissioner.observe(self.counterfactual_history, counterfactual,
                                                                    0.0, self.data_lag)
        self.enabler_months = np.where(self.enablers > 0, self.enabler_months + 1, 0)
        self.decommissioned = commissioner.decommission(self.decommissioned, self.enabler_months, params)
        progress = commissioner.progress_towards_target(seen, seen_cf, params.commissioner.admissions_target_cut)
        self.stance = commissioner.update_stance(self.stance, self.stance_initial, progress, params)
        normal = self.draw("decisions", "standard_normal", (3, self.stance.shape[-1]))
        if self.adaptive:
            self._decide(month, seen_cf - seen, normal)
        return ledger

    # ------------------------------------------------------------------ decisions (adaptive commissioner)
    def _decide(self, month: int, seen_avoided, normal) -> None:
        """Process 8, last step: an adaptive commissioner's decisions from what it sees
        (:mod:`pcsim.model.decisions`), each recorded with its reasons."""
        params, structure = self.params, self.structure
        list_size = structure.list_size
        selected = self.funded_now                                   # what outsiders want is what is funded now
        innovator = self.gp_bins.mean(self.motivation[INNOVATOR], self.in_post.astype(float))
        wanting = decisions.want(selected, self.ties.mean(selected), innovator)
        outside = self.practice_commissioner.mean(wanting, list_size * (1 - selected))
        visible = self.practice_commissioner.mean(self.enablers.mean(axis=0), list_size * selected)
        self.pressure = decisions.pressure(self.pressure, outside, visible, params)
        heard = self.pressure * (1 + params.commissioner.data_noise * normal[0])
        self.savings_seen = (self.savings_seen + seen_avoided * params.hospital.cost_per_emergency_admission
                             + self.diagnostics_avoided)
        if self.rollout is not None:
            self._consider_rollout(month, heard, selected, normal[1])
        self._review(month)

    def _consider_rollout(self, month: int, heard, selected, doubt_noise) -> None:
        params, structure = self.params, self.structure
        c = params.commissioner
        funded = self.practice_commissioner.sum(selected) > 0
        budget = structure.patients_per_commissioner * c.budget_per_patient_year * c.transformation_budget_share
        cost = self.config.commissioner["rollout_funding_per_patient_year"] * structure.patients_per_commissioner
        decide = funded & ~self.rolled_out & (heard > c.rollout_pressure) & (cost <= budget)
        if not decide.any():
            return
        commitment = structure.grouping_commitment[structure.practice_grouping]
        seen_commitment = self.practice_commissioner.mean(np.broadcast_to(commitment, selected.shape),
                                                          structure.list_size * (1 - selected))
        doubt = np.clip(1 - seen_commitment * (1 + c.data_noise * doubt_noise), 0.0, 1.0)
        directive = decisions.directive(doubt, self.stance, params)
        self.rolled_out = self.rolled_out | decide
        spread = self.practice_commissioner.spread
        self.rollout.roll_out(spread(decide), spread(directive & decide), month + 1)
        for run, commissioner_index in zip(*np.nonzero(decide)):
            contract = "directive" if directive[run, commissioner_index] else "partnership"
            self.decisions.append(decisions.Decision(
                int(run), month, int(commissioner_index), f"roll out ({contract} contract)", "rollout",
                f"pressure heard {heard[run, commissioner_index]:.4f} > {c.rollout_pressure[run, 0]:.4f}; "
                f"doubt about commitment {doubt[run, commissioner_index]:.2f}, stance "
                f"{self.stance[run, commissioner_index]:.2f}"))

    def _review(self, month: int) -> None:
        """Process 8: the runs whose review falls this month (every ``review_months``) weigh the value for
        money they have seen since their last review - hospital cost avoided, by their late, noisy figures,
        against what every scheme beyond the core contract cost - with the commissioners of a run together
        (a scheme is one policy for all of them). Below the bar, the scheme whose continuing would cost most
        (its spend this month) is stopped after next month, so that it closes its books (final payments, a
        fund's end-of-funding review); a scheme paid for up front, or one that has not run a full review
        period, is not stopped."""
        c = self.params.commissioner
        reviewing = (month + 1) % c.review_months[:, 0].astype(int) == 0                  # (R,)
        if not reviewing.any():
            return
        schemes = [s for s in self.policy.schemes if s.name != "core_contract"]
        spent = {s: np.broadcast_to(np.asarray(s.spent) - s.spent_reviewed,
                                    self.stance.shape).sum(axis=-1) for s in schemes}
        total = sum(spent.values(), np.zeros(self.runs))
        avoided = self.savings_seen.sum(axis=-1)
        worth = decisions.value_for_money(avoided, total)
        for scheme in schemes:
            scheme.spent_reviewed = np.where(reviewing[:, None], np.asarray(scheme.spent), scheme.spent_reviewed)
        self.savings_seen = np.where(reviewing[:, None], 0.0, self.savings_seen)
        stop = reviewing & (total > 0) & (worth < c.stop_below_value_for_money[:, 0])
        for run in np.flatnonzero(stop):
            continuing = [s for s in schemes
                          if s.running(month)[run] and s.stops_at[run] > month + 2
                          and month + 1 - s.started_at[run] >= c.review_months[run, 0]
                          and s.spent_this_month[run] > 0]
            if not continuing:
                continue
            costliest = max(continuing, key=lambda s: float(s.spent_this_month[run]))
            costliest.stop_in(np.arange(self.runs) == run, month + 2)
            self.decisions.append(decisions.Decision(
                int(run), month, decisions.EVERY_COMMISSIONER if self.structure.n_commissioners > 1 else 0, "stop",
                costliest.name,
                f"value for money seen {worth[run]:.2f} < {c.stop_below_value_for_money[run, 0]:.2f} (hospital cost "
                f"avoided GBP {avoided[run]:,.0f}; schemes cost GBP {total[run]:,.0f} since the last review); "
                f"in force up to month {month + 1}"))

