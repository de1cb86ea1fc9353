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
(``risk.reserve_months`` of capitation) fails: it leaves the contract and its
innovation project is lost (a loss for its GPs' motivation; MODEL.md pattern
11). Its design: all the money contingent on outcomes (admissions), paid in
arrears, little specified, framed by savings.
"""

from __future__ import annotations

import numpy as np

from pcsim.config import ConfigError, Field, require_known
from pcsim.model.events import GroupingsFailed, ProjectsDropped
from pcsim.schemes.base import Scheme, named_groupings, register


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
    # A macro-incentive [Nuffield15]: money contingent on the population's admissions, settled in arrears,
    # how to get there left to the grouping, framed by the savings shared.
    design = {"contingent": 1.0, "paid": "in_arrears", "measures": "outcomes", "targets": 1, "specification": 0.1,
              "monitoring": 0.4, "discretion": 0.9, "framing": "savings", "publication": 0.0}

    @classmethod
    def validate(cls, where, spec, context):
        out = super().validate(where, spec, context)
        names = context["grouping_names"]
        require_known(f"{where}.groupings", out["groupings"], names, "a grouping")
        if not (out["groupings"] or names):
            raise ConfigError(f"{where}: no groupings to contract with: the config has no [[groupings]]")
        return out

    def __init__(self, spec, world, stream):
        super().__init__(spec, world, stream)
        structure = world.structure
        self.member = named_groupings(structure, self.settings["groupings"])
        self.ratio = None
        self.year_seen = None
        self.position = np.zeros((world.runs, structure.n_groupings))

    def share_now(self, month):
        live = month - self.start - self.settings["shadow_months"]
        if live < 0:
            return 0.0
        ramp = self.settings["ramp_months"]
        return self.settings["share"] * (1.0 if ramp == 0 else min(1.0, (live + 1) / ramp))

    def in_contract(self):
        return self.member & ~self.world.failed

    def shape(self, month, levers):
        world = self.world
        structure, params = world.structure, world.params
        normal = self.draw("standard_normal", (structure.n_groupings,))
        if self.ratio is None:
            self.ratio = 1 + params.risk.baseline_error_sd * normal
        hospital = params.hospital
        admissions_cost = (hospital.emergency_admissions_per_1000_year * structure.list_size / 1000 * structure.needs
                           * hospital.cost_per_emergency_admission)
        members = world.practice_grouping.spread(self.in_contract())
        levers.feel(self.design, self.share_now(month) * admissions_cost * members)

    def pay(self, month, ledger):
        world = self.world
        structure, params = world.structure, world.params
        share = self.share_now(month)
        by_grouping = world.practice_grouping
        expected = by_grouping.sum(world.expected[2])                        # counterfactual admissions
        realised = by_grouping.sum(world.admissions.sum(axis=0))
        seen = np.divide(realised, expected, out=np.ones_like(realised), where=expected > 0)
        live = month - self.start - self.settings["shadow_months"]
        if live < 0:
            self.ratio = self.ratio + params.risk.correction_per_month * (seen - self.ratio)
        else:
            self.year_seen = seen if live % 12 == 0 else self.year_seen + seen
            if live % 12 == 11:
                self.ratio = self.year_seen / 12                              # annual rebasing
        gain = (expected * self.ratio - realised) * params.hospital.cost_per_emergency_admission
        members = self.in_contract()
        transfer = share * gain * members
        self.position = self.position + transfer
        reserves = (params.risk.reserve_months * params.commissioner.capitation_per_patient_year / 12
                    * structure.grouping_list_size)
        failing = members & (self.position < -reserves)
        if failing.any():
            world.emit(GroupingsFailed(failing))
            world.emit(ProjectsDropped(failing))     # only projects still live are dropped
        share_of_practice = structure.list_size / structure.grouping_list_size[structure.practice_grouping]
        ledger.pay("risk_sharing", by_grouping.spread(transfer) * share_of_practice)
