"""An investment fund for transformation: the ACE pilot of [Miller18].

Birmingham Cross-City CCG gave selected groupings of practices GBP 10.50 per
registered patient for a 12-month pilot, up front, with freedom in how to use
it, two required objectives, monthly action-learning sets, progress reports
and an outcome-based review [Miller18]. "For these groups of practices
funding was an enabler rather than an incentive, providing 'capacity and
flexibility' rather than 'motivation and reward'" [Miller16]. In the model:

*Selection.* Applicant groupings are scored by the concreteness of their
proposal and the commitment of all their practices, with panel noise; the
best ``places`` are funded. Being selected is being visible (innovator
identity) and exposed to the judgement of practices that were not (peer
judgement); rejected applicants feel that judgement too.

*Money up front* (``mode = "capacity"``): the whole grant is paid in the first
month. A share (``investment.enabler_share``) buys the four enablers; the
rest buys protected time - backfill at ``investment.backfill_cost_per_hour``,
spread over the funded months - which adds transformation hours without taking
them from patients. The funding is felt as trust and gives freedom (crowding
in); partners engage more readily.

*Objective 1, the enablers.* Each funded grouping delivers each enabler, by its
own staff (a single practice), hub and spoke (a grouping with change
infrastructure) or an external provider (the rest), after a time that falls
with change infrastructure and money, with noise. Delivered enablers are
guaranteed provision for all the grouping's practices: hospital diagnostics
move to primary care and, after three months, the commissioner decommissions
them. Each delivery is a quick win.

*Objective 2, innovation.* A grouping with a concrete proposal starts its
project at once with a head start ("pilots with concrete integration
innovations at the time of application made more rapid progress"); the
project process (:mod:`pcsim.innovation`) does the rest, faster with protected
time and engaged partners.

*Learning sets* (process 6, :mod:`pcsim.learning`) build trust, let groupings
share and adopt each other's innovations, and move the commissioner towards
being a "partner in uncertainty".

*End of funding.* What the grant paid for (new posts, backfill) must now be
found elsewhere, so a project survives only where its grouping's practices are
committed to it (a draw against the grouping's commitment): a committed
grouping sustains a running project whose readings are positive, and adapts
(keeps, for the commissioner's review) half of those still in development or piloting with
non-negative readings; the rest are dropped, and the time and energy spent is
lost (a loss for motivation). Starved of protected time, some kept projects
are lost later.

``mode = "reward"`` spends the same money as a reward for outcomes instead:
nothing up front, no protected time, control rather than trust, and the grant
paid at the end in proportion to objectives met - the comparison of MODEL.md
pattern 9.
"""

from __future__ import annotations

import numpy as np

from pcsim.config import ConfigError, Field, require_known
from pcsim.inputs.parameters import PARAMETERS
from pcsim.model import hospital, innovation, learning
from pcsim.model.events import (EnablersGuaranteed, GroupingsSelected, InnovationsAdopted, LearningSetHeld,
                                ProjectsDropped, ProjectsStarted, QuickWins, StanceNudged)
from pcsim.schemes import incentives
from pcsim.schemes.base import Scheme, named_groupings, register

MODES = ("capacity", "reward")
OWN, HUB, EXTERNAL = range(3)
DELIVERY_MODES = ("own staff", "hub and spoke", "external provider")
DELIVERY_SPEED = np.array([1.0, 0.8, 0.5])   # months relative to own staff; assumption
REPORT_HOURS = 2.0                            # progress reports, hours per practice a month
REJECTED_EXPOSURE = 0.5                       # peer judgement felt by applicants not selected
HEAD_START = 0.5                              # progress towards piloting of a fully concrete proposal
ADAPTED_SHARE = 0.5                           # share of committed groupings' unfinished projects kept at the end
REWARD_MONEY_FACTOR = 0.5                     # money for enablers when practices must pay first and be paid back
# What the ACE pilot put into the enablers, GBP per patient: the defaults of the parameter table.
ACE_ENABLER_MONEY = PARAMETERS["investment.enabler_share"].default * PARAMETERS["investment.funding_per_patient"].default


