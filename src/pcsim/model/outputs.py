"""Outputs: the monthly columns (a contract users depend on) and per-indicator quality.

``monthly.parquet`` has one row per month and commissioner with the columns of
:data:`MONTHLY`; ``indicators.parquet`` one row per month, commissioner and
indicator. Money is GBP per month; admissions per 1,000 registered patients per
month; hours per GP in post per month; motivations, morale and quality are
levels in [0, 1], averaged over GPs in post or weighted by list size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pcsim.model import hospital
from pcsim.model.motivation import AUTONOMY
from pcsim.model.arrays import Bins, Blocks
from pcsim.model.innovation import STAGES

MONTHLY: tuple[tuple[str, str, str], ...] = (
    ("quality_incentivised_recorded", "share", "Indicator care as recorded, mean over indicators"),
    ("quality_incentivised_delivered", "share", "Indicator care actually delivered, mean over indicators"),
    ("quality_non_incentivised", "share", "Holistic, person-centred (non-incentivised) quality"),
    ("continuity", "share", "Continuity of care"),
    ("admissions_per_1000_incentivised", "per 1,000/month", "Emergency admissions for incentivised conditions"),
    ("admissions_per_1000_other", "per 1,000/month", "Emergency admissions for other conditions"),
    ("emergency_admissions", "admissions/month", "Emergency admissions, all conditions"),
    ("hospital_diagnostics", "contacts/month", "Hospital diagnostic contacts of the four enabler kinds"),
    ("primary_care_diagnostics", "contacts/month", "The same contacts provided in primary care"),
    ("enablers_share", "share", "Share of the four enablers practices deliver, list-weighted"),
    ("decommissioned_share", "share", "Share of hospital diagnostic capacity the commissioner has decommissioned"),
    ("innovations_active", "projects", "Live innovation projects (developing, piloting or running)"),
    ("innovations_running", "projects", "Innovation projects running"),
    ("innovations_sustained", "projects", "Innovation projects running for at least 6 months"),
    ("motivation_clinical_care", "level", "Motivation to improve clinical care, mean over GPs"),
    ("motivation_autonomy", "level", "Motivation for organisational autonomy, mean over GPs"),
    ("motivation_innovator", "level", "Identity as an innovator, mean over GPs"),
    ("motivation_peer_judgement", "level", "Concern for peer judgement, mean over GPs"),
    ("self_efficacy", "level", "Belief that change is possible, mean over GPs"),
    ("morale", "level", "Morale, mean over GPs"),
    ("pilot_lead_morale", "level", "Morale of the lead GPs of named groupings (all GPs' if there are none)"),
    ("burnout", "level", "Burnout, mean over GPs"),
    ("gps", "GPs", "GPs in post"),
    ("gp_exits", "GPs/month", "GPs who quit or retired this month"),
    ("sessional_share", "share", "Share of GPs in post who are sessional"),
    ("overload", "share", "Work demanded beyond contracted hours, mean over GPs"),
    ("admin_hours_per_gp", "h/GP/month", "Administration and reporting"),
    ("incentivised_hours_per_gp", "h/GP/month", "Time on incentivised tasks"),
    ("holistic_hours_per_gp", "h/GP/month", "Time on holistic care"),
    ("transformation_hours_per_gp", "h/GP/month", "Time on transformation, protected time included"),
    ("spend_capitation", "GBP/month", "Capitation paid"),
    ("spend_incentives", "GBP/month", "Incentive payments"),
    ("spend_investment", "GBP/month", "Investment-fund and roll-out payments"),
    ("spend_risk_sharing", "GBP/month", "Gain-share paid to groupings (negative: losses they repay)"),
    ("hospital_cost", "GBP/month", "Emergency admissions and hospital diagnostics at tariff"),
    ("hospital_cost_avoided", "GBP/month", "Expected hospital cost below the counterfactual (month-0 care, all diagnostics in hospital)"),
    ("net_savings", "GBP/month", "Hospital cost avoided minus incentive, investment, risk-sharing and additional-roles spend"),
    ("groupings_failed", "groupings", "Groupings that have failed under financial risk"),
    ("stance", "0-1", "Commissioner stance: 0 contract enforcer, 1 partner in uncertainty"),
    ("incentive_schemes", "schemes", "Micro-incentive schemes in force (QOF 1, each CQUIN scheme, each enhanced service)"),
    ("enhanced_services_uptake", "share", "Share of the enhanced services on offer that patients' practices provide"),
    ("offer_inconsistency", "share", "Chance that two patients' practices differ in offering a service, mean over services on offer: 2c(1 - c)"),
    ("budget", "GBP/month", "The commissioner's allocation"),
    ("patients", "patients", "Registered patients"),
    ("felt_control", "0-1", "Control GPs feel from the schemes in force and the commissioner's stance, mean over GPs"),
    ("felt_support", "0-1", "Support for autonomy GPs feel from the schemes in force and the stance, mean over GPs"),
    ("peer_exposure", "0-1", "Exposure to peers' judgement (published rankings, envy of the selected), mean over GPs"),
    ("innovations_adopted_outside", "adoptions", "Innovations adopted over ties by groupings no fund selected, so far"),
    ("pressure", "0-1", "Pressure on the commissioner from practices wanting what the funded ones have"),
    ("rolled_out", "0/1", "Whether an adaptive commissioner has rolled the enhanced level out"),
    ("delivered_care_interdecile", "share", "Inter-decile range (90th minus 10th percentile) of practices' delivered indicator care"),
    ("income_per_patient_interdecile", "GBP/patient/yr", "Inter-decile range of practices' income per registered patient (this month, a year's rate)"),
    ("spend_roles", "GBP/month", "Additional-role salaries the commissioner reimburses (staff in funded posts)"),
    ("additional_roles_fte", "FTE", "Additional-role staff in post (pharmacists, nurses, care co-ordinators, paramedics, social prescribers)"),
    ("role_posts", "FTE", "Additional-role posts schemes fund or practices keep (filled or vacant)"),
    ("roles_cost_to_practices", "GBP/month", "Running cost of the additional-role posts practices keep after their funding ended"),
    ("gp_core_hours_saved_per_gp", "h/GP/month", "GP core work taken on by additional roles, per GP in post"),
    ("high_risk_reached", "share", "Share of patients at high risk of admission under case management"),
)
PRACTICE_COLUMNS = ("list_size", "quality_incentivised_delivered", "quality_incentivised_recorded",
                    "quality_non_incentivised", "continuity", "admissions_per_1000", "gps", "morale",
                    "income_per_patient")
COLUMNS = tuple(name for name, _, _ in MONTHLY)

GROUPING_COLUMNS = ("selected", "enablers_delivered", "innovation_stage", "innovations_started",
                    "innovations_dropped_early", "innovations_lost", "innovations_adopted", "sharing",
                    "learning_trust", "spend_investment", "morale", "failed", "lead_morale")


def grouping_kind(practices: int, patients: float) -> str:
    """Single practice, small grouping, network (30-50k and up to 150k) or federation / super-partnership
    (150k and more) [London18]."""
    if practices == 1:
        return "single practice"
    if patients < 30_000:
        return "small grouping"
    return "network" if patients < 150_000 else "federation"
INDEX = ("month", "commissioner")


class Recorder:
    """Collects every month's outputs of every run into preallocated arrays."""

    def __init__(self, sim, practices: bool = False):
        """``practices``: also keep every practice's values each month (``practices.parquet``)."""
        structure = sim.structure
        months, R, C, K = sim.config.months, sim.runs, structure.n_commissioners, len(sim.catalogue.indicators)
        self.practice_values = (np.full((months, len(PRACTICE_COLUMNS), R, structure.n_practices), np.nan)
                                if practices else None)
        self.monthly = np.full((months, len(COLUMNS), R, C), np.nan)
        self.indicators = np.full((months, 2, K, R, C), np.nan)   # recorded, delivered
        self.in_scheme = np.zeros((months, K), dtype=bool)
        self.patients = structure.patients_per_commissioner
        self.named = np.flatnonzero(structure.grouping_named)
        self.leads_by_commissioner = Bins(structure.grouping_commissioner[self.named], C)
        self.leads_per_commissioner = np.bincount(structure.grouping_commissioner[self.named], minlength=C)
        self.grouping_values = np.full((months, len(GROUPING_COLUMNS), R, len(self.named)), np.nan)

    def record(self, sim) -> None:
        month = sim.month
        if month >= len(self.monthly):
            self._grow()
        lead_morale = np.take_along_axis(sim.morale, sim.leads, axis=1)      # (R, named)
        self.monthly[month] = self.row(sim, lead_morale)
        by_c, weight = sim.practice_commissioner, sim.structure.list_size
        self.indicators[month, 0] = by_c.mean(sim.recorded, weight)
        self.indicators[month, 1] = by_c.mean(sim.delivered, weight)
        self.in_scheme[month] = sim.last.levers.in_scheme
        if len(self.named):
            self.grouping_values[month] = self.grouping_row(sim, lead_morale)
        if self.practice_values is not None:
            self.practice_values[month] = self.practice_row(sim)

    def _grow(self) -> None:
        self.monthly = np.concatenate([self.monthly, np.full_like(self.monthly, np.nan)])
        self.indicators = np.concatenate([self.indicators, np.full_like(self.indicators, np.nan)])
        self.in_scheme = np.concatenate([self.in_scheme, np.zeros_like(self.in_scheme)])
        self.grouping_values = np.concatenate([self.grouping_values, np.full_like(self.grouping_values, np.nan)])
        if self.practice_values is not None:
            self.practice_values = np.concatenate([self.practice_values, np.full_like(self.practice_values, np.nan)])

    def _lead_morale(self, lead_morale, everyone):
        """Mean morale of pilot leads per commissioner (R, C); ``everyone``'s where a commissioner has none."""
        if not len(self.named):
            return everyone
        return np.where(self.leads_per_commissioner > 0, self.leads_by_commissioner.mean(lead_morale, 1.0), everyone)

    def grouping_row(self, sim, lead_morale) -> np.ndarray:
        """This month's values for the named groupings: (GROUPING_COLUMNS, R, named)."""
        structure, last, named = sim.structure, sim.last, self.named
        by_g = sim.practice_grouping
        delivered = (by_g.sum(sim.enablers) >= structure.practices_per_grouping).sum(axis=0)          # enablers all its practices deliver
        morale = sim.gp_grouping.mean(sim.morale, sim.in_post.astype(float))
        projects = sim.projects
        values = {
            "selected": sim.selected, "enablers_delivered": delivered, "innovation_stage": projects.furthest,
            "innovations_started": projects.started, "innovations_dropped_early": projects.dropped_early,
            "innovations_lost": projects.lost, "innovations_adopted": sim.adopted, "sharing": sim.sharing,
            "learning_trust": sim.learning_trust, "spend_investment": by_g.sum(last.ledger.practice_income[2]),
            "morale": morale, "failed": sim.failed,
        }
        row = np.stack([np.broadcast_to(values[c], (sim.runs, structure.n_groupings))[:, named].astype(float)
                        for c in GROUPING_COLUMNS if c != "lead_morale"])
        return np.concatenate([row, lead_morale[None]])

    def groupings_frame(self, structure, run: int = 0, months: int | None = None) -> pd.DataFrame:
        """One row per month and named grouping for run ``run``."""
        data = self.grouping_values[:months, :, run, :]                      # (M, columns, named)
        M, _, Qn = data.shape
        if Qn == 0:
            return pd.DataFrame(columns=["month", "grouping", "kind", "practices", "patients", "concreteness",
                                         *GROUPING_COLUMNS])
        frame = pd.DataFrame(data.transpose(0, 2, 1).reshape(M * Qn, -1), columns=list(GROUPING_COLUMNS))
        names = np.array(structure.grouping_names, dtype=object)[self.named]
        patients = structure.grouping_list_size[self.named]
        practices = structure.practices_per_grouping[self.named]
        frame.insert(0, "concreteness", np.tile(structure.grouping_concreteness[self.named], M))
        frame.insert(0, "patients", np.tile(patients, M))
        frame.insert(0, "practices", np.tile(practices, M))
        frame.insert(0, "kind", np.tile([grouping_kind(n, p) for n, p in zip(practices, patients)], M))
        frame.insert(0, "grouping", np.tile(names, M))
        frame.insert(0, "month", np.repeat(np.arange(M), Qn))
        for column in ("selected", "failed"):
            frame[column] = frame[column].astype(bool)
        for column in ("enablers_delivered", "innovations_started", "innovations_dropped_early", "innovations_lost",
                       "innovations_adopted"):
            frame[column] = frame[column].astype(int)
        frame["innovation_stage"] = np.array(STAGES, dtype=object)[frame["innovation_stage"].astype(int)]
        return frame

    def row(self, sim, lead_morale) -> np.ndarray:
        """This month's monthly columns, (columns, R, C)."""
        structure, params, last = sim.structure, sim.params, sim.last
        by_c, gp_c, weight = sim.practice_commissioner, sim.gp_commissioner, structure.list_size
        in_post = sim.in_post.astype(float)
        gps = gp_c.sum(in_post)
        worked = last.worked.astype(float)
        gps_worked = gp_c.sum(worked)

        def gp_means(values, who, count):
            """Means over GPs (``who``) in each commissioner of a stack of per-GP values, in one pass."""
            return np.divide(gp_c.sum(values * who), count, out=np.zeros((len(values),) + count.shape),
                             where=count > 0)

        felt_control = sim.feel_per_gp(sim.trait[AUTONOMY])[0]     # as the engine's GPs feel it
        per_gp = dict(zip(("motivation_clinical_care", "motivation_autonomy", "motivation_innovator",
                           "motivation_peer_judgement", "self_efficacy", "morale", "burnout", "sessional_share",
                           "felt_control"),
                          gp_means(np.concatenate([sim.motivation, np.stack([
                              sim.self_efficacy, sim.morale, sim.burnout, (sim.employment == 2).astype(float),
                              felt_control])]), in_post, gps)))
        gps_of_practice = sim.gp_bins.sum(in_post)                    # practice-level values, weighted by GPs
        per_gp.update(zip(("felt_support", "peer_exposure"), np.divide(
            by_c.sum(np.stack(np.broadcast_arrays(sim.felt.support, sim.peer_exposure)) * gps_of_practice), gps,
            out=np.zeros((2,) + gps.shape), where=gps > 0)))

        per_1000 = 1000 / self.patients
        admissions = by_c.sum(last.admissions)
        expected = by_c.sum(last.expected)
        diagnostics = by_c.sum(last.diagnostics)
        spend = last.ledger.spend
        cost = by_c.sum(last.practice_cost)
        diagnostics_avoided = diagnostics.sum(axis=0) * params.hospital.cost_per_diagnostic - by_c.sum(last.diagnostic_cost)
        avoided = ((expected[2] - expected[0] - expected[1]) * params.hospital.cost_per_emergency_admission
                   + diagnostics_avoided)
        projects = sim.projects
        grouping_c = sim.grouping_commissioner
        offered = last.levers.services_offered
        provided = np.broadcast_to(np.asarray(last.levers.services_provided, dtype=float), (sim.runs, structure.n_practices))
        uptake = by_c.mean(provided / offered, weight) if offered else np.zeros_like(gps)
        time = last.time
        per_worked = dict(zip(("overload", "admin_hours_per_gp", "incentivised_hours_per_gp", "holistic_hours_per_gp",
                               "transformation_hours_per_gp"),
                              gp_means(np.concatenate([last.overload[None], time[1:5]]), worked, gps_worked)))
        values = {
            **per_gp,
            **per_worked,
            "quality_incentivised_recorded": by_c.mean(sim.recorded.mean(axis=0), weight),
            "quality_incentivised_delivered": by_c.mean(sim.delivered.mean(axis=0), weight),
            "quality_non_incentivised": by_c.mean(sim.holistic, weight),
            "continuity": by_c.mean(sim.continuity, weight),
            "admissions_per_1000_incentivised": admissions[0] * per_1000,
            "admissions_per_1000_other": admissions[1] * per_1000,
            "emergency_admissions": admissions.sum(axis=0),
            "hospital_diagnostics": diagnostics[0],
            "primary_care_diagnostics": diagnostics[1],
            "enablers_share": by_c.mean(sim.enablers_in_use.mean(axis=0), weight),
            "decommissioned_share": by_c.mean((hospital.ENABLER_SHARE[:, None, None] * sim.decommissioned).sum(axis=0),
                                              weight),
            "innovations_active": grouping_c.sum(projects.live.sum(axis=0).astype(float)),
            "innovations_running": grouping_c.sum((projects.stage == 3).sum(axis=0).astype(float)),
            "innovations_sustained": grouping_c.sum(projects.sustained.sum(axis=0).astype(float)),
            "pilot_lead_morale": self._lead_morale(lead_morale, per_gp["morale"]),
            "gps": gps,
            "gp_exits": gp_c.sum(last.quits.astype(float)),
            "spend_capitation": spend[0],
            "spend_incentives": spend[1],
            "spend_investment": spend[2],
            "spend_risk_sharing": spend[3],
            "hospital_cost": cost,
            "hospital_cost_avoided": avoided,
            "net_savings": avoided - spend[1] - spend[2] - spend[3] - spend[4],
            "spend_roles": spend[4],
            "additional_roles_fte": by_c.sum(sim.role_staff.sum(axis=0)),
            "role_posts": by_c.sum(sim.role_posts.sum(axis=0)),
            "roles_cost_to_practices": by_c.sum(sim.roles_cost_to_practices),
            "gp_core_hours_saved_per_gp": np.divide(by_c.sum(sim.core_hours_saved), gps, out=np.zeros_like(gps),
                                                    where=gps > 0),
            "high_risk_reached": by_c.mean(sim.high_risk_reached, weight),
            "groupings_failed": grouping_c.sum(sim.failed.astype(float)),
            "stance": sim.stance,
            "incentive_schemes": np.broadcast_to(float(last.levers.schemes), gps.shape),
            "enhanced_services_uptake": uptake,
            "offer_inconsistency": 2 * uptake * (1 - uptake),
            "budget": self.patients * params.commissioner.budget_per_patient_year / 12,
            "patients": np.broadcast_to(self.patients, gps.shape),
            "innovations_adopted_outside": grouping_c.sum(sim.adopted_outside),
            "pressure": sim.pressure,
            "rolled_out": sim.rolled_out.astype(float),
            "delivered_care_interdecile": interdecile(sim.delivered.mean(axis=0), sim.commissioner_blocks),
            "income_per_patient_interdecile": interdecile(income_per_patient(last.ledger, structure),
                                                          sim.commissioner_blocks),
        }
        return np.stack([np.broadcast_to(values[name], gps.shape) for name in COLUMNS])

    def practice_row(self, sim) -> np.ndarray:
        """This month's values for every practice: (PRACTICE_COLUMNS, R, P)."""
        structure, last = sim.structure, sim.last
        in_post = sim.in_post.astype(float)
        values = {
            "list_size": structure.list_size,
            "quality_incentivised_delivered": sim.delivered.mean(axis=0),
            "quality_incentivised_recorded": sim.recorded.mean(axis=0),
            "quality_non_incentivised": sim.holistic,
            "continuity": sim.continuity,
            "admissions_per_1000": last.admissions.sum(axis=0) / structure.list_size * 1000,
            "gps": sim.gp_bins.sum(in_post),
            "morale": sim.gp_bins.mean(sim.morale, in_post),
            "income_per_patient": income_per_patient(last.ledger, structure),
        }
        return np.stack([np.broadcast_to(values[c], (sim.runs, structure.n_practices)) for c in PRACTICE_COLUMNS])

    def practices_frame(self, structure, run: int = 0, months: int | None = None) -> pd.DataFrame:
        """One row per month and practice for run ``run`` (``practices.parquet``)."""
        data = self.practice_values[:months, :, run, :]                       # (M, columns, P)
        M, _, P = data.shape
        frame = pd.DataFrame(data.transpose(0, 2, 1).reshape(M * P, -1), columns=list(PRACTICE_COLUMNS))
        frame.insert(0, "commissioner", np.tile(structure.practice_commissioner, M))
        frame.insert(0, "grouping", np.tile(np.array(structure.grouping_names, dtype=object)[structure.practice_grouping], M))
        frame.insert(0, "practice", np.tile(np.arange(P), M))
        frame.insert(0, "month", np.repeat(np.arange(M), P))
        frame["list_size"] = frame["list_size"].astype(int)
        frame["gps"] = frame["gps"].astype(int)
        return frame

    # ------------------------------------------------------------------ tables
    def monthly_frame(self, run: int = 0, months: int | None = None) -> pd.DataFrame:
        """One row per month and commissioner for run ``run``."""
        data = self.monthly[:months, :, run, :]              # (M, columns, C)
        M, _, C = data.shape
        frame = pd.DataFrame(data.transpose(0, 2, 1).reshape(M * C, -1), columns=list(COLUMNS))
        frame.insert(0, "commissioner", np.tile(np.arange(C), M))
        frame.insert(0, "month", np.repeat(np.arange(M), C))
        return frame

    def indicators_frame(self, catalogue, run: int = 0, months: int | None = None) -> pd.DataFrame:
        """One row per month, commissioner and indicator for run ``run``."""
        data = self.indicators[:months, :, :, run, :]        # (M, 2, K, C)
        M, _, K, C = data.shape
        month, indicator, comm = np.meshgrid(np.arange(M), np.arange(K), np.arange(C), indexing="ij")
        codes = np.array(catalogue.codes, dtype=object)
        kinds = np.array(catalogue.kinds, dtype=object)
        return pd.DataFrame({
            "month": month.ravel(),
            "commissioner": comm.ravel(),
            "indicator": codes[indicator.ravel()],
            "kind": kinds[indicator.ravel()],
            "in_scheme": self.in_scheme[:M][month.ravel(), indicator.ravel()],
            "recorded": data[:, 0].ravel(),
            "delivered": data[:, 1].ravel(),
        })



