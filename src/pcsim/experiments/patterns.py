"""Pattern-oriented validation: MODEL.md section 6, patterns 1-11, as checks the model must pass.

A *pattern* is a regularity the literature reports about primary care under
micro-incentives or an investment fund (QOF raises incentivised care and crowds
out holistic care, funded groupings deliver their enablers, ...). Pattern-oriented
validation asks whether the model, on its defaults, reproduces each of them at
once, not whether it matches any one number.

Each pattern here is a function of :class:`Runs` returning a :class:`Verdict`: a
few :class:`Check` s, each a paired comparison of two arms (a scheme against a
control, or two variants of a scheme) run on common seeds (common random
numbers), judged by its direction and a rough size, and against the standard
error over seeds of the paired difference. No expected value is copied from a
run. The tests (``tests/test_patterns_*.py``) and the pattern scorecard of
``pcsim figures`` both call these functions, so they cannot disagree.

Patterns 5 and 11 rest on noisy outcomes (the stages of six groupings' projects,
rare failures); their arms run on twice as many seeds as the others
(``Runs.doubled_seeds``: seeds 1-20 when the others use 1-10), and each Verdict
says how many seeds it rests on. Counts are judged as rates per seed, so a
criterion means the same at any number of seeds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pcsim import config as configs
from pcsim.inputs import PACKAGED
from pcsim.experiments import compare
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
    rule: str                 # the criterion in words, e.g. "> 0.1 and > 4 SE"
    passed: bool
    se: float | None = None   # standard error over seeds of that mean (paired difference), where the rule uses it

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

    @property
    def passed(self) -> bool:
        """All checks passed."""
        return all(check.passed for check in self.checks)

    def gives(self) -> str:
        """One line: each check as ``label value [rule: pass/FAIL]``."""
        return "; ".join(check.gives() for check in self.checks)


def paired_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean and standard error of the per-seed difference a - b (common random numbers)."""
    diff = np.asarray(a) - np.asarray(b)
    return float(diff.mean()), float(diff.std(ddof=1) / np.sqrt(len(diff)))


def rises(label: str, a: np.ndarray, b: np.ndarray, *, by: float, se_multiple: float) -> Check:
    """a - b, paired over seeds, is above ``by`` and above ``se_multiple`` standard errors."""
    diff, se = paired_difference(a, b)
    rule = (f"> {by:g} and " if by else "") + f"> {se_multiple:g} SE"
    return Check(label, diff, rule, diff > by and diff > se_multiple * se, se)


def falls(label: str, a: np.ndarray, b: np.ndarray, *, by: float, se_multiple: float, by_words: str = "") -> Check:
    """a - b, paired over seeds, is below ``-by`` and below ``-se_multiple`` standard errors."""
    diff, se = paired_difference(a, b)
    rule = (f"< -{by:.3g}{by_words} and " if by else "") + f"< -{se_multiple:g} SE"
    return Check(label, diff, rule, diff < -by and diff < -se_multiple * se, se)


def does_not_rise(label: str, a: np.ndarray, b: np.ndarray, *, se_multiple: float) -> Check:
    """a - b, paired over seeds, is below ``se_multiple`` standard errors (no significant rise)."""
    diff, se = paired_difference(a, b)
    return Check(label, diff, f"< {se_multiple:g} SE", diff < se_multiple * se, se)


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


def arm_on_defaults(policy: list[dict], seeds: Sequence[int], months: int = 120, config=None,
                    **overrides) -> Simulation:
    """The default commissioner (or ``config``) under the core contract plus ``policy``, run to the end.

    ``overrides`` are ``section.name=value`` changes to the config.
    """
    raw = configs.load(config).to_dict()
    raw["run"]["months"] = months
    raw["policy"] = [{"scheme": "core_contract"}, *policy]
    for key, value in overrides.items():
        section, name = key.split(".")
        raw.setdefault(section, {})[name] = value
    sim = Simulation(configs.from_dict(raw), seeds=list(seeds))
    sim.run()
    return sim


