"""What a class can choose on the teaching page: six teaching scenarios and the levers they turn.

A scenario is a policy timeline (months from the start of a twelve-year run) with a few sentences
saying what it stands for and what to watch. A lever is one slider or box of the sidebar: its range
is what the config validator allows for the parameter or scheme field it sets
(:data:`pcsim.inputs.parameters.PARAMETERS`, a scheme's ``fields``), narrowed where the whole range
would make a slider useless (GBP 0-5,000 a patient), so that no slider position can build a world
the model refuses. Every value is checked again by the same validator before a world is built, and
a bad value comes back as a message for the control that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pcsim import config as configs
from pcsim.config import SCHEMES, ConfigError
from pcsim.inputs.parameters import PARAMETERS
from pcsim.schemes.policies import BUILT_IN

MONTHS = 144   # twelve years: room for QOF's withdrawal in year 9 and life after the ACE pilot


@dataclass(frozen=True)
class Scenario:
    """A teaching scenario: its policy timeline and what to tell the class about it."""

    label: str
    policy: tuple[dict, ...]
    description: str


def named(policy: str) -> tuple[dict, ...]:
    """A built-in policy's timeline (:data:`pcsim.schemes.policies.BUILT_IN`), each scheme a copy."""
    return tuple(dict(scheme) for scheme in BUILT_IN[policy])


WITHDRAWN_IN_YEAR_9 = ("DM_FOOT", "DM_EDUCATION", "AST_REVIEW", "COPD_REVIEW", "HYP_BP", "CHD_BP")

SCENARIOS = {s.label: s for s in (
    Scenario("Status quo (core contract)", named("status_quo"),
             "Capitation only: no incentive and no investment. Demand grows every year, so GPs' spare time, "
             "holistic care and morale slowly erode. The baseline every other scenario is compared with."),
    Scenario("Micro-incentives (QOF and enhanced services)", named("micro_incentives"),
             "Pay for performance from month 0: QOF points for recorded indicator care, paid in arrears, and "
             "optional enhanced services practices may join. Watch the record run ahead of the care, and what "
             "happens to care nobody pays for and to GPs' own wish to improve it."),
    Scenario("Investment fund (ACE pilot, then partnership)", named("investment_fund"),
             "Birmingham's ACE pilot: six groupings of practices get money up front per patient for twelve "
             "months, freedom to use it, and monthly learning sets. Afterwards the enhanced level is rolled out "
             "to every practice under a partnership contract that keeps the trust."),
    Scenario("ACE pilot, then directive roll-out",
             ({"scheme": "core_contract"}, {"scheme": "investment_fund", "start": 0, "end": 12},
              {"scheme": "rollout", "start": 9, "contract": "directive"}),
             "What happened in Birmingham: the roll-out starts in month 9, before the pilot ends, under a "
             "directive contract that specifies and monitors activities. Compare the pilot leads' morale and "
             "the innovations still running with the partnership scenario."),
    Scenario("QOF for eight years, then indicators withdrawn",
             ({"scheme": "core_contract"},
              {"scheme": "qof", "withdraw": dict.fromkeys(WITHDRAWN_IN_YEAR_9, 96)}),
             "QOF from month 0; in month 96 (the start of year 9) six indicators are withdrawn from payment, "
             "as the real QOF retired indicators. Does the care they paid for stay, or only the record of it?"),
    Scenario("Many small incentive schemes (CQUIN-style)", ({"scheme": "core_contract"}, {"scheme": "cquin"}),
             "A fixed budget spread over many small local schemes, one indicator each (CQUIN). Each scheme adds "
             "reporting and control; the slider 'number of small incentive schemes' spreads the same money "
             "thinner."),
)}
DEFAULT_SCENARIO = "Status quo (core contract)"


