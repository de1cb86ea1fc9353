"""Risk- and gain-sharing: groupings share the savings or losses on their population's admissions.

A macro-incentive [Nuffield15]: a grouping is paid a share of the emergency
admissions its population avoids against a baseline, and pays the same share
of any excess. Organisations "take years to gain stability", and "many will
fail if they take on too much too quickly, do not conduct risk adjustment
accurately, do not manage financial risk effectively"; ChenMed "always starts
a new risk-sharing arrangement in shadow form", and "financial risk should
therefore be introduced gradually to avoid organisational failure"
[Nuffield15].

The baseline is each grouping's counterfactual admissions times a ratio that
starts with an error (``risk.baseline_error_sd``: risk adjustment is
inaccurate). During a shadow period of ``shadow_months`` nothing is paid and
the ratio moves by ``risk.correction_per_month`` a month towards what the
figures show (admissions over counterfactual), as both sides learn; at go-live
it is fixed for a year, and rebased every year after to the ratio the past
year's figures show; the share rises to ``share`` over ``ramp_months``. A
grouping whose cumulative position falls below minus its reserves
(``risk.reserve_months`` of capitation) fails: it leaves the contract, its
innovation project is lost and its GPs' morale takes a shock (MODEL.md
pattern 11).
"""

from __future__ import annotations

import numpy as np

from pcsim import innovation
from pcsim.config import ConfigError, Field
from pcsim.schemes import Scheme, named_groupings, register, require_known

FAILURE_SHOCK = 0.05     # extra monthly rate of morale loss of a failed grouping's GPs
FAILURE_SHOCK_MONTHS = 6


@register
class RiskSharing(Scheme):
    name = "risk_sharing"
    summary = "Groupings share savings and losses on their population's admissions, after a shadow period."
    fields = {
        "share": Field(float, 0.5, 0.0, 1.0, "Share of savings (and losses) the grouping takes once fully live."),
        "shadow_months": Field(int, 6, 0, 120, "Months in shadow form: figures computed, nothing paid."),
        "ramp_months": Field(int, 12, 0, 120, "Months over which the share rises to its full value after the shadow."),
        "groupings": Field(list, [], meaning="Groupings in the contract (empty: every named grouping)."),
    }

    @classmethod
    def validate(cls, where, spec, context):
        out = super().validate(where, spec, context)
        names = context["grouping_names"]
        require_known(f"{where}.groupings", out["groupings"], names, "a grouping")
        if not (out["groupings"] or names):
            raise ConfigError(f"{where}: no groupings to contract with: the config has no [[groupings]]")
        return out

    def __init__(self, spec, sim):
        super().__init__(spec, sim)
        s = sim.structure
        self.member = named_groupings(s, self.settings["groupings"])
        self.ratio = None
        self.year_seen = None
        self.position = np.zeros((sim.runs, s.n_groupings))
        self.failed_at = np.full((sim.runs, s.n_groupings), np.inf)

    def share_now(self, month):
        live = month - self.start - self.settings["shadow_months"]
        if live < 0:
            return 0.0
        ramp = self.settings["ramp_months"]
        return self.settings["share"] * (1.0 if ramp == 0 else min(1.0, (live + 1) / ramp))

    def in_contract(self, sim):
        return self.member & ~sim.failed

    def shape(self, sim, month, levers):
        z = self.draw(sim, "standard_normal", (sim.structure.n_groupings,))
        if self.ratio is None:
            self.ratio = 1 + sim.p.risk.baseline_error_sd * z
        recent = (month - self.failed_at >= 0) & (month - self.failed_at < FAILURE_SHOCK_MONTHS)
        levers.morale_shock = levers.morale_shock + FAILURE_SHOCK * sim.practice_grouping.spread(recent)

    def pay(self, sim, month, ledger):
        s, p = sim.structure, sim.p
        share = self.share_now(month)
        by_grouping = sim.practice_grouping
        expected = by_grouping.sum(sim.expected[2])                        # counterfactual admissions
        realised = by_grouping.sum(sim.admissions.sum(axis=0))
        seen = np.divide(realised, expected, out=np.ones_like(realised), where=expected > 0)
        live = month - self.start - self.settings["shadow_months"]
        if live < 0:
            self.ratio = self.ratio + p.risk.correction_per_month * (seen - self.ratio)
        else:
            self.year_seen = seen if live % 12 == 0 else self.year_seen + seen
            if live % 12 == 11:
                self.ratio = self.year_seen / 12                            # annual rebasing
        gain = (expected * self.ratio - realised) * p.hospital.cost_per_emergency_admission
        members = self.in_contract(sim)
        transfer = share * gain * members
        self.position = self.position + transfer
        reserves = p.risk.reserve_months * p.commissioner.capitation_per_patient_year / 12 * s.grouping_list_size
        failing = members & (self.position < -reserves)
        if failing.any():
            sim.failed = sim.failed | failing
            self.failed_at = np.where(failing, month, self.failed_at)
            lost = failing & sim.projects.live
            sim.projects = innovation.drop(sim.projects, lost)
            sim.events["losses"] = sim.events["losses"] + lost
        share_of_practice = s.list_size / s.grouping_list_size[s.practice_grouping]
        ledger.pay("risk_sharing", by_grouping.spread(transfer) * share_of_practice)