def arm_from_config(path: str = "ace.toml", seeds: Sequence[int] = (1,), months: int | None = None,
                    groupings: dict | None = None, **changes) -> Simulation:
    """A config of ``configs/`` run to the end, keeping each month's innovation stages.

    ``changes`` are ``section.name`` or ``policy.scheme.name`` values (``policy.rollout.contract``);
    ``groupings`` changes every grouping. The finished Simulation has ``stage_history``,
    the projects' stage by month: (months, R, groupings).
    """
    raw = configs.load(CONFIGS / path).to_dict()
    if months:
        raw["run"]["months"] = months
    for key, value in changes.items():
        *where, name = key.split(".")
        if where[0] == "policy":
            next(s for s in raw["policy"] if s["scheme"] == where[1])[name] = value
        else:
            raw.setdefault(where[0], {})[name] = value
    if groupings:
        raw["groupings"] = [dict(g, **groupings) for g in raw["groupings"]]
    sim = Simulation(configs.from_dict(raw), seeds=list(seeds))
    stages = []
    for _ in range(sim.config.months):
        sim.step()
        stages.append(sim.projects.stage.copy())
    sim.stage_history = np.array(stages)
    return sim


def risk_sharing_arm(seeds: Sequence[int], **risk) -> Simulation:
    """The default commissioner for 48 months with risk sharing on the terms ``risk``."""
    return arm_on_defaults([{"scheme": "risk_sharing", **risk}], seeds, months=48)


def cquin(schemes: int, budget: float) -> list[dict]:
    """A CQUIN-style policy of ``schemes`` schemes sharing ``budget`` GBP per patient a year."""
    return [{"scheme": "cquin", "schemes": schemes, "budget_per_patient_year": budget}]


ARMS: dict[str, Callable[[Runs], Simulation]] = {
    # patterns 1, 2: QOF against the status quo, ten years
    "control": lambda runs: arm_on_defaults([], runs.seeds),
    "qof": lambda runs: arm_on_defaults([{"scheme": "qof"}], runs.seeds),
    # pattern 3: few against many CQUIN schemes, the budget per scheme held
    "cquin_few": lambda runs: arm_on_defaults(cquin(2, 1.5), runs.seeds, months=60),
    "cquin_many": lambda runs: arm_on_defaults(cquin(10, 7.5), runs.seeds, months=60),
    # pattern 10: one budget, focused or spread
    "control_5y": lambda runs: arm_on_defaults([], runs.seeds, months=60),
    "cquin_focused": lambda runs: arm_on_defaults(cquin(2, 3.0), runs.seeds, months=60),
    "cquin_spread": lambda runs: arm_on_defaults(cquin(12, 3.0), runs.seeds, months=60),
    # patterns 4, 6, 7: the ACE investment fund
    "ace": lambda runs: arm_from_config("ace.toml", runs.seeds),
    "control_18m": lambda runs: arm_on_defaults([], runs.seeds, months=18),
    # pattern 5: concrete against vague proposals
    "concrete": lambda runs: arm_from_config("ace.toml", runs.doubled_seeds, months=12,
                                             groupings={"concreteness": 1.0}),
    "vague": lambda runs: arm_from_config("ace.toml", runs.doubled_seeds, months=12,
                                          groupings={"concreteness": 0.0}),
    # pattern 8: roll-out under a directive or a partnership contract
    "rollout_directive": lambda runs: arm_from_config("ace_rollout_directive.toml", runs.seeds),
    "rollout_partnership": lambda runs: arm_from_config("ace_rollout_directive.toml", runs.seeds,
                                                        **{"policy.rollout.contract": "partnership"}),
    # pattern 9: the fund as capacity (protected time) or as a reward
    "fund_capacity": lambda runs: arm_from_config("ace.toml", runs.seeds, months=24),
    "fund_reward": lambda runs: arm_from_config("ace.toml", runs.seeds, months=24, **{
        "policy.investment_fund.mode": "reward", "investment.funding_per_patient": 16.0}),
    # pattern 11: risk taken on at once or after a shadow period
    "risk_at_once": lambda runs: risk_sharing_arm(runs.doubled_seeds, share=1.0, shadow_months=0, ramp_months=0),
    "risk_with_shadow": lambda runs: risk_sharing_arm(runs.doubled_seeds, share=0.5, shadow_months=6,
                                                      ramp_months=12),
}


class Runs:
    """The simulations the patterns need, run once and shared (memoised by name), on common seeds.

    ``runs.get("qof")`` is the finished Simulation of that arm (see ``ARMS``), built on first use.
    """

    def __init__(self, seeds: Sequence[int]):
        self.seeds: tuple[int, ...] = tuple(int(s) for s in seeds)
        if len(self.seeds) < 2:
            raise ValueError("patterns need at least two seeds for a standard error")
        self._arms: dict[str, Simulation] = {}

    @property
    def doubled_seeds(self) -> tuple[int, ...]:
        """Twice as many seeds, for noisy outcomes: these seeds, then as many again after the last."""
        last = max(self.seeds)
        return self.seeds + tuple(range(last + 1, last + 1 + len(self.seeds)))

    def get(self, name: str) -> Simulation:
        """The finished Simulation of the arm ``name``."""
        if name not in self._arms:
            self._arms[name] = ARMS[name](self)
        return self._arms[name]