@dataclass(frozen=True)
class Lever:
    """A slider of the sidebar: the config value it sets, its range and step, and how to show it."""

    name: str                # keyword of TeachingModel
    label: str
    setting: str             # what the config validator calls it, e.g. "qof.payment_per_point"
    low: float
    high: float
    step: float
    default: float
    integer: bool
    unit: str
    used_by: str             # the scenarios it acts in, for the hint under the slider

    def show(self, value) -> str:
        """The value as the slider's label shows it."""
        if self.integer:
            return f"{int(value)}"
        decimals = max(0, -int(f"{self.step:e}".split("e")[1]))
        return f"{value:.{decimals}f}"

    def snap(self, value) -> float | int:
        """A slider position as the exact value it stands for: on the step grid and inside the range
        (a browser's floating-point arithmetic gives 0.1 + 10 x 0.05 = 0.6000000000000001)."""
        if self.integer:
            return int(round(value))
        steps = round((float(value) - self.low) / self.step)
        return round(min(max(self.low + steps * self.step, self.low), self.high), 10)

    def check(self, value) -> float | int:
        """The value, or a ConfigError naming the setting, the value and what it allows: what a config may
        set, and for a parameter its plausible range (what the class explores; a config may go further)."""
        if self.setting in PARAMETERS:
            value = configs.check_param(PARAMETERS[self.setting], value, self.setting)
            if not self.low <= value <= self.high:
                raise ConfigError(f"{self.setting} = {value!r} is outside the range the page explores: allowed "
                                  f"{self.show(self.low)} to {self.show(self.high)} {self.unit}")
            return value
        scheme, _, name = self.setting.partition(".")
        return SCHEMES[scheme].fields[name].check(self.setting, value)


def _parameter_lever(name, label, setting, step, used_by, teaching_high=None) -> Lever:
    """A lever over a parameter of the table, ranging over its plausible range (up to ``teaching_high``)."""
    param = PARAMETERS[setting]
    low, high = param.plausible
    return Lever(name, label, setting, low, min(high, teaching_high or high), step, param.default, param.integer,
                 param.unit, used_by)


def _scheme_lever(name, label, scheme, key, used_by) -> Lever:
    field = SCHEMES[scheme].fields[key]
    return Lever(name, label, f"{scheme}.{key}", field.low, field.high, 1, field.default, True, "", used_by)


def levers() -> dict[str, Lever]:
    """The sliders, in sidebar order (built when asked, after the schemes have registered)."""
    return {lever.name: lever for lever in (
        _parameter_lever("payment_per_point", "QOF payment per point (GBP)", "qof.payment_per_point", 1,
                         "QOF scenarios"),
        _parameter_lever("funding_per_patient", "Investment fund (GBP per patient)", "investment.funding_per_patient",
                         0.5, "ACE scenarios", teaching_high=40.0),
        _scheme_lever("cquin_schemes", "Number of small incentive schemes", "cquin", "schemes", "CQUIN-style"),
        _parameter_lever("enabler_share", "Fund's share spent on equipment (the rest buys protected time)",
                         "investment.enabler_share", 0.05, "ACE scenarios"),
        _parameter_lever("stance", "Commissioner's stance (0 contract enforcer, 1 partner)",
                         "commissioner.stance_initial", 0.05, "every scenario"),
        _parameter_lever("facilitation", "Learning-set facilitation (0 none, 1 expert)", "learning.facilitation",
                         0.05, "ACE scenarios"),
    )}


SEED_FIELD = configs.RUN_FIELDS["seed"]


def parse_seed(text) -> int:
    """The Seed box's text as a seed, or a ConfigError saying what a seed may be."""
    text = "" if text is None else str(text).strip()
    if not text:
        raise ConfigError(f"seed is empty: give a whole number from {SEED_FIELD.low} to {SEED_FIELD.high}")
    value = configs.parse_value(text)
    whole = isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and value.is_integer()
    if not whole:
        raise ConfigError(f"seed = {text!r} is not a whole number: allowed {SEED_FIELD.low} to {SEED_FIELD.high}")
    return SEED_FIELD.check("seed", value)


def check_settings(settings: dict) -> tuple[dict, dict[str, str]]:
    """Settings of the sidebar (``regime``, ``seed`` and one value a lever) as the values a world is
    built from, and a message for each control whose value cannot be used."""
    values, errors = {}, {}
    regime = settings.get("regime", DEFAULT_SCENARIO)
    if regime in SCENARIOS:
        values["regime"] = regime
    else:
        errors["regime"] = f"scenario {regime!r} is not one of: {', '.join(SCENARIOS)}"
    try:
        values["seed"] = parse_seed(settings.get("seed", "1"))
    except ConfigError as error:
        errors["seed"] = str(error)
    for name, lever in levers().items():
        try:
            values[name] = lever.check(settings.get(name, lever.default))
        except ConfigError as error:
            errors[name] = str(error)
    return values, errors
