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

from pcsim import commissioner, hospital, incentives, innovation, learning
from pcsim.config import ConfigError, Field
from pcsim.schemes import Scheme, named_groupings, register, require_known

MODES = ("capacity", "reward")
OWN, HUB, EXTERNAL = range(3)
DELIVERY_MODES = ("own staff", "hub and spoke", "external provider")
DELIVERY_SPEED = np.array([1.0, 0.8, 0.5])   # months relative to own staff; assumption
REPORT_HOURS = 2.0                            # progress reports, hours per practice a month
REJECTED_EXPOSURE = 0.5                       # peer judgement felt by applicants not selected
HEAD_START = 0.5                              # progress towards piloting of a fully concrete proposal


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

    def __init__(self, spec, sim):
        super().__init__(spec, sim)
        s = sim.structure
        self.applicant = named_groupings(s, self.settings["applicants"]) | self.settings["open_to_all"]
        self.funded = np.zeros((sim.runs, s.n_groupings), dtype=bool)
        self.due = np.full((len(hospital.ENABLERS), sim.runs, s.n_groupings), np.inf)
        self.delivery_mode = np.zeros((sim.runs, s.n_groupings), dtype=np.int8)
        self.capacity = self.settings["mode"] == "capacity"

    # ---------------------------------------------------------------- helpers
    @property
    def months(self) -> int:
        return self.end - self.start

    def grant(self, sim):
        """The whole grant of each practice, GBP (P,)."""
        return sim.p.investment.funding_per_patient * sim.structure.list_size

    def _funded_practices(self, sim):
        return sim.practice_grouping.spread(self.funded)

    def _select(self, sim, z):
        """The commissioner funds the best-scored applicants: concreteness, commitment, panel noise."""
        s = sim.structure
        score = s.grouping_concreteness + s.grouping_commitment + sim.p.investment.selection_noise * z
        score = np.where(self.applicant, score, -np.inf)
        rank = np.argsort(np.argsort(-score, axis=-1, kind="stable"), axis=-1, kind="stable")
        return (rank < self.settings["places"]) & self.applicant

    def _plan_enablers(self, sim, z):
        """How and when each funded grouping will deliver each enabler (months after the start)."""
        s, p = sim.structure, sim.p
        infra = sim.grouping_infrastructure
        mode = np.where(s.practices_per_grouping == 1, OWN, np.where(infra >= 0.25, HUB, EXTERNAL))
        money = np.maximum(p.investment.enabler_share * p.investment.funding_per_patient / (0.3 * 10.5), 1e-9)  # 1 at ACE
        if not self.capacity:
            money = money * 0.5    # practices must pay up front themselves and hope to be paid back
        months = (p.investment.enabler_months * DELIVERY_SPEED[mode] * (1.2 - infra) / np.minimum(money, 1.0)
                  * np.exp(0.25 * z))
        self.delivery_mode = np.broadcast_to(mode, self.funded.shape).astype(np.int8)
        self.due = np.where(self.funded, months, np.inf)

    # ---------------------------------------------------------------- hooks
    def shape(self, sim, month, levers):
        s, p = sim.structure, sim.p
        Q, E = s.n_groupings, len(hospital.ENABLERS)
        self._z = self.draw(sim, "standard_normal", (E + 2, Q))
        self._u = dict(zip(("attend", "consistent", "share", "adopt", "commit", "adapt"),
                           self.draw(sim, "random", (6, Q))))
        if month == self.start:
            self.funded = self._select(sim, self._z[E]) & (p.investment.funding_per_patient > 0)
            sim.selected = sim.selected | self.funded
            self._plan_enablers(sim, self._z[:E])
        funded = self._funded_practices(sim)
        rejected = sim.practice_grouping.spread(self.applicant & ~self.funded)
        i = p.investment
        if self.capacity:
            hours = self.grant(sim) * (1 - i.enabler_share) / self.months / i.backfill_cost_per_hour
            levers.protected_hours = levers.protected_hours + hours * funded
            levers.trust = levers.trust + i.trust * funded
            levers.freedom = levers.freedom + i.freedom * funded
        else:
            hours_needed = 3 * p.innovation.hours_per_stage * s.list_size / 1000       # to a running project
            levers.transformation_pay = levers.transformation_pay + self.grant(sim) / hours_needed * funded
            levers.control = incentives.combine_control(levers.control, p.incentives.control_per_scheme * funded)
        levers.visibility = np.maximum(levers.visibility, funded)
        levers.peer_exposure = np.maximum(levers.peer_exposure, np.maximum(funded, REJECTED_EXPOSURE * rejected))
        levers.engagement = np.where(self.funded, i.engagement, levers.engagement)
        levers.admin_hours_per_gp = levers.admin_hours_per_gp + REPORT_HOURS / s.posts * funded

    def after_projects(self, sim, month):
        s, p = sim.structure, sim.p
        E = len(hospital.ENABLERS)
        if month == self.start:
            concrete = self.funded & (s.grouping_concreteness >= 0.5) & (sim.projects.stage == innovation.NONE)
            effect = p.innovation.effect_mean + p.innovation.effect_sd * self._z[E + 1]
            sim.projects = innovation.begin(sim.projects, concrete, innovation.DEVELOPING,
                                            HEAD_START * s.grouping_concreteness, effect)
        self._deliver_enablers(sim, month - self.start + 1)
        if self.settings["learning_sets"]:
            self._learning_set(sim, last_set=month == self.end - 1)
        if month == self.end - 1:
            self._end_of_funding(sim)

    def _deliver_enablers(self, sim, months_in):
        delivered_now = (self.due <= months_in) & (self.due > months_in - 1)       # (E, R, Q)
        if delivered_now.any():
            practices = sim.practice_grouping.spread(delivered_now)                # (E, R, P)
            sim.enablers = np.maximum(sim.enablers, practices)
            sim.events["wins"] = sim.events["wins"] + delivered_now.sum(axis=0)

    def _learning_set(self, sim, last_set: bool):
        p = sim.p
        u = self._u
        attended = self.funded & (u["attend"] < p.learning.attendance)
        consistent = u["consistent"] < p.learning.consistency
        trust = np.where(self.funded & (sim.learning_trust == 0), p.learning.trust_initial, sim.learning_trust)
        sim.learning_trust = np.where(self.funded, learning.build_trust(trust, attended, consistent, p), trust)
        sim.sharing = np.where(self.funded, learning.sharing(sim.learning_trust, attended, last_set, p), 0.0)
        shares = u["share"] < sim.sharing
        projects = sim.projects
        good = shares & (projects.stage >= innovation.PILOTING) & (projects.seen_effect > 0)
        offers = good.sum(axis=-1, keepdims=True)
        offered_effect = np.divide((projects.true_effect * good).sum(axis=-1, keepdims=True), offers,
                                   out=np.zeros(offers.shape), where=offers > 0)
        receivers = self.funded & (projects.stage == innovation.NONE) & attended
        adopt = receivers & (u["adopt"] < learning.adoption(sim.learning_trust, offers, p)) & (offers > 0)
        context = p.innovation.effect_sd * 0.5 * self._z[-1]
        sim.projects = innovation.begin(projects, adopt, innovation.PILOTING, 0.0, offered_effect + context)
        sim.adopted = sim.adopted + adopt
        open_sets = sim.grouping_commissioner.mean(sim.sharing, self.funded * 1.0)   # funded groupings' sharing
        sim.stance = commissioner.nudge_stance(sim.stance, p.learning.stance_per_month * open_sets)

    def _end_of_funding(self, sim):
        projects = sim.projects
        live = self.funded & projects.live
        seen = projects.seen_effect
        committed = self._u["commit"] < sim.structure.grouping_commitment
        sustained = (projects.stage == innovation.RUNNING) & (seen > 0) & committed
        adapted = (projects.stage < innovation.RUNNING) & (seen >= 0) & committed & (self._u["adapt"] < 0.5)
        dropped = live & ~sustained & ~adapted
        sim.projects = innovation.drop(projects, dropped)
        sim.events["losses"] = sim.events["losses"] + dropped

    def pay(self, sim, month, ledger):
        funded = self._funded_practices(sim)
        if self.capacity and month == self.start:
            ledger.pay("investment", self.grant(sim) * funded)
        elif not self.capacity and month == self.end - 1:
            enablers = np.isfinite(self.due) & (self.due <= self.months)
            met = 0.5 * enablers.mean(axis=0) + 0.5 * (sim.projects.stage == innovation.RUNNING)
            ledger.pay("investment", self.grant(sim) * sim.practice_grouping.spread(met * self.funded))
