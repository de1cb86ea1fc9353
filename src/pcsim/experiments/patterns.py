"""Pattern-oriented validation: the patterns of MODEL.md section 6 (1-12), each with the mechanism that causes it.

A *pattern* is a regularity the literature reports about primary care under
micro-incentives or an investment fund (QOF raises incentivised care and crowds
out holistic care, funded groupings deliver their enablers, ...). A pattern is
reproduced only if it holds with the mechanism ``docs/ODD.md`` names as its
cause and fails with that mechanism knocked out (pattern-oriented modelling:
patterns filter mechanisms, so a pattern that holds whatever the mechanism says
nothing). Each :class:`Pattern` here therefore has

* its checks: a function of :class:`Runs` returning :class:`Check` s, each a
  paired comparison of arms run on common seeds (a scheme against a control, or
  two variants of it) whose size must lie *between* a lower and an upper bound
  (from the sources, or a plausible range argued in the ODD): a check passes on a
  material size, never on a standard error alone;
* its mechanism, in words, and its :class:`Knockout`: the config changes that
  switch the mechanism off (a design feature or a parameter at its null), applied
  to every arm the pattern runs.

:func:`evaluate` gives a :class:`Verdict` with the mechanism (and, asked for,
without it). ``pcsim patterns`` prints and writes them; the tests
(``tests/test_patterns_*.py``) assert both directions; the scorecard of ``pcsim
figures`` reports both. No expected value is copied from a run.

Patterns 5, 6 and 11 rest on noisy outcomes (the stages of six groupings'
projects, rare failures); their arms run on two or four times as many seeds as
the others (:meth:`Runs.more_seeds`), and each Verdict says how many seeds it
rests on. Counts are judged as rates per seed, so a criterion means the same at
any number of seeds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from pcsim import config as configs
from pcsim.experiments import compare
from pcsim.inputs import PACKAGED
from pcsim.model import innovation
from pcsim.model.engine import Simulation

CONFIGS = PACKAGED / "configs"                                    # the configs that ship with pcsim
CONFIG_FILES = ("ace.toml", "ace_rollout_directive.toml")             # those the arms below read


# ---------------------------------------------------------------------------- verdicts

@dataclass(frozen=True)
class Check:
    """One criterion of a pattern: what was measured, its value, the rule it must meet."""

    label: str                # what was measured, with its unit
    value: float              # the measured value (a mean over seeds, unless the label says otherwise)
    rule: str                 # the criterion in words, e.g. "between 0.05 and 0.4"
    passed: bool
    se: float | None = None   # standard error over seeds of that mean (paired difference), for the reader

    def gives(self) -> str:
        """``label value [rule: pass/FAIL]``, the value with its standard error where there is one."""
        value = f"{self.value:.4g}" + ("" if self.se is None else f" (SE {self.se:.2g})")
        return f"{self.label} {value} [{self.rule}: {'pass' if self.passed else 'FAIL'}]"


@dataclass(frozen=True)
class Verdict:
    """What the model gives for one pattern of MODEL.md section 6."""

    number: int                 # 1..11
    claim: str                  # the pattern, short, as MODEL.md section 6 states it
    source: str                 # as MODEL.md cites it
    checks: tuple[Check, ...]
    seeds: int                  # how many seeds the verdict rests on
    mechanism: str = ""         # the mechanism the ODD names as the pattern's cause
    knockout: str = ""          # how it is switched off, as config changes
    knocked_out: Verdict | None = None   # the same checks with the mechanism switched off, when asked for

    @property
    def passed(self) -> bool:
        """All checks passed."""
        return all(check.passed for check in self.checks)

    @property
    def statistic(self) -> float:
        """The pattern's headline number: the value of its first check."""
        return self.checks[0].value

    @property
    def reproduced(self) -> bool | None:
        """Holds with its mechanism and fails without it (None when the knock-out was not run)."""
        return None if self.knocked_out is None else self.passed and not self.knocked_out.passed

    def gives(self) -> str:
        """One line: each check as ``label value [rule: pass/FAIL]``."""
        return "; ".join(check.gives() for check in self.checks)


def paired_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean and standard error of the per-seed difference a - b (common random numbers)."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(diff.mean()), float(diff.std(ddof=1) / np.sqrt(len(diff)))