def named(sim: Simulation) -> np.ndarray:
    """Indices of the named groupings (the fund's applicants)."""
    return sim.outputs.named


def running_share(sim: Simulation, months: slice | int) -> np.ndarray:
    """Share of named groupings whose innovation is running in ``months``, per seed."""
    stages = sim.stage_history[months][..., named(sim)]
    return (stages == innovation.RUNNING).reshape(-1, sim.runs, len(named(sim))).mean(axis=(0, 2))


def targeted_gain(sim: Simulation, control: Simulation) -> np.ndarray:
    """Budget-weighted gain in delivered care, from year 3, on the indicators a CQUIN-style scheme
    pays for, per seed."""
    scheme = sim.policy.schemes[1]
    weight = scheme.schemes_per_indicator / scheme.schemes_per_indicator.sum()
    diff = (sim.outputs.indicators[24:, 1] - control.outputs.indicators[24:, 1]).mean(axis=(0, 3))   # (K, R)
    return (weight[:, None] * diff).sum(axis=0)


# ---------------------------------------------------------------------------- patterns

def levels_off(qof: Simulation, control: Simulation) -> Check:
    """The gain in delivered indicator care grows more than twice as fast in years 1-2 as in years 5-8."""
    name = "quality_incentivised_delivered"
    gain = (column(qof, name) - column(control, name)).mean(axis=1)                # mean over seeds, by month
    early = (gain[23] - gain[0]) / 2
    late = (gain[95] - gain[47]) / 4
    return Check("growth of the QOF gain in delivered indicator care, years 1-2 (share 0-1 a year)", float(early),
                 f"> {2 * late:.2g}, twice that of years 5-8", bool(early > 2 * late))


def pattern_1(runs: Runs) -> Verdict:
    """Micro-incentives raise incentivised quality, admissions for those conditions fall, non-incentivised
    care does not improve, and the gain levels off after a few years [Miller18 intro; Nuffield15].

    QOF against the core contract alone, ten years.
    """
    qof, control = runs.get("qof"), runs.get("control")
    adm_qof = months_mean(qof, "admissions_per_1000_incentivised", 24, 60)
    adm_control = months_mean(control, "admissions_per_1000_incentivised", 24, 60)
    checks = [
        rises("recorded indicator care, QOF minus status quo, year 2 (share 0-1)",
              yearly(qof, "quality_incentivised_recorded", 2), yearly(control, "quality_incentivised_recorded", 2),
              by=0.1, se_multiple=4),
        rises("delivered indicator care, QOF minus status quo, year 5 (share 0-1)",
              yearly(qof, "quality_incentivised_delivered", 5), yearly(control, "quality_incentivised_delivered", 5),
              by=0.03, se_multiple=4),
        falls("admissions for incentivised conditions, QOF minus status quo, years 3-5 (per 1,000/month)",
              adm_qof, adm_control, by=0.03 * adm_control.mean(), se_multiple=4, by_words=" (3% of status quo)"),
        *(does_not_rise(f"holistic care, QOF minus status quo, year {year} (share 0-1)",
                        yearly(qof, "quality_non_incentivised", year),
                        yearly(control, "quality_non_incentivised", year), se_multiple=2)
          for year in (2, 5, 10)),
        levels_off(qof, control),
    ]
    return Verdict(1, "Micro-incentives raise incentivised quality and admissions fall for those conditions; "
                      "non-incentivised care does not improve and may fall; the gain levels off after a few years",
                   "[Miller18 intro; Nuffield15]",
                   tuple(checks), len(runs.seeds))


