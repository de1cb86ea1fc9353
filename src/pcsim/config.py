"""Configs: TOML files, validated, with defaults filled in and CLI overrides.

A config has five kinds of section:

``[run]``
    months and seed.
``[population]``
    the synthetic commissioner(s): sizes that fix the shape of the agent
    arrays (practices, patients, GPs per patient, hospitals).
``[[groupings]]``
    named groupings of practices; practices not named in one are
    single-practice groupings. Absent, the six ACE pilot groupings of
    [Miller18] Table 1 (``groupings = []`` for none).
``[[indicators]]``
    indicators that replace (by code) or add to the clinical catalogue of
    :mod:`pcsim.indicators`.
``[[policies.NAME]]``
    named policies (bundles of schemes) for ``pcsim compare`` and experiments,
    added to the built-in ``status_quo``, ``micro_incentives`` and
    ``investment_fund`` (:mod:`pcsim.schemes.policies`, registered here as
    :data:`BUILT_IN_POLICIES`).
``[[policy]]``
    the timeline of schemes, each with ``scheme``, ``start``, ``end`` and
    its own fields (see :mod:`pcsim.schemes`). Each entry is checked by the
    scheme kind it names, looked up in :data:`SCHEMES`, where the schemes
    register themselves (``pcsim`` registers the built-in ones on import).
``[demand]``, ``[workforce]``, ...
    overrides of the parameter table (:mod:`pcsim.parameters`).

Every error is a :class:`ConfigError` whose message names the field, the
value and what is allowed; the CLI turns it into exit code 2.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pcsim.inputs import indicators, locate, parameters
from pcsim.inputs.indicators import catalogue


class ConfigError(ValueError):
    """A config (file, override or spec) that cannot be used, said in one line."""


@dataclass(frozen=True)
class Field:
    """A structural config field: its type, default and allowed range."""

    kind: type
    default: Any
    low: float | None = None
    high: float | None = None
    meaning: str = ""

    def check(self, where: str, value: Any) -> Any:
        value = _coerce(where, value, self.kind)
        if self.low is not None and value < self.low or self.high is not None and value > self.high:
            raise ConfigError(f"{where} = {value!r} is out of range: allowed {_range_text(self.low, self.high)}")
        return value


RUN_FIELDS = {
    "months": Field(int, 120, 1, 1200, "Months to simulate (one step is one month)."),
    "seed": Field(int, 1, 0, 2**63 - 1, "Seed of the run's random streams."),
    "name": Field(str, "default", meaning="A label for the run, used in output folder names."),
}

POPULATION_FIELDS = {
    "commissioners": Field(int, 1, 1, 500, "Commissioners (CCGs/ICBs)."),
    "practices": Field(int, 104, 1, 20000, "Practices in all (shared out evenly between commissioners)."),
    "patients": Field(int, 700_000, 1000, 100_000_000, "Registered patients in all."),
    "hospitals": Field(int, 3, 1, 1000, "Acute trusts in all (shared out between commissioners)."),
    "patients_per_gp": Field(float, 1800.0, 500, 5000,
                             "Registered patients per GP post: 1,700-2,000 [Nuffield15]."),
    "list_size_sigma": Field(float, 0.5, 0.0, 2.0, "Log-normal spread of practice list sizes."),
    "min_list_size": Field(int, 1500, 100, 20000, "Smallest list size a practice can have."),
    "needs_sigma": Field(float, 0.15, 0.0, 1.0, "Log-normal spread of practices' needs index (mean 1)."),
    "infrastructure_mean": Field(float, 0.2, 0.0, 1.0,
                                 "Mean change infrastructure (protected time, clinical leadership), 0-1."),
    "pdsa_share": Field(float, 0.12, 0.0, 1.0, "Share of groupings using PDSA cycles at the start."),
    "formal_method_share": Field(float, 0.03, 0.0, 1.0,
                                 "Share of groupings using a formal improvement method with facilitation."),
    "commitment_mean": Field(float, 0.6, 0.0, 1.0,
                             "Mean commitment to change of practices outside the named groupings, 0-1."),
    "structure": Field(str, "fixed", meaning="fixed: every run of a config shares one synthetic commissioner "
                                             "(paired comparisons); per_seed: each run draws its own from its seed."),
    "neighbours": Field(int, 4, 0, 30, "Ties of each practice to its nearest practices in a synthetic geography."),
    "network_patients": Field(int, 40_000, 0, 1_000_000,
                              "Patients of the networks practices outside named groupings form (30-50k, "
                              "[London18]); each is tied to the others of its network. 0: none."),
    "hospital_ties": Field(float, 1.0, 0.0, 20.0,
                           "Further ties per practice, on average, to random practices sharing its acute trust."),
}
STRUCTURES = ("fixed", "per_seed")

# Structural settings of the [commissioner] section (its other keys are parameters of the table).
DECISIONS = ("scripted", "adaptive")
COMMISSIONER_FIELDS = {
    "decisions": Field(str, "scripted", meaning="scripted: the config's timeline as written; adaptive: the "
                                                "commissioner rolls out, chooses contracts and stops schemes from "
                                                "what it sees (pcsim.model.decisions)."),
    "rollout_funding_per_patient_year": Field(float, 5.0, 0.0, 200.0,
                                              "What an adaptive commissioner pays every practice a year for the "
                                              "enhanced level when it rolls it out."),
}

GROUPING_FIELDS = {
    "name": Field(str, None, meaning="Name of the grouping (unique)."),
    "practices": Field(int, None, 1, 200, "Number of practices (or sites) in the grouping."),
    "patients": Field(int, None, 1000, 2_000_000, "Registered patients of the grouping."),
    "commissioner": Field(int, 0, 0, 499, "Index of the commissioner the grouping belongs to."),
    "concreteness": Field(float, 0.5, 0.0, 1.0,
                          "How concrete its integration proposal is: 1 concrete, 0 none [Miller18 Table 1]."),
    "commitment": Field(float, 0.7, 0.0, 1.0, "Demonstrated commitment of all its practices, 0-1."),
    "method": Field(str, "none", meaning="Improvement method: none, pdsa or formal."),
    "infrastructure": Field(float, -1.0, -1.0, 1.0,
                            "Change infrastructure 0-1; -1 draws it like any other practice's."),
}
IMPROVEMENT_METHODS = ("none", "pdsa", "formal")
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

# The six ACE pilot groupings of [Miller18] Table 1: practices (F: one practice of 10 sites, modelled
# as 10 sites), approximate population, and how concrete the integration proposal was at application
# (A, B, D concrete; E none at first but found one; C none; F changed focus). B used a formal
# improvement method with an external facilitator and dedicated lead GPs; D used PDSA; F began
# with managerial rather than clinical leadership.
ACE_GROUPINGS = (
    {"name": "A", "practices": 12, "patients": 53_000, "concreteness": 1.0, "commitment": 0.6},
    {"name": "B", "practices": 3, "patients": 31_500, "concreteness": 1.0, "commitment": 0.9, "method": "formal",
     "infrastructure": 0.6},
    {"name": "C", "practices": 5, "patients": 13_000, "concreteness": 0.0, "commitment": 0.6},
    {"name": "D", "practices": 1, "patients": 11_000, "concreteness": 1.0, "commitment": 0.9, "method": "pdsa"},
    {"name": "E", "practices": 9, "patients": 65_000, "concreteness": 0.3, "commitment": 0.7},
    {"name": "F", "practices": 10, "patients": 61_500, "concreteness": 0.5, "commitment": 0.8,
     "infrastructure": 0.15},
)

SECTIONS = ("run", "population", "groupings", "indicators", "policy", "policies", *parameters.SECTIONS)
WINDOW_FIELDS = {"scheme", "start", "end"}

# How a scheme is designed (MODEL.md section 3, "How a scheme is felt"): every scheme, built-in or
# user-defined, is described by these features in its ``design`` table; the perception submodel
# (pcsim.model.perception) turns them into the control and support GPs feel.
PAYMENT_TIMES = ("up_front", "monthly", "in_arrears")
MEASURES = ("nothing", "records", "activities", "outcomes")
FORUMS = ("none", "learning_sets")
FRAMINGS = ("quality", "savings")
DESIGN_FIELDS = {
    "contingent": Field(float, 0.0, 0.0, 1.0, "Share of the scheme's money paid only if measured targets are met."),
    "paid": Field(str, "monthly", meaning="When the money is paid: up_front (before any result), monthly, or "
                                          "in_arrears (after measurement)."),
    "measures": Field(str, "nothing", meaning="What is measured: nothing, records (codes, reviews), activities "
                                              "(processes done) or outcomes."),
    "targets": Field(int, 0, 0, 1000, "How many measured targets the scheme sets."),
    "specification": Field(float, 0.0, 0.0, 1.0, "How tightly the activities are specified (0 free, 1 every step)."),
    "monitoring": Field(float, 0.0, 0.0, 1.0, "Monitoring and sanctions (0 none, 1 tight)."),
    "discretion": Field(float, 0.0, 0.0, 1.0, "Discretion over how the money is used (0 none, 1 full)."),
    "forum": Field(str, "none", meaning="The forum that comes with the scheme: none or learning_sets."),
    "framing": Field(str, "quality", meaning="What the money is framed by: quality (clinical improvement) or savings."),
    "publication": Field(float, 0.0, 0.0, 1.0, "How far results are published and compared across practices."),
}
DESIGN_CHOICES = {"paid": PAYMENT_TIMES, "measures": MEASURES, "forum": FORUMS, "framing": FRAMINGS}


def check_design(where: str, given: Any, defaults: dict[str, Any]) -> dict[str, Any]:
    """A scheme's ``design`` table: ``defaults`` (the scheme's own) with the given features checked over them."""
    if not isinstance(given, dict):
        raise ConfigError(f"{where} must be a table of design features ({', '.join(DESIGN_FIELDS)})")
    out = dict(defaults)
    for key, value in given.items():
        if key not in DESIGN_FIELDS:
            raise ConfigError(f"{where}: unknown design feature {key!r}{suggest(key, DESIGN_FIELDS)}; "
                              f"allowed: {', '.join(DESIGN_FIELDS)}")
        out[key] = DESIGN_FIELDS[key].check(f"{where}.{key}", value)
        if key in DESIGN_CHOICES and out[key] not in DESIGN_CHOICES[key]:
            raise ConfigError(f"{where}.{key} = {value!r} is not allowed: choose one of "
                              f"{', '.join(DESIGN_CHOICES[key])}")
    return out


SCHEMES: dict[str, Any] = {}
"""The scheme kinds a ``[[policy]]`` entry may name, by name: classes with a ``validate(where, spec,
context)`` classmethod, registered by :func:`pcsim.schemes.register`."""

BUILT_IN_POLICIES: dict[str, list[dict[str, Any]]] = {}
"""Named policies every config knows, registered by :mod:`pcsim.schemes.policies`."""


@dataclass
class Config:
    """A validated config with every default filled in."""

    run: dict[str, Any]
    population: dict[str, Any]
    groupings: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    policy: list[dict[str, Any]]
    policies: dict[str, list[dict[str, Any]]]
    params: dict[str, float]
    source: str = "<defaults>"
    commissioner: dict[str, Any] = field(default_factory=lambda: {k: f.default for k, f in COMMISSIONER_FIELDS.items()})
    overrides: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What a user should know about this config that is not an error: parameters outside their
    plausible range, schemes of a named policy left out because they start after the run ends. The
    CLI prints them as warnings; every manifest records them."""

    @property
    def months(self) -> int:
        return self.run["months"]

    @property
    def seed(self) -> int:
        return self.run["seed"]

    def to_dict(self) -> dict[str, Any]:
        """The resolved config as nested sections, the way a TOML file would hold it."""
        out: dict[str, Any] = {"run": dict(self.run), "population": dict(self.population),
                               "groupings": copy.deepcopy(self.groupings),
                               "indicators": copy.deepcopy(self.indicators),
                               "policy": copy.deepcopy(self.policy),
                               "policies": copy.deepcopy(self.policies)}
        for name, value in self.params.items():
            section, key = name.split(".", 1)
            out.setdefault(section, {})[key] = value
        out["commissioner"].update(self.commissioner)
        return out

    def with_policy(self, name: str) -> Config:
        """This config with its policy timeline replaced by the named policy.

        A named policy is a menu item written for runs of any length: a scheme of it that starts
        after this run ends is left out, with a note (``compare --months 12`` still compares the
        investment fund, whose roll-out would start at month 12)."""
        if not isinstance(name, str) or name not in self.policies:
            raise ConfigError(f"unknown policy {name!r}{suggest(name, self.policies)}; "
                              f"known: {', '.join(self.policies)}")
        raw = self.to_dict()
        kept, notes = fit_to_run(name, self.policies[name], self.months)
        raw["policy"] = kept
        try:
            config = from_dict(raw, source=self.source, overrides=self.overrides)
        except ConfigError as exc:
            raise ConfigError(f"policy {name!r}: {exc}") from None
        config.notes = list(dict.fromkeys(self.notes + config.notes + notes))
        return config

    def replace(self, **changes: Any) -> Config:
        """A new, re-validated config with some dotted keys changed (``months=60`` or ``"demand.growth_per_year"``)."""
        raw = self.to_dict()
        for key, value in changes.items():
            _apply_override(raw, "run." + key if key in RUN_FIELDS else key, value)
        return from_dict(raw, source=self.source, overrides=self.overrides + [f"{k}={v}" for k, v in changes.items()])