def between(label: str, a: np.ndarray, b: np.ndarray | float, low: float, high: float) -> Check:
    """a - b, paired over seeds (or a alone, with b = 0), has a mean strictly between ``low`` and ``high``."""
    diff, se = paired_difference(a, np.broadcast_to(b, np.shape(a)))
    return Check(label, diff, f"between {low:.3g} and {high:.3g}", bool(low < diff < high), se)


def relative_between(label: str, a: np.ndarray, b: np.ndarray, low: float, high: float) -> Check:
    """(a - b) / b, paired over seeds, has a mean (in %) between ``low`` and ``high`` (in %)."""
    change = 100 * (np.asarray(a) - np.asarray(b)) / np.asarray(b)
    return between(label, change, 0.0, low, high)


def holds(label: str, value: float, rule: str, passed: bool) -> Check:
    """A check of one value against a rule stated in words."""
    return Check(label, float(value), rule, bool(passed))


# ---------------------------------------------------------------------------- arms

def column(sim: Simulation, name: str) -> np.ndarray:
    """A monthly output with all commissioners together: (months, runs)."""
    return compare.commissioners_together(sim.outputs.monthly, name)


def yearly(sim: Simulation, name: str, year: int) -> np.ndarray:
    """Mean of a monthly output over year ``year`` (1-based), per seed."""
    return column(sim, name)[12 * (year - 1):12 * year].mean(axis=0)


def months_mean(sim: Simulation, name: str, start: int, end: int | None = None) -> np.ndarray:
    """Mean of a monthly output over months ``start`` to ``end`` (exclusive), per seed."""
    return column(sim, name)[start:end].mean(axis=0)


def change(raw: dict, key: str, value) -> None:
    """Apply one change to a raw config: ``section.name``, ``policy.<scheme>.<field>`` or
    ``policy.<scheme>.design.<feature>`` (every entry of that scheme), or ``groupings.<field>`` (every grouping)."""
    where, _, name = key.rpartition(".")
    parts = where.split(".")
    if parts[0] == "policy":
        entries = [entry for entry in raw["policy"] if entry["scheme"] == parts[1]]
        for entry in entries:
            (entry.setdefault("design", {}) if parts[2:] == ["design"] else entry)[name] = value
    elif parts[0] == "groupings":
        raw["groupings"] = [dict(g, **{name: value}) for g in raw["groupings"]]
    else:
        raw.setdefault(parts[0], {})[name] = value


@dataclass(frozen=True)
class Arm:
    """One simulated arm: a config (the default commissioner, or one of ``configs/``) under the core contract
    plus ``policy`` (or the config's own policy), for ``months``, with ``changes``; on ``times`` as many seeds
    as the other arms (noisy outcomes)."""

    policy: tuple[dict, ...] | None = None
    config: str | None = None
    months: int | None = None
    changes: tuple[tuple[str, object], ...] = ()
    times: int = 1

    def run(self, seeds: Sequence[int], knockout: dict) -> Simulation:
        raw = configs.load(None if self.config is None else CONFIGS / self.config).to_dict()
        if self.months:
            raw["run"]["months"] = self.months
        if self.policy is not None:
            raw["policy"] = [{"scheme": "core_contract"}, *(dict(p) for p in self.policy)]
        for key, value in [*self.changes, *knockout.items()]:
            change(raw, key, value)
        sim = Simulation(configs.from_dict(raw), seeds=list(seeds))
        stages = []
        for _ in range(sim.config.months):
            sim.step()
            stages.append(sim.projects.furthest.copy())
        sim.stage_history = np.array(stages)          # (months, R, groupings)
        return sim


def cquin(schemes: int, budget: float) -> tuple[dict, ...]:
    """A CQUIN-style policy of ``schemes`` schemes sharing ``budget`` GBP per patient a year."""
    return ({"scheme": "cquin", "schemes": schemes, "budget_per_patient_year": budget},)


def risk(shadow_months: int) -> tuple[dict, ...]:
    """Risk sharing on all the savings and losses, taken at once (no ramp), after ``shadow_months`` in shadow form."""
    return ({"scheme": "risk_sharing", "share": 1.0, "shadow_months": shadow_months, "ramp_months": 0},)


