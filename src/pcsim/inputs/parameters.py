"""The parameter table: every behavioural, economic and epidemiological number in pcsim.

One class a section, one field a parameter, each with its default, unit,
plausible range, source and meaning (MODEL.md section 8 asks for exactly this
table, in code). Configs override defaults by section (``[demand]``
``consultations_per_patient_year = 6``), the CLI by ``--set
demand.consultations_per_patient_year=6``; the sensitivity-analysis harness
reads its ranges from here, and the parameter table of ``docs/ODD.md`` is
generated from it (a test fails if they drift apart).

Submodels receive the parameters as a :class:`Params`: one frozen object a
section whose fields are these (``params.demand.growth_per_year``), so an editor
completes their names and a typo fails at once. Each value is a number, or an
``(R, 1)`` array holding one value per run of a batch (see
:mod:`pcsim.model.arrays`).

Sources are cited by short keys: [Miller18] Miller R (2018) Transforming
integration through general practice: learning from a UK primary care
improvement programme. Int J Integr Care 18(2):13; [Miller16] Miller R (2016)
Pioneering outcomes based innovation in general practice, ICIC16 conference
abstract; [Nuffield15] Nuffield Trust (2015) Transforming general practice:
what are the levers for change?; [London18] Transforming Primary Care Clinical
Cabinet (2018) The next steps to the Strategic Commissioning Framework,
London. "Public figure" marks an English statistic quoted from the named
publication: check it before quoting a result that depends on it.
"Assumption" marks a number no source gives: its range is deliberately wide,
and it is what the sensitivity analysis is for.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Union

import numpy as np

Value = Union[float, np.ndarray]
"""A parameter as a submodel sees it: a number, or an (R, 1) array with one value per run."""


@dataclass(frozen=True)
class Param:
    """One row of the parameter table."""

    name: str
    default: float
    unit: str
    low: float
    high: float
    source: str
    meaning: str
    integer: bool = False
    valid: tuple[float, float] | None = None
    """The valid range, what a config may set (see :attr:`allowed`), where the row gives it."""

    @property
    def plausible(self) -> tuple[float, float]:
        """The plausible range: where the value probably lies, what sensitivity analyses sample. A run
        outside it is allowed (if inside :attr:`allowed`), with a warning its manifest records."""
        return (self.low, self.high)

    @property
    def allowed(self) -> tuple[float, float]:
        """The valid range, what the model can represent: outside it a config is refused. The row's own
        ``valid``, else :data:`VALID`, else what the unit says (:func:`valid_range`)."""
        if self.valid is not None:
            return self.valid
        return VALID.get(self.name) or valid_range(self.unit, self.high)

    @property
    def label(self) -> str:
        """A readable name for figures: ``motivation.crowd_out_per_month`` is "Crowd out per month (motivation)"."""
        words = self.key.replace("_", " ")
        return f"{words[0].upper()}{words[1:]} ({self.section})"

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.name.split(".", 1)[1]


UNIT_INTERVAL_UNITS = frozenset({"share", "probability", "level", "0-1", "control 0-1", "0 enforcer - 1 partner",
                                  "share of other admissions", "level per win", "level per loss"})
UNBOUNDED_FACTOR = 1000.0
"""Where nothing bounds a quantity above, the valid range stops at this many times the plausible high:
far beyond any real value, still well inside what sums over millions of patients can represent."""


def valid_range(unit: str, high: float) -> tuple[float, float]:
    """What the model can represent of a parameter in ``unit``, from the unit alone: shares, levels and
    probabilities in [0, 1]; rates per month and per year in [0, 1] (the share that moves in one step);
    months up to 1,200 (the longest run); every other count, amount or rate from 0 up to
    :data:`UNBOUNDED_FACTOR` times the plausible high."""
    if unit in UNIT_INTERVAL_UNITS or unit.startswith("1/month") or unit == "1/yr":
        return (0.0, 1.0)
    if unit in ("months", "months of capitation"):
        return (0.0, 1200.0)
    return (0.0, UNBOUNDED_FACTOR * high)


VALID: dict[str, tuple[float, float]] = {
    # divisors: zero cannot be represented
    "workforce.hours_per_month_partner": (1.0, 744.0),           # up to the hours in a month
    "workforce.hours_per_month_salaried": (0.0, 744.0),
    "workforce.hours_per_month_sessional": (0.0, 744.0),
    "workforce.vacancy_months": (1.0, 1200.0),                   # a vacancy lasts at least the month it opens
    "time.reference_pay_per_hour": (1.0, 100_000.0),
    "innovation.hours_per_stage": (1.0, 150_000.0),
    "innovation.maintenance_hours": (0.1, 8_000.0),
    "investment.backfill_cost_per_hour": (1.0, 110_000.0),
    "incentives.staff_cost_per_hour": (1.0, 50_000.0),
    "commissioner.admissions_target_cut": (0.01, 1.0),
    "qof.exception_rate": (0.0, 0.9),                            # some patients stay in the denominator
    "innovation.scale_up_hours": (1.0, 150_000.0),
    "perception.reporting_half_hours": (0.1, 30_000.0),
    "roles.hiring_months": (1.0, 1200.0),                        # a vacancy takes at least a month to fill
    "roles.hours_per_fte_month": (1.0, 744.0),
    "roles.substitution_half_hours": (1.0, 100_000.0),
    "roles.high_risk_share": (0.001, 1.0),
    "roles.caseload_per_fte": (1.0, 100_000.0),
    "roles.pharmacist_salary": (1.0, 66_000_000.0),
    "roles.nurse_salary": (1.0, 52_000_000.0),
    "roles.care_coordinator_salary": (1.0, 38_000_000.0),
    "roles.paramedic_salary": (1.0, 72_000_000.0),
    "roles.social_prescriber_salary": (1.0, 44_000_000.0),
    # exponents: larger ones overflow floating point
    "workforce.exit_burnout_effect": (0.0, 20.0),
    "workforce.exit_morale_effect": (0.0, 20.0),
    "incentives.salience_steepness": (0.0, 20.0),
}
"""Valid ranges the unit does not tell (:func:`valid_range`), by parameter; a row's own ``valid`` wins."""


def param(default: float, unit: str, low: float, high: float, *, source: str, meaning: str,
          integer: bool = False, valid: tuple[float, float] | None = None) -> Any:
    """A field of a parameter section: its row of the table, kept in the field's metadata."""
    return field(metadata={"row": dict(default=default, unit=unit, low=low, high=high, source=source,
                                       meaning=meaning, integer=integer, valid=valid)})


@dataclass(frozen=True, slots=True)
class Demand:
    """Demand (process 1)."""

    consultations_per_patient_year: Value = param(5.5, 'consultations/patient/yr', 4.0, 7.0,
        source='[London18] 5.5 in 2009 (3.9 in 1999)',
        meaning='Practice consultations per registered patient per year at month 0.')
    growth_per_year: Value = param(0.03, '1/yr', 0.0, 0.05, valid=(-0.05, 0.15),
        source='[London18] 3.9 to 5.5 in 1999-2009 (3.5%/yr); +15% in 2010/11-2014/15 (2.8%/yr)',
        meaning='Annual growth of consultations per patient.')
    gp_share_of_consultations: Value = param(0.6, 'share', 0.45, 0.75,
        source='Public figure: GPs gave ~62% of practice consultations in 2008 (Hippisley-Cox & Vinogradova 2009, QResearch)',
        meaning='Share of consultations a GP (not a nurse or other role) provides.')
    minutes_per_consultation: Value = param(13.0, 'minutes', 10.0, 16.0,
        source='Public figure: ~9-10 min face to face (GP Patient Survey era), plus notes and results; assumption for the rest',
        meaning='GP time per consultation, including its paperwork.')
    skill_mix_absorption: Value = param(0.6, 'share', 0.0, 0.9,
        source="Assumption; [London18] 'a broader skill mix in our primary care workforce', new roles such as clinical pharmacists",
        meaning='Share of the growth in consultations taken by nurses and other roles rather than GPs.')
    needs_elasticity: Value = param(0.6, 'ratio', 0.2, 1.0,
        source='Assumption',
        meaning="How much a practice's needs index (1 = average) raises consultations per patient.")


