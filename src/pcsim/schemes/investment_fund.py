"""An investment fund for transformation: the ACE pilot of [Miller18].

Birmingham Cross-City CCG gave selected groupings of practices GBP 10.50 per
registered patient for a 12-month pilot, up front, with freedom in how to use
it, two required objectives, monthly action-learning sets, progress reports
and an outcome-based review [Miller18]. "For these groups of practices
funding was an enabler rather than an incentive, providing 'capacity and
flexibility' rather than 'motivation and reward'" [Miller16]. In the model:

*Design.* Paid up front, nothing contingent on measured targets, reviewed on
outcomes, two broad objectives, little specified, light monitoring (progress
reports), wide discretion over the money, a forum (learning sets). How that is
felt is the perception submodel's business (:mod:`pcsim.model.perception`): the
same money with another design (``fund_as_qof`` in
``experiments/design_swap.toml``) is felt otherwise.

*Selection.* Applicant groupings are scored by the concreteness of their
proposal and the commitment of all their practices, with panel noise; the
best ``places`` are funded. Being selected is being visible (innovator
identity); what the practices tied to the selected and the rejected make of it
is the peers submodel's business (:mod:`pcsim.model.peers`).

*Money up front* (design ``paid = "up_front"``): the whole grant is paid in the
first month. A share (``investment.enabler_share``) is money for the enablers'
capacity work; the rest buys protected time - backfill at
``investment.backfill_cost_per_hour``, as far as locums can supply it
(``investment.backfill_supply`` of the hours paid for, at most
``investment.backfill_limit_per_1000`` hours a month per 1,000 patients),
spread over the funded months - which adds transformation hours without taking
them from patients. Money beyond what locums can supply funds additional-role
posts (:mod:`pcsim.model.capacity`, in England's mix of roles) for as long as
the fund runs; when it ends, practices keep the posts worth their running cost
to them.

*Objective 1, the enablers*, are delivered by capacity work
(:mod:`pcsim.model.enablers`): the enabler money buys training, recruitment,
equipment and set-up at each practice, as fast as the practice can absorb it,
with months that slip; each delivery is a quick win, and delivered enablers are
provided for good, so the commissioner can decommission hospital diagnostics.

*Objective 2, innovation.* A concrete proposal's project can start as soon as
the money arrives, with the better idea a concrete plan brings
(:mod:`pcsim.model.innovation`); the project process does the rest, faster with
protected time and engaged partners.

*Learning sets* are the fund's forum: funded groupings meet monthly
(:mod:`pcsim.model.learning`), the last set at the fund's last month.

*End of funding.* At its last month the fund emits ``FundingEnded``: each
funded grouping weighs the value it has seen in its project against the cost
it must now carry itself, and drops what is not worth it; starved of
protected time, some kept projects are lost later.

Paid *in arrears* (design ``paid = "in_arrears"``: the reward of MODEL.md
pattern 9, or ``fund_as_qof``), nothing comes up front: no protected time,
practices advance part of the enabler money themselves
(``investment.prefinance_share``), an hour of transformation work earns its
share of the contingent money, and the grant is paid at the end, the contingent
part in proportion to the objectives met.
"""

from __future__ import annotations

import numpy as np

from pcsim.config import ConfigError, Field, require_known
from pcsim.model import capacity, innovation
from pcsim.model.events import FundingEnded, GroupingsSelected, ProjectsStarted
from pcsim.schemes.base import Scheme, named_groupings, register

ROLE_MIX = capacity.mix_vector(capacity.DEFAULT_MIX)


