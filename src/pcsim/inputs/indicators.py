"""The clinical catalogue: conditions and the indicators of care for them.

These are the narrow, measurable parts of chronic-disease care that QOF-style
schemes pay for (MODEL.md section 3). They exist whether or not a scheme pays
for them: under the core contract the same care is given, less of it and less
well recorded, which is what lets a run compare incentivised and
non-incentivised regimes on the same indicators.

Indicators are of two kinds, kept apart throughout [MODEL.md section 3]:

``recording``
    met by recording something (a code, advice given, a review done); the
    record can rise without the care changing.
``action``
    met by clinical action (a test done, a drug started, a value controlled);
    the record follows the care.

Prevalences are QOF register prevalences for England, 2014/15 (public
figures, HSCIC QOF statistics, rounded). Points, thresholds and indicator
wording follow the 2014/15 QOF (NHS Employers), simplified. Minutes of GP and
nurse work per patient a year, ceilings and the split of incentivised-condition
admissions between conditions are assumptions (sensitivity analysis).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RECORDING, ACTION = "recording", "action"


@dataclass(frozen=True)
class Condition:
    name: str
    prevalence: float
    admission_share: float
    """Share of incentivised-condition emergency admissions due to this condition (assumption)."""


@dataclass(frozen=True)
class Indicator:
    code: str
    condition: str
    kind: str
    points: float
    lower: float
    upper: float
    ceiling: float
    minutes_per_patient_year: float
    description: str

    @property
    def clinical_weight(self) -> float:
        """How much delivered care on this indicator changes outcomes: action care counts fully,
        recorded reviews and advice a third."""
        return 1.0 if self.kind == ACTION else 0.3


CONDITIONS: tuple[Condition, ...] = (
    Condition("hypertension", 0.138, 0.04),
    Condition("diabetes", 0.064, 0.12),
    Condition("asthma", 0.059, 0.10),
    Condition("chd", 0.032, 0.16),
    Condition("ckd", 0.041, 0.03),
    Condition("copd", 0.018, 0.22),
    Condition("atrial_fibrillation", 0.017, 0.08),
    Condition("stroke_tia", 0.017, 0.05),
    Condition("heart_failure", 0.007, 0.12),
    Condition("mental_health", 0.009, 0.03),
    Condition("depression", 0.015, 0.01),
    Condition("dementia", 0.0075, 0.03),
    Condition("smoking", 0.19, 0.01),
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator("DM_HBA1C", "diabetes", ACTION, 17, 0.35, 0.75, 0.80, 40, "HbA1c 59 mmol/mol or less"),
    Indicator("DM_BP", "diabetes", ACTION, 18, 0.38, 0.78, 0.85, 20, "Blood pressure 140/80 or less"),
    Indicator("DM_CHOL", "diabetes", ACTION, 10, 0.40, 0.75, 0.85, 15, "Total cholesterol 5 mmol/l or less"),
    Indicator("DM_FOOT", "diabetes", RECORDING, 4, 0.50, 0.90, 0.95, 10, "Foot examination and risk recorded"),
    Indicator("DM_EDUCATION", "diabetes", RECORDING, 11, 0.40, 0.90, 0.95, 5, "Referred to structured education"),
    Indicator("AST_REVIEW", "asthma", RECORDING, 20, 0.45, 0.70, 0.90, 20, "Asthma review with RCP 3 questions"),
    Indicator("COPD_REVIEW", "copd", RECORDING, 9, 0.50, 0.90, 0.95, 20, "COPD review with MRC dyspnoea score"),
    Indicator("COPD_FLU", "copd", ACTION, 6, 0.57, 0.97, 0.95, 5, "Influenza immunisation given"),
    Indicator("CHD_BP", "chd", ACTION, 17, 0.53, 0.93, 0.90, 15, "Blood pressure 150/90 or less"),
    Indicator("CHD_ANTIPLATELET", "chd", ACTION, 7, 0.56, 0.96, 0.97, 5, "Aspirin, antiplatelet or anticoagulant"),
    Indicator("HYP_BP", "hypertension", ACTION, 20, 0.40, 0.80, 0.85, 15, "Blood pressure 150/90 or less"),
    Indicator("AF_ANTICOAG", "atrial_fibrillation", ACTION, 12, 0.40, 0.70, 0.85, 15,
              "Anticoagulated when CHA2DS2-VASc 2 or more"),
    Indicator("HF_ACEI", "heart_failure", ACTION, 6, 0.60, 1.00, 0.95, 10, "ACE inhibitor or ARB"),
    Indicator("STIA_BP", "stroke_tia", ACTION, 5, 0.40, 0.80, 0.90, 10, "Blood pressure 150/90 or less"),
    Indicator("CKD_BP", "ckd", ACTION, 11, 0.41, 0.81, 0.85, 15, "Blood pressure 140/85 or less"),
    Indicator("MH_CAREPLAN", "mental_health", RECORDING, 6, 0.40, 0.90, 0.90, 30, "Comprehensive care plan"),
    Indicator("DEP_REVIEW", "depression", RECORDING, 10, 0.45, 0.80, 0.90, 20, "Review 10-56 days after diagnosis"),
    Indicator("DEM_REVIEW", "dementia", RECORDING, 15, 0.35, 0.70, 0.90, 30, "Face-to-face dementia care review"),
    Indicator("SMOK_SUPPORT", "smoking", RECORDING, 12, 0.40, 0.90, 0.95, 5, "Smoking cessation support offered"),
)


@dataclass(frozen=True)
class Catalogue:
    """The catalogue as arrays, one entry per indicator (axis K) or condition (axis D)."""

    conditions: tuple[Condition, ...]
    indicators: tuple[Indicator, ...]

    def __post_init__(self):
        names = [c.name for c in self.conditions]
        object.__setattr__(self, "condition_of", np.array([names.index(i.condition) for i in self.indicators]))
        object.__setattr__(self, "is_action", np.array([i.kind == ACTION for i in self.indicators]))
        object.__setattr__(self, "ceiling", np.array([i.ceiling for i in self.indicators]))
        object.__setattr__(self, "points", np.array([i.points for i in self.indicators], dtype=float))
        object.__setattr__(self, "lower", np.array([i.lower for i in self.indicators], dtype=float))
        object.__setattr__(self, "upper", np.array([i.upper for i in self.indicators], dtype=float))
        object.__setattr__(self, "clinical_weight", np.array([i.clinical_weight for i in self.indicators]))
        prevalence = np.array([c.prevalence for c in self.conditions])
        minutes = np.array([i.minutes_per_patient_year for i in self.indicators])
        # GP/nurse hours a month per 1,000 patients to give every eligible patient this care.
        object.__setattr__(self, "hours_needed_per_1000",
                           prevalence[self.condition_of] * 1000 * minutes / 60 / 12)
        # Each indicator's share of all indicator work: how holistic time spills over onto indicators.
        object.__setattr__(self, "need_share", self.hours_needed_per_1000 / self.hours_needed_per_1000.sum())
        shares = np.array([c.admission_share for c in self.conditions])
        # Each indicator's weight in its condition's admission risk, with conditions weighted by admissions.
        weight = self.clinical_weight / np.bincount(self.condition_of, weights=self.clinical_weight)[self.condition_of]
        object.__setattr__(self, "admission_weight", weight * shares[self.condition_of] / shares.sum())

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    @property
    def kinds(self) -> list[str]:
        return [i.kind for i in self.indicators]


DEFAULT = Catalogue(CONDITIONS, INDICATORS)

INDICATOR_FIELDS = ("code", "condition", "kind", "points", "lower", "upper", "ceiling", "minutes_per_patient_year",
                    "description")


def catalogue(overrides: list[dict] | None = None) -> Catalogue:
    """The default catalogue with ``[[indicators]]`` entries replacing (by code) or adding indicators."""
    if not overrides:
        return DEFAULT
    by_code = {i.code: i for i in INDICATORS}
    for entry in overrides:
        by_code[entry["code"]] = Indicator(**{k: entry[k] for k in INDICATOR_FIELDS})
    return Catalogue(CONDITIONS, tuple(by_code.values()))
