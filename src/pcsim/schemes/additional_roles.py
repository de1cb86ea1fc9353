"""Additional roles: salaries of new roles reimbursed per head to networks of practices.

Since 2019 England's Additional Roles Reimbursement Scheme has paid primary
care networks - practices serving 30,000-50,000 patients together - up to a sum
per registered patient a year towards the salaries of clinical pharmacists,
care co-ordinators, paramedics, social prescribing link workers and other
roles (NHS England, Network Contract DES; about GBP 1.4 billion in 2023/24, some
GBP 22 a patient). A network recruits within its allowance and claims, month
by month, the salaries of the staff it employs.

In the model each practice's share of its network's allowance is
``funding_per_patient_year`` times its list; the allowance funds posts in the
shares of the scheme's role mix, the labour market fills them with a lag
(:mod:`pcsim.model.capacity`), and the commissioner reimburses the salaries of
the staff actually in post (``spend_roles``): an allowance that the market
cannot fill is not spent. When the scheme stops, practices keep the posts
worth their running cost to them and pay for those themselves.

*Design.* Paid monthly for staff employed, nothing contingent on measured
performance; the roles and their job descriptions are specified, claims are
checked, and networks choose which roles to recruit.
"""

from __future__ import annotations

import numpy as np

from pcsim.config import ConfigError, Field
from pcsim.model import capacity
from pcsim.schemes.base import Scheme, register


@register
class AdditionalRoles(Scheme):
    name = "additional_roles"
    summary = "England's Additional Roles Reimbursement Scheme: role salaries reimbursed per head to networks."
    fields = {
        "funding_per_patient_year": Field(float, 22.0, 0.0, 2000.0,
                                          "Allowance for role salaries per registered patient a year, GBP."),
        **{f"{role}_share": Field(float, share, 0.0, 1.0, f"Share of the allowance spent on {role.replace('_', ' ')}s.")
           for role, share in capacity.DEFAULT_MIX.items()},
    }
    design = {"contingent": 0.0, "paid": "monthly", "measures": "activities", "targets": 0, "specification": 0.5,
              "monitoring": 0.3, "discretion": 0.5, "forum": "none", "framing": "quality", "publication": 0.0}

    @classmethod
    def validate(cls, where, spec, context):
        out = super().validate(where, spec, context)
        if sum(out[f"{role}_share"] for role in capacity.ROLES) <= 0:
            raise ConfigError(f"{where}: the role shares ({', '.join(r + '_share' for r in capacity.ROLES)}) "
                              "are all 0: give at least one role a share")
        return out

    def __init__(self, spec, world, stream):
        super().__init__(spec, world, stream)
        self.mix = capacity.mix_vector({role: self.settings[f"{role}_share"] for role in capacity.ROLES})
        self.posts = np.zeros((len(capacity.ROLES), world.runs, world.structure.n_practices))

    def allowance(self) -> np.ndarray:
        """Each practice's allowance a month, GBP (P,)."""
        return self.settings["funding_per_patient_year"] / 12 * self.world.structure.list_size

    def shape(self, month, levers):
        params = self.world.params
        self.posts = capacity.posts_bought(np.broadcast_to(self.allowance(), self.posts.shape[1:]), self.mix, params)
        levers.role_posts = levers.role_posts + self.posts
        levers.feel(self.design, self.allowance() * 12)

    def pay(self, month, ledger):
        world = self.world
        funded = np.broadcast_to(world.role_funded, self.posts.shape)
        ours = np.divide(self.posts, funded, out=np.zeros_like(self.posts), where=funded > 0)
        claimed = (world.role_staff_funded * ours * capacity.monthly_cost(world.params)).sum(axis=0)
        ledger.pay("roles", claimed)