SCRIPTED = ("commissioner.decisions", "scripted")     # the pilot as designed: no decided roll-out
FUND_ALL = ({"scheme": "investment_fund", "start": 0, "open_to_all": True, "places": 10_000},)


def fund_all(gbp_per_patient_year: float, months: int = 60) -> Arm:
    """A commissioner-wide fund of ``gbp_per_patient_year`` for ``months`` (the investment-response curve)."""
    return Arm(policy=FUND_ALL, months=months,
               changes=(("investment.funding_per_patient", gbp_per_patient_year * months / 12),))

ARMS: dict[str, Arm] = {
    # patterns 1, 2: QOF against the status quo, ten years
    "control": Arm(policy=()),
    "qof": Arm(policy=({"scheme": "qof"},)),
    # pattern 3: few against many CQUIN schemes, the budget per scheme held
    "cquin_few": Arm(policy=cquin(2, 1.5), months=60),
    "cquin_many": Arm(policy=cquin(10, 7.5), months=60),
    # pattern 10: one budget, focused or spread
    "control_5y": Arm(policy=(), months=60),
    "cquin_focused": Arm(policy=cquin(2, 3.0), months=60),
    "cquin_spread": Arm(policy=cquin(12, 3.0), months=60),
    # patterns 4, 6, 7: the ACE investment fund
    "ace": Arm(config="ace.toml", changes=(SCRIPTED,)),
    "ace_many": Arm(config="ace.toml", changes=(SCRIPTED,), times=4),
    "control_18m": Arm(policy=(), months=18),
    # pattern 5: concrete against vague proposals
    "concrete": Arm(config="ace.toml", months=12, changes=(SCRIPTED, ("groupings.concreteness", 1.0)), times=2),
    "vague": Arm(config="ace.toml", months=12, changes=(SCRIPTED, ("groupings.concreteness", 0.0)), times=2),
    # pattern 8: roll-out under a directive or a partnership contract
    "rollout_directive": Arm(config="ace_rollout_directive.toml"),
    "rollout_partnership": Arm(config="ace_rollout_directive.toml",
                               changes=(("policy.rollout.contract", "partnership"),)),
    # pattern 9: the fund's money as capacity (up front) or as a reward (in arrears, on outcomes met)
    "fund_capacity": Arm(config="ace.toml", months=24, changes=(SCRIPTED,)),
    "fund_reward": Arm(config="ace.toml", months=24, changes=(SCRIPTED,
        ("policy.investment_fund.design.paid", "in_arrears"), ("policy.investment_fund.design.contingent", 1.0),
        ("investment.funding_per_patient", 18.0))),
    # pattern 11: the whole risk at once, or after a shadow period
    "risk_at_once": Arm(policy=risk(0), months=48, times=4),
    "risk_with_shadow": Arm(policy=risk(12), months=48, times=4),
    # pattern 12: what money buys, at a little and at a lot of investment
    "fund_all_20": fund_all(20.0),
    "fund_all_160": fund_all(160.0),
}


class Runs:
    """The simulations the patterns need, run once and shared (memoised by name), on common seeds, with an
    optional knock-out applied to every arm.

    ``runs.get("qof")`` is the finished Simulation of that arm (see ``ARMS``), built on first use.
    """

    def __init__(self, seeds: Sequence[int], knockout: dict | None = None):
        self.seeds: tuple[int, ...] = tuple(int(s) for s in seeds)
        if len(self.seeds) < 2:
            raise ValueError("patterns need at least two seeds for a standard error")
        self.knockout = dict(knockout or {})
        self._arms: dict[str, Simulation] = {}

    def more_seeds(self, times: int) -> tuple[int, ...]:
        """``times`` as many seeds, for noisy outcomes: these seeds, then more after the last."""
        last = max(self.seeds)
        return self.seeds + tuple(range(last + 1, last + 1 + (times - 1) * len(self.seeds)))

    def get(self, name: str) -> Simulation:
        """The finished Simulation of the arm ``name``."""
        if name not in self._arms:
            arm = ARMS[name]
            self._arms[name] = arm.run(self.more_seeds(arm.times), self.knockout)
        return self._arms[name]

    def knocked_out(self, knockout: dict) -> Runs:
        """The same seeds with ``knockout`` applied to every arm."""
        return Runs(self.seeds, {**self.knockout, **knockout})


