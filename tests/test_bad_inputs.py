"""A corpus of bad input: every one gets exit code 2 and one line naming the field or argument, the value
and what is allowed; no traceback; nothing written.

The corpus covers configs, the command line, sweep and SA specs, figure specs and study folders. Each
case runs the real command (``pcsim.cli.main``) in an empty working directory holding only its inputs;
the test fails if the command raises (a traceback would reach the user), exits otherwise than with 2,
prints more than one line (argparse's own errors: its usage, then one line), or leaves any file it was
not given.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from pcsim.cli import main

from .conftest import CONFIGS, ROOT

DEFAULT = CONFIGS / "default.toml"
ALLOWED_WORDS = ("allowed", "known", "choose", "give", "expected", "must", "need", "did you mean", "name ", "narrow",
                 "at least", "at most", "only", "use ", "delete", "start one", "wait", "each", "a folder", "a file",
                 "a new or empty", "is not a", "not empty", "more than", "not after", "made before")

# ---------------------------------------------------------------------------------------------- configs
CONFIGS_BAD = [
    # the file itself
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["bad.toml", "not UTF-8", "UTF-8 text"]),
    ("latin-1", "[run]\nname = 'caf\xe9'\n".encode("latin-1"), ["not UTF-8", "byte"]),
    ("not toml", b"[run\nmonths = 3", ["not valid TOML", "line 1"]),
    ("nul byte", b"[run]\nmonths = 3\x00", ["not valid TOML"]),
    # sections and run
    ("unknown section", "[runn]\nmonths = 3", ["[runn]", "did you mean", "allowed"]),
    ("unknown run key", "[run]\nmnths = 3", ["run.mnths", "run.months"]),
    ("months zero", "[run]\nmonths = 0", ["run.months", "0", "1 to 1200"]),
    ("months huge", "[run]\nmonths = 100000", ["run.months", "100000", "1 to 1200"]),
    ("months text", "[run]\nmonths = 'ten'", ["run.months", "'ten'", "an integer"]),
    ("months fraction", "[run]\nmonths = 12.5", ["run.months", "12.5", "an integer"]),
    ("seed negative", "[run]\nseed = -1", ["run.seed", "-1", "allowed 0 to"]),
    ("seed nan", "[run]\nseed = nan", ["run.seed", "nan", "an integer"]),
    ("name path", "[run]\nname = '../x'", ["run.name", "'../x'", "letters, digits"]),
    ("name absolute", "[run]\nname = '/tmp/x'", ["run.name", "'/tmp/x'", "letters"]),
    ("name number", "[run]\nname = 5", ["run.name", "5", "a string"]),
    ("run not table", "run = 5", ["[run]", "a table"]),
    # population and groupings
    ("practices zero", "[population]\npractices = 0", ["population.practices", "0", "1 to 20000"]),
    ("patients inf", "[population]\npatients = inf", ["population.patients", "inf", "an integer"]),
    ("gp list nan", "[population]\npatients_per_gp = nan", ["population.patients_per_gp", "nan", "finite number"]),
    ("pdsa shares", "[population]\npdsa_share = 0.9\nformal_method_share = 0.2", ["pdsa_share", "more than 1"]),
    ("too few practices", "[population]\npractices = 40", ["groupings hold all 40 practices"]),
    ("grouping twice", "[[groupings]]\nname = 'A'\npractices = 2\npatients = 9000\n"
                       "[[groupings]]\nname = 'A'\npractices = 1\npatients = 5000", ["'A'", "unique"]),
    ("grouping method", "[[groupings]]\nname = 'A'\npractices = 2\npatients = 9000\nmethod = 'lean'",
     ["method", "'lean'", "pdsa"]),
    ("grouping practices text", "[[groupings]]\nname = 'A'\npractices = 'two'\npatients = 9000",
     ["practices", "'two'", "an integer"]),
    ("grouping missing", "[[groupings]]\nname = 'A'\npatients = 9000", ["practices is missing"]),
    ("grouping commissioner", "[[groupings]]\nname = 'A'\npractices = 2\npatients = 9000\ncommissioner = 3",
     ["commissioner = 3", "allowed 0 to 0"]),
    ("grouping unknown key", "[[groupings]]\nname = 'A'\npractices = 2\npatients = 9000\nsize = 3",
     ["groupings[0].size", "allowed"]),
    ("groupings not list", "groupings = 3", ["groupings", "a list"]),
    # indicators
    ("indicator points nan", "[[indicators]]\ncode = 'HYP_BP'\npoints = nan", ["HYP_BP", "points", "nan", "finite"]),
    ("indicator minutes nan", "[[indicators]]\ncode = 'HYP_BP'\nminutes_per_patient_year = nan",
     ["minutes_per_patient_year", "nan", "a number"]),
    ("indicator minutes inf", "[[indicators]]\ncode = 'HYP_BP'\nminutes_per_patient_year = inf",
     ["minutes_per_patient_year", "inf"]),
    ("indicator upper nan", "[[indicators]]\ncode = 'HYP_BP'\nupper = nan", ["upper", "nan"]),
    ("indicator points negative", "[[indicators]]\ncode = 'HYP_BP'\npoints = -3", ["points", "-3", "allowed 0 to"]),
    ("indicator points huge", "[[indicators]]\ncode = 'HYP_BP'\npoints = 1e9", ["points", "allowed 0 to 1000"]),
    ("indicator minutes zero", "[[indicators]]\ncode = 'HYP_BP'\nminutes_per_patient_year = 0",
     ["minutes_per_patient_year", "allowed above 0"]),
    ("indicator thresholds", "[[indicators]]\ncode = 'HYP_BP'\nlower = 0.8\nupper = 0.4", ["HYP_BP", "lower < upper"]),
    ("indicator ceiling", "[[indicators]]\ncode = 'HYP_BP'\nceiling = 0", ["ceiling", "above 0 up to 1"]),
    ("indicator unknown field", "[[indicators]]\ncode = 'HYP_BP'\nweight = 2", ["'weight'", "allowed"]),
    ("indicator condition", "[[indicators]]\ncode = 'X1'\ncondition = 'gout'\nkind = 'action'\npoints = 5\n"
                            "lower = 0.4\nupper = 0.8\nceiling = 0.9\nminutes_per_patient_year = 10",
     ["condition", "'gout'", "known"]),
    ("indicator kind", "[[indicators]]\ncode = 'HYP_BP'\nkind = 'audit'", ["kind", "'audit'", "recording or action"]),
    ("indicator new incomplete", "[[indicators]]\ncode = 'NEW1'\npoints = 5", ["NEW1", "needs"]),
    ("indicator code number", "[[indicators]]\ncode = 7", ["code = 7", "letters"]),
    ("indicator code twice", "[[indicators]]\ncode = 'HYP_BP'\n[[indicators]]\ncode = 'HYP_BP'",
     ["'HYP_BP'", "twice"]),
    ("indicator description", "[[indicators]]\ncode = 'HYP_BP'\ndescription = 3", ["description", "a string"]),
    ("indicator no code", "[[indicators]]\npoints = 3", ["indicators[0]", "code"]),
    # the policy timeline
    ("scheme unknown", "[[policy]]\nscheme = 'core_contrakt'", ["core_contrakt", "did you mean 'core_contract'"]),
    ("scheme start", "[run]\nmonths = 12\n[[policy]]\nscheme = 'core_contract'\nstart = 30",
     ["start = 30", "0 to 11"]),
    ("scheme end", "[[policy]]\nscheme = 'core_contract'\nstart = 5\nend = 5", ["end = 5", "not after start"]),
    ("scheme start negative", "[[policy]]\nscheme = 'core_contract'\nstart = -1", ["start", "-1", "at least 0"]),
    ("scheme unknown field", "[[policy]]\nscheme = 'qof'\npoints = 3", ["'points'", "qof", "allowed"]),
    ("qof indicator", "[[policy]]\nscheme = 'qof'\nindicators = ['HYP_BP', 'XX']", ["'XX'", "not an indicator", "known"]),
    ("qof withdraw code", "[[policy]]\nscheme = 'qof'\nindicators = ['HYP_BP']\nwithdraw = {DM_BP = 5}",
     ["withdraw", "'DM_BP'", "not one of the scheme's indicators"]),
    ("qof withdraw month", "[[policy]]\nscheme = 'qof'\nwithdraw = {HYP_BP = 500}", ["withdraw.HYP_BP", "500", "allowed"]),
    ("qof withdraw text", "[[policy]]\nscheme = 'qof'\nwithdraw = {HYP_BP = 'soon'}", ["withdraw.HYP_BP", "'soon'",
                                                                                      "a month number"]),
    ("qof exceptions text", "[[policy]]\nscheme = 'qof'\nexception_reporting = 'yes'",
     ["exception_reporting", "'yes'", "true or false"]),
    ("cquin schemes zero", "[[policy]]\nscheme = 'cquin'\nschemes = 0", ["schemes", "0", "1 to 50"]),
    ("cquin budget", "[[policy]]\nscheme = 'cquin'\nbudget_per_patient_year = -1.0", ["budget_per_patient_year", "-1.0"]),
    ("services unknown", "[[policy]]\nscheme = 'enhanced_services'\nservices = ['podiatry']", ["'podiatry'", "known"]),
    ("services scale", "[[policy]]\nscheme = 'enhanced_services'\npayment_scale = 100.0", ["payment_scale", "0 to 20"]),
    ("fund mode", "[[policy]]\nscheme = 'investment_fund'\nmode = 'loan'", ["mode", "unknown field", "allowed"]),
    ("fund paid", "[[policy]]\nscheme = 'investment_fund'\ndesign = { paid = 'loan' }", ["paid", "'loan'", "up_front"]),
    ("fund applicants", "[[policy]]\nscheme = 'investment_fund'\napplicants = ['Z']", ["'Z'", "not a grouping", "known"]),
    ("fund places", "[[policy]]\nscheme = 'investment_fund'\nplaces = 0", ["places", "0", "1 to 10000"]),
    ("rollout contract", "[[policy]]\nscheme = 'rollout'\ncontract = 'loose'", ["contract", "'loose'"]),
    ("risk share", "[[policy]]\nscheme = 'risk_sharing'\nshare = 2.0", ["share", "2.0", "0 to 1"]),
    ("two core contracts", "[[policy]]\nscheme = 'core_contract'\n[[policy]]\nscheme = 'core_contract'\nstart = 5",
     ["core_contract", "paid twice"]),
    ("two QOF schemes", "[[policy]]\nscheme = 'core_contract'\n[[policy]]\nscheme = 'qof'\n"
                        "[[policy]]\nscheme = 'qof'\nstart = 10\nindicators = ['HYP_BP']", ["qof", "HYP_BP", "paid twice"]),
    ("policy not list", "policy = 'qof'", ["policy", "a list"]),
    ("policy entry", "policy = [1]", ["policy[0]", "scheme"]),
    # named policies
    ("policies unused unknown key", "[[policies.mine]]\nscheme = 'qof'\ncolour = 'red'",
     ["policies.mine", "'colour'", "allowed"]),
    ("policies bad name", "[[policies.'a b']]\nscheme = 'qof'", ["'a b'", "letters"]),
    ("policies unknown scheme", "[[policies.mine]]\nscheme = 'qoff'", ["policies.mine", "'qoff'", "known"]),
    ("policies empty", "[policies]\nmine = []", ["policies.mine", "non-empty"]),
    ("policies not table", "policies = 3", ["policies", "a table"]),
    ("policies overlap", "[[policies.mine]]\nscheme = 'core_contract'\n[[policies.mine]]\nscheme = 'core_contract'",
     ["policies.mine", "paid twice"]),
    # parameters
    ("parameter unknown", "[demand]\ngrowth_per_yer = 0.02", ["demand.growth_per_yer", "did you mean"]),
    ("parameter invalid", "[motivation]\ntrait_sd = 2.0", ["motivation.trait_sd", "2.0", "allowed 0.0 to 1.0"]),
    ("parameter nan", "[demand]\ngrowth_per_year = nan", ["demand.growth_per_year", "nan", "finite"]),
    ("parameter inf", "[hospital]\ncost_per_emergency_admission = inf", ["cost_per_emergency_admission", "inf"]),
    ("parameter text", "[demand]\ngrowth_per_year = 'fast'", ["demand.growth_per_year", "'fast'", "a number"]),
    ("parameter bool", "[demand]\ngrowth_per_year = true", ["demand.growth_per_year", "True", "a number"]),
    ("parameter divisor zero", "[workforce]\nhours_per_month_partner = 0", ["hours_per_month_partner", "1.0 to 744.0"]),
    ("parameter exception rate", "[qof]\nexception_rate = 1.0", ["qof.exception_rate", "0 to 0.9"]),
    ("parameter integer", "[commissioner]\ndata_lag_months = 2.5", ["data_lag_months", "2.5", "an integer"]),
    ("parameter section", "demand = 5", ["[demand]", "a table"]),
    ("shares over 1", "[workforce]\nsessional_share = 0.35\npartner_share = 0.7", ["sessional_share", "1.05",
                                                                                   "at most 1"]),
    ("fund over budget", "[investment]\nfunding_per_patient = 3000.0", ["funding_per_patient", "3000", "budget"]),
]

# ------------------------------------------------------------------------------------ command lines
CLI_BAD = [
    (["run", "missing.toml"], ["missing.toml", "does not exist", "give the path"]),
    (["run", "."], ["'.'", "a directory", "give the path of a TOML file"]),
    (["run", ""], ["''", "give the path"]),
    (["run", "--months", "0"], ["--months", "positive"]),
    (["run", "--months", "-3"], ["--months", "-3"]),
    (["run", "--months", "5000"], ["run.months", "5000", "1 to 1200"]),
    (["run", "--seed", "-1"], ["run.seed", "-1", "allowed 0 to"]),
    (["run", "--set", "demand.grwth_per_year=0.02"], ["demand.grwth_per_year", "did you mean"]),
    (["run", "--set", "nonsense"], ["'nonsense'", "key=value"]),
    (["run", "--set", "=3"], ["'=3'", "key=value"]),
    (["run", "--set", "demand=3"], ["demand", "section.name"]),
    (["run", "--set", "nosection.key=3"], ["nosection", "unknown section"]),
    (["run", "--set", "groupings.0.name=x"], ["groupings", "only be set in a config file"]),
    (["run", "--set", "policy.qof.start=1"], ["'qof'", "not in the policy"]),
    (["run", "--set", "policy.7.start=1"], ["policy.7.start", "indices 0 to 0"]),
    (["run", "--set", "policy.core_contract.end=0"], ["end = 0", "not after start"]),
    (["run", "--set", "run.months=0"], ["run.months", "0", "1 to 1200"]),
    (["run", "--set", "innovation.effect_mean=1.5"], ["innovation.effect_mean", "1.5", "allowed 0.0 to 1.0"]),
    (["run", "--set", "demand.growth_per_year=nan"], ["demand.growth_per_year", "nan"]),
    (["run", "--policy", "investment_fnd"], ["'investment_fnd'", "did you mean 'investment_fund'", "known"]),
    (["run", "--out", "afile"], ["--out", "afile", "a file", "new or empty folder"]),
    (["run", "--out", "full"], ["--out", "full", "not empty"]),
    (["run", "ace", "--set", "policy.investment_fund.places=0"], ["places", "0", "1 to 10000"]),
    (["compare", "--replicates", "1"], ["--replicates", "1", "at least 2"]),
    (["compare", "--policies", "status_quo"], ["--policies", "'status_quo'", "at least two"]),
    (["compare", "--policies", "status_quo,status_quo"], ["--policies", "status_quo", "twice"]),
    (["compare", "--policies", "status_quo,qof_focussed"], ["'qof_focussed'", "known"]),
    (["compare", "--months", "0"], ["--months", "0", "1 to 1200"]),
    (["compare", "--seed", "-4"], ["--seed", "-4", "0 or more"]),
    (["compare", "--out", "full"], ["--out", "full", "not empty"]),
    (["compare", "--out", "afile"], ["--out", "afile", "a file"]),
    (["compare", "nothere.toml"], ["nothere.toml", "does not exist"]),
    (["sweep", "nothere.toml"], ["nothere.toml", "does not exist"]),
    (["sweep", str(ROOT / "experiments" / "sweep_demand.toml"), "--workers", "0"], ["--workers", "0", "1 to 1024"]),
    (["sweep", str(ROOT / "experiments" / "sweep_demand.toml"), "--workers", "2", "--scheduler", "tcp://h:1"],
     ["--workers and --scheduler", "give one"]),
    (["sweep", str(ROOT / "experiments" / "sweep_demand.toml"), "--scheduler", "nonsense"],
     ["--scheduler", "'nonsense'", "tcp://HOST:PORT"]),
    (["sweep", str(ROOT / "experiments" / "sweep_demand.toml"), "--scheduler", "tcp://127.0.0.1:1"],
     ["--scheduler", "tcp://127.0.0.1:1", "no Dask scheduler answers", "start one"]),
    (["sweep", str(ROOT / "experiments" / "sweep_demand.toml"), "--out", "afile"], ["--out", "afile", "a file"]),
    (["sweep", str(ROOT / "experiments" / "sweep_demand.toml"), "--out", "full"],
     ["--out", "full", "holds no pcsim study"]),
    (["sweep", str(ROOT / "experiments" / "sweep_demand.toml"), "--set", "demand.growth_per_year=9"],
     ["growth_per_year", "9", "allowed"]),
    (["sa", "nothere.toml"], ["nothere.toml", "does not exist"]),
    (["sa", str(ROOT / "experiments" / "sa_small.toml"), "--workers", "0"], ["--workers", "0"]),
    (["response", "--levels", "abc"], ["--levels", "'abc'", "numbers separated by commas"]),
    (["response", "--levels", "5"], ["--levels", "5", "at least two levels"]),
    (["response", "--levels=-5,5"], ["--levels", "-5,5", "none negative"]),
    (["response", "--levels", "nan,5"], ["--levels", "nan,5", "finite"]),
    (["response", "--levels", "5,5"], ["--levels", "5,5", "twice"]),
    (["response", "--levels", "0,2000", "--months", "120"], ["level 2000", "budget_per_patient_year", "at most"]),
    (["response", "--target", "nan"], ["--target", "nan", "above 0 and below 100"]),
    (["response", "--target", "0"], ["--target", "0", "above 0"]),
    (["response", "--target", "150"], ["--target", "150", "below 100"]),
    (["response", "--replicates", "1"], ["--replicates", "1", "at least 2"]),
    (["response", "--parameter-sets", "1"], ["--parameter-sets", "1", "at least 2"]),
    (["response", "--months", "6"], ["--months", "6", "at least 12"]),
    (["response", "--seed", "-1"], ["--seed", "-1", "0 or more"]),
    (["figures", "--only", "fig9_nothing"], ["--only", "fig9_nothing", "known"]),
    (["figures", "--only", ","], ["--only", "','", "at least one figure"]),
    (["figures", "--specs", "nowhere"], ["nowhere", "not a directory", "--specs"]),
    (["figures", "--specs", "empty"], ["empty", "no figure specs"]),
    (["figures", "--workers", "0"], ["--workers", "0"]),
    (["figures", "--only", "fig4_policy_contrast", "--out", "afile"], ["afile", "a file"]),
    (["figures", "--only", "fig4_policy_contrast", "--out", "full"], ["full", "holds no pcsim study"]),
    (["viz", "--port", "0"], ["--port", "0", "1 to 65535"]),
    (["viz", "nothere.toml"], ["nothere.toml", "does not exist"]),
    (["params", "motivaton"], ["'motivaton'", "sections"]),
]

ARGPARSE_BAD = [            # argparse's errors: the command's usage, then one line with a suggestion
    (["run", "--seeed", "3"], ["pcsim run: error", "--seeed", "did you mean --seed"]),
    (["compare", "--polices", "a,b"], ["pcsim compare: error", "--polices", "did you mean --policies"]),
    (["sweep", "x.toml", "--wrkers", "2"], ["pcsim sweep: error", "--wrkers", "did you mean --workers"]),
    (["sa", "x.toml", "--method", "sobolx"], ["pcsim sa: error", "'sobolx'", "choose from"]),
    (["rn"], ["pcsim: error", "'rn'", "did you mean run"]),
    (["run", "--months", "ten"], ["pcsim run: error", "--months", "'ten'"]),
    (["response", "--target", "lots"], ["pcsim response: error", "--target", "'lots'"]),
]

# --------------------------------------------------------------------------------------- sweep specs
SWEEP = f"""[sweep]
name = "s"
config = "{DEFAULT}"
replicates = 1
months = 12
"""
SWEEP_BAD = [
    ("unknown section", SWEEP + '[design]\nx = 1\n[parameters]\n"demand.growth_per_year" = [0.0]',
     ["[design]", "[sweep] and [parameters]"]),
    ("unknown key", SWEEP + 'replicats = 3\n[parameters]\n"demand.growth_per_year" = [0.0]',
     ["sweep.replicats", "did you mean", "allowed"]),
    ("name absolute", SWEEP.replace('"s"', '"/tmp/x"') + '[parameters]\n"demand.growth_per_year" = [0.0]',
     ["sweep.name", "'/tmp/x'", "letters"]),
    ("name parent", SWEEP.replace('"s"', '"../x"') + '[parameters]\n"demand.growth_per_year" = [0.0]',
     ["sweep.name", "'../x'"]),
    ("name number", SWEEP.replace('"s"', '5') + '[parameters]\n"demand.growth_per_year" = [0.0]',
     ["sweep.name", "5", "a string"]),
    ("design", SWEEP + 'design = "sobol"\n[parameters]\n"demand.growth_per_year" = [0.0]',
     ["sweep.design", "'sobol'", "grid"]),
    ("replicates zero", SWEEP.replace("replicates = 1", "replicates = 0") + '[parameters]\n"demand.growth_per_year" = [0.0]',
     ["replicates", "0", "at least 1"]),
    ("replicates text", SWEEP.replace("replicates = 1", 'replicates = "3"')
     + '[parameters]\n"demand.growth_per_year" = [0.0]', ["sweep.replicates", "'3'", "an integer"]),
    ("months zero", SWEEP.replace("months = 12", "months = 0") + '[parameters]\n"demand.growth_per_year" = [0.0]',
     ["months", "0", "allowed"]),
    ("months huge", SWEEP.replace("months = 12", "months = 5000") + '[parameters]\n"demand.growth_per_year" = [0.0]',
     ["months", "5000", "1200"]),
    ("policy", SWEEP + 'policy = "status_qou"\n[parameters]\n"demand.growth_per_year" = [0.0]',
     ["'status_qou'", "known"]),
    ("seed", SWEEP + 'seed = -1\n[parameters]\n"demand.growth_per_year" = [0.0]', ["seed", "-1", "at least 0"]),
    ("chunk", SWEEP + 'chunk = 0\n[parameters]\n"demand.growth_per_year" = [0.0]', ["chunk", "0", "1 to 10000"]),
    ("no parameters", SWEEP, ["[parameters]", "at least one"]),
    ("parameter unknown", SWEEP + '[parameters]\n"demand.growth_per_yer" = [0.0, 0.02]', ["growth_per_yer",
                                                                                         "did you mean"]),
    ("parameter out of range", SWEEP + '[parameters]\n"demand.growth_per_year" = [0.0, 0.9]', ["0.9", "allowed"]),
    ("parameter not list", SWEEP + '[parameters]\n"demand.growth_per_year" = 0.02', ["parameters.demand.growth_per_year",
                                                                                    "a list"]),
    ("list lengths", SWEEP + 'design = "list"\n[parameters]\n"demand.growth_per_year" = [0.0, 0.02]\n'
                             '"time.income_weight" = [0.3]', ["one length", "[1, 2]"]),
    ("random reversed", SWEEP + 'design = "random"\n[parameters]\n"demand.growth_per_year" = [0.05, 0.01]',
     ["growth_per_year", "low must be below high"]),
    ("random invalid", SWEEP + 'design = "lhs"\n[parameters]\n"demand.growth_per_year" = [0.0, 0.9]',
     ["growth_per_year", "out of range", "allowed"]),
    ("random not parameter", SWEEP + 'design = "random"\n[parameters]\n"run.months" = [12, 24]',
     ["run.months", "not one", "pcsim params"]),
    ("random nan", SWEEP + 'design = "random"\n[parameters]\n"demand.growth_per_year" = [nan, 0.02]',
     ["growth_per_year", "two finite numbers"]),
    ("random shares box", SWEEP + 'design = "lhs"\nsamples = 4\n[parameters]\n"workforce.sessional_share" = [0.1, 0.4]\n'
                                  '"workforce.partner_share" = [0.5, 0.7]', ["sessional_share", "1.1", "narrow them"]),
    ("samples zero", SWEEP + 'design = "random"\nsamples = 0\n[parameters]\n"demand.growth_per_year" = [0.0, 0.02]',
     ["samples", "0", "allowed"]),
    ("record unknown", SWEEP + 'record = ["moral"]\n[parameters]\n"demand.growth_per_year" = [0.0]',
     ["record", "'moral'", "did you mean 'morale'"]),
    ("record string", SWEEP + 'record = "morale"\n[parameters]\n"demand.growth_per_year" = [0.0]',
     ["sweep.record", "'morale'", "a list"]),
    ("record every", SWEEP + 'record = ["morale"]\nrecord_every = 0\n[parameters]\n"demand.growth_per_year" = [0.0]',
     ["record_every", "0", "1 to 12"]),
    ("record every alone", SWEEP + 'record_every = 12\n[parameters]\n"demand.growth_per_year" = [0.0]',
     ["record_every", "name the outputs"]),
    ("config missing", SWEEP.replace(str(DEFAULT), "nowhere.toml") + '[parameters]\n"demand.growth_per_year" = [0.0]',
     ["nowhere.toml", "does not exist"]),
]

# ------------------------------------------------------------------------------------------ SA specs
SA = f"""[sa]
name = "a"
config = "{DEFAULT}"
samples = 4
horizon = 12
"""
TWO = '[parameters]\n"motivation.crowd_out_per_month" = []\n"time.income_weight" = []\n'
SA_BAD = [
    ("method", SA + 'method = "sobel"\n' + TWO, ["sa.method", "'sobel'", "morris"]),
    ("samples power", SA.replace("samples = 4", "samples = 100") + TWO, ["sa.samples", "100", "power of 2", "64", "128"]),
    ("samples zero", SA.replace("samples = 4", "samples = 0") + TWO, ["sa.samples", "0", "allowed"]),
    ("outputs string", SA + 'outputs = "morale"\n' + TWO, ["sa.outputs", "'morale'", "a list"]),
    ("outputs unknown", SA + 'outputs = ["moral"]\n' + TWO, ["sa.outputs", "'moral'", "did you mean 'morale'"]),
    ("outputs empty", SA + 'outputs = []\n' + TWO, ["sa.outputs", "empty"]),
    ("policies three", SA + 'policies = ["status_quo", "micro_incentives", "investment_fund"]\n' + TWO,
     ["sa.policies", "one policy, or two"]),
    ("policies same", SA + 'policies = ["status_quo", "status_quo"]\n' + TWO, ["sa.policies", "two different"]),
    ("policies unknown", SA + 'policies = ["status_quo", "fund"]\n' + TWO, ["'fund'", "known"]),
    ("one parameter", SA + '[parameters]\n"time.income_weight" = []', ["[parameters]", "at least two"]),
    ("parameter unknown", SA + '[parameters]\n"motivation.crowd_out_per_mnth" = []\n"time.income_weight" = []',
     ["crowd_out_per_mnth", "did you mean"]),
    ("range reversed", SA + '[parameters]\n"motivation.crowd_out_per_month" = [0.5, 0.1]\n"time.income_weight" = []',
     ["low must be below high"]),
    ("range invalid", SA + '[parameters]\n"motivation.crowd_out_per_month" = [0.0, 5.0]\n"time.income_weight" = []',
     ["crowd_out_per_month", "out of range", "allowed 0.0 to 1.0"]),
    ("range text", SA + '[parameters]\n"motivation.crowd_out_per_month" = ["a", "b"]\n"time.income_weight" = []',
     ["crowd_out_per_month", "two finite numbers"]),
    ("range inf", SA + '[parameters]\n"motivation.crowd_out_per_month" = [0.0, inf]\n"time.income_weight" = []',
     ["crowd_out_per_month", "two finite numbers"]),
    ("integer narrow", SA + '[parameters]\n"commissioner.data_lag_months" = [2.1, 2.4]\n"time.income_weight" = []',
     ["data_lag_months", "two whole numbers"]),
    ("shares box", SA + '[parameters]\n"workforce.sessional_share" = []\n"workforce.partner_share" = []',
     ["sessional_share", "partner_share", "narrow them"]),
    ("horizon", SA.replace("horizon = 12", "horizon = 0") + TWO, ["months", "0", "allowed"]),
    ("replicates", SA + "replicates = 0\n" + TWO, ["replicates", "0", "allowed"]),
    ("name", SA.replace('"a"', '"../a"') + TWO, ["sa.name", "'../a'", "letters"]),
    ("chunk", SA + "chunk = 0\n" + TWO, ["chunk", "0", "1 to 10000"]),
    ("config missing", SA.replace(str(DEFAULT), "nowhere.toml") + TWO, ["nowhere.toml", "does not exist"]),
    ("unknown key", SA + "sample = 3\n" + TWO, ["sa.sample", "did you mean", "allowed"]),
]

# -------------------------------------------------------------------------------------- figure specs
FIG = 'caption = "A caption."\n'
QOF_HISTORY = CONFIGS / "qof_history.toml"
FIGURE_BAD = [
    ("unknown kind", f'[figure]\nkind = "pie"\n{FIG}', ["figure.kind", "'pie'", "choose one of"]),
    ("no kind", f"[figure]\n{FIG}", ["figure.kind", "None", "choose one of"]),
    ("no caption", '[figure]\nkind = "motivation"\n', ["figure.caption is missing"]),
    ("unknown key", f'[figure]\nkind = "motivation"\n{FIG}colour = "red"', ["figure.colour", "allowed"]),
    ("top section", f'[figure]\nkind = "motivation"\n{FIG}[extra]\nx = 1', ["'extra'", "[figure] and [quick]"]),
    ("replicates one", f'[figure]\nkind = "motivation"\n{FIG}replicates = 1', ["figure.replicates", "1", "at least 2"]),
    ("replicates text", f'[figure]\nkind = "motivation"\n{FIG}replicates = "4"', ["figure.replicates", "'4'",
                                                                                   "a whole number"]),
    ("quick kind", f'[figure]\nkind = "motivation"\n{FIG}[quick]\nkind = "contrast"', ["quick.kind", "cannot change"]),
    ("quick key", f'[figure]\nkind = "motivation"\n{FIG}[quick]\nsamples = 4', ["quick.samples", "allowed"]),
    ("policies unknown", f'[figure]\nkind = "motivation"\n{FIG}policies = ["status_quo", "qof_only"]',
     ["'qof_only'", "known"]),
    ("policies empty", f'[figure]\nkind = "motivation"\n{FIG}policies = []', ["figure.policies", "not be empty"]),
    ("config missing", f'[figure]\nkind = "motivation"\n{FIG}config = "nowhere.toml"', ["nowhere.toml",
                                                                                      "does not exist"]),
    ("contrast not in policies", f'[figure]\nkind = "contrast"\n{FIG}policies = ["status_quo", "micro_incentives"]\n'
                                 f'contrast = ["investment_fund", "micro_incentives"]', ["figure.contrast", "two different"]),
    ("contrast one policy", f'[figure]\nkind = "contrast"\n{FIG}policies = ["status_quo"]\ncontrast = ["status_quo"]',
     ["figure.policies", "at least two"]),
    ("qof history no withdrawal", f'[figure]\nkind = "qof_history"\n{FIG}config = "{CONFIGS / "qof.toml"}"',
     ["qof scheme that withdraws", "policy.qof.withdraw"]),
    ("ace pilot without fund", f'[figure]\nkind = "ace_pilot"\n{FIG}config = "{QOF_HISTORY}"',
     ["figure.config", "investment_fund from month 0"]),
    ("ace pilot groupings", f'[figure]\nkind = "ace_pilot"\n{FIG}config = "{CONFIGS / "england.toml"}"',
     ["groupings", "A-F", "needs"]),
    ("sobol spec missing", f'[figure]\nkind = "sobol"\n{FIG}sa_spec = "nowhere.toml"', ["nowhere.toml", "does not exist"]),
    ("sobol samples", f'[figure]\nkind = "sobol"\n{FIG}sa_spec = "{ROOT / "experiments" / "sa_small.toml"}"\nsamples = 100',
     ["samples", "100", "power of 2"]),
    ("response levels", f'[figure]\nkind = "response"\n{FIG}levels = [-5, 5]', ["figure.levels", "none negative"]),
    ("response levels text", f'[figure]\nkind = "response"\n{FIG}levels = ["a", "b"]', ["figure.levels", "numbers"]),
    ("response months", f'[figure]\nkind = "response"\n{FIG}months = 6', ["figure.months", "6", "at least 12"]),
    ("scorecard without response", f'[figure]\nkind = "scorecard"\n{FIG}', ["response_figure", "names no figure"]),
]


# ------------------------------------------------------------------------------------------- running
def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def run_cli(argv, tmp_path, monkeypatch, capsys) -> tuple[int, str]:
    """Run ``pcsim argv`` in ``tmp_path``; return its exit code and standard error, checking that it wrote
    nothing (a SystemExit is argparse's)."""
    monkeypatch.chdir(tmp_path)
    before = files_under(tmp_path)
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    assert files_under(tmp_path) == before, f"files written: {files_under(tmp_path) - before}"
    return code, err


def inputs(tmp_path: Path) -> None:
    """What every case finds in its working directory: a file, a full folder, an empty one."""
    (tmp_path / "afile").write_text("not a folder")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    (tmp_path / "empty").mkdir()


def assert_one_line(code: int, err: str, words: list[str]) -> None:
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("pcsim: error: "), err
    line = lines[0]
    for word in words:
        assert word in line, f"{word!r} not in: {line}"
    assert any(w in line for w in ALLOWED_WORDS), f"does not say what is allowed: {line}"


@pytest.mark.parametrize("name, text, words", CONFIGS_BAD, ids=[c[0] for c in CONFIGS_BAD])
def test_bad_configs(name, text, words, tmp_path, monkeypatch, capsys):
    inputs(tmp_path)
    (tmp_path / "bad.toml").write_bytes(text if isinstance(text, bytes) else text.encode())
    assert_one_line(*run_cli(["run", "bad.toml", "--out", "o"], tmp_path, monkeypatch, capsys), words)


@pytest.mark.parametrize("argv, words", CLI_BAD, ids=[" ".join(a[:4]) for a, _ in CLI_BAD])
def test_bad_command_lines(argv, words, tmp_path, monkeypatch, capsys):
    inputs(tmp_path)
    assert_one_line(*run_cli(argv, tmp_path, monkeypatch, capsys), words)


@pytest.mark.parametrize("argv, words", ARGPARSE_BAD, ids=[" ".join(a) for a, _ in ARGPARSE_BAD])
def test_mistyped_options_get_the_commands_usage_and_a_suggestion(argv, words, tmp_path, monkeypatch, capsys):
    code, err = run_cli(argv, tmp_path, monkeypatch, capsys)
    lines = err.strip().splitlines()
    assert code == 2 and lines[0].startswith("usage: pcsim"), err
    command = argv[0] if argv[0] != "rn" else None
    if command:
        assert lines[0].startswith(f"usage: pcsim {command}"), "the command's own usage, not the top level's"
    for word in words:
        assert word in lines[-1], f"{word!r} not in: {lines[-1]}"


@pytest.mark.parametrize("name, text, words", SWEEP_BAD, ids=[c[0] for c in SWEEP_BAD])
def test_bad_sweep_specs(name, text, words, tmp_path, monkeypatch, capsys):
    (tmp_path / "spec.toml").write_text(text)
    assert_one_line(*run_cli(["sweep", "spec.toml", "--out", "o"], tmp_path, monkeypatch, capsys), words)


@pytest.mark.parametrize("name, text, words", SA_BAD, ids=[c[0] for c in SA_BAD])
def test_bad_sa_specs(name, text, words, tmp_path, monkeypatch, capsys):
    (tmp_path / "spec.toml").write_text(text)
    assert_one_line(*run_cli(["sa", "spec.toml", "--out", "o"], tmp_path, monkeypatch, capsys), words)


@pytest.mark.parametrize("name, text, words", FIGURE_BAD, ids=[c[0] for c in FIGURE_BAD])
def test_bad_figure_specs(name, text, words, tmp_path, monkeypatch, capsys):
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "fig_x.toml").write_text(text)
    assert_one_line(*run_cli(["figures", "--specs", "specs", "--out", "o"], tmp_path, monkeypatch, capsys), words)


