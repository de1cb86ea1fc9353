"""Process 5: innovation projects of groupings of practices.

Each grouping (a single practice is a grouping of one) runs a *portfolio* of
projects: as many at once as its transformation hours can carry - one, plus
one for each further full project's worth of hours a month (a project moving
a stage in PACE_MONTHS), up to MAX_PROJECTS - its hours shared between them. A
project is started with a chance that grows with the grouping's spare
transformation time (at most one new idea a month), draws a *true* effect (the
share of the non-incentivised emergency admissions of the patients it reaches
that it would avoid once running; some ideas are worse than nothing), and
moves through stages

    none -> developing -> piloting -> running

as effective transformation hours accumulate. Effective hours are raised by
change infrastructure (protected time, clinical leadership), the improvement
method and partner engagement. The true effect is only seen through noisy
monthly readings that arrive ``reading_lag_months`` late ("the programme as a
whole struggled to provide meaningful activity and outcomes data ... on a
timely basis", [Miller18]); with PDSA or a formal method a project whose
reading is negative after three months of readings is dropped early and the
time freed for a new idea (Pilot D's rapid review, [Miller18]); without a
method poor ideas run on. A live project needs at least its maintenance time;
starved of it, it may be lost ("the time and energy spent ... was seen to have
been lost", [Miller18]), which demotivates.

A *concrete proposal* ("pilots with concrete integration innovations at the
time of application made more rapid progress", [Miller18]) acts through what a
clear plan plausibly changes, not as a multiplier on progress: its project
starts as soon as funding arrives rather than waiting for an idea
(``concrete_ready_share``), its idea is expected to be better, so that fewer
are dropped at review (``concrete_effect_shift``), and it comes with partners
already engaged (``concrete_engagement``).

*Scale-up.* A new innovation reaches ``pilot_reach`` of the grouping's patients
when it starts running; while its readings look good it is scaled up with the
grouping's transformation hours, reaching every patient after
``scale_up_hours`` effective hours per 1,000 patients ("spread" [Miller18]).
What works also spreads beyond the grouping, over ties and in learning sets
(:mod:`pcsim.model.peers`, :mod:`pcsim.model.learning`). Running projects avoid
admissions independently: together ``1 - prod(1 - effect * reach)``.

*At the end of funding* (:func:`review_at_funding_end`) a grouping weighs the
value it has seen - its project's readings so far, late and noisy, or, without
readings, what it expected - against the yearly cost it must now carry itself,
and keeps a project only where the value is worth it, project by project.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

NONE, DEVELOPING, PILOTING, RUNNING = range(4)
STAGES = ("none", "developing", "piloting", "running")
METHODS = ("none", "pdsa", "formal")
METHOD_SPEED = np.array([1.0, 1.15, 1.3])  # assumption; [Miller18] Pilots B (formal) and D (PDSA)
RAPID_REVIEW = np.array([False, True, True])
REVIEW_MONTHS = 3  # [Miller18] Pilot D: PDSA "provided sufficient insights within three months"
SUSTAINED_MONTHS = 6  # a project running this long counts as sustained (the 6-month follow-up of [Miller18])


MAX_PROJECTS = 3   # slots: the most projects a grouping can run at once; its capacity decides how many are open


@dataclass(frozen=True)
class Projects:
    """The innovation projects of every grouping: per project, arrays (S, R, Q) over S = MAX_PROJECTS slots;
    per grouping, counters (R, Q)."""

    stage: np.ndarray
    progress: np.ndarray
    true_effect: np.ndarray
    evidence_sum: np.ndarray
    evidence_months: np.ndarray
    months_running: np.ndarray
    months_reading: np.ndarray          # months since the project reached piloting
    reach: np.ndarray                   # share of the grouping's patients a running project reaches
    started: np.ndarray                 # (R, Q) counters
    dropped_early: np.ndarray
    lost: np.ndarray
    open: np.ndarray                    # (R, Q) slots the grouping's capacity opens this month

    @classmethod
    def empty(cls, runs: int, groupings: int) -> Projects:
        slots = np.zeros((MAX_PROJECTS, runs, groupings))
        counters = np.zeros((runs, groupings))
        return cls(slots.astype(np.int8), *(slots.copy() for _ in range(7)), *(counters.copy() for _ in range(3)),
                   np.ones((runs, groupings)))

    @property
    def seen_effect(self) -> np.ndarray:
        return np.divide(self.evidence_sum, self.evidence_months, out=np.zeros_like(self.evidence_sum),
                         where=self.evidence_months > 0)

    @property
    def live(self) -> np.ndarray:
        return self.stage > NONE

    @property
    def sustained(self) -> np.ndarray:
        return (self.stage == RUNNING) & (self.months_running >= SUSTAINED_MONTHS)

    # per grouping (R, Q)
    @property
    def room(self) -> np.ndarray:
        """Whether the grouping has capacity for another project this month."""
        return self.live.sum(axis=0) < self.open

    @property
    def furthest(self) -> np.ndarray:
        """The furthest stage any of the grouping's projects has reached."""
        return self.stage.max(axis=0)

    @property
    def advancement(self) -> np.ndarray:
        """Stage plus progress towards the next, of the grouping's most advanced project."""
        return (self.stage + self.progress).max(axis=0)

    @property
    def any_running(self) -> np.ndarray:
        return (self.stage == RUNNING).any(axis=0)


