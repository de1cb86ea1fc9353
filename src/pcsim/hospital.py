"""Process 7: hospital activity from each practice's population.

Emergency admissions are split between conditions covered by incentivised
indicators (ambulatory care sensitive conditions, about 1 in 6 admissions) and
the rest. Both grow at the underlying trend rate with care unchanged (about 3%
a year in England, 2004/05-2014/15). Admissions for incentivised conditions
fall as delivered indicator care rises above where it started ([Nuffield15]:
"relative reductions in hospital admissions compared with non-incentivised
conditions"); the rest fall with holistic quality, continuity of care (Barker,
Steventon & Deeny 2017) and the grouping's running innovations. Rates are
log-linear in quality:

    rate = base * needs * growth(t) * exp(-effect * (quality - quality at month 0))

Counts are Poisson draws around the expected rate. The *counterfactual* (care
as at month 0, only the trend) is what savings are measured against.

Hospital diagnostics of the four enabler kinds (ECG, spirometry, insulin
initiation, phlebotomy) move to primary care where a practice has the enabler
[Miller18 Objective 1].
"""

from __future__ import annotations

import numpy as np

ENABLERS = ("ecg", "spirometry", "insulin_initiation", "phlebotomy")
ENABLER_SHARE = np.array([0.25, 0.10, 0.05, 0.60])  # of hospital diagnostic contacts; assumption


def trend(p, month: int) -> float:
    return (1 + p.hospital.admission_growth_per_year) ** (month / 12)


def care_index(delivered, admission_weight):
    """Delivered indicator care weighted by how much each indicator prevents admissions (R, P)."""
    return np.tensordot(admission_weight, delivered, axes=(0, 0))


def expected_admissions(list_size, needs, care, care_0, holistic, holistic_0, continuity, continuity_0,
                        innovation_effect, p, month):
    """Expected admissions this month per practice: (incentivised, other, counterfactual total)."""
    h = p.hospital
    base = h.emergency_admissions_per_1000_year / 12 * list_size / 1000 * needs * trend(p, month)
    incentivised = base * h.incentivised_condition_share * np.exp(-h.incentivised_quality_effect * (care - care_0))
    other = (base * (1 - h.incentivised_condition_share)
             * np.exp(-h.holistic_quality_effect * (holistic - holistic_0) - h.continuity_effect * (continuity - continuity_0))
             * (1 - innovation_effect))
    return incentivised, other, base


def diagnostics(list_size, needs, enablers, p):
    """Diagnostic contacts a month per practice: (in hospital, moved to primary care).

    ``enablers`` is (4, R, P), 1 where the practice delivers that enabler.
    """
    demand = p.hospital.diagnostics_per_1000_year / 12 * list_size / 1000 * needs
    covered = np.tensordot(ENABLER_SHARE, enablers, axes=(0, 0))
    return demand * (1 - covered), demand * covered
