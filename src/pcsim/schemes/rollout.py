"""Roll-out of an enhanced level to every practice, under a directive or a partnership contract.

"As the programme progressed the CCG came under increasing pressure from other
member practices who wanted to adopt the enhanced level and receive the
related funding. This resulted in the wider roll out being commenced before
the twelve month pilot phase was complete. The CCG also became concerned that
the post-pilot practices may not be sufficiently committed ... and a directive
commissioning approach would be required. This led to a more traditional
contract being introduced in which the required activities were specified"
[Miller18]. Pilot leads' morale fell ("It was supposed to be aspiring to
clinical excellence, not aspiring to saving lots of money ... our morale has
gone down"), yet "the innovations developed by pilots B, D and E continued".

Every practice is paid ``funding_per_patient_year`` to provide the enhanced
level, and gets, when the roll-out starts, the enabler money the pilots had
(``investment.enabler_share`` of ``investment.funding_per_patient``) for the
capacity work that delivers the four enablers (:mod:`pcsim.model.enablers`).

The contract is a *design*, and nothing else distinguishes the two. A scripted
roll-out (a ``[[policy]]`` entry) reaches every practice from its start under
its ``contract``; an adaptive commissioner (:mod:`pcsim.model.decisions`) may
instead decide when, where and under which contract it rolls the level out
(:meth:`Rollout.roll_out`).

``contract = "directive"``: part of the money tied to specified activities,
every activity specified, tight monitoring (reporting at
``rollout.monitoring_hours`` per unit of monitoring), little discretion, the
money framed by savings. Felt through the perception submodel as control, and
as work whose meaning is discounted; morale falls through thwarted autonomy
and lost meaning, for pilot leads and other GPs alike (about 0.02 against a
partnership contract over the following year), and most for the GPs who value
autonomy most.

``contract = "partnership"``: the same money and enablers, with outcomes
reviewed, little specified, light reporting and discretion, framed by quality
- the counterfactual that shows what the directive turn cost (MODEL.md
pattern 8).
"""

from __future__ import annotations

import numpy as np

from pcsim.config import ConfigError, Field
from pcsim.schemes.base import Scheme, register

CONTRACTS = ("directive", "partnership")
DESIGNS = {
    # [Miller18]: "a more traditional contract ... in which the required activities were specified", tight
    # monitoring, a commissioner concerned with savings.
    "directive": {"contingent": 0.5, "paid": "monthly", "measures": "activities", "targets": 4, "specification": 0.9,
                  "monitoring": 0.9, "discretion": 0.1, "forum": "none", "framing": "savings", "publication": 0.5},
    # The pilot's terms continued: outcomes reviewed, discretion, light reporting.
    "partnership": {"contingent": 0.0, "paid": "monthly", "measures": "outcomes", "targets": 2, "specification": 0.3,
                    "monitoring": 0.3, "discretion": 0.8, "forum": "none", "framing": "quality", "publication": 0.0},
}


@register
class Rollout(Scheme):
    name = "rollout"
    summary = "The enhanced level rolled out to every practice, under a directive or a partnership contract."
    fields = {
        "contract": Field(str, "directive", meaning="directive (specified, monitored, framed by savings) or "
                                                    "partnership (outcomes, discretion): sets the default design."),
        "funding_per_patient_year": Field(float, 5.0, 0.0, 200.0, "Payment per registered patient a year."),
    }

    @classmethod
    def validate(cls, where, spec, context):
        if spec.get("contract", "directive") not in CONTRACTS:
            raise ConfigError(f"{where}.contract = {spec['contract']!r} is not allowed: choose directive or partnership")
        return super().validate(where, spec, context)

    @classmethod
    def default_design(cls, settings, context):
        return {**super().default_design(settings, context), **DESIGNS[settings["contract"]]}

    def __init__(self, spec, world, stream):
        super().__init__(spec, world, stream)
        shape = (world.runs, world.structure.n_practices)
        self.covered = np.ones(shape, dtype=bool)                       # practices the enhanced level reaches
        self.since = np.full(shape, float(self.start))                  # the month it reached each
        self.directive = np.full(shape, self.settings["contract"] == "directive")
        self.designs = {contract: {**design, **spec["design"]} for contract, design in DESIGNS.items()}

    def roll_out(self, practices, directive, month: int) -> None:
        """A commissioner's decision: the enhanced level reaches ``practices`` (R, P) from ``month``, under a
        directive contract where ``directive`` (R, P), a partnership contract elsewhere."""
        new = practices & ~self.covered
        self.covered = self.covered | practices
        self.since = np.where(new, month, self.since)
        self.directive = np.where(new, directive, self.directive)
        self.start_in(new.any(axis=1), month)

    def dormant(self) -> None:
        super().dormant()
        self.covered = np.zeros_like(self.covered)
        self.since = np.full_like(self.since, np.inf)

    def shape(self, month, levers):
        world = self.world
        structure, params = world.structure, world.params
        covered = self.covered & (self.since <= month)
        money_per_patient = params.investment.enabler_share * params.investment.funding_per_patient
        levers.enabler_money = levers.enabler_money + money_per_patient * structure.list_size * (self.since == month)
        stake = self.settings["funding_per_patient_year"] * structure.list_size
        for contract, under in (("directive", self.directive), ("partnership", ~self.directive)):
            design = self.designs[contract]
            where = covered & under
            levers.admin_hours_per_gp = (levers.admin_hours_per_gp
                                         + params.rollout.monitoring_hours * design["monitoring"] / structure.posts * where)
            levers.feel(design, stake * where)

    def pay(self, month, ledger):
        covered = self.covered & (self.since <= month)
        ledger.pay("investment", self.settings["funding_per_patient_year"] / 12 * self.world.structure.list_size * covered)
