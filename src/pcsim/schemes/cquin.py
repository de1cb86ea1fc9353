"""CQUIN-style local incentives: a fixed budget spread over many small schemes.

Commissioning for Quality and Innovation (2009-) tied a share of contract
value to locally defined goals; its GBP 1bn bought "no measurable
improvements" because "the money was spread across too many locally defined
projects" with "too many targets" [Nuffield15, citing Kristensen et al. 2013].
Here a budget per registered patient a year is split evenly between
``schemes`` small schemes, each paying for one indicator on the QOF pattern
(thresholds, achievement paid annually in arrears). Each scheme costs its own
reporting time and is felt on its own (its design), and a practice notices each in proportion to the
salience of its own, smaller pot (:mod:`pcsim.incentives`); so spreading a
fixed budget buys less than concentrating it (MODEL.md pattern 10), and adding
schemes adds burden (pattern 3).
"""

from __future__ import annotations

import numpy as np

from pcsim.config import Field, require_known
from pcsim.model.perception import salience
from pcsim.schemes import incentives
from pcsim.schemes.base import Scheme, register


@register
class CQUIN(Scheme):
    name = "cquin"
    summary = "A fixed budget spread over many small local incentive schemes, one indicator each."
    fields = {
        "schemes": Field(int, 10, 1, 50, "Number of small schemes the budget is spread over."),
        "budget_per_patient_year": Field(float, 2.0, 0.0, 100.0, "Budget, GBP per registered patient a year."),
        "indicators": Field(list, [], meaning="Indicators the schemes pay for, in turn (empty: the catalogue)."),
    }
    # Each small scheme's design: one locally defined target, paid on the record in arrears, specified
    # and checked like QOF, reported to the commissioner rather than published nationally [Nuffield15].
    design = {"contingent": 1.0, "paid": "in_arrears", "measures": "records", "targets": 1, "specification": 0.6,
              "monitoring": 0.5, "discretion": 0.3, "publication": 0.5}

    @classmethod
    def validate(cls, where, spec, context):
        out = super().validate(where, spec, context)
        require_known(f"{where}.indicators", out["indicators"], context["indicator_codes"], "an indicator")
        return out

    def __init__(self, spec, world, stream):
        super().__init__(spec, world, stream)
        codes = world.catalogue.codes
        chosen = self.settings["indicators"] or codes
        n = self.settings["schemes"]
        targets = [codes.index(chosen[j % len(chosen)]) for j in range(n)]
        self.schemes_per_indicator = np.bincount(targets, minlength=len(codes)).astype(float)
        self.payments = incentives.AnnualPayments(self.start, self.end)

    def scheme_pot(self):
        """Each small scheme's pot per practice, GBP a year (P,)."""
        settings = self.settings
        return settings["budget_per_patient_year"] * self.world.structure.list_size / settings["schemes"]

    def shape(self, month, levers):
        scheme_pot = self.scheme_pot()
        pot = self.schemes_per_indicator[:, None, None] * scheme_pot
        attention = salience(scheme_pot, self.world.params)
        incentives.pay_for_indicators(self.world, levers, pot, attention, self.settings["schemes"], 0.0, self.design)
        for _ in range(self.settings["schemes"]):                # each small scheme is felt on its own
            levers.feel(self.design, scheme_pot)

    def pay(self, month, ledger):
        scheme_pot, contingent = self.scheme_pot(), self.design["contingent"]
        pot = self.schemes_per_indicator[:, None, None] * scheme_pot
        earned = incentives.earned(self.world, pot, 0.0).sum(axis=0)
        everything = scheme_pot * self.settings["schemes"]
        ledger.pay("incentives", contingent * self.payments.pay(month, earned, last=self.last_month(month))
                   + (1 - contingent) * incentives.unconditional(everything, self.design["paid"], month, self.start))
