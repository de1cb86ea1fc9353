"""Sensitivity analysis with SALib: which uncertainties decide between the policies.

A spec (TOML) picks parameters from the parameter table (whose plausible
ranges are the default; a spec may narrow them), the policies whose contrast
is analysed, the horizon and the outputs::

    [sa]
    name = "contrast"
    config = "../configs/default.toml"
    method = "sobol"                # sobol | morris | fast | delta (pcsim sa --method overrides)
    samples = 256                   # SALib's N (a power of 2 for Sobol)
    policies = ["investment_fund", "micro_incentives"]
    horizon = 60                    # months: outcomes of year 5
    replicates = 1
    seed = 1
    outputs = ["emergency_admissions_per_1000", "quality_incentivised_delivered", "morale"]

    [parameters]                    # name = [] for the table's range, or [low, high] to narrow it
    "motivation.crowd_out_per_month" = []
    "investment.funding_per_patient" = [5.0, 20.0]

Every sample runs every policy on the same seeds (common random numbers); the
outputs analysed are each policy's outcome and the contrast first minus
second policy (e.g. investment fund minus micro-incentives in admissions at
year 5). Runs go through the sweep machinery (:mod:`pcsim.sweeps`): stored as
they finish, resumable, local or on Dask. Indices come with bootstrap
confidence intervals; for Sobol a convergence check recomputes them on the
first quarter and half of the samples.

A whole-number parameter (``commissioner.data_lag_months``) is sampled over its range
and rounded for the runs. The sampled box must hold only points the model can run:
ranges that break a rule between parameters (:data:`pcsim.config.CONSTRAINTS`, such
as sessional and partner shares summing to more than 1) are refused before anything
runs. ``record`` and ``record_every`` keep outputs over time, as for a sweep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pcsim import config as configs
from pcsim.config import ConfigError, spec_range
from pcsim.experiments import compare, sweeps
from pcsim.inputs import parameters

METHODS = ("sobol", "morris", "fast", "delta")
SA_FIELDS = {"name": str, "config": str, "method": str, "samples": int, "policies": list, "horizon": int,
             "replicates": int, "seed": int, "outputs": list, "chunk": int, "record": list, "record_every": int}
DEFAULT_OUTPUTS = ("emergency_admissions_per_1000", "quality_incentivised_delivered", "quality_non_incentivised",
                   "morale", "net_savings")


def problem_from(space: dict[str, Any]) -> dict[str, Any]:
    """SALib's problem: parameter names and bounds, from the table, narrowed by the spec."""
    names, bounds = [], []
    for name, given in space.items():
        param = parameters.PARAMETERS.get(name)
        low, high = spec_range(name, given)
        if param.integer and round(high) - round(low) < 1:
            raise ConfigError(f"parameters.{name} = {given!r}: a whole-number parameter needs a range spanning at "
                              f"least two whole numbers")
        names.append(name)
        bounds.append([low, high])
    if len(names) < 2:
        raise ConfigError(f"[parameters] names {len(names)} parameter(s): a sensitivity analysis needs at least two "
                          f"(name = [] for the table's plausible range)")
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def sample(problem: dict, method: str, n: int, seed: int) -> np.ndarray:
    from SALib.sample import fast_sampler, latin, morris, sobol

    if method == "sobol":
        return sobol.sample(problem, n, calc_second_order=False, seed=seed)
    if method == "morris":
        return morris.sample(problem, n, num_levels=4, seed=seed)
    if method == "fast":
        return fast_sampler.sample(problem, max(n, 65), M=4, seed=seed)
    return latin.sample(problem, n, seed=seed)


def analyse(problem: dict, method: str, x: np.ndarray, y: np.ndarray, seed: int) -> pd.DataFrame:
    """Indices of one output, one row a parameter: index, its 95% half-width, and the total where there is one."""
    from SALib.analyze import delta, fast, morris, sobol

    if method == "sobol":
        r = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
        return pd.DataFrame({"S1": r["S1"], "S1_conf": r["S1_conf"], "ST": r["ST"], "ST_conf": r["ST_conf"]},
                            index=problem["names"])
    if method == "morris":
        r = morris.analyze(problem, x, y, num_levels=4, seed=seed)
        return pd.DataFrame({"mu_star": r["mu_star"], "mu_star_conf": r["mu_star_conf"], "sigma": r["sigma"]},
                            index=problem["names"])
    if method == "fast":
        r = fast.analyze(problem, y, M=4, seed=seed)
        return pd.DataFrame({"S1": r["S1"], "S1_conf": r["S1_conf"], "ST": r["ST"], "ST_conf": r["ST_conf"]},
                            index=problem["names"])
    r = delta.analyze(problem, x, y, seed=seed)
    return pd.DataFrame({"delta": r["delta"], "delta_conf": r["delta_conf"], "S1": r["S1"], "S1_conf": r["S1_conf"]},
                        index=problem["names"])