def fit_to_run(name: str, specs: list[dict[str, Any]], months: int) -> tuple[list[dict[str, Any]], list[str]]:
    """A named policy's schemes that start inside a run of ``months`` months, and a note for each left out."""
    kept, notes = [], []
    for spec in copy.deepcopy(specs):
        start = spec.get("start", 0) if isinstance(spec, dict) else 0
        if isinstance(start, int) and not isinstance(start, bool) and start >= months:
            notes.append(f"policy {name!r}: its {spec.get('scheme')} scheme starts at month {start}, but the run "
                         f"has only {months} months (0-{months - 1}), so it is left out")
        else:
            kept.append(spec)
    return kept, notes


def load(path: str | Path | None = None, overrides: list[str] | None = None) -> Config:
    """Read a TOML config (or the built-in defaults when ``path`` is None) and apply ``key=value`` overrides."""
    raw: dict[str, Any] = {}
    source = "<defaults>"
    if path is not None:
        raw = read_toml(path, "config file")
        source = str(path)
    for item in overrides or []:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r} is not of the form key=value: give KEY=VALUE "
                              f"(e.g. demand.growth_per_year=0.02)")
        _apply_override(raw, key.strip(), parse_value(text.strip()))
    return from_dict(raw, source=source, overrides=list(overrides or []))


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
    """A TOML file as a dict, or a ConfigError saying why it cannot be read: missing, a directory,
    unreadable, not UTF-8 text, not valid TOML."""
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise ConfigError(f"{what} {path!r} is not a file name: give the path of a TOML file")
    p = locate(path)
    allowed = "give the path of a TOML file" + (", or a shipped config by name (default, ace, qof, ...)"
                                                 if what == "config file" else "")
    if p.is_dir():
        raise ConfigError(f"{what} {str(path)!r} is a directory, not a file: {allowed}")
    if not p.exists():
        raise ConfigError(f"{what} {str(path)!r} does not exist: {allowed}")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{what} {str(path)!r} cannot be read ({exc.strerror or exc}): {allowed} that you "
                          f"may read") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} {str(path)!r} is not UTF-8 text (byte {exc.start} is {data[exc.start]:#04x}): "
                          f"give a TOML file, which is UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} {str(p)!r} is not valid TOML: {_one_line(str(exc))}; give a file in TOML "
                          f"syntax (https://toml.io)") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def spec_range(name: str, given: Any, where: str = "") -> tuple[float, float]:
    """A spec's ``[parameters]`` entry (SA, calibration, the response's uncertainty): the parameter table's
    plausible range for ``[]``, or ``[low, high]`` inside what configs may set; an unknown name is refused
    with the nearest known one. ``where`` prefixes the messages (the spec's path)."""
    param = parameters.PARAMETERS.get(name)
    if param is None:
        raise ConfigError(f"{where}parameters.{name}: not a parameter of the table"
                          f"{suggest(name, parameters.PARAMETERS)}; `pcsim params` lists them")
    return param.plausible if given == [] else check_range(f"{where}parameters.{name}", given, param)


def check_range(where: str, values: Any, param: parameters.Param | None) -> tuple[float, float]:
    """A ``[low, high]`` pair for sampling, inside what configs may set for ``param`` (if it is one)."""
    if (not isinstance(values, list) or len(values) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)):
        raise ConfigError(f"{where} = {values!r}: give [low, high], two finite numbers"
                          + (f" inside {_range_text(*param.allowed)} {param.unit}" if param is not None else ""))
    low, high = float(values[0]), float(values[1])
    if not low < high:
        raise ConfigError(f"{where} = {values!r}: low must be below high")
    if param is not None:
        allowed = param.allowed
        if low < allowed[0] or high > allowed[1]:
            raise ConfigError(f"{where} = {values!r} is out of range: allowed {_range_text(*allowed)} {param.unit} "
                              f"(the valid range of {param.name}; its plausible range is "
                              f"{_range_text(*param.plausible)})")
    return low, high