def pattern_2(runs: Runs) -> Verdict:
    """Under long-running micro-incentives person-centred care and continuity fall (crowding out)
    [Miller18 intro].

    QOF against the core contract alone, in years 9-10.
    """
    qof, control = runs.get("qof"), runs.get("control")
    def crowded_out(name: str, words: str, by: float = 0.0) -> Check:
        return falls(f"{words}, QOF minus status quo, years 9-10", months_mean(qof, name, 96),
                     months_mean(control, name, 96), by=by, se_multiple=4)
    checks = (crowded_out("quality_non_incentivised", "holistic care (share 0-1)", by=0.02),
              crowded_out("continuity", "continuity (share 0-1)"),
              crowded_out("motivation_clinical_care", "motivation for clinical care (level)"),
              crowded_out("motivation_autonomy", "motivation for autonomy (level)"))
    return Verdict(2, "Under long-running micro-incentives person-centred care and continuity fall (crowding out)",
                   "[Miller18 intro]", checks, len(runs.seeds))


def pattern_3(runs: Runs) -> Verdict:
    """Adding micro-incentive schemes past a few raises administrative time and lowers transformation
    work and morale [Nuffield15].

    Ten CQUIN-style schemes against two, at the same budget per scheme, in years 3-5.
    """
    many, few = runs.get("cquin_many"), runs.get("cquin_few")
    def later(sim: Simulation, name: str) -> np.ndarray:
        return months_mean(sim, name, 24)
    checks = (rises("administration, 10 minus 2 schemes, years 3-5 (h/GP/month)",
                    later(many, "admin_hours_per_gp"), later(few, "admin_hours_per_gp"), by=5, se_multiple=10),
              falls("transformation work, 10 minus 2 schemes, years 3-5 (h/GP/month)",
                    later(many, "transformation_hours_per_gp"), later(few, "transformation_hours_per_gp"),
                    by=0, se_multiple=4),
              falls("morale, 10 minus 2 schemes, years 3-5 (level)", later(many, "morale"), later(few, "morale"),
                    by=0, se_multiple=4))
    return Verdict(3, "Adding more micro-incentive schemes past a few raises administrative time and lowers "
                      "transformation work and morale", "[Nuffield15]", checks, len(runs.seeds))


def pattern_4(runs: Runs) -> Verdict:
    """Investment fund: with ACE defaults every funded grouping delivers the four enablers within 12 months,
    and hospital diagnostics can be decommissioned [Miller18].

    ``configs/ace.toml`` (all six named groupings funded for 12 months) against the core contract alone.
    """
    ace, control = runs.get("ace"), runs.get("control_18m")
    q = named(ace)
    enablers = ace.outputs.grouping_values[11, 1]                                 # (R, named) at month 11
    patients_share = ace.structure.grouping_list_size[q].sum() / ace.structure.list_size.sum()
    decommissioned = column(ace, "decommissioned_share")[15] / patients_share
    fall = (1 - column(ace, "hospital_diagnostics")[15] / column(control, "hospital_diagnostics")[15]) / patients_share
    checks = (Check("named groupings selected by the fund (share of groupings and seeds)",
                    float(ace.selected[:, q].mean()), "= 1", bool(np.all(ace.selected[:, q]))),
              Check("enablers delivered by month 11, fewest of any funded grouping in any seed (of 4)",
                    float(enablers.min()), "= 4", bool(np.all(enablers == 4))),
              Check("hospital diagnostics decommissioned by month 15 over the groupings' share of patients, "
                    "lowest seed (ratio)", float(decommissioned.min()), "> 0.9 in every seed",
                    bool(np.all(decommissioned > 0.9))),
              Check("fall in hospital diagnostics against the status quo at month 15 over the groupings' share "
                    "of patients, lowest seed (ratio)", float(fall.min()), "> 0.8 in every seed",
                    bool(np.all(fall > 0.8))))
    return Verdict(4, "Investment fund: with ACE defaults every funded grouping delivers the four enablers "
                      "within 12 months, and hospital diagnostics can be decommissioned", "[Miller18]",
                   checks, len(runs.seeds))


def pattern_5(runs: Runs) -> Verdict:
    """Groupings with concrete proposals progress faster on Objective 2 [Miller18] (Table 1).

    Every named grouping at concreteness 1 against 0, after 12 months, on twice the seeds (six groupings'
    projects are a noisy outcome).
    """
    def progress(sim: Simulation) -> np.ndarray:
        q = named(sim)
        return (sim.projects.stage[:, q] + sim.projects.progress[:, q]).mean(axis=1)
    check = rises("innovation stage plus progress of named groupings at month 12, concrete minus vague (stages)",
                  progress(runs.get("concrete")), progress(runs.get("vague")), by=0.3, se_multiple=4)
    return Verdict(5, "Groupings with concrete proposals progress faster on Objective 2", "[Miller18]", (check,),
                   len(runs.doubled_seeds))


