"""``pcsim compare``: policies on common seeds, with paired intervals."""

from __future__ import annotations

from pathlib import Path

from pcsim.cli.common import ConfigError, command, warn
from pcsim.schemes.policies import BUILT_IN, DEFAULT_COMPARISON

COMPARE_HELP = """\
Run each named policy on the same seeds (common random numbers) and report,
for the key outcomes (emergency admissions, delivered indicator and holistic
care, continuity, the four motivations, morale, GP exits, spend and net
savings), each policy's mean and its paired difference from the first policy
with a 95% interval. Writes comparison.csv, runs.csv (one row per policy and
replicate), comparison.png and manifest.json.

Policies are named bundles of schemes: built in, status_quo,
micro_incentives, investment_fund and investment_fund_all (see
src/pcsim/schemes/policies.py); a config adds its own with [[policies.NAME]]
tables, and they are compared too unless --policies names others. The
printed table starts with a one-line answer per policy.

With --ensemble PLAUSIBLE (the plausible.parquet of `pcsim calibrate`, or any
table whose columns are parameters) every policy runs at every parameter set
on the same seeds, so intervals hold parameter as well as stochastic
uncertainty (2.5-97.5% over sets and seeds; %p: the share of a difference's
variance due to the parameters), and decision.csv holds the decision in the
health-economics convention: for each outcome the probability each policy is
best; net benefit at a willingness to pay per emergency admission avoided and
per quality-year; acceptability curves; EVPI and the EVPPI of each parameter
and section of parameters for the choice between the fund and
micro-incentives (Strong, Oakley & Brennan 2014). Ensemble runs are stored
chunk by chunk under --out and resume; --workers and --scheduler choose the
engine.

examples:
  pcsim compare                                  # the mission's question on the default commissioner
  pcsim compare --replicates 50 --months 60
  pcsim compare experiments/compare.toml         # the three policies and the config's own qof_focused
  pcsim compare --policies status_quo,investment_fund --set investment.funding_per_patient=21
  pcsim compare --ensemble results/calibrate/ace/plausible.parquet --months 60
"""


def add(commands) -> None:
    cmp = command(commands, "compare", "compare policies on common seeds, with paired 95%% intervals", COMPARE_HELP)
    cmp.add_argument("config", nargs="?", default=None, help="a TOML config (default: the default commissioner)")
    cmp.add_argument("--policies", default=None,
                     help="comma-separated named policies; the first is the baseline (default: "
                          f"{','.join(DEFAULT_COMPARISON)}, then the config's own [[policies.NAME]])")
    cmp.add_argument("--replicates", type=int, default=None,
                     help="seeds each policy runs on (default: 20; with --ensemble, 2 at each parameter set)")
    cmp.add_argument("--months", type=int, default=None,
                     help="months to simulate (default: the config's, 120); a scheme of a policy that would "
                          "start after the run ends is left out, with a note")
    cmp.add_argument("--seed", type=int, default=None, help="base seed the replicates' seeds derive from")
    cmp.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                     help="override any config key, as for `pcsim run`")
    cmp.add_argument("--out", default=None, metavar="DIR",
                     help="a new or empty folder to write (default: results/compare/<name>-<time>)")
    ensemble = cmp.add_argument_group("parameter uncertainty and the decision (with --ensemble)")
    ensemble.add_argument("--ensemble", default=None, metavar="PLAUSIBLE",
                          help="parameter sets to run every policy at, e.g. results/calibrate/ace/plausible.parquet")
    ensemble.add_argument("--sets", type=int, default=None, help="use the first N parameter sets (default: all)")
    ensemble.add_argument("--wtp-admission", type=float, default=2000.0, metavar="GBP",
                          help="willingness to pay per emergency admission avoided, beyond its hospital cost "
                               "(default: %(default)g)")
    ensemble.add_argument("--wtp-quality", type=float, default=100.0, metavar="GBP",
                          help="willingness to pay per quality-year, one patient's year of full-quality care "
                               "(default: %(default)g)")
    ensemble.add_argument("--wtp-max-admission", type=float, default=20000.0, metavar="GBP",
                          help="top of the acceptability curve over the first (default: %(default)g)")
    ensemble.add_argument("--wtp-max-quality", type=float, default=1000.0, metavar="GBP",
                          help="top of the acceptability curve over the second (default: %(default)g)")
    ensemble.add_argument("--decide", default=None, metavar="A,B",
                          help="the two policies whose choice EVPPI is about (default: investment_fund,"
                               "micro_incentives when both are compared)")
    ensemble.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    ensemble.add_argument("--scheduler", default=None, metavar="ADDRESS", help="a Dask distributed cluster")
    cmp.set_defaults(handler=main)