@register
class InvestmentFund(Scheme):
    name = "investment_fund"
    summary = "ACE-style investment fund: money up front to selected groupings, learning sets, freedom to innovate."
    fields = {
        "applicants": Field(list, [], meaning="Groupings that apply (empty: every named grouping)."),
        "places": Field(int, 6, 1, 10_000, "How many applicants the commissioner funds."),
        "open_to_all": Field(bool, False, meaning="Every grouping (single practices too) applies, as for a "
                                                  "commissioner-wide fund."),
    }
    # The ACE design [Miller18; Miller16]: money up front, nothing contingent, outcome-based review of two
    # objectives, little specified, progress reports, "freedom in how to use it", monthly learning sets.
    design = {"contingent": 0.0, "paid": "up_front", "measures": "outcomes", "targets": 2, "specification": 0.2,
              "monitoring": 0.3, "discretion": 0.9, "forum": "learning_sets", "framing": "quality",
              "publication": 0.3}

    @classmethod
    def validate(cls, where, spec, context):
        out = super().validate(where, spec, context)
        names = context["grouping_names"]
        require_known(f"{where}.applicants", out["applicants"], names, "a grouping")
        if not (out["applicants"] or names or out["open_to_all"]):
            raise ConfigError(f"{where}: no groupings can apply: the config has no [[groupings]]")
        return out

    def __init__(self, spec, world, stream):
        super().__init__(spec, world, stream)
        structure = world.structure
        self.applicant = named_groupings(structure, self.settings["applicants"]) | self.settings["open_to_all"]
        self.funded = np.zeros((world.runs, structure.n_groupings), dtype=bool)
        self.up_front = self.design["paid"] == "up_front"

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

    # ---------------------------------------------------------------- hooks
    def shape(self, month, levers):
        world = self.world
        structure, params = world.structure, world.params
        normal = self.draw("standard_normal", (structure.n_groupings,))          # the panel's scoring
        if month == self.start:
            self.funded = self._select(normal) & (params.investment.funding_per_patient > 0)
            world.emit(GroupingsSelected(self.funded))
        funded = self._funded_practices()
        rejected = world.practice_grouping.spread(self.applicant & ~self.funded)
        fund = params.investment
        grant = self.grant() * funded
        if month == self.start:
            advanced = 1.0 if self.up_front else fund.prefinance_share
            levers.enabler_money = levers.enabler_money + advanced * fund.enabler_share * grant
        if self.up_front:
            hours = grant * (1 - fund.enabler_share) / self.months / fund.backfill_cost_per_hour
            beyond = np.maximum(fund.backfill_supply * hours - fund.backfill_limit_per_1000 * structure.list_size / 1000,
                                0.0)                                          # more than locums can supply
            levers.protected_hours = levers.protected_hours + (fund.backfill_supply * hours - beyond)
            unsupplied = np.divide(beyond, fund.backfill_supply, out=np.zeros_like(beyond),
                                   where=fund.backfill_supply > 0)             # the hours' money, left to spend
            money_for_roles = unsupplied * fund.backfill_cost_per_hour
            levers.role_posts = levers.role_posts + capacity.posts_bought(money_for_roles, ROLE_MIX, params)
        else:
            hours_needed = 3 * params.innovation.hours_per_stage * structure.list_size / 1000   # to a running project
            levers.transformation_pay = levers.transformation_pay + self.design["contingent"] * grant / hours_needed
        levers.visibility = np.maximum(levers.visibility, funded)
        levers.rejected = np.maximum(levers.rejected, rejected)
        levers.admin_hours_per_gp = levers.admin_hours_per_gp + fund.report_hours_per_month / structure.posts * funded
        if self.design["forum"] == "learning_sets":
            levers.forum = levers.forum | self.funded
            levers.forum_final = levers.forum_final | (self.funded & self.last_month(month)[:, None])
        levers.feel(self.design, grant * 12 / self.months)

    def after_projects(self, month):
        world = self.world
        structure, params = world.structure, world.params
        Q = structure.n_groupings
        ready = self.draw("random", (Q,))
        effect_noise = self.draw("standard_normal", (Q,))
        if month == self.start:
            concreteness = structure.grouping_concreteness
            starts = (self.funded & world.projects.room
                      & (ready < params.innovation.concrete_ready_share * concreteness))
            effect = innovation.expected_effect(concreteness, params) + params.innovation.effect_sd * effect_noise
            world.emit(ProjectsStarted(starts, innovation.DEVELOPING, 0.0, effect))
        last = self.last_month(month)
        if last.any():
            world.emit(FundingEnded(self.funded & last[:, None]))

    def pay(self, month, ledger):
        grant = self.grant() * self._funded_practices()
        contingent = self.design["contingent"]
        if self.up_front and month == self.start:
            ledger.pay("investment", grant)
        elif not self.up_front and self.last_month(month).any():
            world = self.world
            grant = grant * self.last_month(month)[:, None]
            enablers = world.practice_grouping.mean(world.enablers.mean(axis=0), world.structure.list_size)
            met = 0.5 * enablers + 0.5 * world.projects.any_running
            earned = world.practice_grouping.spread(contingent * met + (1 - contingent))
            ledger.pay("investment", grant * earned)