SUMMED = {"budget", "emergency_admissions", "hospital_diagnostics", "primary_care_diagnostics", "innovations_active",
          "innovations_running", "innovations_sustained", "gps", "gp_exits", "spend_capitation", "spend_incentives",
          "spend_investment", "spend_risk_sharing", "groupings_failed", "hospital_cost", "hospital_cost_avoided", "net_savings", "patients",
          "innovations_adopted_outside", "spend_roles", "additional_roles_fte", "role_posts", "roles_cost_to_practices"}
PER_GP = {c for c in COLUMNS if c.startswith(("motivation_", "self_efficacy", "morale", "burnout", "sessional",
                                               "overload", "felt_", "peer_exposure")) or c.endswith("_per_gp")}


def commissioners_together(monthly: np.ndarray, column: str) -> np.ndarray:
    """One monthly output (from (M, columns, R, C)) with all commissioners together, (M, R): counts and
    money summed, GP measures weighted by GPs, the rest by patients."""
    values = monthly[:, COLUMNS.index(column)]
    if column in SUMMED:
        return values.sum(axis=-1)
    weight = monthly[:, COLUMNS.index("gps" if column in PER_GP else "patients")]
    return (values * weight).sum(axis=-1) / np.maximum(weight.sum(axis=-1), 1e-12)