def named(sim: Simulation) -> np.ndarray:
    """Indices of the named groupings (the fund's applicants)."""
    return sim.outputs.named


def running_share(sim: Simulation, months: slice | int) -> np.ndarray:
    """Share of named groupings whose innovation is running in ``months``, per seed: in use with patients,
    piloted or fully running (developing is not yet running; an ended project is not)."""
    stages = sim.stage_history[months][..., named(sim)]
    return (stages >= innovation.PILOTING).reshape(-1, sim.runs, len(named(sim))).mean(axis=(0, 2))


def admissions_weighted_gain(sim: Simulation, control: Simulation) -> np.ndarray:
    """Gain in delivered care from year 3 summed over every indicator, weighted by how much each prevents
    admissions: what a budget bought, per seed."""
    weight = sim.catalogue.admission_weight
    diff = (sim.outputs.indicators[24:, 1] - control.outputs.indicators[24:, 1]).mean(axis=(0, 3))   # (K, R)
    return (weight[:, None] * diff).sum(axis=0)


# ---------------------------------------------------------------------------- patterns

def levels_off(qof: Simulation, control: Simulation) -> Check:
    """The gain in delivered indicator care grows more than twice as fast in years 1-2 as in years 5-8."""
    name = "quality_incentivised_delivered"
    gain = (column(qof, name) - column(control, name)).mean(axis=1)                # mean over seeds, by month
    early = (gain[23] - gain[0]) / 2
    late = (gain[95] - gain[47]) / 4
    return holds("growth of the QOF gain in delivered indicator care, years 1-2 (share 0-1 a year)", early,
                 f"> {2 * max(late, 0):.2g}, twice that of years 5-8", early > 2 * max(late, 0) and early > 0)


def checks_1(runs: Runs) -> list[Check]:
    qof, control = runs.get("qof"), runs.get("control")
    return [
        between("delivered indicator care, QOF minus status quo, year 5 (share 0-1)",
                yearly(qof, "quality_incentivised_delivered", 5), yearly(control, "quality_incentivised_delivered", 5),
                0.02, 0.25),
        between("recorded indicator care, QOF minus status quo, year 2 (share 0-1)",
                yearly(qof, "quality_incentivised_recorded", 2), yearly(control, "quality_incentivised_recorded", 2),
                0.05, 0.4),
        relative_between("admissions for incentivised conditions, QOF against status quo, years 3-5 (%)",
                         months_mean(qof, "admissions_per_1000_incentivised", 24, 60),
                         months_mean(control, "admissions_per_1000_incentivised", 24, 60), -20.0, -1.0),
        *(between(f"holistic care, QOF minus status quo, year {year} (share 0-1)",
                  yearly(qof, "quality_non_incentivised", year), yearly(control, "quality_non_incentivised", year),
                  -0.15, 0.01) for year in (2, 5, 10)),
        levels_off(qof, control),
    ]


def checks_2(runs: Runs) -> list[Check]:
    qof, control = runs.get("qof"), runs.get("control")

    def fall(name: str, words: str, low: float, high: float) -> Check:
        return between(f"{words}, QOF minus status quo, years 9-10", months_mean(qof, name, 96),
                       months_mean(control, name, 96), low, high)
    return [fall("motivation_clinical_care", "motivation for clinical care (level)", -0.25, -0.02),
            fall("motivation_autonomy", "motivation for autonomy (level)", -0.25, -0.02),
            fall("quality_non_incentivised", "holistic care (share 0-1)", -0.15, -0.01),
            fall("continuity", "continuity (share 0-1)", -0.15, -0.01)]


def checks_3(runs: Runs) -> list[Check]:
    many, few = runs.get("cquin_many"), runs.get("cquin_few")

    def later(sim: Simulation, name: str) -> np.ndarray:
        return months_mean(sim, name, 24)
    return [between("administration, 10 minus 2 schemes, years 3-5 (h/GP/month)",
                    later(many, "admin_hours_per_gp"), later(few, "admin_hours_per_gp"), 2.0, 30.0),
            between("transformation work, 10 minus 2 schemes, years 3-5 (h/GP/month)",
                    later(many, "transformation_hours_per_gp"), later(few, "transformation_hours_per_gp"), -10.0, -0.2),
            between("morale, 10 minus 2 schemes, years 3-5 (level)", later(many, "morale"), later(few, "morale"),
                    -0.15, -0.005)]