def parse_value(text: str) -> Any:
    """A ``--set`` value as TOML would read it (numbers, booleans, arrays), else the plain string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def from_dict(raw: dict[str, Any], source: str = "<dict>", overrides: list[str] | None = None) -> Config:
    """Validate a nested dict (as read from TOML) into a :class:`Config`."""
    if not isinstance(raw, dict):
        raise ConfigError(f"a config must be a table of sections, not {_type_name(type(raw))}")
    raw = copy.deepcopy(raw)
    for section in raw:
        if not isinstance(section, str) or section not in SECTIONS:
            raise ConfigError(f"unknown section [{section}]{suggest(section, SECTIONS)}; "
                              f"allowed: {', '.join(SECTIONS)}")
    run = _fields("run", raw.get("run", {}), RUN_FIELDS)
    if not NAME_PATTERN.fullmatch(run["name"]):
        raise ConfigError(f"run.name = {run['name']!r} is not allowed: use letters, digits, '-', '_' and '.', "
                          f"starting with a letter or digit (it becomes part of a folder name)")
    population = _check_population(_fields("population", raw.get("population", {}), POPULATION_FIELDS))
    groupings = _groupings(raw.get("groupings", list(ACE_GROUPINGS)), population)
    commissioner = _commissioner(raw)
    params = _params(raw)
    check_constraints(params)
    entries = _indicators(raw.get("indicators", []))
    policy_raw = raw.get("policy", [{"scheme": "core_contract"}])
    if not isinstance(policy_raw, list):
        raise ConfigError("policy must be a list of [[policy]] tables")
    context = {"months": run["months"], "indicator_codes": catalogue(entries).codes,
               "grouping_names": [g["name"] for g in groupings]}
    policy = [validate_spec(i, spec, context) for i, spec in enumerate(policy_raw)]
    check_overlaps("policy", policy, run["months"])
    policies = _policies(raw.get("policies", {}), context)
    return Config(run, population, groupings, entries, policy, policies, params, source,
                  commissioner=commissioner, overrides=list(overrides or []), notes=plausibility_notes(params))


def _policies(table: Any, context: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Named policies: the built-in bundles (:data:`BUILT_IN_POLICIES`), replaced or added to by
    ``[[policies.NAME]]`` tables. A config's own tables are checked in full here, as ``[[policy]]``
    is, except that a scheme starting after the run ends is allowed (it is left out when the policy
    is used, :meth:`Config.with_policy`); built-in ones are checked when used, since what they need
    (named groupings, say) depends on the config."""
    if not isinstance(table, dict):
        raise ConfigError("policies must be a table of named policies, each a list of [[policies.NAME]] schemes")
    out = {}
    for name, specs in {**BUILT_IN_POLICIES, **table}.items():
        if not NAME_PATTERN.fullmatch(str(name)):
            raise ConfigError(f"policies.{name}: {str(name)!r} is not allowed as a policy name: use letters, digits, "
                              f"'-', '_' and '.'")
        if not isinstance(specs, list) or not specs:
            raise ConfigError(f"policies.{name} must be a non-empty list of [[policies.{name}]] schemes")
        for i, spec in enumerate(specs):
            if not isinstance(spec, dict) or spec.get("scheme") not in SCHEMES:
                got = spec.get("scheme") if isinstance(spec, dict) else spec
                raise ConfigError(f"policies.{name}[{i}].scheme = {got!r} is not a known scheme"
                                  f"{suggest(got, SCHEMES)}; known: {', '.join(sorted(SCHEMES))}")
        if name in table and specs != BUILT_IN_POLICIES.get(name):
            kept, _ = fit_to_run(name, specs, context["months"])
            try:
                checked = [validate_spec(i, spec, context) for i, spec in enumerate(kept)]
                check_overlaps("policy", checked, context["months"])
            except ConfigError as exc:
                raise ConfigError(f"policies.{name}: {exc}") from None
        out[name] = copy.deepcopy(specs)
    return out