@dataclass(frozen=True, slots=True)
class Workforce:
    """The GP workforce: hours, employment, leaving (process 3c)."""

    hours_per_month_partner: Value = param(180.0, 'h/month', 150.0, 210.0,
        source='Public figure: GP partners ~42 h/week (Eighth National GP Worklife Survey, Gibson et al. 2015)',
        meaning='Working hours a month of a GP partner.')
    hours_per_month_salaried: Value = param(140.0, 'h/month', 110.0, 170.0,
        source='Public figure: salaried GPs work fewer sessions (GP Worklife Survey 2015)',
        meaning='Working hours a month of a salaried GP.')
    hours_per_month_sessional: Value = param(100.0, 'h/month', 60.0, 140.0,
        source='Assumption',
        meaning='Working hours a month of a sessional (locum) GP.')
    sessional_share: Value = param(0.25, 'share', 0.08, 0.35,
        source='[London18] 25% of GPs sessional in 2014 (8% in 2003)',
        meaning='Share of new and initial GPs who are sessional.')
    partner_share: Value = param(0.55, 'share', 0.4, 0.7,
        source='Assumption (partners the majority of GPs in 2014; [London18] fewer seek partnership)',
        meaning='Share of new and initial GPs who are partners; the rest are salaried.')
    exit_rate_per_year: Value = param(0.06, '1/yr', 0.03, 0.1,
        source='Public figure: ~6-8% of GPs leave practice each year (NHS Digital workforce statistics, 2015-2018)',
        meaning='Leaving hazard of a GP with average morale and no burnout.')
    exit_burnout_effect: Value = param(2.0, 'log-hazard per unit burnout', 0.5, 4.0,
        source='Assumption',
        meaning='How strongly burnout raises the chance of leaving.')
    exit_morale_effect: Value = param(1.5, 'log-hazard per unit lost morale', 0.5, 3.0,
        source='Assumption',
        meaning='How strongly low morale raises the chance of leaving.')
    go_sessional_share: Value = param(0.3, 'share', 0.0, 0.6,
        source='Assumption; [London18] the move to sessional work',
        meaning='Share of partner and salaried GPs who leave by going sessional rather than quitting.')
    vacancy_months: Value = param(4.0, 'months', 2.0, 9.0,
        source="Assumption; [London18] recruitment is 'increasingly difficult'",
        meaning='Mean months a vacated GP post stays empty.')


@dataclass(frozen=True, slots=True)
class Time:
    """How GPs share their time (process 2)."""

    allocation_sensitivity: Value = param(3.0, '1/value', 0.5, 8.0,
        source='Assumption (logit choice)',
        meaning='How sharply GPs favour the activity they value most when sharing discretionary time.')
    core_admin_hours_per_month: Value = param(12.0, 'h/GP/month', 6.0, 20.0,
        source="Assumption; [Nuffield15] 'increasing administrative workload'",
        meaning='Administration a full-time GP does under the core contract (registration, CQC, correspondence); pro rata for fewer sessions.')
    overtime_share: Value = param(0.5, 'share', 0.0, 1.0,
        source='Assumption',
        meaning='Share of work demanded beyond contracted hours that GPs absorb as overtime (at most 50% more hours); the rest is deferred.')
    reference_pay_per_hour: Value = param(60.0, 'GBP/h', 40.0, 100.0,
        source='Public figure: GP partner income ~GBP 100k a year (NHS Digital GP earnings 2014/15) over ~2,000 hours, rounded up',
        meaning='Pay per hour against which incentive payments for an hour of work are judged.')
    income_weight: Value = param(0.35, 'weight', 0.1, 0.7, valid=(0.0, 2.0),
        source="Assumption; Casalino's 'better income' benefit [Nuffield15]",
        meaning="Weight a GP gives to income among Casalino's four benefits, before motivations.")
    outcome_value_incentivised: Value = param(0.5, "value", 0.2, 0.9,
        source="Assumption; Casalino's 'better outcomes for patients' benefit [Nuffield15]: narrow indicator work helps, less than holistic care",
        meaning="Value for patients' outcomes of an hour of incentivised (indicator) work, per unit of clinical-care motivation.")
    outcome_value_holistic: Value = param(1.0, "value", 0.6, 1.4,
        source="Assumption; [Miller18] holistic care for people with complex needs as the aim of transformation",
        meaning="Value for patients' outcomes of an hour of holistic, person-centred care, per unit of clinical-care motivation.")
    outcome_value_transformation: Value = param(0.5, "value", 0.2, 0.9,
        source="Assumption; [Miller18] 'most wanted to ... improve care' through new models of care",
        meaning="Value for patients' outcomes of an hour of transformation work, per unit of clinical-care motivation and self-efficacy.")
    working_day_value_holistic: Value = param(0.3, "value", 0.0, 0.6,
        source="Assumption; Casalino's 'better working day' benefit [Nuffield15]",
        meaning="Value of an hour of holistic care for a better working day, per unit of autonomy motivation.")


@dataclass(frozen=True, slots=True)
class Motivation:
    """The four motivations and self-efficacy (process 3a)."""

    clinical_care_mean: Value = param(0.75, 'level', 0.55, 0.9,
        source="Assumption; [Miller18] 'most wanted to ... improve care'",
        meaning='Mean trait level of the motivation to improve clinical care.')
    autonomy_mean: Value = param(0.6, 'level', 0.4, 0.8,
        source='Assumption; [Miller18] organisational autonomy',
        meaning='Mean trait level of the motivation for organisational autonomy.')
    innovator_mean: Value = param(0.3, 'level', 0.15, 0.5,
        source='Assumption; [Miller18] identified as an innovator',
        meaning='Mean trait level of innovator identity.')
    peer_judgement_mean: Value = param(0.35, 'level', 0.2, 0.55,
        source='Assumption; [Miller18] peer judgement',
        meaning='Mean trait level of concern for peer judgement.')
    trait_sd: Value = param(0.12, 'level', 0.05, 0.2,
        source='Assumption',
        meaning='Spread of motivation traits between GPs.')
    reversion_per_month: Value = param(0.02, '1/month', 0.005, 0.06,
        source='Assumption',
        meaning='Rate at which motivations, self-efficacy and morale return to their resting levels when nothing pushes them.')
    crowd_out_per_month: Value = param(0.03, '1/month', 0.0, 0.1,
        source='Assumption; motivation crowding (Frey & Jegen 2001; Deci, Koestner & Ryan 1999); [Miller16] tight specification deters creativity',
        meaning='Rate at which controlling, tick-box rewards erode intrinsic motivation and autonomy, at full control.')
    crowd_in_per_month: Value = param(0.03, '1/month', 0.0, 0.1,
        source="Assumption; self-determination theory (Ryan & Deci 2000); [Miller18] 'trust based model'",
        meaning='Rate at which trust-based, flexible support raises intrinsic motivation and autonomy, at full trust.')
    visibility_per_month: Value = param(0.05, '1/month', 0.0, 0.15,
        source='Assumption; [Miller18] prestige of being selected; fear of criticism by unselected practices',
        meaning='Rate at which being selected and visible raises innovator identity and peer judgement.')
    quick_win_effect: Value = param(0.08, 'level per win', 0.0, 0.2,
        source="Assumption; [Miller18] 'encouragement of quick wins'",
        meaning='Rise in self-efficacy when an innovation reaches a new stage.')
    loss_effect: Value = param(0.15, 'level per loss', 0.0, 0.3,
        source="Assumption; [Miller18] unfunded innovations 'seen to have been lost'",
        meaning='Fall in innovator identity and self-efficacy when an innovation is dropped.')
    self_efficacy_mean: Value = param(0.5, 'level', 0.3, 0.7,
        source='Assumption',
        meaning='Mean initial self-efficacy (belief that change is possible).')


