"""The parameter table: every behavioural, economic and epidemiological number in pcsim.

One row per parameter: name, default, unit, plausible range, source, meaning
(MODEL.md section 8). Configs override defaults by section (``[demand]``
``consultations_per_patient_year = 6``), the CLI by ``--set
demand.consultations_per_patient_year=6``; the sensitivity-analysis harness
reads its ranges from here, and ``docs/ODD.md`` prints this table (a test
fails if they drift apart).

Sources are cited by the short keys of ``shared/seeds/README.md``:
[Miller18] Miller 2018 IJIC, [Miller16] Miller 2016 ICIC abstract,
[Nuffield15] Nuffield Trust 2015 *Levers for change*, [London18] the London
Strategic Commissioning Framework next steps. "Public figure" marks an
English statistic quoted from memory of the named publication: check it
before quoting a result that depends on it. "Assumption" marks a number no
source gives: its range is deliberately wide, and it is what the sensitivity
analysis is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


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
    """What a config may set (default: the plausible range); the sensitivity analysis uses low-high."""

    @property
    def allowed(self) -> tuple[float, float]:
        return self.valid if self.valid is not None else (self.low, self.high)

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.name.split(".", 1)[1]


def _p(name, default, unit, low, high, source, meaning, integer=False, valid=None) -> Param:
    return Param(name, default, unit, low, high, source, meaning, integer, valid)


TABLE: tuple[Param, ...] = (
    # --- Demand (process 1) -------------------------------------------------
    _p("demand.consultations_per_patient_year", 5.5, "consultations/patient/yr", 4.0, 7.0,
       "[London18] 5.5 in 2009 (3.9 in 1999)",
       "Practice consultations per registered patient per year at month 0."),
    _p("demand.growth_per_year", 0.03, "1/yr", 0.0, 0.05,
       "[London18] 3.9 to 5.5 in 1999-2009 (3.5%/yr); +15% in 2010/11-2014/15 (2.8%/yr)",
       "Annual growth of consultations per patient.", valid=(-0.05, 0.15)),
    _p("demand.gp_share_of_consultations", 0.6, "share", 0.45, 0.75,
       "Public figure: GPs gave ~62% of practice consultations in 2008 (Hippisley-Cox & Vinogradova 2009, QResearch)",
       "Share of consultations a GP (not a nurse or other role) provides."),
    _p("demand.minutes_per_consultation", 13.0, "minutes", 10.0, 16.0,
       "Public figure: ~9-10 min face to face (GP Patient Survey era), plus notes and results; assumption for the rest",
       "GP time per consultation, including its paperwork."),
    _p("demand.skill_mix_absorption", 0.6, "share", 0.0, 0.9,
       "Assumption; [London18] 'a broader skill mix in our primary care workforce', new roles such as clinical pharmacists",
       "Share of the growth in consultations taken by nurses and other roles rather than GPs."),
    _p("demand.needs_elasticity", 0.6, "ratio", 0.2, 1.0, "Assumption",
       "How much a practice's needs index (1 = average) raises consultations per patient."),

    # --- Workforce -------------------------------------------------------------
    _p("workforce.hours_per_month_partner", 180.0, "h/month", 150.0, 210.0,
       "Public figure: GP partners ~42 h/week (Eighth National GP Worklife Survey, Gibson et al. 2015)",
       "Working hours a month of a GP partner."),
    _p("workforce.hours_per_month_salaried", 140.0, "h/month", 110.0, 170.0,
       "Public figure: salaried GPs work fewer sessions (GP Worklife Survey 2015)",
       "Working hours a month of a salaried GP."),
    _p("workforce.hours_per_month_sessional", 100.0, "h/month", 60.0, 140.0, "Assumption",
       "Working hours a month of a sessional (locum) GP."),
    _p("workforce.sessional_share", 0.25, "share", 0.08, 0.35,
       "[London18] 25% of GPs sessional in 2014 (8% in 2003)",
       "Share of new and initial GPs who are sessional."),
    _p("workforce.partner_share", 0.55, "share", 0.4, 0.7,
       "Assumption (partners the majority of GPs in 2014; [London18] fewer seek partnership)",
       "Share of new and initial GPs who are partners; the rest are salaried."),
    _p("workforce.exit_rate_per_year", 0.06, "1/yr", 0.03, 0.1,
       "Public figure: ~6-8% of GPs leave practice each year (NHS Digital workforce statistics, 2015-2018)",
       "Leaving hazard of a GP with average morale and no burnout."),
    _p("workforce.exit_burnout_effect", 2.0, "log-hazard per unit burnout", 0.5, 4.0, "Assumption",
       "How strongly burnout raises the chance of leaving."),
    _p("workforce.exit_morale_effect", 1.5, "log-hazard per unit lost morale", 0.5, 3.0, "Assumption",
       "How strongly low morale raises the chance of leaving."),
    _p("workforce.go_sessional_share", 0.3, "share", 0.0, 0.6,
       "Assumption; [London18] the move to sessional work",
       "Share of partner and salaried GPs who leave by going sessional rather than quitting."),
    _p("workforce.vacancy_months", 4.0, "months", 2.0, 9.0,
       "Assumption; [London18] recruitment is 'increasingly difficult'",
       "Mean months a vacated GP post stays empty."),

    # --- Time allocation (process 2) ------------------------------------------
    _p("time.allocation_sensitivity", 3.0, "1/value", 0.5, 8.0, "Assumption (logit choice)",
       "How sharply GPs favour the activity they value most when sharing discretionary time."),
    _p("time.core_admin_hours_per_month", 12.0, "h/GP/month", 6.0, 20.0,
       "Assumption; [Nuffield15] 'increasing administrative workload'",
       "Administration a full-time GP does under the core contract (registration, CQC, correspondence); pro rata for fewer sessions."),
    _p("time.overtime_share", 0.5, "share", 0.0, 1.0, "Assumption",
       "Share of work demanded beyond contracted hours that GPs absorb as overtime (at most 50% more hours); "
       "the rest is deferred."),
    _p("time.reference_pay_per_hour", 60.0, "GBP/h", 40.0, 100.0,
       "Public figure: GP partner income ~GBP 100k a year (NHS Digital GP earnings 2014/15) over ~2,000 hours, rounded up",
       "Pay per hour against which incentive payments for an hour of work are judged."),
    _p("time.income_weight", 0.35, "weight", 0.1, 0.7,
       "Assumption; Casalino's 'better income' benefit [Nuffield15]",
       "Weight a GP gives to income among Casalino's four benefits, before motivations."),

    # --- Motivation (process 3) ------------------------------------------------
    _p("motivation.clinical_care_mean", 0.75, "level", 0.55, 0.9, "Assumption; [Miller18] 'most wanted to ... improve care'",
       "Mean trait level of the motivation to improve clinical care."),
    _p("motivation.autonomy_mean", 0.6, "level", 0.4, 0.8, "Assumption; [Miller18] organisational autonomy",
       "Mean trait level of the motivation for organisational autonomy."),
    _p("motivation.innovator_mean", 0.3, "level", 0.15, 0.5, "Assumption; [Miller18] identified as an innovator",
       "Mean trait level of innovator identity."),
    _p("motivation.peer_judgement_mean", 0.35, "level", 0.2, 0.55, "Assumption; [Miller18] peer judgement",
       "Mean trait level of concern for peer judgement."),
    _p("motivation.trait_sd", 0.12, "level", 0.05, 0.2, "Assumption",
       "Spread of motivation traits between GPs."),
    _p("motivation.reversion_per_month", 0.02, "1/month", 0.005, 0.06, "Assumption",
       "Rate at which motivations, self-efficacy and morale return to their resting levels when nothing pushes them."),
    _p("motivation.crowd_out_per_month", 0.03, "1/month", 0.0, 0.1,
       "Assumption; motivation crowding (Frey & Jegen 2001; Deci, Koestner & Ryan 1999); [Miller16] tight specification deters creativity",
       "Rate at which controlling, tick-box rewards erode intrinsic motivation and autonomy, at full control."),
    _p("motivation.crowd_in_per_month", 0.03, "1/month", 0.0, 0.1,
       "Assumption; self-determination theory (Ryan & Deci 2000); [Miller18] 'trust based model'",
       "Rate at which trust-based, flexible support raises intrinsic motivation and autonomy, at full trust."),
    _p("motivation.visibility_per_month", 0.05, "1/month", 0.0, 0.15,
       "Assumption; [Miller18] prestige of being selected; fear of criticism by unselected practices",
       "Rate at which being selected and visible raises innovator identity and peer judgement."),
    _p("motivation.quick_win_effect", 0.08, "level per win", 0.0, 0.2,
       "Assumption; [Miller18] 'encouragement of quick wins'",
       "Rise in self-efficacy when an innovation reaches a new stage."),
    _p("motivation.loss_effect", 0.15, "level per loss", 0.0, 0.3,
       "Assumption; [Miller18] unfunded innovations 'seen to have been lost'",
       "Fall in innovator identity and self-efficacy when an innovation is dropped."),
    _p("motivation.self_efficacy_mean", 0.5, "level", 0.3, 0.7, "Assumption",
       "Mean initial self-efficacy (belief that change is possible)."),

    # --- Wellbeing --------------------------------------------------------------
    _p("wellbeing.morale_mean", 0.65, "level", 0.45, 0.8,
       "Assumption; GP Worklife Survey 2015 reports falling job satisfaction",
       "Mean level morale returns to without pressure."),
    _p("wellbeing.overload_morale_per_month", 0.16, "1/month per unit overload", 0.04, 0.4, "Assumption",
       "Fall in morale per month per unit of overload (overtime worked, as a share of contracted hours)."),
    _p("wellbeing.meaning_morale_per_month", 0.02, "1/month", 0.0, 0.06,
       "Assumption; Casalino's 'better working day' [Nuffield15]",
       "Rise in morale per month from time spent on valued (holistic, transformation) work."),
    _p("wellbeing.burnout_per_month", 0.24, "1/month per unit overload", 0.08, 0.6, "Assumption",
       "Accumulation of burnout per month per unit of overload."),
    _p("wellbeing.recovery_per_month", 0.04, "1/month", 0.01, 0.1, "Assumption",
       "Share of burnout that recovers per month without overload."),

    # --- Quality (process 4) ----------------------------------------------------
    _p("quality.indicator_gain", 0.35, "1/month per effort unit", 0.1, 0.8, "Assumption",
       "Speed at which delivered care on an indicator approaches its ceiling per unit of effort."),
    _p("quality.indicator_decay", 0.03, "1/month", 0.01, 0.08, "Assumption",
       "Monthly decay of delivered care on an indicator without effort (patients lapse, staff change)."),
    _p("quality.holistic_spillover", 0.4, "share", 0.1, 0.8, "Assumption",
       "Share of holistic-care effort that also counts as effort on indicator care."),
    _p("quality.holistic_gain", 0.04, "1/month per 10 h/1,000 patients", 0.01, 0.08,
       "Assumption, calibrated so that holistic quality starts near 0.5 ([Miller18] Box 1: 51.3% felt supported)",
       "Speed at which holistic (non-incentivised) quality approaches 1 per unit of holistic effort."),
    _p("quality.holistic_decay", 0.03, "1/month", 0.01, 0.08, "Assumption",
       "Monthly decay of holistic quality without effort."),
    _p("quality.coding_completeness", 0.75, "share", 0.55, 0.9,
       "Assumption; [Nuffield15] recording rose under QOF",
       "Share of delivered care that is recorded when nobody is paid to record it."),
    _p("quality.recording_adjustment_per_month", 0.15, "1/month", 0.05, 0.5,
       "Assumption; recording rose within a year of QOF (Campbell et al. 2009) and fell soon after indicators were "
       "withdrawn (Minchin et al. 2018, Lancet)",
       "Speed at which coding completeness and recording without care move towards what schemes pay for."),
    _p("quality.continuity_adjustment_per_month", 0.05, "1/month", 0.01, 0.15, "Assumption",
       "Speed at which continuity of care moves towards what staffing and holistic time allow."),
    _p("quality.continuity_max", 0.8, "share", 0.6, 0.95,
       "Assumption; GP Patient Survey: most patients with a preferred GP see them only sometimes",
       "Continuity of care with a full, stable, partner workforce and no protocol-driven work."),
    _p("quality.continuity_sessional_penalty", 0.5, "share", 0.2, 0.8,
       "Assumption; [London18] sessional work; [Miller18] patients less satisfied with continuity",
       "Continuity lost per unit share of sessional GPs in a practice."),
    _p("quality.continuity_protocol_penalty", 0.6, "share", 0.0, 1.0,
       "Assumption; [Miller18] decrease in person-centred practice since QOF",
       "Continuity lost per unit share of GP discretionary time spent on protocolised incentivised tasks."),

    # --- Innovation (process 5) ---------------------------------------------------
    _p("innovation.start_per_month", 0.04, "1/month per 10 h/1,000 patients", 0.01, 0.1, "Assumption",
       "Chance per month that a grouping with no live project starts one, per 10 transformation hours per 1,000 patients."),
    _p("innovation.hours_per_stage", 60.0, "h/1,000 patients", 20.0, 150.0,
       "Assumption; [Miller18] 12-month pilots reached running innovations",
       "Effective transformation hours per 1,000 patients to move a project one stage (developing, piloting, running)."),
    _p("innovation.effect_mean", 0.03, "share of other admissions", 0.0, 0.08,
       "Assumption; [Miller18] admission-avoidance innovations (case managers, paramedic triage)",
       "Mean true reduction in non-incentivised emergency admissions of a running innovation, in its grouping."),
    _p("innovation.effect_sd", 0.04, "share", 0.01, 0.08,
       "Assumption; [Miller18] Pilot D: some ideas promising, some not",
       "Spread of innovations' true effects (some are worse than nothing)."),
    _p("innovation.observation_sd", 0.03, "share", 0.01, 0.08,
       "Assumption; [Miller18] 'struggled to provide meaningful ... data on a timely basis'",
       "Noise on a grouping's reading of its innovation's effect."),
    _p("innovation.maintenance_hours", 3.0, "h/1,000 patients/month", 1.0, 8.0, "Assumption",
       "Transformation hours per 1,000 patients a month a live innovation project needs to stay alive."),

    # --- Investment fund (ACE) ----------------------------------------------------------
    _p("investment.funding_per_patient", 10.5, "GBP/patient", 2.0, 30.0,
       "[Miller18] GBP 10.50 per registered patient for the 12-month pilot",
       "Investment per registered patient over a funded grouping's pilot, paid up front.", valid=(0.0, 5000.0)),
    _p("investment.enabler_share", 0.3, "share", 0.1, 0.6,
       "Assumption; [Miller18] money bought 'diagnostic equipment', 'new posts' and freed 'time for key individuals'",
       "Share of the fund spent on the four enablers (equipment, training, external provision)."),
    _p("investment.backfill_cost_per_hour", 80.0, "GBP/h", 60.0, 110.0,
       "Assumption; sessional GP rates of GBP 70-100 an hour (BMA locum guidance)",
       "Cost of an hour of backfill that frees a GP for transformation work (protected time)."),
    _p("investment.enabler_months", 5.0, "months", 2.0, 10.0,
       "Assumption; [Miller18] every pilot delivered all four enablers within 12 months",
       "Months a grouping with average infrastructure takes to deliver an enabler with its own staff."),
    _p("investment.trust", 0.6, "0-1", 0.2, 1.0, "[Miller18] 'a trust based model'; [Miller16] funding up front",
       "How trusting, flexible funding up front feels to funded GPs (crowding in)."),
    _p("investment.freedom", 0.6, "0-1", 0.2, 1.0, "[Miller18] 'freedom to innovate', autonomy over how to meet objectives",
       "Latitude funded groupings have in transformation work."),
    _p("investment.engagement", 0.6, "0-1", 0.3, 0.9,
       "[Miller16] acute clinicians easier to engage than community and social care",
       "Partner engagement in funded groupings' projects."),
    _p("investment.selection_noise", 0.15, "score sd", 0.0, 0.5, "Assumption; a panel judges proposals",
       "Noise in the panel's scoring of proposals (concreteness and commitment)."),
    _p("learning.attendance", 0.95, "probability", 0.7, 1.0,
       "[Miller18] 'each pilot was represented at every learning set'", "Chance a funded grouping attends a learning set."),
    _p("learning.consistency", 0.6, "probability", 0.3, 0.9,
       "[Miller18] 'not always by the same individual(s)'", "Chance it is represented by the same person as before."),
    _p("learning.trust_initial", 0.1, "0-1", 0.0, 0.3,
       "[Miller18] early sets 'dominated by pilots seeking clarification' from commissioners",
       "Trust between pilots at the first learning set."),
    _p("learning.trust_per_month", 0.08, "1/month", 0.02, 0.3, "Assumption; [Miller18] relationships became stronger",
       "Rate at which a set attended by consistent representatives builds trust."),
    _p("learning.facilitation", 0.2, "0-1", 0.0, 1.0,
       "[Miller18] sets 'suffered from not having sufficient planning in how they would be facilitated'",
       "Quality of facilitation; doubles the rate of building trust at 1."),
    _p("learning.final_openness", 0.3, "probability", 0.0, 0.6,
       "[Miller18] the final set 'most fulfilling ... open and honest sharing' ('nothing to lose')",
       "Extra openness at the last learning set of a funded period."),
    _p("learning.relevance", 0.3, "probability", 0.05, 0.7,
       "[Miller18] 'an uncertainty that the work of others were relevant to their own context'",
       "Chance that a grouping finds a shared innovation relevant enough to adopt."),
    _p("learning.stance_per_month", 0.1, "log-odds/month", 0.0, 0.3,
       "[Miller18] commissioners became 'partners in uncertainty' by meeting pilots",
       "Movement of the commissioner's stance towards partnership per month of open learning sets."),

    # --- Roll-out, directive contract, risk sharing ------------------------------------
    _p("rollout.directive_control", 0.5, "control 0-1", 0.2, 0.8,
       "[Miller18] 'a more traditional contract ... in which the required activities were specified'",
       "Control GPs feel under a directive contract with tight monitoring."),
    _p("rollout.monitoring_hours", 6.0, "h/practice/month", 2.0, 15.0, "Assumption; [Miller18] tight monitoring",
       "Reporting a directive contract asks of each practice."),
    _p("rollout.morale_shock", 0.04, "1/month", 0.0, 0.1,
       "[Miller18] Pilot A: 'our morale has gone down as a consequence'",
       "Extra monthly rate of morale loss of former pilots' GPs in the first six months of a directive contract."),
    _p("risk.baseline_error_sd", 0.06, "share", 0.0, 0.15,
       "[Nuffield15] organisations fail if they 'do not conduct risk adjustment accurately' (Casalino 2011)",
       "Error of the admissions baseline a risk contract starts from, as a share."),
    _p("risk.correction_per_month", 0.25, "1/month", 0.05, 0.5,
       "[Nuffield15] ChenMed 'always starts a new risk-sharing arrangement in shadow form'",
       "Rate at which a shadow period moves the contract's baseline towards the admissions the figures show."),
    _p("risk.reserve_months", 3.0, "months of capitation", 1.0, 6.0,
       "Assumption; [Nuffield15] 'losses have followed from some of these contracts'",
       "Reserves a grouping can lose before it fails, in months of its capitation."),

    # --- Hospital (process 7) ------------------------------------------------------
    _p("hospital.emergency_admissions_per_1000_year", 100.0, "admissions/1,000/yr", 85.0, 120.0,
       "Public figure: ~5.5m emergency admissions in England in 2014/15 for ~54m people (HES)",
       "Emergency admissions per 1,000 registered patients per year at month 0 (average needs)."),
    _p("hospital.incentivised_condition_share", 0.16, "share", 0.1, 0.25,
       "Public figure: ambulatory care sensitive conditions ~1 in 6 emergency admissions (Blunt 2013, QualityWatch)",
       "Share of emergency admissions for conditions covered by incentivised indicators."),
    _p("hospital.admission_growth_per_year", 0.03, "1/yr", 0.01, 0.045,
       "Public figure: emergency admissions in England rose ~3%/yr over 2004/05-2014/15 (HES; Blunt 2013)",
       "Underlying annual growth of emergency admissions with care unchanged.", valid=(-0.05, 0.15)),
    _p("hospital.cost_per_emergency_admission", 1600.0, "GBP", 1200.0, 2500.0,
       "Public figure: mean non-elective spell ~GBP 1,600 (NHS Reference Costs 2014/15)",
       "Tariff cost of one emergency admission."),
    _p("hospital.incentivised_quality_effect", 0.8, "log-rate per unit quality", 0.2, 1.6,
       "Assumption calibrated to [Nuffield15]/Harrison et al. 2014: modest relative falls in admissions for QOF conditions",
       "How strongly delivered care on incentivised indicators lowers admissions for those conditions."),
    _p("hospital.holistic_quality_effect", 0.5, "log-rate per unit quality", 0.1, 1.2,
       "Assumption; [Miller18] holistic models of care to divert acute activity",
       "How strongly holistic quality lowers admissions for other conditions."),
    _p("hospital.continuity_effect", 0.4, "log-rate per unit continuity", 0.1, 1.0,
       "Public figure: higher continuity, fewer ACSC admissions (Barker, Steventon & Deeny 2017, BMJ)",
       "How strongly continuity of care lowers admissions for other conditions."),
    _p("hospital.diagnostics_per_1000_year", 200.0, "tests/1,000/yr", 100.0, 350.0,
       "Assumption; [Miller18] ECG, spirometry, insulin initiation and phlebotomy largely provided in acute settings",
       "Hospital diagnostic and treatment contacts of the four enabler kinds per 1,000 patients a year."),
    _p("hospital.cost_per_diagnostic", 45.0, "GBP", 20.0, 120.0, "Assumption (outpatient diagnostic tariffs)",
       "Tariff cost of one hospital diagnostic contact."),
    _p("hospital.diagnostic_fixed_share", 0.4, "share", 0.2, 0.6,
       "Assumption; [Miller18] the CCG could decommission hospital diagnostics only where primary care was guaranteed",
       "Share of the cost of hospital diagnostics that is capacity, paid until the commissioner decommissions it."),

    # --- Financial micro-incentives (QOF, enhanced services, CQUIN) ----------------------
    _p("incentives.admin_hours_per_scheme", 6.0, "h/practice/month", 2.0, 15.0,
       "Assumption; [Miller18] Box 2: 'monitoring burden ... multiple disease-specific schemes with separate "
       "specifications'; [Nuffield15] 'increasing administrative workload'",
       "Reporting and administration each micro-incentive scheme asks of a practice."),
    _p("incentives.admin_hours_per_indicator", 0.5, "h/practice/month", 0.1, 1.5, "Assumption",
       "Extra reporting for each indicator a scheme pays for."),
    _p("incentives.control_per_scheme", 0.15, "control 0-1", 0.0, 0.4,
       "Assumption; [Miller16] 'tight specification of the process'; motivation crowding (Frey & Jegen 2001)",
       "How controlling GPs find each micro-incentive scheme; schemes combine as 1 - prod(1 - c)."),
    _p("incentives.salience_gbp", 4000.0, "GBP/practice/yr", 1000.0, 15000.0,
       "Assumption; [Nuffield15] incentives work best when 'large scale and high profile'; CQUIN's GBP 1bn 'spread "
       "across too many locally defined projects' bought no measurable improvement (Kristensen et al. 2013)",
       "Size of a scheme's pot at which it gets half of a practice's attention."),
    _p("incentives.salience_steepness", 2.0, "exponent", 1.0, 4.0, "Assumption",
       "How sharply attention rises with the size of a scheme's pot around the salience point."),
    _p("incentives.peer_exposure", 0.3, "0-1", 0.0, 0.8,
       "Assumption; published QOF achievement exposes practices to their peers",
       "Exposure to peers' judgement from published achievement."),
    _p("incentives.reinvested_share", 0.5, "share", 0.2, 0.8,
       "Assumption; QOF work was largely delegated to practice nurses and healthcare assistants (Checkland & "
       "Harrison 2010)",
       "Share of incentive income a practice spends on staff time for the paid work."),
    _p("incentives.staff_cost_per_hour", 35.0, "GBP/h", 25.0, 50.0,
       "Public figure: practice nurse ~GBP 36 per hour including on-costs (PSSRU Unit Costs of Health and Social Care 2015)",
       "Cost of an hour of nurse or healthcare-assistant time bought for incentivised work."),
    _p("qof.payment_per_point", 157.0, "GBP/point", 80.0, 250.0,
       "Public figure: GBP 156.92 per QOF point in 2014/15 for an average practice (NHS Employers)",
       "Payment per QOF point for a practice of average list size."),
    _p("qof.exception_rate", 0.06, "share", 0.0, 0.15,
       "Public figure: ~5% of patients exception-reported (Doran et al. 2008, NEJM)",
       "Share of patients a practice can exception-report out of an indicator's denominator."),
    _p("incentives.gaming_share", 0.3, "share", 0.0, 0.6,
       "Assumption; [Nuffield15] QOF improved 'processes of care rather than outcomes'",
       "Share of the gap to the ceiling that a paid recording indicator can close by recording without care (QOF and CQUIN alike)."),

    # --- Commissioner (process 8) -----------------------------------------------------
    _p("commissioner.capitation_per_patient_year", 76.0, "GBP/patient/yr", 70.0, 90.0,
       "Public figure: GMS global sum GBP 75.77 per weighted patient, 2015/16 (NHS Employers)",
       "Core-contract capitation paid to practices."),
    _p("commissioner.budget_per_patient_year", 1286.0, "GBP/patient/yr", 1100.0, 1500.0,
       "[Miller18] GBP 900m for ~700,000 patients",
       "Commissioner's annual allocation per registered patient."),
    _p("commissioner.data_lag_months", 3, "months", 1, 9,
       "[Miller18] data not available 'on a timely basis'", "Delay before the commissioner sees a month's admissions.",
       integer=True),
    _p("commissioner.data_noise", 0.08, "relative sd", 0.0, 0.2,
       "[Miller18] lack of meaningful activity data", "Relative noise on the admissions the commissioner sees."),
    _p("commissioner.stance_initial", 0.3, "0 enforcer - 1 partner", 0.0, 1.0,
       "[Miller18] commissioners as 'contract enforcers' before ACE",
       "Commissioner stance at month 0: 0 contract enforcer, 1 partner in uncertainty."),
    _p("commissioner.stance_reversion_per_month", 0.02, "1/month", 0.0, 0.1, "Assumption",
       "Rate at which the stance drifts back to its initial level."),
    _p("commissioner.stance_evidence_per_month", 0.1, "1/month", 0.0, 0.3, "Assumption",
       "How fast the stance moves with observed progress against the admissions target."),
    _p("commissioner.admissions_target_cut", 0.15, "share", 0.05, 0.3,
       "[Miller18] ACE: reduce emergency admissions by 15%",
       "Cut in emergency admissions the commissioner aims for."),
    _p("commissioner.monitoring_control", 0.15, "control 0-1", 0.0, 0.5,
       "Assumption; [Miller18] contract-enforcer commissioning",
       "Controlling pressure GPs feel from contract monitoring by an enforcing commissioner (stance 0)."),
)

PARAMETERS = MappingProxyType({p.name: p for p in TABLE})
SECTIONS = tuple(dict.fromkeys(p.section for p in TABLE))


def defaults() -> dict[str, float]:
    """Every parameter at its default value, keyed by its dotted name."""
    return {p.name: p.default for p in TABLE}
