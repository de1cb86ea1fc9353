"""Process 5: innovation projects of groupings of practices.

Each grouping (a single practice is a grouping of one) has at most one live
project. A project is started with a chance that grows with the grouping's
transformation time, draws a *true* effect (the share of its population's
non-incentivised emergency admissions it would avoid once running; some ideas
are worse than nothing), and moves through stages

    none -> developing -> piloting -> running

as effective transformation hours accumulate. Effective hours are raised by
change infrastructure (protected time, clinical leadership), the improvement
method, proposal concreteness ("pilots with concrete integration innovations
at the time of application made more rapid progress", [Miller18]) and partner
engagement. The true effect is only seen through noisy monthly readings; with
PDSA or a formal method a project whose reading is negative after three months
of piloting is dropped early and the time freed for a new idea (Pilot D's rapid
review, [Miller18]); without a method poor ideas run on. A live project needs
at least its maintenance time; starved of it, it may be lost ("the time and
energy spent ... was seen to have been lost", [Miller18]), which demotivates.
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
    started: np.ndarray
    dropped_early: np.ndarray
    lost: np.ndarray

    @classmethod
    def empty(cls, runs: int, groupings: int) -> Projects:
        zeros = np.zeros((runs, groupings))
        return cls(np.zeros((runs, groupings), dtype=np.int8), *(zeros.copy() for _ in range(8)))

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


def effective_hours(transformation_hours, list_size, infrastructure, method, concreteness, engagement):
    """Transformation hours per 1,000 patients, weighted by what makes them count."""
    per_1000 = transformation_hours / (list_size / 1000)
    return (per_1000 * (0.5 + infrastructure) * METHOD_SPEED[method] * (0.6 + 0.8 * concreteness)
            * (0.8 + 0.4 * engagement))


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

    reading = stage >= PILOTING
    evidence_sum = np.where(start, 0.0, projects.evidence_sum) + reading * (true_effect + innovation.observation_sd * draws["z_reading"])
    evidence_months = np.where(start, 0.0, projects.evidence_months) + reading
    seen = np.divide(evidence_sum, evidence_months, out=np.zeros_like(evidence_sum), where=evidence_months > 0)
    dropped_early = (stage == PILOTING) & RAPID_REVIEW[method] & (evidence_months >= REVIEW_MONTHS) & (seen < 0)

    shortfall = np.clip(1 - hours_per_1000 / innovation.maintenance_hours, 0, 1)
    lost = (stage > NONE) & (draws["u_lose"] < 0.1 * shortfall)
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
        lost=projects.lost + where,
    )