def test_the_corpus_is_large():
    assert len(CONFIGS_BAD) + len(CLI_BAD) + len(ARGPARSE_BAD) + len(SWEEP_BAD) + len(SA_BAD) + len(FIGURE_BAD) >= 150


# ------------------------------------------------------------------------ study folders and the disk
def small_sweep(tmp_path: Path) -> Path:
    spec = tmp_path / "spec.toml"
    spec.write_text(SWEEP + 'chunk = 1\n[parameters]\n"demand.growth_per_year" = [0.0, 0.02]')
    return spec


def test_a_damaged_study_manifest_is_named(tmp_path, monkeypatch, capsys):
    spec = small_sweep(tmp_path)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--workers", "1"]) == 0
    (tmp_path / "o" / "manifest.json").write_text('{"experiment": "s", "fingerp')
    capsys.readouterr()
    code, err = run_cli(["sweep", "spec.toml", "--out", "o"], tmp_path, monkeypatch, capsys)
    assert_one_line(code, err, ["manifest.json", "damaged", "delete"])


def test_a_truncated_chunk_is_run_again_and_nothing_is_lost(tmp_path, monkeypatch, capsys):
    import pandas as pd

    spec = small_sweep(tmp_path)
    out = tmp_path / "o"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 0
    whole = pd.read_parquet(out / "runs.parquet")
    chunk = sorted((out / "chunks").glob("*.parquet"))[0]
    chunk.write_bytes(chunk.read_bytes()[:40])                  # a disk error, a copy cut short
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet"), whole)