def checks_4(runs: Runs) -> list[Check]:
    ace, control = runs.get("ace"), runs.get("control_18m")
    q = named(ace)
    all_four = ace.outputs.grouping_values[:, 1][..., :] == 4                      # (months, R, named)
    by_month_11 = all_four[11].mean()
    first = np.where(all_four.any(axis=0), all_four.argmax(axis=0), ace.config.months)   # month all four are in
    patients_share = ace.structure.grouping_list_size[q].sum() / ace.structure.list_size.sum()
    decommissioned = column(ace, "decommissioned_share")[15] / patients_share
    fall = (1 - column(ace, "hospital_diagnostics")[15] / column(control, "hospital_diagnostics")[15]) / patients_share
    return [holds("funded groupings with all four enablers by month 11 (share of groupings and seeds)", by_month_11,
                  ">= 0.95", by_month_11 >= 0.95),
            holds("named groupings selected by the fund (share of groupings and seeds)", ace.selected[:, q].mean(),
                  "= 1", np.all(ace.selected[:, q])),
            holds("median month a funded grouping has all four enablers (month)", float(np.median(first)),
                  "between 1 and 11 (it takes time, and less than the pilot)", 1 <= np.median(first) <= 11),
            holds("hospital diagnostics decommissioned by month 15 over the groupings' share of patients, lowest "
                  "seed (ratio)", decommissioned.min(), "> 0.9 in every seed", np.all(decommissioned > 0.9)),
            holds("fall in hospital diagnostics against the status quo at month 15 over the groupings' share of "
                  "patients, lowest seed (ratio)", fall.min(), "> 0.8 in every seed", np.all(fall > 0.8))]


def checks_5(runs: Runs) -> list[Check]:
    def progress(sim: Simulation) -> np.ndarray:
        q = named(sim)
        return sim.projects.advancement[:, q].mean(axis=1)
    return [between("innovation stage plus progress of named groupings at month 12, concrete minus vague (stages)",
                    progress(runs.get("concrete")), progress(runs.get("vague")), 0.3, 2.0)]


def checks_6(runs: Runs) -> list[Check]:
    ace = runs.get("ace_many")
    in_use = ace.stage_history[..., named(ace)] >= innovation.PILOTING              # (months, R, named)
    during, after = in_use[10], in_use[17]                   # the pilot's last month before review; 6 months on
    survived = (during & after).sum() / max(during.sum(), 1)
    running = running_share(ace, 17)
    return [holds("innovations in use in the pilot's last month (10) still in use six months after it (share)",
                  survived, "between 1/3 and 2/3 (roughly half)", 1 / 3 <= survived <= 2 / 3),
            holds("named groupings whose innovation is in use at month 17, piloted or fully running (share)",
                  running.mean(), "between 1/3 and 2/3 (2-4 of 6)", 1 / 3 <= running.mean() <= 2 / 3),
            holds("spread of that share between seeds, highest minus lowest (share)", running.max() - running.min(),
                  "> 0 (not one fixed outcome)", running.min() < running.max())]


def checks_7(runs: Runs) -> list[Check]:
    ace = runs.get("ace")
    sharing = ace.outputs.grouping_values[:12, 7].mean(axis=(1, 2))             # by month, funded year
    early, late = sharing[:3].mean(), sharing[8:11].mean()
    after = ace.outputs.grouping_values[12:, 7]
    return [holds("sharing in learning sets, months 8-10 over months 0-2 (ratio)", late / max(early, 1e-9),
                  "between 2 and 20", 2 < late / max(early, 1e-9) < 20),
            holds("sharing in learning sets, months 0-2 (chance 0-1)", early, "between 0.02 and 0.3",
                  0.02 < early < 0.3),
            holds("sharing in learning sets, months 8-10 (chance 0-1)", late, "between 0.25 and 0.95",
                  0.25 < late < 0.95),
            holds("sharing at the last set, month 11 (chance 0-1)", sharing[11],
                  f"= the highest month ({sharing.max():.3g})", sharing[11] == sharing.max()),
            holds("sharing after the funded year, largest (chance 0-1)", np.abs(after).max(), "= 0",
                  np.all(after == 0))]


