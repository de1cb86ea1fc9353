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
level: the four enablers, delivered within ``enabler_months`` and then
guaranteed (so the commissioner can decommission hospital diagnostics).

``contract = "directive"``: specified activities and tight monitoring - felt as
control (``rollout.directive_control``), with monitoring hours and no freedom;
former pilots' GPs suffer a morale shock in the first six months.

``contract = "partnership"``: the same money and enablers, with trust and
freedom as in the pilot and light reporting - the counterfactual that shows
what the directive turn cost (MODEL.md pattern 8).
"""

from __future__ import annotations

import numpy as np

from pcsim.config import ConfigError, Field
from pcsim.model import hospital
from pcsim.model.events import EnablersGuaranteed
from pcsim.schemes import incentives
from pcsim.schemes.base import Scheme, register

CONTRACTS = ("directive", "partnership")
SHOCK_MONTHS = 6
PARTNERSHIP_REPORT_HOURS = 2.0


@register
class Rollout(Scheme):
    name = "rollout"
    summary = "The enhanced level rolled out to every practice, under a directive or a partnership contract."
    fields = {
        "contract": Field(str, "directive", meaning="directive (specified, monitored) or partnership (trust, freedom)."),
        "funding_per_patient_year": Field(float, 5.0, 0.0, 200.0, "Payment per registered patient a year."),
        "enabler_months": Field(int, 6, 1, 60, "Months within which every practice delivers the four enablers."),
    }

    @classmethod
    def validate(cls, where, spec, context):
        out = super().validate(where, spec, context)
        if out["contract"] not in CONTRACTS:
            raise ConfigError(f"{where}.contract = {out['contract']!r} is not allowed: choose directive or partnership")
        return out

    def __init__(self, spec, world, stream):
        super().__init__(spec, world, stream)
        self.directive = self.settings["contract"] == "directive"
        self.due = None

    def shape(self, month, levers):
        world = self.world
        structure, params = world.structure, world.params
        uniform = self.draw("random", (len(hospital.ENABLERS), structure.n_practices))
        if self.due is None:
            self.due = 1 + np.floor(uniform * self.settings["enabler_months"])   # month of delivery, per enabler
        months_in = month - self.start + 1
        world.emit(EnablersGuaranteed((self.due <= months_in).astype(float)))
        posts = structure.posts
        if self.directive:
            levers.control = incentives.combine_control(levers.control, params.rollout.directive_control)
            levers.freedom = levers.freedom * 0.0
            levers.admin_hours_per_gp = levers.admin_hours_per_gp + params.rollout.monitoring_hours / posts
            if months_in <= SHOCK_MONTHS:
                former_pilots = world.practice_grouping.spread(world.selected)
                levers.morale_shock = levers.morale_shock + params.rollout.morale_shock * former_pilots
        else:
            levers.trust = levers.trust + params.investment.trust
            levers.freedom = levers.freedom + params.investment.freedom
            levers.admin_hours_per_gp = levers.admin_hours_per_gp + PARTNERSHIP_REPORT_HOURS / posts

    def pay(self, month, ledger):
        ledger.pay("investment", self.settings["funding_per_patient_year"] / 12 * self.world.structure.list_size)