@dataclass(frozen=True, slots=True)
class Wellbeing:
    """Morale and burnout (process 3b)."""

    morale_mean: Value = param(0.65, 'level', 0.45, 0.8,
        source='Assumption; GP Worklife Survey 2015 reports falling job satisfaction',
        meaning='Mean level morale returns to without pressure.')
    overload_morale_per_month: Value = param(0.16, '1/month per unit overload', 0.04, 0.4,
        source='Assumption',
        meaning='Fall in morale per month per unit of overload (overtime worked, as a share of contracted hours).')
    meaning_morale_per_month: Value = param(0.02, '1/month', 0.0, 0.06,
        source="Assumption; Casalino's 'better working day' [Nuffield15]",
        meaning='Rise in morale per month from time spent on valued (holistic, transformation) work.')
    burnout_per_month: Value = param(0.24, '1/month per unit overload', 0.08, 0.6,
        source='Assumption',
        meaning='Accumulation of burnout per month per unit of overload.')
    recovery_per_month: Value = param(0.04, '1/month', 0.01, 0.1,
        source='Assumption',
        meaning='Share of burnout that recovers per month without overload.')
    control_morale_per_month: Value = param(0.015, "1/month", 0.0, 0.04,
        source="Self-determination theory: thwarted autonomy lowers wellbeing (Gagne & Deci 2005; Bartholomew et al. 2011); [Miller18] Pilot A under the directive contract: 'our morale has gone down'",
        meaning="Monthly rate of morale loss at full felt control for a GP whose autonomy motivation is 1 (in proportion to both).")
    support_morale_per_month: Value = param(0.015, "1/month", 0.0, 0.04,
        source="Self-determination theory: autonomy support satisfies the need for autonomy and raises wellbeing (Gagne & Deci 2005)",
        meaning="Monthly rate of morale gain at full felt support for a GP whose autonomy motivation is 1 (in proportion to both).")
    savings_framing_meaning_loss: Value = param(0.5, "share", 0.0, 0.9,
        source="[Miller18] 'It was supposed to be aspiring to clinical excellence, not aspiring to saving lots of money'; crowding theory (Frey & Jegen 2001)",
        meaning="Share of the meaning of holistic and transformation work lost while the money governing it is framed by savings.")


@dataclass(frozen=True, slots=True)
class Perception:
    """How GPs feel a scheme's design: control and support (process 0, perception)."""

    control_from_contingency: Value = param(0.15, "control 0-1", 0.05, 0.4, valid=(0.0, 1.0),
        source="Cognitive evaluation theory: expected, performance-contingent rewards undermine intrinsic motivation (Deci, Koestner & Ryan 1999); [Miller16] 'tight specification of the process'",
        meaning="Control felt from a scheme whose money is wholly contingent on measured records or activities (at full salience).")
    outcome_measures_relative: Value = param(0.4, "ratio", 0.1, 0.8,
        source="Cognitive evaluation theory: feedback on outcomes is more informational, less controlling than on processes (Deci, Koestner & Ryan 1999); [Miller16] outcomes not process",
        meaning="Control felt from contingency on outcomes, relative to contingency on records or activities.")
    control_from_specification: Value = param(0.15, "control 0-1", 0.05, 0.3, valid=(0.0, 1.0),
        source="[Miller18] the directive contract 'in which the required activities were specified'; Gagne & Deci 2005",
        meaning="Control felt from a scheme that specifies fully what must be done.")
    control_from_monitoring: Value = param(0.1, "control 0-1", 0.03, 0.25, valid=(0.0, 1.0),
        source="Frey & Jegen 2001: monitoring signals distrust and crowds out; [Miller18] tight monitoring",
        meaning="Control felt from a scheme with full monitoring and sanctions.")
    control_from_reporting: Value = param(0.15, "control 0-1", 0.0, 0.3, valid=(0.0, 1.0),
        source="[Miller18] Box 2: 'monitoring burden ... multiple disease-specific schemes with separate specifications'; [Nuffield15] GPs 'overwhelmed'",
        meaning="Control felt from reporting for schemes, at many times the reporting half-point (tick-box work).")
    reporting_half_hours: Value = param(10.0, "h/GP/month", 3.0, 30.0,
        source="Assumption",
        meaning="Scheme reporting hours per GP a month at which half of the control from reporting is felt.")
    support_from_up_front: Value = param(0.15, "support 0-1", 0.05, 0.3, valid=(0.0, 1.0),
        source="[Miller18] 'a trust based model'; [Miller16] funding up front: 'an enabler rather than an incentive'",
        meaning="Support for autonomy felt from money paid before any result (trust shown in advance).")
    support_from_discretion: Value = param(0.3, "support 0-1", 0.1, 0.5, valid=(0.0, 1.0),
        source="Self-determination theory: choice supports autonomy (Gagne & Deci 2005); [Miller18] 'freedom in how to use it'",
        meaning="Support for autonomy felt from full discretion over how a scheme's money is used.")
    support_from_forum: Value = param(0.1, "support 0-1", 0.0, 0.3, valid=(0.0, 1.0),
        source="[Miller18] monthly action-learning sets; relatedness in self-determination theory",
        meaning="Support felt from a scheme that brings a forum of peers (learning sets).")
    support_from_outcome_review: Value = param(0.1, "support 0-1", 0.0, 0.2, valid=(0.0, 1.0),
        source="Cognitive evaluation theory: informational feedback enhances competence (Deci, Koestner & Ryan 1999); [Miller18] outcome-based review",
        meaning="Support felt from a scheme whose review is of outcomes rather than of records or activities.")
    freedom_from_discretion: Value = param(1.0, "freedom 0-1", 0.5, 1.0, valid=(0.0, 1.0),
        source="[Miller18] 'freedom in how to use it', 'freedom to innovate'; Amabile 1998: autonomy over means fosters creativity",
        meaning="Freedom to innovate felt from full discretion over how a scheme's money is used (at full salience).")
    freedom_lost_to_specification: Value = param(1.0, "share", 0.5, 1.0, valid=(0.0, 1.0),
        source="[Miller16] tight specification of the process deters creativity; [Miller18] the directive contract 'in which the required activities were specified'",
        meaning="Share of the freedom to innovate that a fully specified scheme takes away.")
    autonomy_sensitivity: Value = param(1.0, "per unit trait", 0.0, 2.0,
        source="Causality orientations: autonomy-oriented people feel controlling events more (Deci & Ryan 1985)",
        meaning="How much more control a GP feels per unit of autonomy trait above its mean (and less below).")
    peer_exposure_from_publication: Value = param(0.3, "0-1", 0.0, 0.8,
        source="Assumption; published QOF achievement exposes practices to their peers",
        meaning="Exposure to peers' judgement from a scheme whose results are published and compared across practices.")
    targets_half: Value = param(2.0, "targets", 0.5, 10.0,
        source="[Nuffield15] incentives work best when few; CQUIN had 'too many targets' (Kristensen et al. 2013)",
        meaning="Number of measured targets at which half of the control from contingent money is felt (few broad targets feel less controlling than many narrow ones).")