def checks_8(runs: Runs) -> list[Check]:
    directive, partnership = runs.get("rollout_directive"), runs.get("rollout_partnership")
    running = running_share(directive, slice(23, None))
    return [between("pilot leads' morale, directive minus partnership, months 12-23 (level)",
                    months_mean(directive, "pilot_lead_morale", 12, 24),
                    months_mean(partnership, "pilot_lead_morale", 12, 24), -0.25, -0.01),
            between("named groupings' innovations running from month 23, directive minus partnership (share)",
                    running, running_share(partnership, slice(23, None)), -0.6, -0.02),
            holds("named groupings' innovations running from month 23 under the directive contract (share)",
                  running.mean(), "> 0.1 (some persist)", running.mean() > 0.1)]


def checks_9(runs: Runs) -> list[Check]:
    capacity, reward = runs.get("fund_capacity"), runs.get("fund_reward")
    spend = [column(sim, "spend_investment").sum(axis=0).mean() for sim in (capacity, reward)]

    def from_month_6(name: str) -> tuple[np.ndarray, np.ndarray]:
        return months_mean(capacity, name, 6), months_mean(reward, name, 6)
    return [relative_between("other admissions, capacity against reward, from month 6 (%)",
                             *from_month_6("admissions_per_1000_other"), -10.0, -0.2),
            holds("investment spend, reward over capacity (ratio)", spend[1] / spend[0], "between 0.95 and 1.5",
                  0.95 <= spend[1] / spend[0] <= 1.5),
            between("holistic care, capacity minus reward, from month 6 (share 0-1)",
                    *from_month_6("quality_non_incentivised"), 0.002, 0.1)]


def checks_10(runs: Runs) -> list[Check]:
    control, focused, spread = runs.get("control_5y"), runs.get("cquin_focused"), runs.get("cquin_spread")
    return [between("delivered care gained, weighted by admissions prevented, 2 minus 12 schemes, years 3-5",
                    admissions_weighted_gain(focused, control), admissions_weighted_gain(spread, control), 0.002, 0.5),
            relative_between("admissions for incentivised conditions, 2 against 12 schemes, years 3-5 (%)",
                             months_mean(focused, "admissions_per_1000_incentivised", 24),
                             months_mean(spread, "admissions_per_1000_incentivised", 24), -20.0, -0.2)]


def checks_12(runs: Runs) -> list[Check]:
    little, lot = runs.get("fund_all_20"), runs.get("fund_all_160")
    final = lambda sim, name: column(sim, name)[-12:].mean(axis=0)  # noqa: E731
    staff, posts = final(lot, "additional_roles_fte").mean(), final(lot, "role_posts").mean()
    filled = staff / posts if posts > 0 else 0.0
    return [relative_between("emergency admissions, GBP 160 against GBP 20 a patient a year, final year of five (%)",
                             final(lot, "emergency_admissions"), final(little, "emergency_admissions"), -40.0, -2.0),
            holds("additional-role posts funded at GBP 160 that are filled, final year (share): the labour supply binds",
                  filled, "between 0.05 and 0.9", 0.05 <= filled <= 0.9)]


def checks_11(runs: Runs) -> list[Check]:
    def failures(name: str) -> np.ndarray:
        sim = runs.get(name)
        return sim.failed[:, sim.structure.grouping_named].sum(axis=1)
    at_once, shadow = failures("risk_at_once").mean(), failures("risk_with_shadow").mean()
    return [holds("groupings failed after a 12-month shadow period over those failed at once (ratio)",
                  shadow / at_once if at_once else np.nan, "< 1/2 (most failures avoided)", at_once > 2 * shadow),
            holds("groupings failed by month 48, all risk at once (per seed)", at_once, "between 0.2 and 3",
                  0.2 <= at_once <= 3)]


@dataclass(frozen=True)
class Pattern:
    """A pattern of MODEL.md section 6: its claim and source, its checks, the mechanism the ODD names as its
    cause and the config changes that knock that mechanism out."""

    number: int
    claim: str
    source: str
    checks: Callable[[Runs], list[Check]]
    mechanism: str
    knockout: dict = field(default_factory=dict)
    times: int = 1          # how many times the base seeds its noisiest arm runs on

    def knockout_text(self) -> str:
        return ", ".join(f"{key} = {value}" for key, value in self.knockout.items())


