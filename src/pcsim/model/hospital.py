"""Process 7: hospital activity from each practice's population.

Emergency admissions are split between conditions covered by incentivised
indicators (ambulatory care sensitive conditions, about 1 in 6 admissions) and
the rest. Both grow at the underlying trend rate with care unchanged (about 3%
a year in England, 2004/05-2014/15). Admissions for incentivised conditions
fall as delivered indicator care rises above where it started ([Nuffield15]:
"relative reductions in hospital admissions compared with non-incentivised
conditions"); the rest fall with holistic quality, continuity of care (Barker,
Steventon & Deeny 2017) and the grouping's running innovations. Rates are
log-linear in quality, with counts drawn around them (:func:`poisson_counts`):

    rate = base * needs * growth(t) * exp(-effect * (quality - quality at month 0))

The *counterfactual* (care
as at month 0, only the trend) is what savings are measured against.

Hospital diagnostics of the four enabler kinds (ECG, spirometry, insulin
initiation, phlebotomy) move to primary care where a practice has the enabler
[Miller18 Objective 1].
"""

from __future__ import annotations

import numpy as np

ENABLERS = ("ecg", "spirometry", "insulin_initiation", "phlebotomy")
ENABLER_SHARE = np.array([0.25, 0.10, 0.05, 0.60])  # of hospital diagnostic contacts; assumption


def trend(params, month: int) -> float:
    return (1 + params.hospital.admission_growth_per_year) ** (month / 12)


def care_index(delivered, admission_weight):
    """Delivered indicator care weighted by how much each indicator prevents admissions (R, P)."""
    return (admission_weight[:, None, None] * delivered).sum(axis=0)


def expected_admissions(list_size, needs, care, care_0, holistic, holistic_0, continuity, continuity_0,
                        innovation_effect, params, month):
    """Expected admissions this month per practice: (incentivised, other, counterfactual total)."""
    hospital = params.hospital
    base = hospital.emergency_admissions_per_1000_year / 12 * list_size / 1000 * needs * trend(params, month)
    incentivised = base * hospital.incentivised_condition_share * np.exp(-hospital.incentivised_quality_effect * (care - care_0))
    other = (base * (1 - hospital.incentivised_condition_share)
             * np.exp(-hospital.holistic_quality_effect * (holistic - holistic_0) - hospital.continuity_effect * (continuity - continuity_0))
             * (1 - innovation_effect))
    return incentivised, other, base


def poisson_counts(expected, z):
    """Poisson counts with means ``expected`` from standard-normal draws ``z``, by the Cornish-Fisher
    expansion of the Poisson quantile: q = m + sqrt(m) z + (z^2 - 1)/6 + (z^3 - 7z)/(72 sqrt(m)).

    Counts are monotone in ``z``, so two arms given the same draws differ only where their means
    differ (common random numbers survive a policy change, unlike a Poisson sampler whose use of
    random numbers depends on its mean). Mean and variance are within 1% of the Poisson's for
    means of 2 or more (the smallest practice's monthly admissions for incentivised conditions).
    """
    root = np.sqrt(np.maximum(expected, 1e-12))
    q = expected + root * z + (z * z - 1) / 6 + (z ** 3 - 7 * z) / (72 * root)
    return np.maximum(np.floor(q + 0.5), 0.0)


def diagnostic_cost(in_hospital, in_primary_care, decommissioned, params):
    """What the commissioner pays the hospital for diagnostics: contacts at the variable part of
    the tariff, plus the capacity for every patient whose diagnostics it has not decommissioned.

    Moving activity to primary care saves only the variable part; the capacity is saved once the
    commissioner decommissions it, which it does only where primary care is guaranteed
    ([Miller18]: with optional enhanced services "the CCG could not decommission services from the
    acute sector"). ``decommissioned`` is (4, R, P).
    """
    hospital = params.hospital
    closed = (ENABLER_SHARE[:, None, None] * decommissioned).sum(axis=0)
    demand = in_hospital + in_primary_care
    return hospital.cost_per_diagnostic * ((1 - hospital.diagnostic_fixed_share) * in_hospital
                                    + hospital.diagnostic_fixed_share * demand * (1 - closed))


def diagnostics(list_size, needs, enablers, params):
    """Diagnostic contacts a month per practice: (in hospital, moved to primary care).

    ``enablers`` is (4, R, P), 1 where the practice delivers that enabler.
    """
    demand = params.hospital.diagnostics_per_1000_year / 12 * list_size / 1000 * needs
    covered = (ENABLER_SHARE[:, None, None] * enablers).sum(axis=0)   # enablers is full (4, R, P)
    return demand * (1 - covered), demand * covered