def aggregate(monthly: pd.DataFrame) -> pd.DataFrame:
    """All commissioners together, one row per month: counts and money summed, rates per 1,000
    recomputed, GP measures weighted by GPs and the rest by patients."""
    groups = monthly.groupby("month")
    out = groups[sorted(SUMMED)].sum()
    for column in COLUMNS:
        if column in SUMMED:
            continue
        weight = monthly["gps"] if column in PER_GP else monthly["patients"]
        out[column] = (monthly[column] * weight).groupby(monthly["month"]).sum() / weight.groupby(monthly["month"]).sum()
    return out[list(COLUMNS)].reset_index()


def income_per_patient(ledger, structure) -> np.ndarray:
    """Each practice's income from every source this month, as GBP per registered patient a year (R, P)."""
    return ledger.practice_income.sum(axis=0) * 12 / structure.list_size


def interdecile(values, by_commissioner: Blocks) -> np.ndarray:
    """90th minus 10th percentile of a practice-level value within each commissioner (R, C): the spread of
    what practices offer (MODEL.md section 5: the equity of the offer)."""
    low, high = by_commissioner.percentiles(values, (10, 90))
    return high - low



EVENT_COLUMNS = ("month", "commissioner", "decision", "scheme", "reason")


def events_frame(sim, run: int = 0) -> pd.DataFrame:
    """The run's decisions, one row each (``events.parquet``): what the config's timeline starts and ends
    (dated by the month the change takes effect), and what an adaptive commissioner decides (dated by the
    month it decided: a roll-out starts the month after; a stopped scheme stays in force one more month, so
    that it closes its books), with the observed quantities that drove it."""
    rows = []
    months = sim.config.months
    for scheme in sim.policy.schemes:
        if not np.isfinite(scheme.started_at[run]) or scheme is sim.rollout:
            continue
        stopped = scheme.stops_at[run] < scheme.end           # by a decision, recorded as one
        for commissioner in range(sim.structure.n_commissioners):
            rows.append((scheme.start, commissioner, "start", scheme.name, "the config's timeline"))
            if scheme.end < months and not stopped:
                rows.append((scheme.end, commissioner, "end", scheme.name, "the config's timeline"))
    rows += [(d.month, d.commissioner, d.decision, d.scheme, d.reason) for d in sim.decisions if d.run == run]
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    return frame.sort_values(["month", "commissioner"], kind="stable", ignore_index=True).astype(
        {"month": int, "commissioner": int})
