"""Process 5: innovation projects of groupings of practices.

Each grouping (a single practice is a grouping of one) has at most one live
project. A project is started with a chance that grows with the grouping's
transformation time, draws a *true* effect (the share of its population's
non-incentivised emergency admissions it would avoid once running; some ideas
are worse than nothing), and moves through stages

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

*At the end of funding* (:func:`review_at_funding_end`) a grouping weighs the
value it has seen - its project's readings so far, late and noisy, or, without
readings, what it expected - against the yearly cost it must now carry itself,
and keeps a project only where the value is worth it.
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


@dataclass(frozen=True)
class Projects:
    """The innovation project of every grouping: arrays (R, Q)."""

    stage: np.ndarray
    progress: np.ndarray
    true_effect: np.ndarray
    evidence_sum: np.ndarray
    evidence_months: np.ndarray
    months_running: np.ndarray
    months_reading: np.ndarray          # months since the project reached piloting
    started: np.ndarray
    dropped_early: np.ndarray
    lost: np.ndarray

    @classmethod
    def empty(cls, runs: int, groupings: int) -> Projects:
        zeros = np.zeros((runs, groupings))
        return cls(np.zeros((runs, groupings), dtype=np.int8), *(zeros.copy() for _ in range(9)))

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


PACE_MONTHS = 6  # a project moving one stage in six months: the pace the ACE pilots aimed at (a 12-month pilot)


def project_need_per_gp(list_size, posts, params):
    """Transformation hours a month per GP post that a project moving at PACE_MONTHS a stage needs."""
    return params.innovation.hours_per_stage / PACE_MONTHS * list_size / 1000 / posts


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


def advance(projects: Projects, effective, hours_per_1000, method, draws, params):
    """One month of every grouping's project. Returns (projects, wins, losses), wins and losses (R, Q).

    ``draws`` holds this month's random numbers: ``u_start``, ``u_lose`` (uniform) and
    ``z_effect``, ``z_reading`` (standard normal), each (R, Q), drawn whether used or not so
    that runs under different policies share their random numbers.
    """
    innovation = params.innovation
    stage = projects.stage
    start = (stage == NONE) & (draws["u_start"] < innovation.start_per_month * hours_per_1000 / 10)
    true_effect = np.where(start, innovation.effect_mean + innovation.effect_sd * draws["z_effect"], projects.true_effect)
    progress = np.where(start, 0.0, projects.progress)
    stage = np.where(start, DEVELOPING, stage)

    moving = (stage == DEVELOPING) | (stage == PILOTING)
    progress = np.where(moving, progress + effective / innovation.hours_per_stage, progress)
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

    shortfall = np.clip(1 - hours_per_1000 / innovation.maintenance_hours, 0, 1)
    lost = (stage > NONE) & (draws["u_lose"] < innovation.loss_chance_when_starved * shortfall)
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
        started=projects.started + start,
        dropped_early=projects.dropped_early + dropped_early,
        lost=projects.lost + lost,
    ), wins.astype(float), lost.astype(float)


def admission_effect(projects: Projects) -> np.ndarray:
    """Share of non-incentivised admissions each grouping's running project avoids (R, Q)."""
    return np.where(projects.stage == RUNNING, projects.true_effect, 0.0)


def begin(projects: Projects, where, stage: int, progress, true_effect) -> Projects:
    """Projects started by a scheme (a concrete proposal's head start, an adopted innovation) where
    ``where`` (R, Q) is true."""
    return replace(
        projects,
        stage=np.where(where, stage, projects.stage).astype(np.int8),
        progress=np.where(where, progress, projects.progress),
        true_effect=np.where(where, true_effect, projects.true_effect),
        evidence_sum=np.where(where, 0.0, projects.evidence_sum),
        evidence_months=np.where(where, 0.0, projects.evidence_months),
        months_running=np.where(where, 0, projects.months_running),
        months_reading=np.where(where, 0, projects.months_reading),
        started=projects.started + where,
    )


def drop(projects: Projects, where) -> Projects:
    """Projects ended by a decision (not by starvation) where ``where`` is true; counted as lost."""
    return replace(
        projects,
        stage=np.where(where, NONE, projects.stage).astype(np.int8),
        progress=np.where(where, 0.0, projects.progress),
        true_effect=np.where(where, 0.0, projects.true_effect),
        evidence_sum=np.where(where, 0.0, projects.evidence_sum),
        evidence_months=np.where(where, 0.0, projects.evidence_months),
        months_running=np.where(where, 0, projects.months_running),
        months_reading=np.where(where, 0, projects.months_reading),
        lost=projects.lost + where,
    )


def review_at_funding_end(projects: Projects, ending, other_admissions_per_year, list_size, concreteness, commitment,
                          params) -> np.ndarray:
    """Which projects a grouping drops when its funding ends (R, Q), where ``ending`` is true.

    Value seen: the project's mean reading so far (its expected effect if it has none) times the
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