@dataclass(frozen=True, slots=True)
class Peers:
    """What peers can see and do: exposure to their judgement, diffusion over ties."""

    selection_exposure: Value = param(2.0, "0-1 per unit judgement", 0.5, 4.0, valid=(0.0, 10.0),
        source="[Miller18] pilots feared 'harsh criticism from other practices who were not successful in their applications'",
        meaning="Exposure to peers' judgement of a selected practice whose tied practices were all not selected and fully judgemental (and of a rejected one whose tied practices were all selected).")
    adoption_per_tie: Value = param(0.02, "probability", 0.005, 0.08, valid=(0.0, 1.0),
        source="Assumption; [Miller18] innovations 'in some cases have been adopted by other practices'",
        meaning="Monthly chance that one tie to a practice running a convincing innovation leads a grouping with full capacity and trust to adopt it.")
    tie_trust: Value = param(0.3, "0-1", 0.1, 0.6,
        source="Assumption",
        meaning="Trust a grouping places in what a tied practice outside its learning set shows it (the trust built in a learning set replaces it where higher).")
    routine_spread_per_month: Value = param(0.01, "1/month", 0.0, 0.05,
        source="Assumption; templates and recall systems shared between neighbouring practices",
        meaning="Rate at which a practice's routines move towards the better routines of the practices it is tied to.")


@dataclass(frozen=True, slots=True)
class Quality:
    """Quality of care and continuity (process 4)."""

    indicator_gain: Value = param(0.35, '1/month per effort unit', 0.1, 0.8,
        source='Assumption',
        meaning='Speed at which delivered care on an indicator approaches its ceiling per unit of effort.')
    indicator_decay: Value = param(0.03, '1/month', 0.01, 0.08,
        source='Assumption',
        meaning='Monthly decay of delivered care on an indicator without effort (patients lapse, staff change).')
    holistic_spillover: Value = param(0.4, 'share', 0.1, 0.8,
        source='Assumption',
        meaning='Share of holistic-care effort that also counts as effort on indicator care.')
    holistic_gain: Value = param(0.04, '1/month per 10 h/1,000 patients', 0.01, 0.08,
        source='Assumption, calibrated so that holistic quality starts near 0.5 ([Miller18] Box 1: 51.3% felt supported)',
        meaning='Speed at which holistic (non-incentivised) quality approaches 1 per unit of holistic effort.')
    holistic_decay: Value = param(0.03, '1/month', 0.01, 0.08,
        source='Assumption',
        meaning='Monthly decay of holistic quality without effort.')
    coding_completeness: Value = param(0.75, 'share', 0.55, 0.9,
        source='Assumption; [Nuffield15] recording rose under QOF',
        meaning='Share of delivered care that is recorded when nobody is paid to record it.')
    recording_adjustment_per_month: Value = param(0.15, '1/month', 0.05, 0.5,
        source='Assumption; recording rose within a year of QOF (Campbell et al. 2009) and fell soon after indicators were withdrawn (Minchin et al. 2018, NEJM)',
        meaning='Speed at which coding completeness and recording without care move towards what schemes pay for.')
    continuity_adjustment_per_month: Value = param(0.05, '1/month', 0.01, 0.15,
        source='Assumption',
        meaning='Speed at which continuity of care moves towards what staffing and holistic time allow.')
    continuity_max: Value = param(0.8, 'share', 0.6, 0.95,
        source='Assumption; GP Patient Survey: most patients with a preferred GP see them only sometimes',
        meaning='Continuity of care with a full, stable, partner workforce and no protocol-driven work.')
    continuity_sessional_penalty: Value = param(0.5, 'share', 0.2, 0.8,
        source='Assumption; [London18] sessional work; [Miller18] patients less satisfied with continuity',
        meaning='Continuity lost per unit share of sessional GPs in a practice.')
    continuity_protocol_penalty: Value = param(0.6, 'share', 0.0, 1.0,
        source='Assumption; [Miller18] decrease in person-centred practice since QOF',
        meaning='Continuity lost per unit share of GP discretionary time spent on protocolised incentivised tasks.')
    routine_embedding_per_month: Value = param(0.03, "1/month", 0.005, 0.1, valid=(0.0, 1.0),
        source="Assumption; care given through changed routines (recall systems, templates, nurse-led clinics) outlasts payment (Minchin et al. 2018, NEJM: after QOF indicators were withdrawn, recorded care fell at once, delivered care more slowly)",
        meaning="Rate at which sustained effort on an indicator becomes an embedded routine of the practice.")
    routine_decay_per_month: Value = param(0.01, "1/month", 0.002, 0.05,
        source="Assumption; staff turnover and competing demands erode routines (Minchin et al. 2018)",
        meaning="Rate at which an embedded routine erodes once the effort that built it has gone.")
    routine_effort_share: Value = param(0.5, "share", 0.1, 0.9,
        source="Assumption",
        meaning="Share of the gap between the effort a routine was built on and the effort now given that the routine fills by itself.")
    continuity_access_penalty: Value = param(0.5, "share per unit overload", 0.0, 1.5,
        source="Assumption; access pressure sends patients to whoever is free (GP Patient Survey: continuity falls as access gets harder)",
        meaning="Continuity lost per unit of overload of a practice's GPs (work demanded beyond contracted hours).")