def pattern_6(runs: Runs) -> Verdict:
    """Roughly half of the groupings' innovations are still running after the pilot (B, D and E of six)
    [Miller18].

    ``configs/ace.toml`` six months after the funded year (month 17).
    """
    running = running_share(runs.get("ace"), 17)
    checks = (Check("named groupings whose innovation runs at month 17 (share)", float(running.mean()),
                    "between 0.3 and 0.7", bool(0.3 < running.mean() < 0.7)),
              Check("spread of that share between seeds, highest minus lowest (share)",
                    float(running.max() - running.min()), "> 0 (not one fixed outcome)",
                    bool(running.min() < running.max())))
    return Verdict(6, "Roughly half of the groupings' innovations are still running after the pilot "
                      "(B, D and E of six)",
                   "[Miller18]", checks, len(runs.seeds))


def pattern_7(runs: Runs) -> Verdict:
    """Sharing in learning sets starts low and rises over the year [Miller18].

    ``configs/ace.toml``: the named groupings' chance of sharing openly in each month's learning set.
    """
    ace = runs.get("ace")
    sharing = ace.outputs.grouping_values[:12, 7].mean(axis=(1, 2))             # by month, funded year
    early, late = sharing[:3].mean(), sharing[8:11].mean()
    after = ace.outputs.grouping_values[12:, 7]
    checks = (Check("sharing in learning sets, months 0-2 (chance 0-1)", float(early), "< 0.3", bool(early < 0.3)),
              Check("sharing in learning sets, months 8-10 (chance 0-1)", float(late),
                    f"> {2 * early:.2g}, twice months 0-2", bool(late > 2 * early)),
              Check("sharing at the last set, month 11 (chance 0-1)", float(sharing[11]),
                    f"= the highest month ({sharing.max():.3g})", bool(sharing[11] == sharing.max())),
              Check("sharing after the funded year, largest (chance 0-1)", float(np.abs(after).max()), "= 0",
                    bool(np.all(after == 0))))
    return Verdict(7, "Sharing in learning sets starts low and rises over the year", "[Miller18]", checks,
                   len(runs.seeds))


def pattern_8(runs: Runs) -> Verdict:
    """A directive contract after the pilot lowers pilot leads' morale and innovation, though some
    innovations persist [Miller18].

    ``configs/ace_rollout_directive.toml`` against the same roll-out under a partnership contract.
    """
    directive, partnership = runs.get("rollout_directive"), runs.get("rollout_partnership")
    running = running_share(directive, slice(23, None))
    checks = (falls("pilot leads' morale, directive minus partnership, months 12-23 (level)",
                    months_mean(directive, "pilot_lead_morale", 12, 24),
                    months_mean(partnership, "pilot_lead_morale", 12, 24), by=0.01, se_multiple=4),
              falls("named groupings' innovations running from month 23, directive minus partnership (share)",
                    running, running_share(partnership, slice(23, None)), by=0, se_multiple=2),
              Check("named groupings' innovations running from month 23 under the directive contract (share)",
                    float(running.mean()), "> 0.15 (some persist)", bool(running.mean() > 0.15)))
    return Verdict(8, "A directive contract after the pilot lowers pilot leads' morale and innovation, though "
                      "some innovations persist", "[Miller18]", checks, len(runs.seeds))


def pattern_9(runs: Runs) -> Verdict:
    """Protected time and clinical leadership matter more than the size of the reward: at equal spend,
    capacity beats reward [Miller16; Miller18].

    ``configs/ace.toml`` for 24 months: the fund buying capacity (GBP 10.50 a patient) against the fund
    paid as a reward (GBP 16 a patient, which spends at least as much), from month 6.
    """
    capacity, reward = runs.get("fund_capacity"), runs.get("fund_reward")
    spend = [column(sim, "spend_investment").sum(axis=0).mean() for sim in (capacity, reward)]
    def from_month_6(name: str) -> tuple[np.ndarray, np.ndarray]:
        return months_mean(capacity, name, 6), months_mean(reward, name, 6)
    checks = (Check("investment spend, reward over capacity (ratio)", float(spend[1] / spend[0]), ">= 0.95",
                    bool(spend[1] >= 0.95 * spend[0])),
              falls("other admissions, capacity minus reward, from month 6 (per 1,000/month)",
                    *from_month_6("admissions_per_1000_other"), by=0, se_multiple=4),
              rises("holistic care, capacity minus reward, from month 6 (share 0-1)",
                    *from_month_6("quality_non_incentivised"), by=0, se_multiple=4),
              rises("hospital cost avoided, capacity minus reward, from month 6 (GBP/month)",
                    *from_month_6("hospital_cost_avoided"), by=0, se_multiple=4),
              rises("motivation for clinical care, capacity minus reward, from month 6 (level)",
                    *from_month_6("motivation_clinical_care"), by=0, se_multiple=4),
              rises("motivation for autonomy, capacity minus reward, from month 6 (level)",
                    *from_month_6("motivation_autonomy"), by=0, se_multiple=4))
    return Verdict(9, "Protected time and clinical leadership matter more than the size of the reward: at equal "
                      "spend, capacity beats reward", "[Miller16; Miller18]", checks, len(runs.seeds))


