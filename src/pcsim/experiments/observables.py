"""Observables: numbers computed from a run's outputs, in which calibration targets and decisions are stated.

An observable reads one output of a run and reduces it to one number per run:

* from the **monthly columns** (``monthly.parquet``, all commissioners together as in
  :func:`pcsim.experiments.compare.commissioners_together`), the mean or the total over a window of
  months, e.g. emergency admissions over the run;
* from the **groupings table** (``groupings.parquet``, the named groupings month by month), the mean
  over groupings and months, or the *share* of groupings meeting a condition (``at_least`` a value,
  or ``equals`` one, e.g. the innovation stage ``"running"``), over all named groupings or only those
  an investment fund has selected (``groupings = "funded"``).

``minus`` subtracts the same statistic over a second window (sharing late in the year minus early).
Months are counted from 0 and windows include both ends: ``months = [9, 11]`` is the last quarter of
the first year; no window means the whole run.

The vocabulary (:data:`VOCABULARY`) names the observables the source documents speak of; a spec
(e.g. a calibration target) names one of them, or defines its own with the same fields, so a user
adds their own data as a target without writing code::

    [[targets]]
    name = "holistic_care_year_2"
    observable = { source = "monthly", column = "quality_non_incentivised", months = [12, 23] }
    observed = 0.62
    sd = 0.03

Observables are computed inside the workers that run a chunk (:func:`chunk_task`), so a study stores
one row a run with its observables (columns ``o:NAME``) beside the usual summary.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from pcsim import config as configs
from pcsim.config import ConfigError
from pcsim.experiments import compare, sweeps
from pcsim.model.innovation import STAGES
from pcsim.model.outputs import COLUMNS, GROUPING_COLUMNS

SOURCES = ("monthly", "groupings")
STATISTICS = ("mean", "total", "share")
GROUPINGS = ("funded", "all")
PREFIX = "o:"                         # column prefix of observables in a study's rows
FIELDS = ("source", "column", "months", "month", "statistic", "at_least", "equals", "groupings", "minus",
          "description")


def _admissions_per_1000(monthly: np.ndarray) -> np.ndarray:
    return (compare.commissioners_together(monthly, "admissions_per_1000_incentivised")
            + compare.commissioners_together(monthly, "admissions_per_1000_other"))


def _quality_years(monthly: np.ndarray) -> np.ndarray:
    """Patient-years of care at full quality this month: registered patients x the mean of delivered
    indicator care and holistic care, / 12."""
    care = (compare.commissioners_together(monthly, "quality_incentivised_delivered")
            + compare.commissioners_together(monthly, "quality_non_incentivised")) / 2
    return care * compare.commissioners_together(monthly, "patients") / 12


DERIVED = {
    "emergency_admissions_per_1000": (_admissions_per_1000, "Emergency admissions per 1,000 a month, all conditions"),
    "quality_years": (_quality_years, "Patient-years of care at full quality: patients x mean(delivered indicator "
                                      "care, holistic care) / 12, a month"),
}
"""Monthly columns computed from others, usable as ``column`` of a monthly observable."""


@dataclass(frozen=True)
class Observable:
    """One number per run from a run's outputs (see the module's description)."""

    source: str
    column: str
    months: tuple[int, int] | None = None      # first and last month, both included; None: the whole run
    statistic: str = "mean"
    at_least: float | None = None
    equals: float | None = None
    groupings: str = "all"
    minus: tuple[int, int] | None = None
    description: str = ""

    def first_month_needed(self) -> int:
        """The number of months a run must have for this observable: its last month + 1."""
        ends = [w[1] for w in (self.months, self.minus) if w is not None]
        return max(ends) + 1 if ends else 1

    def compute(self, monthly: np.ndarray, groupings: np.ndarray) -> np.ndarray:
        """The observable of each run (R,), from monthly outputs (M, columns, R, C) and the groupings'
        values (M, grouping columns, R, named groupings). NaN where it is undefined (no funded grouping)."""
        value = self._window(monthly, groupings, self.months)
        if self.minus is not None:
            value = value - self._window(monthly, groupings, self.minus)
        return value

    def _window(self, monthly, groupings, window) -> np.ndarray:
        months = len(monthly)
        first, last = (0, months - 1) if window is None else window
        if last >= months:
            raise ValueError(f"observable {self.column}: month {last} is beyond the run's {months} months")
        span = slice(first, last + 1)
        if self.source == "monthly":
            series = self._monthly_series(monthly)[span]                     # (W, R)
            return series.sum(axis=0) if self.statistic == "total" else series.mean(axis=0)
        values = groupings[span, GROUPING_COLUMNS.index(self.column)]        # (W, R, Q)
        if self.statistic == "share":
            values = self._meets(values).astype(float)
        members = np.ones(values.shape[1:], dtype=bool)
        if self.groupings == "funded":
            members = groupings[last, GROUPING_COLUMNS.index("selected")] > 0.5     # (R, Q)
        counted = members.sum(axis=1) * values.shape[0]
        total = (values * members).sum(axis=(0, 2))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counted > 0, total / np.maximum(counted, 1), np.nan)

    def _monthly_series(self, monthly) -> np.ndarray:
        if self.column in DERIVED:
            return DERIVED[self.column][0](monthly)
        return compare.commissioners_together(monthly, self.column)

    def _meets(self, values) -> np.ndarray:
        if self.at_least is not None:
            return values >= self.at_least
        return np.isclose(values, self.equals)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None and v != ""}


def define(where: str, table: Any) -> Observable:
    """An Observable from a spec's table, each field checked; ``where`` names it in errors."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be the name of an observable ({', '.join(VOCABULARY)}) or a table "
                          f"with source, column and the rest")
    for key in table:
        if key not in FIELDS:
            raise ConfigError(f"{where}.{key}: unknown field; an observable has {', '.join(FIELDS)}")
    source = table.get("source")
    if source not in SOURCES:
        raise ConfigError(f"{where}.source = {source!r} is not allowed: choose one of {', '.join(SOURCES)}")
    column = table.get("column")
    known = (*COLUMNS, *DERIVED) if source == "monthly" else GROUPING_COLUMNS
    if column not in known:
        raise ConfigError(f"{where}.column = {column!r} is not a {source} column; known: {', '.join(known)}")
    statistic = table.get("statistic", "mean")
    if statistic not in STATISTICS:
        raise ConfigError(f"{where}.statistic = {statistic!r} is not allowed: choose one of {', '.join(STATISTICS)}")
    if statistic == "total" and source != "monthly":
        raise ConfigError(f"{where}.statistic = 'total' is for monthly columns; a groupings observable is a mean "
                          f"or a share")
    if statistic == "share" and source != "groupings":
        raise ConfigError(f"{where}.statistic = 'share' counts groupings: it needs source = 'groupings'")
    if "month" in table and "months" in table:
        raise ConfigError(f"{where}: give month or months, not both")
    months = _window(f"{where}.month", [table["month"]] * 2) if "month" in table else \
        _window(f"{where}.months", table.get("months"))
    at_least, equals = table.get("at_least"), table.get("equals")
    if statistic == "share":
        if (at_least is None) == (equals is None):
            raise ConfigError(f"{where}: a share needs one condition, at_least = VALUE or equals = VALUE")
        if isinstance(equals, str):
            if column != "innovation_stage" or equals not in STAGES:
                raise ConfigError(f"{where}.equals = {equals!r}: a name is allowed only for innovation_stage, "
                                  f"one of {', '.join(STAGES)}")
            equals = float(STAGES.index(equals))
        at_least = _number(f"{where}.at_least", at_least)
        equals = _number(f"{where}.equals", equals)
    elif at_least is not None or equals is not None:
        raise ConfigError(f"{where}: at_least and equals are conditions of statistic = 'share'")
    groupings = table.get("groupings", "all")
    if groupings not in GROUPINGS:
        raise ConfigError(f"{where}.groupings = {groupings!r} is not allowed: choose one of {', '.join(GROUPINGS)}")
    if source == "monthly" and "groupings" in table:
        raise ConfigError(f"{where}.groupings is for source = 'groupings'")
    minus = _window(f"{where}.minus", table.get("minus"))
    description = table.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(f"{where}.description must be a string")
    return Observable(source, column, months, statistic, at_least, equals, groupings, minus, description)