@dataclass(frozen=True, slots=True)
class Innovation:
    """Innovation projects (process 5)."""

    start_per_month: Value = param(0.04, '1/month per 10 h/1,000 patients', 0.01, 0.1,
        source='Assumption',
        meaning='Chance per month that a grouping with no live project starts one, per 10 transformation hours per 1,000 patients.')
    hours_per_stage: Value = param(60.0, 'h/1,000 patients', 20.0, 150.0,
        source='Assumption; [Miller18] 12-month pilots reached running innovations',
        meaning='Effective transformation hours per 1,000 patients to move a project one stage (developing, piloting, running).')
    effect_mean: Value = param(0.03, 'share of other admissions', 0.0, 0.08,
        source='Assumption; [Miller18] admission-avoidance innovations (case managers, paramedic triage)',
        meaning='Mean true reduction in non-incentivised emergency admissions of a running innovation, in its grouping.')
    effect_sd: Value = param(0.04, 'share', 0.01, 0.08,
        source='Assumption; [Miller18] Pilot D: some ideas promising, some not',
        meaning="Spread of innovations' true effects (some are worse than nothing).")
    observation_sd: Value = param(0.03, 'share', 0.01, 0.08,
        source="Assumption; [Miller18] 'struggled to provide meaningful ... data on a timely basis'",
        meaning="Noise on a grouping's reading of its innovation's effect.")
    pilot_reach: Value = param(0.5, "share", 0.2, 1.0, valid=(0.05, 1.0),
        source="[Miller18] pilots tried their innovations on some of their patients first (Pilot D's paramedics on home-visit requests; Pilot A's shared care for patients with diabetes)",
        meaning="Share of a grouping's patients a new innovation reaches when it starts running, before it is scaled up.")
    scale_up_hours: Value = param(60.0, "h/1,000 patients", 20.0, 150.0,
        source="Assumption; scaling up takes work like another stage of development ([Miller18] 'spread' of the innovations)",
        meaning="Effective transformation hours per 1,000 patients that take a running innovation whose readings look good from its pilot reach to all the grouping's patients.")
    maintenance_hours: Value = param(3.0, 'h/1,000 patients/month', 1.0, 8.0,
        source='Assumption',
        meaning='Transformation hours per 1,000 patients a month a live innovation project needs to stay alive.')
    loss_chance_when_starved: Value = param(0.1, "1/month", 0.02, 0.3,
        source="Assumption; [Miller18] 'the time and energy spent ... was seen to have been lost'",
        meaning="Monthly chance of losing a live project that gets none of the maintenance time it needs (in proportion to the shortfall).")
    reading_lag_months: Value = param(2, "months", 0, 6, integer=True,
        source="[Miller18] the programme 'struggled to provide meaningful activity and outcomes data ... on a timely basis'",
        meaning="Months before a month of a piloted or running project's effect can be read by its grouping.")
    concrete_ready_share: Value = param(1.0, "probability", 0.5, 1.0, valid=(0.0, 1.0),
        source="[Miller18] 'pilots with concrete integration innovations at the time of application made more rapid progress': their idea was ready",
        meaning="Chance, per unit of a proposal's concreteness, that its project starts as soon as funding arrives instead of waiting for an idea.")
    concrete_effect_shift: Value = param(0.5, "effect sd", 0.0, 1.0, valid=(0.0, 2.0),
        source="Assumption; [Miller18] concrete proposals came with partners and evidence (Pilot A's diabetes shared care)",
        meaning="How much better, in standard deviations of innovations' effects, the idea of a fully concrete proposal is expected to be.")
    concrete_engagement: Value = param(0.4, "0-1", 0.1, 0.6, valid=(0.0, 0.7),
        source="[Miller16] partners engaged where 'personal connection' existed; [Miller18] concrete proposals named their partners",
        meaning="Partner engagement a fully concrete proposal brings to its grouping's projects (on top of a base of 0.3).")
    value_per_admission_avoided: Value = param(1000.0, "GBP", 400.0, 3200.0,
        source="Assumption; the tariff of an emergency admission (NHS Reference Costs 2014/15) as a guide to what a grouping feels its patients gain (Casalino's 'better outcomes for patients', [Nuffield15])",
        meaning="Value a grouping sees in an emergency admission its innovation avoids, when it decides at the end of funding what to keep.")
    carrying_cost_weight: Value = param(1.0, "weight", 0.5, 1.5, valid=(0.0, 5.0),
        source="[Miller18] after funding, posts and backfill 'must now be found elsewhere'",
        meaning="Weight a grouping gives to the yearly cost of carrying a project itself (maintenance and unfinished development, at GPs' pay per hour) when funding ends.")


@dataclass(frozen=True, slots=True)
class Investment:
    """The investment fund (ACE)."""

    funding_per_patient: Value = param(10.5, 'GBP/patient', 2.0, 30.0, valid=(0.0, 5000.0),
        source='[Miller18] GBP 10.50 per registered patient for the 12-month pilot',
        meaning="Investment per registered patient over a funded grouping's pilot, paid up front.")
    enabler_share: Value = param(0.3, 'share', 0.1, 0.6, valid=(0.0, 1.0),
        source="Assumption; [Miller18] money bought 'diagnostic equipment', 'new posts' and freed 'time for key individuals'",
        meaning='Share of the fund spent on the four enablers (equipment, training, external provision).')
    backfill_cost_per_hour: Value = param(80.0, 'GBP/h', 60.0, 110.0,
        source='Assumption; sessional GP rates of GBP 70-100 an hour (BMA locum guidance)',
        meaning='Cost of an hour of backfill that frees a GP for transformation work (protected time).')
    selection_noise: Value = param(0.15, 'score sd', 0.0, 0.5,
        source='Assumption; a panel judges proposals',
        meaning="Noise in the panel's scoring of proposals (concreteness and commitment).")
    backfill_supply: Value = param(0.9, "share", 0.6, 1.0, valid=(0.0, 1.0),
        source="Assumption; [London18] recruitment is 'increasingly difficult'; sessional GPs supply backfill",
        meaning="Share of the backfill hours a fund pays for that locums and sessional GPs can actually supply (protected time bought).")
    prefinance_share: Value = param(0.5, "share", 0.2, 0.8,
        source="Assumption; money paid in arrears must be advanced by practices themselves",
        meaning="Share of the enabler money a grouping advances itself when a fund pays only in arrears.")
    report_hours_per_month: Value = param(2.0, "h/practice/month", 0.5, 6.0,
        source="[Miller18] progress reports to the commissioner",
        meaning="Reporting a funded practice does for the fund each month.")
    backfill_limit_per_1000: Value = param(15.0, "h/1,000 patients/month", 5.0, 40.0, valid=(0.0, 500.0),
        source="Assumption; [London18] recruitment 'increasingly difficult'; locum and sessional GP time is finite (about 2 GP hours per 1,000 patients a week)",
        meaning="Most backfill hours a month per 1,000 patients that locums and sessional GPs can supply to a funded practice; a fund's money beyond it buys additional roles.")