@register
class InvestmentFund(Scheme):
    name = "investment_fund"
    summary = "ACE-style investment fund: money up front to selected groupings, learning sets, freedom to innovate."
    fields = {
        "applicants": Field(list, [], meaning="Groupings that apply (empty: every named grouping)."),
        "places": Field(int, 6, 1, 10_000, "How many applicants the commissioner funds."),
        "mode": Field(str, "capacity", meaning="capacity (money up front) or reward (paid at the end for outcomes)."),
        "learning_sets": Field(bool, True, meaning="Whether funded groupings meet in monthly learning sets."),
        "open_to_all": Field(bool, False, meaning="Every grouping (single practices too) applies, as for a "
                                                  "commissioner-wide fund."),
    }

    @classmethod
    def validate(cls, where, spec, context):
        out = super().validate(where, spec, context)
        names = context["grouping_names"]
        require_known(f"{where}.applicants", out["applicants"], names, "a grouping")
        if not (out["applicants"] or names or out["open_to_all"]):
            raise ConfigError(f"{where}: no groupings can apply: the config has no [[groupings]]")
        if out["mode"] not in MODES:
            raise ConfigError(f"{where}.mode = {out['mode']!r} is not allowed: choose capacity or reward")
        return out

    def __init__(self, spec, world, stream):
        super().__init__(spec, world, stream)
        structure = world.structure
        self.applicant = named_groupings(structure, self.settings["applicants"]) | self.settings["open_to_all"]
        self.funded = np.zeros((world.runs, structure.n_groupings), dtype=bool)
        self.due = np.full((len(hospital.ENABLERS), world.runs, structure.n_groupings), np.inf)
        self.delivery_mode = np.zeros((world.runs, structure.n_groupings), dtype=np.int8)
        self.capacity = self.settings["mode"] == "capacity"

    # ---------------------------------------------------------------- helpers
    @property
    def months(self) -> int:
        return self.end - self.start

    def grant(self):
        """The whole grant of each practice, GBP (P,)."""
        return self.world.params.investment.funding_per_patient * self.world.structure.list_size

    def _funded_practices(self):
        return self.world.practice_grouping.spread(self.funded)

    def _select(self, normal):
        """The commissioner funds the best-scored applicants: concreteness, commitment, panel noise."""
        structure = self.world.structure
        score = (structure.grouping_concreteness + structure.grouping_commitment
                 + self.world.params.investment.selection_noise * normal)
        score = np.where(self.applicant, score, -np.inf)
        rank = np.argsort(np.argsort(-score, axis=-1, kind="stable"), axis=-1, kind="stable")
        return (rank < self.settings["places"]) & self.applicant

    def _plan_enablers(self, normal):
        """How and when each funded grouping will deliver each enabler (months after the start)."""
        world = self.world
        structure, params = world.structure, world.params
        infra = world.grouping_infrastructure
        mode = np.where(structure.practices_per_grouping == 1, OWN, np.where(infra >= 0.25, HUB, EXTERNAL))
        money = np.maximum(params.investment.enabler_share * params.investment.funding_per_patient / ACE_ENABLER_MONEY,
                           1e-9)  # 1 at ACE
        if not self.capacity:
            money = money * REWARD_MONEY_FACTOR
        months = (params.investment.enabler_months * DELIVERY_SPEED[mode] * (1.2 - infra) / np.minimum(money, 1.0)
                  * np.exp(0.25 * normal))
        self.delivery_mode = np.broadcast_to(mode, self.funded.shape).astype(np.int8)
        self.due = np.where(self.funded, months, np.inf)

    # ---------------------------------------------------------------- hooks
    def shape(self, month, levers):
        world = self.world
        structure, params = world.structure, world.params
        E = len(hospital.ENABLERS)
        normal = self.draw("standard_normal", (E + 1, structure.n_groupings))   # delivery times, selection
        if month == self.start:
            self.funded = self._select(normal[E]) & (params.investment.funding_per_patient > 0)
            world.emit(GroupingsSelected(self.funded))
            self._plan_enablers(normal[:E])
        funded = self._funded_practices()
        rejected = world.practice_grouping.spread(self.applicant & ~self.funded)
        fund = params.investment
        if self.capacity:
            hours = self.grant() * (1 - fund.enabler_share) / self.months / fund.backfill_cost_per_hour
            levers.protected_hours = levers.protected_hours + hours * funded
            levers.trust = levers.trust + fund.trust * funded
            levers.freedom = levers.freedom + fund.freedom * funded
        else:
            hours_needed = 3 * params.innovation.hours_per_stage * structure.list_size / 1000   # to a running project
            levers.transformation_pay = levers.transformation_pay + self.grant() / hours_needed * funded
            levers.control = incentives.combine_control(levers.control, params.incentives.control_per_scheme * funded)
        levers.visibility = np.maximum(levers.visibility, funded)
        levers.peer_exposure = np.maximum(levers.peer_exposure, np.maximum(funded, REJECTED_EXPOSURE * rejected))
        levers.engagement = np.where(self.funded, fund.engagement, levers.engagement)
        levers.admin_hours_per_gp = levers.admin_hours_per_gp + REPORT_HOURS / structure.posts * funded

    def after_projects(self, month):
        world = self.world
        structure, params = world.structure, world.params
        Q = structure.n_groupings
        effect_noise = self.draw("standard_normal", (Q,))        # a new project's effect, in its context
        uniform = dict(zip(("attend", "consistent", "share", "adopt", "commit", "adapt"), self.draw("random", (6, Q))))
        if month == self.start:
            concrete = self.funded & (structure.grouping_concreteness >= 0.5) & (world.projects.stage == innovation.NONE)
            effect = params.innovation.effect_mean + params.innovation.effect_sd * effect_noise
            world.emit(ProjectsStarted(concrete, innovation.DEVELOPING, HEAD_START * structure.grouping_concreteness,
                                       effect))
        self._deliver_enablers(month - self.start + 1)
        if self.settings["learning_sets"]:
            self._learning_set(uniform, effect_noise, last_set=month == self.end - 1)
        if month == self.end - 1:
            self._end_of_funding(uniform)

    def _deliver_enablers(self, months_in):
        delivered_now = (self.due <= months_in) & (self.due > months_in - 1)       # (E, R, Q)
        if delivered_now.any():
            world = self.world
            world.emit(EnablersGuaranteed(world.practice_grouping.spread(delivered_now)))   # (E, R, P)
            world.emit(QuickWins(delivered_now.sum(axis=0)))

    def _learning_set(self, uniform, effect_noise, last_set: bool):
        world = self.world
        params = world.params
        attended = self.funded & (uniform["attend"] < params.learning.attendance)
        consistent = uniform["consistent"] < params.learning.consistency
        trust = np.where(self.funded & (world.learning_trust == 0), params.learning.trust_initial, world.learning_trust)
        trust = np.where(self.funded, learning.build_trust(trust, attended, consistent, params), trust)
        sharing = np.where(self.funded, learning.sharing(trust, attended, last_set, params), 0.0)
        world.emit(LearningSetHeld(self.funded, trust, sharing))
        shares = uniform["share"] < world.sharing
        projects = world.projects
        good = shares & (projects.stage >= innovation.PILOTING) & (projects.seen_effect > 0)
        offers = good.sum(axis=-1, keepdims=True)
        offered_effect = np.divide((projects.true_effect * good).sum(axis=-1, keepdims=True), offers,
                                   out=np.zeros(offers.shape), where=offers > 0)
        receivers = self.funded & (projects.stage == innovation.NONE) & attended
        adopt = receivers & (uniform["adopt"] < learning.adoption(world.learning_trust, offers, params)) & (offers > 0)
        context = params.innovation.effect_sd * 0.5 * effect_noise
        world.emit(InnovationsAdopted(adopt, offered_effect + context))
        open_sets = world.grouping_commissioner.mean(world.sharing, self.funded * 1.0)   # funded groupings' sharing
        world.emit(StanceNudged(params.learning.stance_per_month * open_sets))

    def _end_of_funding(self, uniform):
        world = self.world
        projects = world.projects
        live = self.funded & projects.live
        seen = projects.seen_effect
        committed = uniform["commit"] < world.structure.grouping_commitment
        sustained = (projects.stage == innovation.RUNNING) & (seen > 0) & committed
        adapted = (projects.stage < innovation.RUNNING) & (seen >= 0) & committed & (uniform["adapt"] < ADAPTED_SHARE)
        world.emit(ProjectsDropped(live & ~sustained & ~adapted))

    def pay(self, month, ledger):
        funded = self._funded_practices()
        if self.capacity and month == self.start:
            ledger.pay("investment", self.grant() * funded)
        elif not self.capacity and month == self.end - 1:
            enablers = np.isfinite(self.due) & (self.due <= self.months)
            met = 0.5 * enablers.mean(axis=0) + 0.5 * (self.world.projects.stage == innovation.RUNNING)
            ledger.pay("investment", self.grant() * self.world.practice_grouping.spread(met * self.funded))