def _window(where: str, value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
            or value[0] > value[1]):
        raise ConfigError(f"{where} = {value!r}: give [first, last] months counted from 0, first <= last")
    return int(value[0]), int(value[1])


def _number(where: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{where} = {value!r} must be a number")
    return float(value)


def resolve(where: str, given: Any) -> Observable:
    """A spec's observable: the name of one in :data:`VOCABULARY`, or a table defining one."""
    if isinstance(given, str):
        if given not in VOCABULARY:
            raise ConfigError(f"{where} = {given!r} is not a named observable{configs.suggest(given, VOCABULARY)}; known: {', '.join(VOCABULARY)}; "
                              f"or define one as a table (see pcsim.experiments.observables)")
        return VOCABULARY[given]
    return define(where, given)


VOCABULARY: dict[str, Observable] = {
    "funded_groupings_with_all_enablers_by_month_12": Observable(
        "groupings", "enablers_delivered", (11, 11), "share", at_least=4, groupings="funded",
        description="Share of funded groupings all of whose practices deliver all four enablers at month 11 "
                    "(the twelfth month) [Miller18 Objective 1]"),
    "funded_innovations_running_at_month_17": Observable(
        "groupings", "innovation_stage", (17, 17), "share", equals=float(STAGES.index("running")),
        groupings="funded",
        description="Share of funded groupings whose integration innovation is running at month 17, six months "
                    "after a twelve-month pilot [Miller18: B, D and E of six]"),
    "learning_set_sharing_rise": Observable(
        "groupings", "sharing", (9, 11), "mean", groupings="funded", minus=(0, 2),
        description="Chance of open sharing in the learning sets, last quarter of the funded year minus the "
                    "first quarter, funded groupings [Miller18: early sets dominated by questions, the final set "
                    "the most open]"),
    "learning_set_sharing_early": Observable(
        "groupings", "sharing", (0, 2), "mean", groupings="funded",
        description="Chance of open sharing in the first three learning sets, funded groupings"),
    "emergency_admissions_total": Observable(
        "monthly", "emergency_admissions", None, "total",
        description="Emergency admissions over the run, all conditions, all commissioners"),
    "emergency_admissions_per_1000": Observable(
        "monthly", "emergency_admissions_per_1000", None, "mean",
        description="Emergency admissions per 1,000 patients a month, mean over the run (give months for a year)"),
    "quality_years": Observable(
        "monthly", "quality_years", None, "total",
        description="Patient-years of care at full quality over the run (mean of delivered indicator care and "
                    "holistic care, x patients): the unit of quality of the decision analysis"),
    "net_savings_total": Observable(
        "monthly", "net_savings", None, "total",
        description="Hospital cost avoided minus incentive, investment and risk-sharing spend, over the run (GBP)"),
}


def column_name(name: str) -> str:
    return PREFIX + name


def compute_all(observables: dict[str, Observable], monthly: np.ndarray, groupings: np.ndarray) -> pd.DataFrame:
    """Every observable of every run, one row a run, columns ``o:NAME``."""
    return pd.DataFrame({column_name(name): obs.compute(monthly, groupings) for name, obs in observables.items()})


def observed_chunk(base: dict[str, Any], runs: list[sweeps.Run], *,
                   observables: Sequence[tuple[str, Observable]]) -> pd.DataFrame:
    """A chunk of runs (:func:`pcsim.experiments.sweeps.simulate_chunk`): one row a run with its keys,
    design values and summary (as :func:`pcsim.experiments.sweeps.run_chunk`), and its observables."""
    sims = sweeps.simulate_chunk(base, runs)
    frame = sweeps.chunk_frame(sims, runs)
    extra = compute_all(dict(observables), compare.stacked(sims, "monthly", 2),
                        compare.stacked(sims, "grouping_values", 2))
    return pd.concat([frame, extra], axis=1)


def chunk_task(observables: dict[str, Observable]):
    """The task that runs a chunk and computes ``observables`` in the worker (picklable, for
    :func:`pcsim.experiments.sweeps.execute`)."""
    return functools.partial(observed_chunk, observables=tuple(observables.items()))


def task_key(observables: dict[str, Observable]) -> list:
    """What of a chunk task decides its numbers, for store keys."""
    return [[name, obs.to_dict()] for name, obs in observables.items()]
