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

from pcsim import hospital, incentives
from pcsim.config import ConfigError, Field
from pcsim.schemes import Scheme, register

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

    def __init__(self, spec, sim):
        super().__init__(spec, sim)
        self.directive = self.settings["contract"] == "directive"
        self.due = None

    def shape(self, sim, month, levers):
        s, p = sim.structure, sim.p
        u = self.draw(sim, "random", (len(hospital.ENABLERS), s.n_practices))
        if self.due is None:
            self.due = 1 + np.floor(u * self.settings["enabler_months"])       # month of delivery, per enabler
        months_in = month - self.start + 1
        sim.enablers = np.maximum(sim.enablers, (self.due <= months_in).astype(float))
        posts = s.posts
        if self.directive:
            levers.control = incentives.combine_control(levers.control, p.rollout.directive_control)
            levers.freedom = levers.freedom * 0.0
            levers.admin_hours_per_gp = levers.admin_hours_per_gp + p.rollout.monitoring_hours / posts
            if months_in <= SHOCK_MONTHS:
                levers.morale_shock = levers.morale_shock + p.rollout.morale_shock * sim.practice_grouping.spread(sim.selected)
        else:
            levers.trust = levers.trust + p.investment.trust
            levers.freedom = levers.freedom + p.investment.freedom
            levers.admin_hours_per_gp = levers.admin_hours_per_gp + PARTNERSHIP_REPORT_HOURS / posts

    def pay(self, sim, month, ledger):
        ledger.pay("investment", self.settings["funding_per_patient_year"] / 12 * sim.structure.list_size)