@dataclass(frozen=True, slots=True)
class Roles:
    """Additional roles: care capacity that investment buys (process 2a)."""

    pharmacist_salary: Value = param(58_000.0, "GBP/FTE/yr", 50_000.0, 66_000.0,
        source="Public figure: ARRS maximum reimbursable amount for a clinical pharmacist, bands 7-8a with on-costs, about GBP 58,000 (NHS England, Network Contract DES 2023/24)",
        meaning="Yearly cost of one full-time clinical pharmacist, on-costs included.")
    nurse_salary: Value = param(45_000.0, "GBP/FTE/yr", 38_000.0, 52_000.0,
        source="Public figure: general practice nurse, Agenda for Change bands 5-6 with on-costs, about GBP 45,000 (NHS Employers 2023/24)",
        meaning="Yearly cost of one full-time practice nurse, on-costs included.")
    care_coordinator_salary: Value = param(34_000.0, "GBP/FTE/yr", 29_000.0, 38_000.0,
        source="Public figure: ARRS maximum reimbursable amount for a care co-ordinator, band 4 with on-costs, about GBP 34,000 (NHS England, Network Contract DES 2023/24)",
        meaning="Yearly cost of one full-time care co-ordinator or case manager, on-costs included.")
    paramedic_salary: Value = param(65_000.0, "GBP/FTE/yr", 55_000.0, 72_000.0,
        source="Public figure: ARRS maximum reimbursable amount for a first-contact paramedic, bands 7-8a with on-costs, about GBP 65,000 (NHS England, Network Contract DES 2023/24)",
        meaning="Yearly cost of one full-time paramedic, on-costs included.")
    social_prescriber_salary: Value = param(40_000.0, "GBP/FTE/yr", 34_000.0, 44_000.0,
        source="Public figure: ARRS maximum reimbursable amount for a social prescribing link worker, band 5 with on-costs, about GBP 40,000 (NHS England, Network Contract DES 2023/24)",
        meaning="Yearly cost of one full-time social prescribing link worker, on-costs included.")
    hours_per_fte_month: Value = param(130.0, "h/FTE/month", 110.0, 150.0,
        source="Public figure: 37.5 hours a week (Agenda for Change), less leave, training and administration",
        meaning="Clinical hours a month one full-time additional-role post gives.")
    labour_supply_per_100k_year: Value = param(12.0, "FTE/100,000 patients/yr", 4.0, 25.0, valid=(0.0, 500.0),
        source="Public figure: about 36,000 additional-role staff recruited in England's general practice from 2019 to 2024 for about 62 million patients, some 12 FTE per 100,000 a year (NHS England 2024); [London18] recruitment 'increasingly difficult'",
        meaning="Additional-role staff (FTE) the labour market can supply a commissioner a year per 100,000 patients; practices recruiting at once share it (diminishing returns to money).")
    hiring_months: Value = param(4.0, "months", 2.0, 8.0,
        source="Assumption; advertising, interviews and notice periods",
        meaning="Mean months to fill a funded vacancy when the labour market has the staff.")
    leaving_per_year: Value = param(0.12, "1/yr", 0.06, 0.25,
        source="Assumption; NHS staff leave at about 10-12% a year (NHS Digital), more in new roles without a career structure",
        meaning="Yearly rate at which additional-role staff leave at average burnout of the practice's GPs (more where the practice is overloaded).")
    substitution: Value = param(0.5, "GP h per role h", 0.2, 0.8,
        source="Laurant et al. 2018 (Cochrane): nurses give care of equal quality to doctors' but with longer consultations and more return visits; [Nuffield15] skill mix",
        meaning="GP hours of core work saved by the first hours of additional-role time on core work.")
    substitution_half_hours: Value = param(40.0, "h/1,000 patients/month", 15.0, 100.0,
        source="Assumption; not all of a GP's work can be handed on - the share that can shrinks as more is",
        meaning="Additional-role hours on core work per 1,000 patients at which a role hour saves, on average, half as much GP time as the first (the next hour a quarter as much: falling marginal effect).")
    holistic_equivalence: Value = param(0.5, "GP h per role h", 0.2, 1.0,
        source="Assumption; [London18] care navigators and social prescribing in multidisciplinary teams",
        meaning="Hours of GPs' holistic care that an hour of additional-role holistic work (personalised care, social prescribing) is worth.")
    caseload_per_fte: Value = param(50.0, "patients/FTE", 30.0, 100.0,
        source="Public figure: community matrons manage about 50-80 patients at high risk each (Department of Health 2005, Supporting people with long term conditions)",
        meaning="High-risk patients one full-time post of case management can manage at a time.")
    high_risk_share: Value = param(0.03, "share", 0.02, 0.05,
        source="Roland & Abel 2012 (BMJ 345:e6017): case management targets the few per cent of patients at highest predicted risk",
        meaning="Share of registered patients at high risk of emergency admission (those case management seeks).")
    high_risk_admission_share: Value = param(0.3, "share", 0.2, 0.45,
        source="Roland & Abel 2012 (BMJ 345:e6017): most emergency admissions come from patients not at high predicted risk",
        meaning="Share of emergency admissions for other conditions among the high-risk patients.")
    case_management_effect: Value = param(0.15, "share", 0.0, 0.3,
        source="Stokes et al. 2015 (PLoS One 10:e0132340): case management has at best a small effect on secondary care use; Purdy 2010",
        meaning="Relative cut in a reached high-risk patient's emergency admissions.")
    carrying_cost_weight: Value = param(1.0, "weight", 0.5, 1.5, valid=(0.0, 5.0),
        source="[Miller18] after funding, posts 'must now be found elsewhere'",
        meaning="Weight a practice gives to the running cost of additional-role posts when their funding ends, against the GP time they save it.")


@dataclass(frozen=True, slots=True)
class Enablers:
    """The four diagnostic and treatment enablers, delivered by capacity work."""

    work_hours_per_1000: Value = param(15.0, "h/1,000 patients", 5.0, 40.0,
        source="Assumption; [Miller18] money bought 'diagnostic equipment', training and 'new posts'",
        meaning="Capacity work (training, recruitment, equipment, set-up) one enabler needs per 1,000 patients when a practice provides it with its own staff.")
    hub_work_relative: Value = param(0.6, "ratio", 0.3, 1.0,
        source="[Miller18] hub-and-spoke provision within groupings",
        meaning="Capacity work per practice for an enabler provided hub-and-spoke within its grouping, relative to its own staff.")
    external_work_relative: Value = param(0.3, "ratio", 0.1, 0.6,
        source="[Miller18] enablers bought from an external provider",
        meaning="Capacity work per practice for an enabler bought from an external provider (contracting), relative to its own staff.")
    hub_infrastructure: Value = param(0.25, "0-1", 0.1, 0.5,
        source="Assumption",
        meaning="Change infrastructure a grouping of several practices needs to run a hub rather than buy from an external provider.")
    cost_per_hour: Value = param(45.0, "GBP/h", 30.0, 80.0,
        source="Public figure: practice nurse and manager time ~GBP 35-50 an hour with on-costs (PSSRU 2015), plus equipment",
        meaning="Cost of an hour of capacity work towards an enabler, equipment included.")
    monthly_capacity_per_1000: Value = param(12.0, "h/1,000 patients/month", 4.0, 30.0,
        source="Assumption; set-up work is limited by managers' and trainers' time",
        meaning="Capacity work a practice of average change infrastructure (0.5 + infrastructure = 1) can absorb in a month, per 1,000 patients.")
    slip_chance_per_month: Value = param(0.15, "probability", 0.0, 0.4,
        source="Assumption; staff off sick or leaving, equipment and providers late",
        meaning="Chance that a month's capacity work towards an enabler slips (is lost).")


@dataclass(frozen=True, slots=True)
class Learning:
    """Learning sets (process 6)."""

    attendance: Value = param(0.95, 'probability', 0.7, 1.0, valid=(0.0, 1.0),
        source="[Miller18] 'each pilot was represented at every learning set'",
        meaning='Chance a funded grouping attends a learning set.')
    consistency: Value = param(0.6, 'probability', 0.3, 0.9,
        source="[Miller18] 'not always by the same individual(s)'",
        meaning='Chance it is represented by the same person as before.')
    trust_initial: Value = param(0.1, '0-1', 0.0, 0.3,
        source="[Miller18] early sets 'dominated by pilots seeking clarification' from commissioners",
        meaning='Trust between pilots at the first learning set.')
    trust_per_month: Value = param(0.3, '1/month', 0.1, 0.6, valid=(0.0, 1.0),
        source='Assumption; [Miller18] relationships became stronger',
        meaning='Rate at which a set builds trust, per unit of the openness a grouping meets there (others sharing, or facilitation) and of consistent representation.')
    facilitation: Value = param(0.2, '0-1', 0.0, 1.0,
        source="[Miller18] sets 'suffered from not having sufficient planning in how they would be facilitated'",
        meaning='Quality of facilitation; doubles the rate of building trust at 1.')
    final_openness: Value = param(0.3, 'probability', 0.0, 0.6,
        source="[Miller18] the final set 'most fulfilling ... open and honest sharing' ('nothing to lose')",
        meaning='Extra openness at the last learning set of a funded period.')
    relevance: Value = param(0.3, 'probability', 0.05, 0.7,
        source="[Miller18] 'an uncertainty that the work of others were relevant to their own context'",
        meaning='Chance that a grouping finds a shared innovation relevant enough to adopt.')
    stance_per_month: Value = param(0.1, 'log-odds/month', 0.0, 0.3,
        source="[Miller18] commissioners became 'partners in uncertainty' by meeting pilots",
        meaning="Movement of the commissioner's stance towards partnership per month of open learning sets.")
    unreciprocated_loss: Value = param(0.15, "1/month", 0.0, 0.4,
        source="[Miller18] fear of 'harsh criticism'; trust built on reciprocity (Ostrom 1998)",
        meaning="Trust a grouping loses after sharing openly at a set where nobody else did.")


