"""Named policies: the bundles of schemes the mission compares.

``status_quo``
    the core contract alone.
``micro_incentives``
    financial micro-incentives: QOF-style pay for performance on the whole
    indicator catalogue, with optional local enhanced services (the regime the
    ACE programme set out to replace, [Miller18]; [Nuffield15]).
``investment_fund``
    an investment fund for transformation: the ACE pilot for the six
    groupings for 12 months, then roll-out of the enhanced level to every
    practice under a partnership contract ([Miller18]; [Miller16];
    [Nuffield15] Recommendation 1's "investment fund for transformation").

``investment_fund_all``
    a commissioner-wide fund for the whole run: every grouping and practice
    funded (for the investment-response curve, [Nuffield15] Recommendation 3).
``additional_roles``
    England's Additional Roles Reimbursement Scheme from 2019: role salaries
    reimbursed per head to networks of practices, beside the core contract.

A config adds or replaces policies with ``[[policies.NAME]]`` tables (the same
fields as ``[[policy]]``); ``pcsim compare --policies a,b,c`` runs them on the
same seeds.
"""

from __future__ import annotations

from pcsim import config

BUILT_IN: dict[str, list[dict]] = {
    "status_quo": [{"scheme": "core_contract"}],
    "micro_incentives": [{"scheme": "core_contract"}, {"scheme": "qof"}, {"scheme": "enhanced_services"}],
    "investment_fund": [
        {"scheme": "core_contract"},
        {"scheme": "investment_fund", "start": 0, "end": 12},
        {"scheme": "rollout", "start": 12, "contract": "partnership"},
    ],
}
BUILT_IN["investment_fund_all"] = [
    {"scheme": "core_contract"},
    {"scheme": "investment_fund", "start": 0, "open_to_all": True, "places": 10_000},
]
BUILT_IN["additional_roles"] = [{"scheme": "core_contract"}, {"scheme": "additional_roles"}]
DEFAULT_COMPARISON = ("status_quo", "micro_incentives", "investment_fund")

config.BUILT_IN_POLICIES.update(BUILT_IN)   # every config knows them by name