def _samples(given: int | None, table: dict[str, Any], method: str) -> int:
    """SALib's N: the spec's ``samples`` (or ``given``), a power of two for Sobol (Saltelli) sampling."""
    n = sweeps._positive_int({"sa.samples": given if given else table.get("samples", 64)}, "sa.samples", 64,
                             minimum=2, maximum=1_000_000)
    if method == "sobol" and n & (n - 1):
        low = 1 << (n.bit_length() - 1)
        raise ConfigError(f"sa.samples = {n} is not a power of 2: Sobol (Saltelli) sampling needs one; the nearest are "
                          f"{low} and {2 * low}")
    return n


def main_index(method: str) -> str:
    return {"sobol": "ST", "morris": "mu_star", "fast": "ST", "delta": "delta"}[method]


class Study:
    """A sensitivity analysis: its problem, samples, runs (a sweep plan) and analysis."""

    def __init__(self, spec_path: str | Path, method: str | None = None, overrides: list[str] | None = None,
                 samples: int | None = None):
        """``samples`` (SALib's N) replaces the spec's, as ``pcsim figures --quick`` does."""
        spec_path = Path(spec_path)
        table, space = sweeps.load_spec(spec_path, "sa", SA_FIELDS)
        self.method = method or table.get("method", "sobol")
        if self.method not in METHODS:
            raise ConfigError(f"sa.method = {self.method!r} is not allowed: choose one of {', '.join(METHODS)}")
        self.problem = problem_from(space)
        self.samples = _samples(samples, table, self.method)
        self.seed = sweeps._positive_int(table, "seed", 1, minimum=0)
        self.replicates = sweeps._positive_int(table, "replicates", 1, maximum=10_000)
        self.outputs = list(table.get("outputs", DEFAULT_OUTPUTS))
        for name in self.outputs:
            if not isinstance(name, str) or name not in compare.METRIC_NAMES:
                raise ConfigError(f"sa.outputs: {name!r} is not an output{configs.suggest(name, compare.METRIC_NAMES)}; "
                                  f"known: {', '.join(compare.METRIC_NAMES)}")
        if not self.outputs:
            raise ConfigError(f"sa.outputs is empty: name at least one of {', '.join(compare.METRIC_NAMES)}")
        table = {**table, "months": table.get("horizon")}
        self.base = sweeps.base_config(spec_path, {k: v for k, v in table.items() if k in ("config", "months")},
                                       overrides)
        self.policies = list(table.get("policies", ["investment_fund", "micro_incentives"]))
        if not 1 <= len(self.policies) <= 2 or len(set(map(str, self.policies))) != len(self.policies):
            raise ConfigError(f"sa.policies = {self.policies!r}: name one policy, or two different ones to analyse "
                              f"their contrast")
        for name in self.policies:
            self.base.with_policy(name)
        bounds = dict(zip(self.problem["names"], map(tuple, self.problem["bounds"])))
        configs.check_constraints_over(bounds, self.base.params, f"{spec_path}: [parameters]")
        record, every = sweeps.recording(table, self.base.months, "sa")
        self.x = sample(self.problem, self.method, self.samples, self.seed)
        runs = [sweeps.Run(i, r, compare.replicate_seed(self.seed, r),
                           {name: sweeps.as_value(name, value) for name, value in zip(self.problem["names"], row)},
                           policy)
                for policy in self.policies for i, row in enumerate(self.x) for r in range(self.replicates)]
        name = sweeps.study_name(table, spec_path, "sa") + f"-{self.method}"
        warnings = sweeps.outside_plausible({n: list(b) for n, b in bounds.items()}, "sa") + self.base.notes
        self.plan = sweeps.Plan(name, self.base.to_dict(), runs,
                                sweeps._positive_int(table, "chunk", 64, maximum=10_000),
                                {"sa": {k: v for k, v in table.items() if v is not None}, "parameters": space,
                                 "method": self.method, "overrides": overrides or [], "warnings": warnings},
                                record, every)

    @staticmethod
    def output_label(output: str) -> str:
        """An analysed output in words (:func:`output_label`)."""
        return output_label(output)

    def responses(self, results: pd.DataFrame) -> dict[str, np.ndarray]:
        """Each analysed output per sample (mean over replicates): each policy's, and the contrast."""
        out = {}
        means = results.groupby(["policy", "point"])[self.outputs].mean()
        for metric in self.outputs:
            per_policy = [means.loc[p, metric].reindex(range(len(self.x))).to_numpy() for p in self.policies]
            for policy, values in zip(self.policies, per_policy):
                out[f"{metric} | {policy}"] = values
            if len(self.policies) == 2:
                out[f"{metric} | {self.policies[0]} - {self.policies[1]}"] = per_policy[0] - per_policy[1]
        return out

    def analyse(self, results: pd.DataFrame) -> pd.DataFrame:
        """Indices of every output (long table: output, parameter, indices)."""
        frames = []
        for output, y in self.responses(results).items():
            if not np.all(np.isfinite(y)):
                raise ValueError(f"output {output!r} is incomplete: the study has not finished")
            frame = analyse(self.problem, self.method, self.x, y, self.seed)
            frame.insert(0, "output", output)
            frames.append(frame.rename_axis("parameter").reset_index())
        return pd.concat(frames, ignore_index=True)

    def convergence(self, results: pd.DataFrame) -> pd.DataFrame:
        """Sobol total indices on the first quarter, half and all of the base samples."""
        if self.method != "sobol":
            return pd.DataFrame()
        block = self.problem["num_vars"] + 2
        responses = self.responses(results)
        frames = []
        for fraction in (0.25, 0.5, 1.0):
            n = max(2, int(self.samples * fraction))
            for output, y in responses.items():
                frame = analyse(self.problem, "sobol", self.x[: n * block], y[: n * block], self.seed)
                frames.append(pd.DataFrame({"output": output, "parameter": frame.index, "samples": n,
                                            "ST": frame["ST"].to_numpy(), "ST_conf": frame["ST_conf"].to_numpy()}))
        return pd.concat(frames, ignore_index=True)


