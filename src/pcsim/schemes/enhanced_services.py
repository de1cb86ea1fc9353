"""Enhanced services (LES/DES): optional, paid services that practices choose to join.

Before ACE, Birmingham Cross-City CCG paid practices through local enhanced
services "connected to specific conditions, and practices could choose which
ones to adopt. As a consequence patients did not all receive a similar offer
from all general practices, and the CCG could not decommission services from
the acute sector" [Miller18, with Box 2: "inequitable service provision",
"inconsistency of offer", "monitoring burden"]; local enhanced services are
"often used to fund specific interventions such as insulin initiation"
[Nuffield15].

Each service here provides one of the four enablers (so that diagnostics move
to primary care for the practices that join) and is paid per registered
patient a year. At the scheme's start and every twelve months after, each
practice joins a service when its payment beats its cost: nurse time at
``incentives.staff_cost_per_hour`` plus reporting time at the GP's
``time.reference_pay_per_hour``, the whole raised when the practice's GPs are
overloaded, with a practice-by-practice spread (log-normal, sd 0.5) for what
the model does not see (premises, skills, habits). Each joined service costs
reporting time and is felt on its own through its design: paid for the activity
provided, specified and checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pcsim.config import Field, require_known
from pcsim.model import hospital
from pcsim.schemes import incentives
from pcsim.schemes.base import Scheme, register

DECISION_SPREAD = 0.5     # log-normal sd of practices' unobserved costs of providing a service
OVERLOAD_AVERSION = 5.0   # cost multiplier per unit of overload: overloaded practices decline extra work


@dataclass(frozen=True)
class Service:
    name: str
    enabler: str
    payment_per_patient_year: float
    nurse_hours_per_1000_month: float


# Payments and workloads are assumptions (local tariffs varied); the services are those of [Miller18]'s enablers.
SERVICES = {s.name: s for s in (
    Service("insulin_initiation", "insulin_initiation", 1.0, 0.5),
    Service("phlebotomy", "phlebotomy", 2.0, 4.0),
    Service("ecg", "ecg", 0.8, 1.0),
    Service("spirometry", "spirometry", 0.6, 0.8),
)}


@register
class EnhancedServices(Scheme):
    name = "enhanced_services"
    summary = "Optional local enhanced services (one per enabler) that practices choose to join."
    fields = {
        "services": Field(list, [], meaning=f"Services on offer (empty: all of {', '.join(SERVICES)})."),
        "payment_scale": Field(float, 1.0, 0.0, 20.0, "Multiplier on every service's payment."),
    }
    # The services' design: paid per patient for providing specified activities, checked, not published
    # ([Miller18] Box 2: "multiple disease-specific schemes with separate specifications"); one target a
    # service a practice provides.
    design = {"contingent": 1.0, "paid": "monthly", "measures": "activities", "specification": 0.6,
              "monitoring": 0.3, "discretion": 0.1, "publication": 0.0}

    @classmethod
    def validate(cls, where, spec, context):
        out = super().validate(where, spec, context)
        require_known(f"{where}.services", out["services"], list(SERVICES), "a service")
        out["services"] = out["services"] or list(SERVICES)
        return out

    def __init__(self, spec, world, stream):
        super().__init__(spec, world, stream)
        self.services = [SERVICES[name] for name in self.settings["services"]]
        self.enabler = np.array([hospital.ENABLERS.index(service.enabler) for service in self.services])
        self.joined = np.zeros((len(self.services), world.runs, world.structure.n_practices), dtype=bool)

    def payment(self):
        """Each service's payment per practice, GBP a year: (S, 1, P)."""
        rates = np.array([service.payment_per_patient_year for service in self.services]) * self.settings["payment_scale"]
        return rates[:, None, None] * self.world.structure.list_size

    def cost(self, overload):
        """Each service's yearly cost to each practice as the practice sees it: (S, R, P)."""
        structure, params = self.world.structure, self.world.params
        nurse = np.array([service.nurse_hours_per_1000_month for service in self.services])[:, None, None]
        reporting = params.incentives.admin_hours_per_scheme * 12 * params.time.reference_pay_per_hour
        staff = nurse * structure.list_size / 1000 * 12 * params.incentives.staff_cost_per_hour
        return (staff + reporting) * (1 + OVERLOAD_AVERSION * overload)

    def shape(self, month, levers):
        world = self.world
        normal = self.draw("standard_normal", (len(self.services), world.structure.n_practices))
        if (month - self.start) % 12 == 0:
            overload = world.gp_bins.mean(world.last.overload, world.in_post.astype(float))
            self.joined = self.payment() > self.cost(overload) * np.exp(DECISION_SPREAD * normal)
        for i, e in enumerate(self.enabler):
            levers.enablers = levers.enablers + (np.arange(len(hospital.ENABLERS)) == e)[:, None, None] * self.joined[i]
        levers.enablers = np.minimum(levers.enablers, 1.0)
        count = self.joined.sum(axis=0)
        levers.admin_hours_per_gp = (levers.admin_hours_per_gp
                                     + incentives.admin_hours_per_gp(count, 0, world.structure.posts, world.params))
        stake = (self.payment() * self.joined).sum(axis=0)
        levers.feel({**self.design, "targets": len(self.services)}, stake)          # each service a specification
        levers.schemes = levers.schemes + len(self.services)
        levers.services_offered = levers.services_offered + len(self.services)
        levers.services_provided = levers.services_provided + count

    def pay(self, month, ledger):
        ledger.pay("incentives", (self.payment() * self.joined).sum(axis=0) / 12)