# How a scheme's contingent, specified and monitored work is felt as control (ODD 7.3a): knocked out together.
FELT_CONTROL = {"perception.control_from_contingency": 0.0, "perception.control_from_specification": 0.0,
                "perception.control_from_monitoring": 0.0}
PATTERNS: dict[int, Pattern] = {p.number: p for p in (
    Pattern(1, "Micro-incentives raise incentivised quality and admissions fall for those conditions; "
               "non-incentivised care does not improve and may fall; the gain levels off after a few years",
            "[Miller18 intro; Nuffield15]", checks_1,
            "pay for measured performance: money contingent on the record pulls effort, staff and recording "
            "towards paid indicators, and diminishing returns near the ceiling level the gain off",
            {"policy.qof.design.contingent": 0.0}),
    Pattern(2, "Under long-running micro-incentives person-centred care and continuity fall (crowding out)",
            "[Miller18 intro]", checks_2,
            "crowding out: QOF's controlling design (contingent on records, specified, monitored) erodes "
            "intrinsic motivation and autonomy",
            {"motivation.crowd_out_per_month": 0.0}),
    Pattern(3, "Adding more micro-incentive schemes past a few raises administrative time and lowers "
               "transformation work and morale", "[Nuffield15]", checks_3,
            "the reporting burden of every scheme and indicator",
            {"incentives.admin_hours_per_scheme": 0.0, "incentives.admin_hours_per_indicator": 0.0}),
    Pattern(4, "Investment fund: with ACE defaults every funded grouping delivers the four enablers within 12 "
               "months, and hospital diagnostics can be decommissioned", "[Miller18]", checks_4,
            "capacity work bought with the fund's enabler money",
            {"investment.enabler_share": 0.0}),
    Pattern(5, "Groupings with concrete proposals progress faster on Objective 2", "[Miller18]", checks_5,
            "a concrete plan: ready to start when funding arrives, a better idea, partners engaged",
            {"innovation.concrete_ready_share": 0.0, "innovation.concrete_effect_shift": 0.0,
             "innovation.concrete_engagement": 0.0}, times=2),
    Pattern(6, "Roughly half of the groupings' innovations are still running after the pilot (B, D and E of six)",
            "[Miller18]", checks_6,
            "the end-of-funding review: value seen (late, noisy) against the cost a grouping must now carry",
            {"innovation.carrying_cost_weight": 0.0}, times=4),
    Pattern(7, "Sharing in learning sets starts low and rises over the year", "[Miller18]", checks_7,
            "trust built at meetings from the openness met there (others sharing, facilitation) and familiarity",
            {"learning.trust_per_month": 0.0}),
    Pattern(8, "A directive contract after the pilot lowers pilot leads' morale and innovation, though some "
               "innovations persist", "[Miller18]", checks_8,
            "how the contract's design is felt: specified, monitored and contingent work felt as control, "
            "discretion and outcome review as support, savings framing as lost meaning",
            {**FELT_CONTROL, "perception.control_from_reporting": 0.0,
             "perception.support_from_discretion": 0.0, "perception.support_from_outcome_review": 0.0,
             "perception.freedom_from_discretion": 0.0, "perception.freedom_lost_to_specification": 0.0,
             "wellbeing.savings_framing_meaning_loss": 0.0}),
    Pattern(9, "Protected time and clinical leadership matter more than the size of the reward: at equal spend, "
               "capacity beats reward", "[Miller16; Miller18]", checks_9,
            "where the hours for change come from: protected time bought with money up front adds them without "
            "taking them from patients; a reward pulls them from GPs' own time",
            {"investment.backfill_supply": 0.0, "time.income_weight": 0.0}),
    Pattern(10, "Spreading a fixed incentive budget over many small schemes buys less than concentrating it "
                "(CQUIN vs. focused schemes)", "[Nuffield15]", checks_10,
            "each scheme's fixed costs: small pots barely noticed (salience), reporting per scheme, and each "
            "scheme's controlling design felt on its own",
            {"incentives.salience_gbp": 0.0, "incentives.admin_hours_per_scheme": 0.0, **FELT_CONTROL}),
    Pattern(11, "Risk taken on too fast makes groupings fail; a shadow period avoids it", "[Nuffield15]", checks_11,
            "the shadow period: both sides learn the baseline from the figures before money moves",
            {"risk.correction_per_month": 0.0}, times=4),
    Pattern(12, "Investment needed for a material change lands in the range London estimated: 2% to 5.3% of the "
                "health budget - report where the model puts it", "[Nuffield15]", checks_12,
            "investment buys capacity: protected time as far as locums supply it, then additional roles as far as "
            "the labour market supplies them, with diminishing returns (falling substitution, overlapping "
            "caseloads); where the labour supply binds, more money buys vacancies",
            {"investment.backfill_supply": 0.0, "roles.labour_supply_per_100k_year": 0.0}),
)}