PACE_MONTHS = 6  # a project moving one stage in six months: the pace the ACE pilots aimed at (a 12-month pilot)


def monthly_need(params):
    """Transformation hours a month per 1,000 patients a project moving at PACE_MONTHS a stage needs."""
    return params.innovation.hours_per_stage / PACE_MONTHS


def project_need_per_gp(list_size, posts, params):
    """Transformation hours a month per GP post that a project moving at PACE_MONTHS a stage needs."""
    return monthly_need(params) * list_size / 1000 / posts


BASE_ENGAGEMENT = 0.3   # partner engagement without a proposal that names partners


def engagement(concreteness, params):
    """Partner engagement in each grouping's projects (Q,): a base, plus the partners a concrete
    proposal brings ([Miller16]: acute clinicians easier to engage where there was a personal connection)."""
    return BASE_ENGAGEMENT + params.innovation.concrete_engagement * concreteness


def effective_hours(transformation_hours, list_size, infrastructure, method, engaged):
    """Transformation hours per 1,000 patients, weighted by what makes them count."""
    per_1000 = transformation_hours / (list_size / 1000)
    return per_1000 * (0.5 + infrastructure) * METHOD_SPEED[method] * (0.8 + 0.4 * engaged)


def expected_effect(concreteness, params):
    """The effect a grouping expects of a new idea, before any reading: better for a concrete proposal."""
    innovation = params.innovation
    return innovation.effect_mean + innovation.concrete_effect_shift * concreteness * innovation.effect_sd


def open_slots(hours_per_1000, params) -> np.ndarray:
    """Projects a grouping has the capacity to run at once (R, Q): one, plus one for each further full
    project's worth of transformation hours a month (a project at PACE_MONTHS a stage), up to MAX_PROJECTS."""
    return np.clip(np.floor(hours_per_1000 / monthly_need(params)), 1, MAX_PROJECTS)


def _first_free(projects: Projects) -> np.ndarray:
    """(S, R, Q): true at the first slot of each grouping with no live project (nowhere if every slot is live)."""
    free = ~projects.live
    first = np.cumsum(free, axis=0) == 1
    return free & first


def advance(projects: Projects, effective, hours_per_1000, method, draws, params):
    """One month of every grouping's projects. Returns (projects, wins, losses), wins and losses (R, Q).

    ``draws`` holds this month's random numbers: ``u_start`` and ``z_effect`` (R, Q), one new idea a month
    at most; ``u_lose`` and ``z_reading`` (S, R, Q), one per project; drawn whether used or not so that
    runs under different policies share their random numbers.
    """
    innovation = params.innovation
    stage = projects.stage
    opened = open_slots(hours_per_1000, params)
    live_before = projects.live.sum(axis=0)
    spare = np.maximum(hours_per_1000 - live_before * innovation.hours_per_stage / PACE_MONTHS, 0.0)
    chance = innovation.start_per_month * np.where(live_before > 0, spare, hours_per_1000) / 10
    start = _first_free(projects) & (live_before < opened) & (draws["u_start"] < chance)
    new_effect = innovation.effect_mean + innovation.effect_sd * draws["z_effect"]
    true_effect = np.where(start, new_effect, projects.true_effect)
    progress = np.where(start, 0.0, projects.progress)
    reach = np.where(start, innovation.pilot_reach, projects.reach)
    stage = np.where(start, DEVELOPING, stage)

    live = stage > NONE
    share = effective / np.maximum(live.sum(axis=0), 1)                  # a grouping's hours, shared by its projects
    moving = (stage == DEVELOPING) | (stage == PILOTING)
    progress = np.where(moving, progress + share / innovation.hours_per_stage, progress)
    wins = moving & (progress >= 1)
    stage = np.where(wins, stage + 1, stage)
    progress = np.where(wins, 0.0, progress)

    months_reading = np.where(start | (stage < PILOTING), 0, projects.months_reading + (stage >= PILOTING))
    reading = (stage >= PILOTING) & (months_reading > innovation.reading_lag_months)
    evidence_sum = (np.where(start, 0.0, projects.evidence_sum)
                    + reading * (true_effect + innovation.observation_sd * draws["z_reading"]))
    evidence_months = np.where(start, 0.0, projects.evidence_months) + reading
    seen = np.divide(evidence_sum, evidence_months, out=np.zeros_like(evidence_sum), where=evidence_months > 0)
    dropped_early = (stage == PILOTING) & RAPID_REVIEW[method] & (evidence_months >= REVIEW_MONTHS) & (seen < 0)

    scaling = (stage == RUNNING) & ~wins & (seen > 0)                    # scale up what is seen to work
    reach = np.where(scaling, np.minimum(reach + (1 - innovation.pilot_reach) * share / innovation.scale_up_hours,
                                         1.0), reach)

    per_project = hours_per_1000 / np.maximum(live.sum(axis=0), 1)
    shortfall = np.clip(1 - per_project / innovation.maintenance_hours, 0, 1)
    lost = live & (draws["u_lose"] < innovation.loss_chance_when_starved * shortfall)
    ended = dropped_early | lost
    months_running = np.where(stage == RUNNING, projects.months_running + 1, 0)
    return replace(
        projects,
        stage=np.where(ended, NONE, stage).astype(np.int8),
        progress=np.where(ended, 0.0, progress),
        true_effect=np.where(ended, 0.0, true_effect),
        evidence_sum=np.where(ended, 0.0, evidence_sum),
        evidence_months=np.where(ended, 0.0, evidence_months),
        months_running=np.where(ended, 0, months_running),
        months_reading=np.where(ended, 0, months_reading),
        reach=np.where(ended, 0.0, reach),
        started=projects.started + start.sum(axis=0),
        dropped_early=projects.dropped_early + dropped_early.sum(axis=0),
        lost=projects.lost + lost.sum(axis=0),
        open=opened,
    ), wins.sum(axis=0).astype(float), lost.sum(axis=0).astype(float)