@dataclass(frozen=True, slots=True)
class Rollout:
    """Roll-out of the enhanced level and the directive contract."""

    monitoring_hours: Value = param(6.0, 'h/practice/month', 2.0, 15.0,
        source='Assumption; [Miller18] tight monitoring',
        meaning="Reporting a roll-out contract asks of each practice at full monitoring (in proportion to its design's monitoring).")


@dataclass(frozen=True, slots=True)
class Risk:
    """Risk- and gain-sharing."""

    baseline_error_sd: Value = param(0.06, 'share', 0.0, 0.15,
        source="[Nuffield15] organisations fail if they 'do not conduct risk adjustment accurately' (Casalino 2011)",
        meaning='Error of the admissions baseline a risk contract starts from, as a share.')
    correction_per_month: Value = param(0.25, '1/month', 0.05, 0.5, valid=(0.0, 1.0),
        source="[Nuffield15] ChenMed 'always starts a new risk-sharing arrangement in shadow form'",
        meaning="Rate at which a shadow period moves the contract's baseline towards the admissions the figures show.")
    reserve_months: Value = param(3.0, 'months of capitation', 1.0, 6.0,
        source="Assumption; [Nuffield15] 'losses have followed from some of these contracts'",
        meaning='Reserves a grouping can lose before it fails, in months of its capitation.')


@dataclass(frozen=True, slots=True)
class Hospital:
    """Hospital activity and costs (process 7)."""

    emergency_admissions_per_1000_year: Value = param(100.0, 'admissions/1,000/yr', 85.0, 120.0,
        source='Public figure: ~5.5m emergency admissions in England in 2014/15 for ~54m people (HES)',
        meaning='Emergency admissions per 1,000 registered patients per year at month 0 (average needs).')
    incentivised_condition_share: Value = param(0.16, 'share', 0.1, 0.25,
        source='Public figure: ambulatory care sensitive conditions ~1 in 6 emergency admissions (Blunt 2013, QualityWatch)',
        meaning='Share of emergency admissions for conditions covered by incentivised indicators.')
    admission_growth_per_year: Value = param(0.03, '1/yr', 0.01, 0.045, valid=(-0.05, 0.15),
        source='Public figure: emergency admissions in England rose ~3%/yr over 2004/05-2014/15 (HES; Blunt 2013)',
        meaning='Underlying annual growth of emergency admissions with care unchanged.')
    cost_per_emergency_admission: Value = param(1600.0, 'GBP', 1200.0, 2500.0,
        source='Public figure: mean non-elective spell ~GBP 1,600 (NHS Reference Costs 2014/15)',
        meaning='Tariff cost of one emergency admission.')
    incentivised_quality_effect: Value = param(0.8, 'log-rate per unit quality', 0.2, 1.6,
        source='Assumption calibrated to [Nuffield15]/Harrison et al. 2014: modest relative falls in admissions for QOF conditions',
        meaning='How strongly delivered care on incentivised indicators lowers admissions for those conditions.')
    holistic_quality_effect: Value = param(0.5, 'log-rate per unit quality', 0.1, 1.2,
        source='Assumption; [Miller18] holistic models of care to divert acute activity',
        meaning='How strongly holistic quality lowers admissions for other conditions.')
    continuity_effect: Value = param(0.4, 'log-rate per unit continuity', 0.1, 1.0,
        source='Public figure: higher continuity, fewer ACSC admissions (Barker, Steventon & Deeny 2017, BMJ)',
        meaning='How strongly continuity of care lowers admissions for other conditions.')
    diagnostics_per_1000_year: Value = param(200.0, 'tests/1,000/yr', 100.0, 350.0,
        source='Assumption; [Miller18] ECG, spirometry, insulin initiation and phlebotomy largely provided in acute settings',
        meaning='Hospital diagnostic and treatment contacts of the four enabler kinds per 1,000 patients a year.')
    cost_per_diagnostic: Value = param(45.0, 'GBP', 20.0, 120.0,
        source='Assumption (outpatient diagnostic tariffs)',
        meaning='Tariff cost of one hospital diagnostic contact.')
    diagnostic_fixed_share: Value = param(0.4, 'share', 0.2, 0.6,
        source='Assumption; [Miller18] the CCG could decommission hospital diagnostics only where primary care was guaranteed',
        meaning='Share of the cost of hospital diagnostics that is capacity, paid until the commissioner decommissions it.')


@dataclass(frozen=True, slots=True)
class Incentives:
    """Financial micro-incentives (QOF, enhanced services, CQUIN)."""

    admin_hours_per_scheme: Value = param(6.0, 'h/practice/month', 2.0, 15.0, valid=(0.0, 40.0),
        source="Assumption; [Miller18] Box 2: 'monitoring burden ... multiple disease-specific schemes with separate specifications'; [Nuffield15] 'increasing administrative workload'",
        meaning='Reporting and administration each micro-incentive scheme asks of a practice.')
    admin_hours_per_indicator: Value = param(0.5, 'h/practice/month', 0.1, 1.5, valid=(0.0, 5.0),
        source='Assumption',
        meaning='Extra reporting for each indicator a scheme pays for.')
    salience_gbp: Value = param(4000.0, 'GBP/practice/yr', 1000.0, 15000.0, valid=(0.0, 100000.0),
        source="Assumption; [Nuffield15] incentives work best when 'large scale and high profile'; CQUIN's GBP 1bn 'spread across too many locally defined projects' bought no measurable improvement (Kristensen et al. 2013)",
        meaning="Size of a scheme's pot at which it gets half of a practice's attention.")
    salience_steepness: Value = param(2.0, 'exponent', 1.0, 4.0,
        source='Assumption',
        meaning="How sharply attention rises with the size of a scheme's pot around the salience point.")
    reinvested_share: Value = param(0.5, 'share', 0.2, 0.8,
        source='Assumption; QOF work was largely delegated to practice nurses and healthcare assistants (Checkland & Harrison 2010)',
        meaning='Share of incentive income a practice spends on staff time for the paid work.')
    staff_cost_per_hour: Value = param(35.0, 'GBP/h', 25.0, 50.0,
        source='Public figure: practice nurse ~GBP 36 per hour including on-costs (PSSRU Unit Costs of Health and Social Care 2015)',
        meaning='Cost of an hour of nurse or healthcare-assistant time bought for incentivised work.')
    gaming_share: Value = param(0.3, 'share', 0.0, 0.6,
        source="Assumption; [Nuffield15] QOF improved 'processes of care rather than outcomes'",
        meaning='Share of the gap to the ceiling that a paid recording indicator can close by recording without care (QOF and CQUIN alike).')


@dataclass(frozen=True, slots=True)
class QOF:
    """The Quality and Outcomes Framework."""

    payment_per_point: Value = param(157.0, 'GBP/point', 80.0, 250.0,
        source='Public figure: GBP 156.92 per QOF point in 2014/15 for an average practice (NHS Employers)',
        meaning='Payment per QOF point for a practice of average list size.')
    exception_rate: Value = param(0.06, 'share', 0.0, 0.15,
        source='Public figure: ~5% of patients exception-reported (Doran et al. 2008, NEJM)',
        meaning="Share of patients a practice can exception-report out of an indicator's denominator.")


