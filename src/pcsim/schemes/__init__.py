"""Schemes, and policies as timelines of them.

A policy is a list of schemes, each in force from its ``start`` month up to
(not including) its ``end`` month (MODEL.md section 3), like Starsim's
interventions. Each scheme is a module of this package: a subclass of
:class:`~pcsim.schemes.base.Scheme` registered with
:func:`~pcsim.schemes.base.register`, which acts on the monthly loop through
three hooks and changes the world only through levers, payments and named
events (:mod:`pcsim.schemes.base`). :mod:`pcsim.schemes.policies` holds the named
policies the mission compares.

Adding a scheme is adding a module here (and its import below); nothing else
in the model changes.
"""

from pcsim.schemes import (additional_roles, core_contract, cquin, enhanced_services, investment_fund, policies, qof,
                           risk_sharing, rollout)
from pcsim.schemes.base import Scheme, named_groupings, register

BUILT_IN = (core_contract, qof, cquin, enhanced_services, investment_fund, rollout, risk_sharing, additional_roles)
__all__ = ["Scheme", "register", "named_groupings", "policies", "BUILT_IN"]