def evaluate(pattern: Pattern, runs: Runs, knockouts: bool = False) -> Verdict:
    """The verdict of ``pattern`` on ``runs`` and, with ``knockouts``, again with its mechanism knocked out."""
    seeds = len(runs.more_seeds(pattern.times))
    knocked = evaluate(pattern, runs.knocked_out(pattern.knockout)) if knockouts else None
    return Verdict(pattern.number, pattern.claim, pattern.source, tuple(pattern.checks(runs)), seeds,
                   pattern.mechanism, pattern.knockout_text(), knocked)


def scorecard(seeds: Sequence[int], progress: Callable[[int], None] | None = None,
              knockouts: bool = False, only: Sequence[int] | None = None) -> list[Verdict]:
    """Every pattern 1-12 (or ``only`` these) on these seeds, in order, each with its knock-out if asked;
    progress(1) after each pattern."""
    runs = Runs(seeds)
    verdicts = []
    for number in sorted(only or PATTERNS):
        verdicts.append(evaluate(PATTERNS[number], runs, knockouts))
        if progress is not None:
            progress(1)
    return verdicts


def tables(verdicts: list[Verdict]):
    """The verdicts as two tables: one row a pattern (``patterns.csv``: pattern, holds, mechanism,
    holds_knocked_out, statistic, statistic_knocked_out, and more) and one row a check (``checks.csv``)."""
    import pandas as pd

    rows, checks = [], []
    for verdict in verdicts:
        knocked = verdict.knocked_out
        rows.append({"pattern": verdict.number, "holds": verdict.passed, "mechanism": verdict.mechanism,
                     "holds_knocked_out": None if knocked is None else knocked.passed,
                     "statistic": verdict.statistic, "statistic_knocked_out": None if knocked is None else knocked.statistic,
                     "reproduced": verdict.reproduced, "knockout": verdict.knockout, "claim": verdict.claim,
                     "source": verdict.source, "seeds": verdict.seeds, "statistic_means": verdict.checks[0].label})
        for arm, judged in (("with mechanism", verdict), ("knocked out", knocked)):
            if judged is None:
                continue
            checks += [{"pattern": verdict.number, "arm": arm, "check": c.label, "value": c.value, "se": c.se,
                        "rule": c.rule, "passed": c.passed} for c in judged.checks]
    return pd.DataFrame(rows), pd.DataFrame(checks)


def table_text(table) -> str:
    """The pattern table as printed by ``pcsim patterns``."""
    knocked = table["holds_knocked_out"].notna().any()
    lines = [f"{'#':>3}  {'holds':6} {'statistic':>11}" + (f"  {'knocked out':11} {'statistic':>11}  verdict"
                                                          if knocked else "") + "  mechanism"]
    for row in table.itertuples():
        line = f"{row.pattern:>3}  {'yes' if row.holds else 'NO':6} {row.statistic:>11.4g}"
        if knocked:
            verdict = "reproduced" if row.reproduced else ("holds anyway" if row.holds_knocked_out else "does not hold")
            line += f"  {'holds' if row.holds_knocked_out else 'fails':11} {row.statistic_knocked_out:>11.4g}  {verdict:10}"
        lines.append(line + f"  {row.mechanism}")
        if knocked:
            lines.append(f"{'':7}knocked out by: {row.knockout}")
    return "\n".join(lines)