def pattern_10(runs: Runs) -> Verdict:
    """Spreading a fixed incentive budget over many small schemes buys less than concentrating it
    (CQUIN vs. focused schemes) [Nuffield15].

    GBP 3 a patient a year over 2 CQUIN-style schemes against over 12, years 3-5.
    """
    control, focused, spread = runs.get("control_5y"), runs.get("cquin_focused"), runs.get("cquin_spread")
    gain_focused, gain_spread = targeted_gain(focused, control), targeted_gain(spread, control)
    checks = (Check("gain in delivered care on the targeted indicators, 2 schemes, years 3-5 (share 0-1)",
                    float(gain_focused.mean()), "> 0.03", bool(gain_focused.mean() > 0.03)),
              rises("that gain, 2 minus 12 schemes (share 0-1)", gain_focused, gain_spread, by=0.03, se_multiple=4),
              falls("admissions for incentivised conditions, 2 minus 12 schemes, years 3-5 (per 1,000/month)",
                    months_mean(focused, "admissions_per_1000_incentivised", 24),
                    months_mean(spread, "admissions_per_1000_incentivised", 24), by=0, se_multiple=3))
    return Verdict(10, "Spreading a fixed incentive budget over many small schemes buys less than concentrating "
                       "it (CQUIN vs. focused schemes)",
                   "[Nuffield15]", checks, len(runs.seeds))


def pattern_11(runs: Runs) -> Verdict:
    """Risk taken on too fast makes groupings fail; a shadow period avoids it [Nuffield15].

    48 months of risk sharing on the default commissioner, on twice the seeds (failures are rare): the
    full share at once (no shadow period, no ramp) against half the share after 6 shadow months and a
    12-month ramp. Failures of named groupings are counted per seed, so the rules mean the same at
    any number of seeds; at 20 seeds they are the counts the tests used to assert: at least 4 failures
    at once, more than three times as many as with a shadow period, which has at most 2.
    """
    def failures(name: str) -> np.ndarray:
        sim = runs.get(name)
        return sim.failed[:, sim.structure.grouping_named].sum(axis=1)
    at_once, shadow = failures("risk_at_once").mean(), failures("risk_with_shadow").mean()
    checks = (Check("groupings failed by month 48, all risk at once (per seed)", float(at_once), ">= 0.2",
                    bool(at_once >= 0.2)),
              Check("groupings failed after a shadow period over those failed at once (ratio)",
                    float(shadow / at_once) if at_once else float("nan"), "< 1/3", bool(at_once > 3 * shadow)),
              Check("groupings failed by month 48 after a shadow period (per seed)", float(shadow), "<= 0.1",
                    bool(shadow <= 0.1)))
    return Verdict(11, "Risk taken on too fast makes groupings fail; a shadow period avoids it", "[Nuffield15]",
                   checks, len(runs.doubled_seeds))


PATTERNS: dict[int, Callable[[Runs], Verdict]] = {
    1: pattern_1, 2: pattern_2, 3: pattern_3, 4: pattern_4, 5: pattern_5, 6: pattern_6,
    7: pattern_7, 8: pattern_8, 9: pattern_9, 10: pattern_10, 11: pattern_11,
}


def scorecard(seeds: Sequence[int], progress: Callable[[int], None] | None = None) -> list[Verdict]:
    """Every pattern 1-11 on these seeds, in order; progress(1) after each pattern."""
    runs = Runs(seeds)
    verdicts = []
    for number in sorted(PATTERNS):
        verdicts.append(PATTERNS[number](runs))
        if progress is not None:
            progress(1)
    return verdicts