PAYS_ONCE = {
    "core_contract": "capitation would be paid twice; keep one core contract, or give them windows that do not "
                     "overlap",
    "qof": "a practice would be paid twice for the same recorded care; give them windows that do not overlap "
           "or indicators that do not",
}
"""Schemes of which two in force at once pay twice for the same thing, and what that would mean."""


def check_overlaps(where: str, policy: list[dict[str, Any]], months: int) -> None:
    """Refuse two schemes of a kind in :data:`PAYS_ONCE` in force in the same months (two QOF schemes
    only if they pay for an indicator in common)."""
    for i, first in enumerate(policy):
        for j in range(i + 1, len(policy)):
            second = policy[j]
            if first["scheme"] != second["scheme"] or first["scheme"] not in PAYS_ONCE:
                continue
            start = max(first["start"], second["start"])
            end = min(first["end"] if first["end"] is not None else months,
                      second["end"] if second["end"] is not None else months)
            if start >= end:
                continue
            common = ""
            if first["scheme"] == "qof":
                shared = [c for c in first["indicators"] if c in second["indicators"]]
                if not shared:
                    continue
                common = f" and both pay for {', '.join(shared[:3])}{' ...' if len(shared) > 3 else ''}"
            raise ConfigError(f"{where}[{i}] and {where}[{j}] are both {first['scheme']} schemes in force in months "
                              f"{start}-{end - 1}{common}: {PAYS_ONCE[first['scheme']]}")