@dataclass(frozen=True, slots=True)
class Commissioner:
    """The commissioner (process 8)."""

    capitation_per_patient_year: Value = param(76.0, 'GBP/patient/yr', 70.0, 90.0,
        source='Public figure: GMS global sum GBP 75.77 per weighted patient, 2015/16 (NHS Employers)',
        meaning='Core-contract capitation paid to practices.')
    budget_per_patient_year: Value = param(1286.0, 'GBP/patient/yr', 1100.0, 1500.0,
        source='[Miller18] GBP 900m for ~700,000 patients',
        meaning="Commissioner's annual allocation per registered patient.")
    data_lag_months: Value = param(3, 'months', 1, 9, integer=True,
        source="[Miller18] data not available 'on a timely basis'",
        meaning="Delay before the commissioner sees a month's admissions.")
    data_noise: Value = param(0.08, 'relative sd', 0.0, 0.2,
        source='[Miller18] lack of meaningful activity data',
        meaning='Relative noise on the admissions the commissioner sees.')
    stance_initial: Value = param(0.3, '0 enforcer - 1 partner', 0.0, 1.0,
        source="[Miller18] commissioners as 'contract enforcers' before ACE",
        meaning='Commissioner stance at month 0: 0 contract enforcer, 1 partner in uncertainty.')
    stance_reversion_per_month: Value = param(0.02, '1/month', 0.0, 0.1,
        source='Assumption',
        meaning='Rate at which the stance drifts back to its initial level.')
    stance_evidence_per_month: Value = param(0.1, '1/month', 0.0, 0.3,
        source='Assumption',
        meaning='How fast the stance moves with observed progress against the admissions target.')
    admissions_target_cut: Value = param(0.15, 'share', 0.05, 0.3,
        source='[Miller18] ACE: reduce emergency admissions by 15%',
        meaning='Cut in emergency admissions the commissioner aims for.')
    monitoring_control: Value = param(0.15, 'control 0-1', 0.0, 0.5,
        source='Assumption; [Miller18] contract-enforcer commissioning',
        meaning='Controlling pressure GPs feel from contract monitoring by an enforcing commissioner (stance 0).')
    partner_support: Value = param(0.2, "support 0-1", 0.0, 0.5,
        source="[Miller18] commissioners as 'partners in uncertainty'; self-determination theory (autonomy support)",
        meaning="Support for autonomy GPs feel from a commissioner acting as a partner in uncertainty (stance 1).")
    partner_freedom: Value = param(0.25, "0-1", 0.0, 0.5,
        source="Assumption; [Miller18] 'freedom to innovate' under a partnering commissioner",
        meaning="Latitude for transformation work a partnering commissioner (stance 1) allows every practice.")
    decommission_after_months: Value = param(3, "months", 1, 12, integer=True,
        source="Assumption; [Miller18] hospital diagnostics decommissioned once primary care provision was guaranteed",
        meaning="Months primary care must have guaranteed an enabler before the commissioner decommissions the hospital's capacity for it.")
    pressure_per_month: Value = param(0.2, "1/month", 0.05, 0.5,
        source="Assumption; [Miller18] 'increasing pressure from other member practices who wanted to adopt the enhanced level'",
        meaning="Rate at which the pressure on an adaptive commissioner follows practices' wanting times the visible success of the funded ones.")
    rollout_pressure: Value = param(0.035, "0-1", 0.01, 0.08,
        source="Assumption; [Miller18] the wider roll-out 'commenced before the twelve month pilot phase was complete'",
        meaning="Pressure (practices' wanting times visible success) at which an adaptive commissioner rolls the enhanced level out.")
    directive_doubt: Value = param(0.2, "0-1", 0.05, 0.4,
        source="[Miller18] 'concerned that the post-pilot practices may not be sufficiently committed ... a directive commissioning approach would be required'",
        meaning="Doubt about the joining practices' commitment, times (1 - stance), above which an adaptive commissioner chooses a directive contract.")
    review_months: Value = param(12, "months", 6, 36, integer=True,
        source="Assumption; annual contract review",
        meaning="Months between an adaptive commissioner's reviews of the schemes in force.")
    stop_below_value_for_money: Value = param(0.2, "GBP/GBP", 0.0, 1.0,
        source="Assumption; [Nuffield15] CQUIN's GBP 1bn bought no measurable improvement",
        meaning="Hospital cost avoided per pound spent on schemes, as an adaptive commissioner sees it, below which it stops its costliest scheme at a review.")
    transformation_budget_share: Value = param(0.01, "share", 0.002, 0.05,
        source="[Nuffield15] London's framework: 2-5.3% of the budget for a material change",
        meaning="Share of its allocation an adaptive commissioner will spend a year on a roll-out.")


@dataclass(frozen=True, slots=True)
class Params:
    """Every section of the parameter table as the submodels receive it: ``params.demand.growth_per_year``."""

    demand: Demand
    workforce: Workforce
    time: Time
    motivation: Motivation
    wellbeing: Wellbeing
    perception: Perception
    peers: Peers
    quality: Quality
    innovation: Innovation
    investment: Investment
    roles: Roles
    enablers: Enablers
    learning: Learning
    rollout: Rollout
    risk: Risk
    hospital: Hospital
    incentives: Incentives
    qof: QOF
    commissioner: Commissioner


def _rows() -> tuple[Param, ...]:
    rows = []
    for section in fields(Params):
        for f in fields(SECTION_TYPES[section.name]):
            rows.append(Param(f"{section.name}.{f.name}", **f.metadata["row"]))
    unknown = set(VALID) - {p.name for p in rows}
    assert not unknown, f"parameters.VALID names no parameter: {sorted(unknown)}"
    for p in rows:
        low, high = p.allowed
        assert low <= p.low <= p.default <= p.high <= high, f"{p.name}: default and plausible range outside the valid one"
    return tuple(rows)


SECTION_TYPES: MappingProxyType[str, type] = MappingProxyType(
    {f.name: globals()[f.type] if isinstance(f.type, str) else f.type for f in fields(Params)})
TABLE: tuple[Param, ...] = _rows()
PARAMETERS = MappingProxyType({p.name: p for p in TABLE})
SECTIONS = tuple(SECTION_TYPES)


def defaults() -> dict[str, float]:
    """Every parameter at its default value, keyed by its dotted name."""
    return {p.name: p.default for p in TABLE}


def make_params(values: dict[str, Any], runs: int | None = 1) -> Params:
    """The parameters as submodels receive them, from ``{dotted name: value}`` (every parameter).

    With ``runs`` R each value becomes an (R, 1) array: one number for every run, or a sequence of R
    numbers, one per run (a batch of sensitivity-analysis samples). Every run sees its parameters
    through the same array operations, so a run gives the same bits alone or in a batch. With
    ``runs=None`` values stay plain numbers, for calling a submodel's functions by hand.
    """
    by_section: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    for name, value in values.items():
        section, key = name.split(".", 1)
        if runs is not None:
            value = np.asarray(value)
            value = np.full((runs, 1), value) if value.ndim == 0 else value.reshape(runs, 1)
        by_section[section][key] = value
    return Params(**{name: SECTION_TYPES[name](**values) for name, values in by_section.items()})