def summary_text(study: Study, indices: pd.DataFrame, top: int = 5) -> str:
    """What the study says, a line an output: its most influential parameters by their labels, ranked by
    the method's main index. Morris's mu* is in the output's own units, so it is shown as a share of
    the largest mu* of that output (1.00 for the most influential), with the largest's own value."""
    key = main_index(study.method)
    outputs = list(dict.fromkeys(indices["output"]))
    shown = [o for o in outputs if " - " in o] or outputs
    lines = [f"Most influential parameters ({_index_words(study.method)}):"]
    for output in shown:
        part = indices[indices["output"] == output].nlargest(top, key)
        largest = float(part[key].max()) if len(part) else 0.0
        if study.method == "morris":
            cells = [f"{parameters.PARAMETERS[p].label} {v / largest if largest > 0 else 0:.2f}"
                     for p, v in zip(part["parameter"], part[key])]
            scale = f" (largest mu* = {largest:.3g})"
        else:
            cells = [f"{parameters.PARAMETERS[p].label} {v:.2f}" for p, v in zip(part["parameter"], part[key])]
            scale = ""
        lines.append(f"  {output_label(output)}{scale}: " + "; ".join(cells))
    return "\n".join(lines)


def _index_words(method: str) -> str:
    return {"sobol": "Sobol total index ST", "morris": "Morris mu*, as a share of the largest",
            "fast": "FAST total index ST", "delta": "Borgonovo delta"}[method]


def output_label(output: str) -> str:
    """An analysed output in words: "Emergency admissions per 1,000 a month (final year): investment fund
    minus micro-incentives"."""
    metric, _, policies = output.partition(" | ")
    labels = {name: label.strip() for name, _, label in compare.METRICS}
    words = " minus ".join(POLICY_WORDS.get(p, p.replace("_", " ")) for p in policies.split(" - "))
    return f"{labels.get(metric, metric)}: {words}"


POLICY_WORDS = {"status_quo": "status quo", "micro_incentives": "micro-incentives",
                "investment_fund": "investment fund", "investment_fund_all": "commissioner-wide fund"}