MAX_POINTS = 1000      # points of one indicator; the whole 2014/15 QOF had 559
MAX_MINUTES = 6000     # minutes of care per eligible patient a year: 100 hours


def _indicators(items) -> list[dict]:
    """Check ``[[indicators]]`` entries (new indicators, or replacements of catalogue ones by code).

    Raises ConfigError naming the entry, the field, the value and what is allowed.
    """
    if not isinstance(items, list):
        raise ConfigError("indicators must be a list of [[indicators]] tables")
    known = {i.code: i for i in indicators.INDICATORS}
    conditions = [c.name for c in indicators.CONDITIONS]
    out, seen = [], {}
    for n, item in enumerate(items):
        where = f"indicators[{n}]"
        if not isinstance(item, dict) or "code" not in item:
            raise ConfigError(f"{where} must be a table with at least code = \"...\"")
        if not isinstance(item["code"], str) or not NAME_PATTERN.fullmatch(item["code"]):
            raise ConfigError(f"{where}.code = {item['code']!r} is not allowed: a code is a string of letters, "
                              f"digits, '-', '_' and '.' (e.g. \"DM_HBA1C\")")
        if item["code"] in seen:
            raise ConfigError(f"{where}.code = {item['code']!r} is given twice (also indicators[{seen[item['code']]}]): "
                              f"each indicator once")
        seen[item["code"]] = n
        where = f"{where} ({item['code']!r})"
        unknown = set(item) - set(indicators.INDICATOR_FIELDS)
        if unknown:
            raise ConfigError(f"{where}: unknown field {sorted(unknown)[0]!r}; allowed: {', '.join(indicators.INDICATOR_FIELDS)}")
        base = known.get(item["code"])
        if base is None and set(indicators.INDICATOR_FIELDS) - set(item) - {"description"}:
            missing = sorted(set(indicators.INDICATOR_FIELDS) - set(item) - {"description"})
            raise ConfigError(f"{where} is a new indicator, so it needs {', '.join(missing)}")
        entry = {**(base.__dict__ if base else {"description": ""}), **item}
        if entry["condition"] not in conditions:
            raise ConfigError(f"{where}.condition = {entry['condition']!r} is not a known condition; "
                              f"known: {', '.join(conditions)}")
        if entry["kind"] not in (indicators.RECORDING, indicators.ACTION):
            raise ConfigError(f"{where}.kind = {entry['kind']!r} is not allowed: choose recording or action")
        for key in ("condition", "kind", "description"):
            if not isinstance(entry[key], str):
                raise ConfigError(f"{where}.{key} = {entry[key]!r} has the wrong type: expected a string")
        for key in ("points", "lower", "upper", "ceiling", "minutes_per_patient_year"):
            value = entry[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{where}.{key} = {value!r} has the wrong type: expected a number")
            if not math.isfinite(value):
                raise ConfigError(f"{where}.{key} = {value!r} is not a finite number: expected a number")
        if not 0 <= entry["points"] <= MAX_POINTS:
            problem = "is negative" if entry["points"] < 0 else "is out of range"
            raise ConfigError(f"{where}.points = {entry['points']} {problem}: allowed 0 to {MAX_POINTS} "
                              f"(the whole 2014/15 QOF had 559 points)")
        if not 0 <= entry["lower"] < entry["upper"] <= 1:
            raise ConfigError(f"{where}: thresholds lower = {entry['lower']}, upper = {entry['upper']} are out of "
                              f"order: need 0 <= lower < upper <= 1")
        if not 0 < entry["ceiling"] <= 1:
            raise ConfigError(f"{where}.ceiling = {entry['ceiling']} is out of range: allowed above 0 up to 1")
        if not 0 < entry["minutes_per_patient_year"] <= MAX_MINUTES:
            raise ConfigError(f"{where}.minutes_per_patient_year = {entry['minutes_per_patient_year']} is out of "
                              f"range: allowed above 0 up to {MAX_MINUTES} (GP and nurse minutes per eligible "
                              f"patient a year)")
        out.append(entry)
    return out


def _check_population(pop: dict[str, Any]) -> dict[str, Any]:
    if pop["structure"] not in STRUCTURES:
        raise ConfigError(f"population.structure = {pop['structure']!r} is not allowed: choose fixed or per_seed")
    if pop["practices"] < pop["commissioners"]:
        raise ConfigError(f"population.practices = {pop['practices']} is fewer than population.commissioners = "
                          f"{pop['commissioners']}: every commissioner needs at least one practice")
    if pop["pdsa_share"] + pop["formal_method_share"] > 1:
        raise ConfigError(f"population.pdsa_share + population.formal_method_share = "
                          f"{pop['pdsa_share'] + pop['formal_method_share']:g} is more than 1")
    return pop


@dataclass(frozen=True)
class Constraint:
    """A rule between parameters that their ranges alone cannot say: ``excess(values)`` is above 0 when
    it is broken, and linear in the parameters (so a box of values is checked at its corners)."""

    names: tuple[str, ...]
    excess: Any
    message: str          # formatted with the values by name ({workforce_sessional_share}) and {total}


CONSTRAINTS = (
    Constraint(("workforce.sessional_share", "workforce.partner_share"),
               lambda v: v["workforce.sessional_share"] + v["workforce.partner_share"] - 1,
               "workforce.sessional_share + workforce.partner_share = {total:g} is more than 1 "
               "(the rest of the GPs are salaried): allowed a sum of at most 1"),
    Constraint(("investment.funding_per_patient", "commissioner.budget_per_patient_year"),
               lambda v: v["investment.funding_per_patient"] - v["commissioner.budget_per_patient_year"],
               "investment.funding_per_patient = {investment_funding_per_patient:g} GBP is more than a year's "
               "allocation (commissioner.budget_per_patient_year = {commissioner_budget_per_patient_year:g}): "
               "the fund is paid up front from the commissioner's budget, so allowed at most that"),
)


def check_constraints(params: dict[str, Any], where: str = "") -> None:
    """Raise a ConfigError naming the first :data:`CONSTRAINTS` rule ``params`` break."""
    for rule in CONSTRAINTS:
        excess = rule.excess(params)
        if excess > 1e-12:
            raise ConfigError(where + _constraint_text(rule, params, excess))


def check_constraints_over(bounds: dict[str, tuple[float, float]], params: dict[str, Any], where: str) -> None:
    """Raise a ConfigError if some point of the box ``bounds`` (the other parameters at ``params``)
    breaks a constraint: what sampling that box would run."""
    for rule in CONSTRAINTS:
        varied = [name for name in rule.names if name in bounds]
        if not varied:
            continue
        for corner in np.array(np.meshgrid(*[[0, 1]] * len(varied))).T.reshape(-1, len(varied)):
            values = {**params, **{name: bounds[name][side] for name, side in zip(varied, corner)}}
            excess = rule.excess(values)
            if excess > 1e-12:
                ranges = ", ".join(f"{name} [{bounds[name][0]:g}, {bounds[name][1]:g}]" for name in varied)
                raise ConfigError(f"{where}: the ranges {ranges} include points the model cannot run: "
                                  f"{_constraint_text(rule, values, excess)}; narrow them")


def _constraint_text(rule: Constraint, values: dict[str, Any], excess: float) -> str:
    named = {name.replace(".", "_"): float(values[name]) for name in rule.names}
    total = sum(float(values[name]) for name in rule.names)
    return rule.message.format(total=total, **named)


def plausibility_notes(params: dict[str, Any]) -> list[str]:
    """A note for each parameter set outside its plausible range (allowed, since it is inside the valid one)."""
    notes = []
    for name, value in params.items():
        param = parameters.PARAMETERS[name]
        low, high = param.plausible
        if not low <= value <= high:
            notes.append(f"{name} = {value:g} is outside its plausible range {low:g} to {high:g} {param.unit} "
                         f"(what sensitivity analyses sample); the model runs it, and the manifest records it")
    return notes


def _commissioner(raw: dict[str, Any]) -> dict[str, Any]:
    """The structural settings of ``[commissioner]``, taken out of the section (the rest are parameters)."""
    table = raw.get("commissioner", {})
    if not isinstance(table, dict):
        raise ConfigError("[commissioner] must be a table")
    given = {key: table.pop(key) for key in list(table) if key in COMMISSIONER_FIELDS}
    out = {key: f.check(f"commissioner.{key}", given[key]) if key in given else f.default
           for key, f in COMMISSIONER_FIELDS.items()}
    if out["decisions"] not in DECISIONS:
        raise ConfigError(f"commissioner.decisions = {out['decisions']!r} is not allowed: choose scripted or adaptive")
    return out


def _params(raw: dict[str, Any]) -> dict[str, float]:
    values = parameters.defaults()
    for section in parameters.SECTIONS:
        table = raw.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table of parameters")
        for key, value in table.items():
            name = f"{section}.{key}"
            param = parameters.PARAMETERS.get(name)
            if param is None:
                known = [p.name for p in parameters.TABLE]
                raise ConfigError(f"unknown parameter {name!r}{suggest(name, known)}")
            values[name] = check_param(param, value)
    return values


def check_param(param: parameters.Param, value: Any, where: str | None = None) -> float:
    """``value`` as a valid value of ``param``, or a ConfigError naming it and its range."""
    where = where or param.name
    value = _coerce(where, value, int if param.integer else float)
    low, high = param.allowed
    if not (low <= value <= high):
        plausible = param.plausible
        raise ConfigError(f"{where} = {value!r} is out of range: allowed {_range_text(low, high)} {param.unit}, "
                          f"what the model can represent (plausible: {_range_text(*plausible)})")
    return value


def _fields(section: str, table: Any, spec: dict[str, Field]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"[{section}] must be a table")
    for key in table:
        if key not in spec:
            raise ConfigError(f"unknown key {section}.{key}{suggest(key, spec, prefix=section + '.')}; "
                              f"allowed: {', '.join(spec)}")
    out = {}
    for key, f in spec.items():
        if key in table:
            out[key] = f.check(f"{section}.{key}", table[key])
        elif f.default is None:
            raise ConfigError(f"{section}.{key} is missing: give it ({f.meaning.rstrip('.')})")
        else:
            out[key] = f.default
    return out


def _groupings(items: Any, population: dict[str, Any]) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise ConfigError("groupings must be a list of [[groupings]] tables")
    out, names = [], set()
    per_commissioner: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        g = _fields(f"groupings[{i}]", item, GROUPING_FIELDS)
        where = f"groupings[{i}] ({g['name']!r})"
        if g["name"] in names:
            raise ConfigError(f"{where}: name {g['name']!r} is used by two groupings; names must be unique")
        if g["method"] not in IMPROVEMENT_METHODS:
            raise ConfigError(f"{where}.method = {g['method']!r} is not allowed: "
                              f"choose one of {', '.join(IMPROVEMENT_METHODS)}")
        if g["commissioner"] >= population["commissioners"]:
            raise ConfigError(f"{where}.commissioner = {g['commissioner']} does not exist: "
                              f"allowed 0 to {population['commissioners'] - 1}")
        if g["patients"] < g["practices"] * population["min_list_size"]:
            raise ConfigError(f"{where}.patients = {g['patients']} is too few for {g['practices']} practices "
                              f"of at least population.min_list_size = {population['min_list_size']}")
        names.add(g["name"])
        counts = per_commissioner.setdefault(g["commissioner"], [0, 0])
        counts[0] += g["practices"]
        counts[1] += g["patients"]
        out.append(g)
    n_c = population["commissioners"]
    for c in range(n_c):
        practices = population["practices"] // n_c + (c < population["practices"] % n_c)
        patients = population["patients"] // n_c
        in_groupings, grouped_patients = per_commissioner.get(c, (0, 0))
        rest, rest_patients = practices - in_groupings, patients - grouped_patients
        where = f"commissioner {c} (population.practices = {population['practices']}, population.patients = " \
                f"{population['patients']}, shared between {n_c} commissioner(s))"
        if rest < 0:
            raise ConfigError(f"groupings hold {in_groupings} practices but {where} has only {practices}")
        if rest == 0 and rest_patients > 0:
            raise ConfigError(f"groupings hold all {practices} practices of {where} but only {grouped_patients} "
                              f"of its {patients} patients: add practices or patients to the groupings")
        if rest > 0 and rest_patients < rest * population["min_list_size"]:
            raise ConfigError(f"{where}: {rest_patients} patients outside groupings are too few for {rest} practices "
                              f"of at least population.min_list_size = {population['min_list_size']}")
    return out


def require_known(where: str, values, known, kind: str) -> None:
    """Raise ConfigError naming the first of ``values`` that is not in ``known`` (a list of ``kind``)."""
    for value in values:
        if value not in known:
            raise ConfigError(f"{where}: {value!r} is not {kind}; known: {', '.join(map(str, known)) or 'none'}")


def validate_spec(index: int, spec: Any, context: dict[str, Any]) -> dict[str, Any]:
    """A validated ``[[policy]]`` entry: scheme name, window and the scheme's own fields.

    ``context`` holds what a scheme may check its fields against: ``months`` (the run's length),
    ``indicator_codes`` (the config's indicator catalogue) and ``grouping_names``.
    """
    months = context["months"]
    where = f"policy[{index}]"
    if not isinstance(spec, dict):
        raise ConfigError(f"{where} must be a table with at least scheme = \"...\"")
    name = spec.get("scheme")
    if not isinstance(name, str) or name not in SCHEMES:
        match = difflib.get_close_matches(str(name), list(SCHEMES), n=1)
        hint = f" (did you mean {match[0]!r}?)" if match else ""
        raise ConfigError(f"{where}.scheme = {name!r} is not a known scheme{hint}; known: {', '.join(sorted(SCHEMES))}")
    where = f"{where} ({name})"
    start = Field(int, 0, 0, None).check(f"{where}.start", spec.get("start", 0))
    given_end = spec.get("end")
    end = months if given_end is None else Field(int, months, 0, None).check(f"{where}.end", given_end)
    if start >= months:
        raise ConfigError(f"{where}.start = {start} is outside the run: run.months = {months}, "
                          f"so a scheme must start at month 0 to {months - 1}")
    if end <= start:
        raise ConfigError(f"{where}: end = {end} is not after start = {start}; a scheme is in force "
                          f"from start up to (not including) end")
    own = SCHEMES[name].validate(where, spec, {**context, "scheme": name, "start": start, "end": end})
    # An open end stays open (None): the scheme then runs to the end of the run, however long.
    return {"scheme": name, "start": start, "end": given_end, **own}


def _apply_policy_override(raw: dict[str, Any], parts: list[str], value: Any, key: str) -> None:
    """Apply ``--set policy.<scheme or index>.<field>=value`` to a raw config dict."""
    policy = raw.setdefault("policy", [{"scheme": "core_contract"}])
    if not isinstance(policy, list) or not all(isinstance(entry, dict) for entry in policy):
        raise ConfigError(f"--set {key}: the config's policy is not a list of [[policy]] tables")
    if len(parts) != 2:
        raise ConfigError(f"--set {key}: policy keys have the form policy.<scheme name or index>.<field>")
    which, field = parts
    if which.isdigit():
        if int(which) >= len(policy):
            raise ConfigError(f"--set {key}: the policy has {len(policy)} schemes: allowed indices 0 to {len(policy) - 1}")
        entry = policy[int(which)]
    else:
        matches = [s for s in policy if isinstance(s, dict) and s.get("scheme") == which]
        if len(matches) != 1:
            names = [s.get("scheme") for s in policy if isinstance(s, dict)]
            problem = "is not in" if not matches else "appears more than once in"
            raise ConfigError(f"--set {key}: scheme {which!r} {problem} the policy ({', '.join(map(str, names))}); "
                              f"use its index, policy.<index>.{field}")
        entry = matches[0]
    entry[field] = value


def _apply_override(raw: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    if parts[0] == "policy":
        _apply_policy_override(raw, parts[1:], value, key)
        return
    if parts[0] == "groupings":
        raise ConfigError(f"--set {key}: groupings cannot be changed with --set; they can only be set in a config "
                          f"file's [[groupings]]")
    if len(parts) != 2:
        raise ConfigError(f"--set {key}: keys have the form section.name (e.g. run.months, demand.growth_per_year)")
    section, name = parts
    if section not in SECTIONS:
        raise ConfigError(f"--set {key}: unknown section {section!r}{suggest(section, SECTIONS)}")
    table = raw.setdefault(section, {})
    if not isinstance(table, dict):
        raise ConfigError(f"--set {key}: [{section}] is not a table")
    table[name] = value


def _coerce(where: str, value: Any, kind: type) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{where} = {value!r} has the wrong type: expected {_type_name(kind)}, "
                          f"got {_type_name(type(value))}")
    if kind is float and not math.isfinite(value):
        raise ConfigError(f"{where} = {value!r} is not a finite number: expected a number")
    return value


def _type_name(kind: type) -> str:
    return {int: "an integer", float: "a number", str: "a string", bool: "true or false",
            list: "a list", dict: "a table"}.get(kind, kind.__name__)


def _range_text(low: float | None, high: float | None) -> str:
    if low is None or low == -math.inf:
        return f"at most {_number(high)}"
    if high is None or high == math.inf:
        return f"at least {_number(low)}"
    return f"{_number(low)} to {_number(high)}"


def _number(value: float) -> str:
    return str(value)


def suggest(word: str, choices, prefix: str = "") -> str:
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {prefix + match[0]!r}?)" if match else ""


def resolve(config=None, *, seed: int | None = None, months: int | None = None,
            overrides: dict[str, Any] | None = None) -> Config:
    """A Config from a path, a Config, a dict of sections or None, with seed, months and dotted
    overrides (``demand.growth_per_year`` or ``demand__growth_per_year``) applied."""
    if config is None or isinstance(config, (str, Path)):
        base = load(config)
    elif isinstance(config, Config):
        base = config
    elif isinstance(config, dict):
        base = from_dict(config)
    else:
        raise ConfigError(f"config must be a path, a Config, a dict or None, not {type(config).__name__}")
    changes = {key.replace("__", "."): value for key, value in (overrides or {}).items()}
    if seed is not None:
        changes["run.seed"] = seed
    if months is not None:
        changes["run.months"] = months
    return base.replace(**changes) if changes else base