def admission_effect(projects: Projects) -> np.ndarray:
    """Share of non-incentivised admissions each grouping's running projects avoid (R, Q): each avoids its
    effect among the patients it reaches, independently of the others."""
    kept = np.where(projects.stage == RUNNING, 1 - projects.true_effect * projects.reach, 1.0)
    return 1 - kept.prod(axis=0)


def begin(projects: Projects, where, stage: int, progress, true_effect, params) -> Projects:
    """Projects started by a scheme (a concrete proposal's head start, an adopted innovation) where ``where``
    (R, Q) is true, each in the grouping's first free slot (nowhere if every slot is live)."""
    slot = _first_free(projects) & np.asarray(where, dtype=bool)
    return replace(
        projects,
        stage=np.where(slot, stage, projects.stage).astype(np.int8),
        progress=np.where(slot, progress, projects.progress),
        true_effect=np.where(slot, true_effect, projects.true_effect),
        evidence_sum=np.where(slot, 0.0, projects.evidence_sum),
        evidence_months=np.where(slot, 0.0, projects.evidence_months),
        months_running=np.where(slot, 0, projects.months_running),
        months_reading=np.where(slot, 0, projects.months_reading),
        reach=np.where(slot, params.innovation.pilot_reach, projects.reach),
        started=projects.started + slot.sum(axis=0),
    )


def drop(projects: Projects, where) -> Projects:
    """Projects ended by a decision (not by starvation), counted as lost: ``where`` (S, R, Q) picks projects,
    (R, Q) every project of a grouping. Returns the projects and how many each grouping lost (R, Q)."""
    ended = np.broadcast_to(where, projects.stage.shape) & projects.live
    return replace(
        projects,
        stage=np.where(ended, NONE, projects.stage).astype(np.int8),
        progress=np.where(ended, 0.0, projects.progress),
        true_effect=np.where(ended, 0.0, projects.true_effect),
        evidence_sum=np.where(ended, 0.0, projects.evidence_sum),
        evidence_months=np.where(ended, 0.0, projects.evidence_months),
        months_running=np.where(ended, 0, projects.months_running),
        months_reading=np.where(ended, 0, projects.months_reading),
        reach=np.where(ended, 0.0, projects.reach),
        lost=projects.lost + ended.sum(axis=0),
    ), ended.sum(axis=0).astype(float)


def review_at_funding_end(projects: Projects, ending, other_admissions_per_year, list_size, concreteness, commitment,
                          params) -> np.ndarray:
    """Which projects the ending groupings drop when their funding ends (S, R, Q), where ``ending`` (R, Q)
    is true.

    Value seen: a project's mean reading so far (its expected effect if it has none) times the
    grouping's yearly admissions for other conditions, valued at ``value_per_admission_avoided`` and
    weighed by the commitment of its practices. Cost to carry: the yearly maintenance time of a live
    project, plus the development still needed before it runs, at GPs' own pay per hour, weighed by
    ``carrying_cost_weight``. A project is kept where the value is at least the cost.
    """
    innovation = params.innovation
    readings = projects.evidence_months > 0
    effect = np.where(readings, projects.seen_effect, expected_effect(concreteness, params))
    value = effect * other_admissions_per_year * innovation.value_per_admission_avoided * commitment
    remaining_stages = np.clip(RUNNING - projects.stage - projects.progress, 0.0, None)
    hours = (innovation.maintenance_hours * 12 + remaining_stages * innovation.hours_per_stage) * list_size / 1000
    cost = innovation.carrying_cost_weight * hours * params.time.reference_pay_per_hour
    return ending & projects.live & (value < cost)