def policies_of(given: str | None, config) -> list[str]:
    """The policies to compare: those named, or the three of the mission and the config's own."""
    if given is None:
        own = [name for name in config.policies if name not in BUILT_IN]
        return [*DEFAULT_COMPARISON, *own]
    policies = [p.strip() for p in given.split(",") if p.strip()]
    if len(policies) < 2:
        raise ConfigError(f"--policies {given!r}: name at least two policies to compare, separated by commas")
    repeated = sorted({p for p in policies if policies.count(p) > 1})
    if repeated:
        raise ConfigError(f"--policies {given!r} names {', '.join(repeated)} twice: name each policy once")
    return policies


def main(args) -> int:
    if args.ensemble is not None:
        return main_ensemble(args)
    for option in ("sets", "decide", "workers", "scheduler"):
        if getattr(args, option) is not None:
            raise ConfigError(f"--{option} = {getattr(args, option)!r} applies only with --ensemble PLAUSIBLE")
    args.replicates = 20 if args.replicates is None else args.replicates
    from tqdm.auto import tqdm

    from pcsim import config as configs
    from pcsim.experiments import compare, folders, provenance

    if args.replicates < 2:
        raise ConfigError(f"--replicates = {args.replicates}: paired intervals need at least 2 replicates")
    if args.months is not None and not 1 <= args.months <= 1200:
        raise ConfigError(f"--months = {args.months}: allowed 1 to 1200 months")
    if args.seed is not None and args.seed < 0:
        raise ConfigError(f"--seed = {args.seed}: allowed 0 or more")
    if args.out is not None:
        folders.check_new_folder(args.out)
    config = configs.resolve(configs.load(args.config, args.overrides), seed=args.seed, months=args.months)
    policies = policies_of(args.policies, config)
    arms = [config.with_policy(name) for name in policies]     # every policy checked before anything runs
    for arm in arms:
        warn(arm)
    started = provenance.now()
    with tqdm(total=len(policies) * args.replicates, unit="run", desc="comparing", disable=None) as bar:
        comparison = compare.compare(config, policies, args.replicates, bar)
    out = compare.write_comparison(comparison, config, Path(args.out) if args.out else None, started)
    print(compare.comparison_text(comparison, config.months))
    print(f"wrote {out}/ (comparison.csv, runs.csv, comparison.png, manifest.json)")
    return 0


def main_ensemble(args) -> int:
    """``pcsim compare --ensemble``: every policy at every plausible parameter set, and the decision."""
    from pcsim import config as configs
    from pcsim.cli.common import execute, study_folder
    from pcsim.experiments import decision, ensembles, folders, provenance, sweeps
    from pcsim.experiments.runner import RESULTS, stamp

    replicates = 2 if args.replicates is None else args.replicates
    if replicates < 1:
        raise ConfigError(f"--replicates = {args.replicates} must be at least 1")
    if args.months is not None and args.months <= 0:
        raise ConfigError(f"--months = {args.months} must be a positive number of months")
    for name in ("wtp_admission", "wtp_quality", "wtp_max_admission", "wtp_max_quality"):
        if getattr(args, name) < 0:
            raise ConfigError(f"--{name.replace('_', '-')} = {getattr(args, name):g} must not be negative")
    config = configs.resolve(configs.load(args.config, args.overrides), seed=args.seed, months=args.months)
    policies = policies_of(args.policies, config)
    pair = decision.decision_pair(policies, args.decide)
    sets = ensembles.load_sets(args.ensemble, args.sets)
    plan = ensembles.compare_plan(config, policies, sets, replicates, config.seed)
    out = study_folder(args, RESULTS / "compare" / f"{config.run['name']}-ensemble-{stamp()}")
    started = provenance.now()
    with sweeps.engine(args.scheduler) as client, folders.Claim(out, "study folder"):
        execute(plan, out, args, client, task=ensembles.task())
        results = sweeps.load_results(out)
        valuation = decision.Valuation(args.wtp_admission, args.wtp_quality)
        table = ensembles.uncertainty_table(results, policies)
        decided = decision.analyse(results, sets, policies, valuation, pair, args.wtp_max_admission,
                                   args.wtp_max_quality)
        files = ensembles.write(table, results, decided, sets, plan, out, started, args.ensemble)
    print(ensembles.uncertainty_text(table))
    print(decision.decision_text(decided))
    print(f"wrote {out}/ ({', '.join(files)})")
    return 0