def test_a_run_folder_is_not_a_study_folder(tmp_path, monkeypatch, capsys):
    """compare --out or sweep --out into another result's folder never replaces its files."""
    run = tmp_path / "run"
    assert main(["run", "--months", "2", "--quiet", "--out", str(run)]) == 0
    before = {p.name: p.read_bytes() for p in run.iterdir()}
    capsys.readouterr()
    for argv in (["compare", "--months", "2", "--replicates", "2", "--out", "run"],
                 ["sweep", str(small_sweep(tmp_path)), "--out", "run"]):
        code, err = run_cli(argv, tmp_path, monkeypatch, capsys)
        assert code == 2 and ("not empty" in err or "another kind of pcsim result" in err), err
    assert {p.name: p.read_bytes() for p in run.iterdir()} == before


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    from pcsim.experiments import provenance

    real = provenance.write_atomic

    def full(path, write):
        if path.name == "overview.png":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, write)

    monkeypatch.setattr(provenance, "write_atomic", full)
    code, err = run_cli(["run", "--months", "2", "--quiet"], tmp_path, monkeypatch, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "No space left on device" in err, err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes whatever the permissions say")
def test_unreadable_configs_and_read_only_folders_are_named(tmp_path, monkeypatch, capsys):
    secret = tmp_path / "secret.toml"
    secret.write_text("[run]\nmonths = 3\n")
    secret.chmod(0)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert_one_line(*run_cli(["run", "secret.toml"], tmp_path, monkeypatch, capsys), ["secret.toml", "cannot be read"])
        assert_one_line(*run_cli(["run", "--out", "locked/o"], tmp_path, monkeypatch, capsys),
                        ["locked", "not writable"])
    finally:
        locked.chmod(0o700)


def test_read_only_folders_and_unreadable_configs_are_named_even_for_root(tmp_path, monkeypatch, capsys):
    """As the test above, for any user: a folder that cannot be written is refused before the run, and a
    config that cannot be read is named."""
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if "locked" in str(path) and mode & os.W_OK
                        else real_access(path, mode, **kw))
    (tmp_path / "locked").mkdir()
    for argv in (["run", "--out", "locked/o"], ["compare", "--out", "locked/o"],
                 ["sweep", str(small_sweep(tmp_path)), "--out", "locked/o"]):
        assert_one_line(*run_cli(argv, tmp_path, monkeypatch, capsys), ["locked", "not writable"])
    (tmp_path / "secret.toml").write_text("[run]\nmonths = 3\n")
    real_read = Path.read_bytes

    def read_bytes(path):
        if path.name == "secret.toml":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert_one_line(*run_cli(["run", "secret.toml"], tmp_path, monkeypatch, capsys),
                    ["secret.toml", "cannot be read", "Permission denied"])


def test_every_message_of_the_corpus_is_one_line_in_a_real_process(tmp_path):
    """The same contract end to end, through ``python -m pcsim.cli`` (a few cases; the rest run in-process)."""
    import subprocess
    import sys

    inputs(tmp_path)
    (tmp_path / "bad.toml").write_bytes(b"\xff\xfe binary")
    for argv, words in ((["run", "bad.toml"], ["not UTF-8"]), (["run", "--out", "full"], ["not empty"]),
                        (["run", "--seeed", "3"], ["did you mean --seed"])):
        done = subprocess.run([sys.executable, "-m", "pcsim.cli", *argv], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert all(w in done.stderr.strip().splitlines()[-1] for w in words), done.stderr
