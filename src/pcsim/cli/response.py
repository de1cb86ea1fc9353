"""``pcsim response``: the investment-response curve and the investment needed."""

from __future__ import annotations

from pcsim.cli.common import ConfigError, check_workers, command, engine_options, execute, study_folder, warn

RESPONSE_HELP = """\
The investment-response curve (Nuffield Trust 2015, Recommendation 3): a
commissioner-wide investment fund at several levels (GBP per patient a year)
against the status quo on the same seeds; the change in emergency admissions
with a 90% band over replicates at the default parameters and over parameter
uncertainty (a Latin hypercube of the parameters that decide what money buys,
or a calibrated ensemble); the minimum investment reaching the target, as a
share of the budget beside London's 2-5.3%, with its interval - or that it is
not reached, up to which level, and in which region of parameters it would be;
and why the curve flattens (posts the labour market cannot fill). Writes
response.csv, response.png, minimum_investment.json and response.json.

examples:
  pcsim response
  pcsim response --levels 0,10,20,40,80,160 --replicates 20 --target 15
  pcsim response --parameter-sets 0                  # the default parameters only
  pcsim response --uncertain experiments/sa_contrast.toml --parameter-sets 64
  pcsim response --ensemble results/calibrate/ace/plausible.parquet --seeds-per-set 2
"""
DEFAULT_LEVELS = "0,5,10,20,40,60,90,120,160"


def add(commands) -> None:
    response = command(commands, "response", "the investment-response curve and the investment needed", RESPONSE_HELP)
    response.add_argument("config", nargs="?", default=None, help="a TOML config (default: the default commissioner)")
    response.add_argument("--levels", default=DEFAULT_LEVELS,
                          help="investment levels, GBP per patient a year (default: %(default)s)")
    response.add_argument("--replicates", type=int, default=10,
                          help="seeds per level at the default parameters (default: 10)")
    response.add_argument("--months", type=int, default=60, help="months to simulate (default: 60)")
    response.add_argument("--target", type=float, default=15.0,
                          help="target cut in emergency admissions, %% (default: 15, the ACE target)")
    response.add_argument("--seed", type=int, default=1, help="base seed (default: 1)")
    uncertainty = response.add_argument_group("parameter uncertainty")
    uncertainty.add_argument("--parameter-sets", type=int, default=32, metavar="N",
                             help="a Latin hypercube of N parameter sets over the plausible ranges of the parameters "
                                  "that decide what money buys (default: 32; 0: the default parameters only)")
    uncertainty.add_argument("--uncertain", default=None, metavar="SPEC",
                             help="a spec whose [parameters] table names the uncertain parameters and their ranges "
                                  "(as for pcsim sa; default: pcsim.experiments.response.UNCERTAIN)")
    uncertainty.add_argument("--ensemble", default=None, metavar="PLAUSIBLE",
                             help="instead of the hypercube, every parameter set of this table (pcsim calibrate's "
                                  "plausible.parquet)")
    uncertainty.add_argument("--sets", type=int, default=None, help="with --ensemble: the first N sets (default: all)")
    uncertainty.add_argument("--seeds-per-set", type=int, default=2, metavar="N",
                             help="seeds each parameter set runs on (default: 2)")
    engine_options(response)
    response.set_defaults(handler=main)


def main(args) -> int:
    from pcsim import config as configs
    from pcsim.experiments import folders, provenance, response, sweeps
    from pcsim.experiments.runner import RESULTS, stamp

    check_workers(args)
    try:
        levels = [float(v) for v in args.levels.split(",") if v.strip()]
    except ValueError:
        raise ConfigError(f"--levels {args.levels!r}: give numbers separated by commas, e.g. 0,10,20") from None
    target = response.check_target(args.target)
    if not 12 <= args.months <= 1200:
        raise ConfigError(f"--months = {args.months}: the final year needs at least 12 months (allowed 12 to 1200)")
    if args.seed < 0:
        raise ConfigError(f"--seed = {args.seed}: allowed 0 or more")
    if args.seeds_per_set < 1:
        raise ConfigError(f"--seeds-per-set = {args.seeds_per_set}: allowed 1 or more")
    if args.sets is not None and args.ensemble is None:
        raise ConfigError(f"--sets = {args.sets} applies only with --ensemble PLAUSIBLE")
    config = configs.resolve(configs.load(args.config, args.overrides), months=args.months)
    warn(config)
    plan = response.plan(config, levels, args.replicates, args.seed)
    sets, extra = None, {}
    if args.ensemble is not None:
        from pcsim.experiments import ensembles

        sets = ensembles.load_sets(args.ensemble, args.sets)
        extra = {"ensemble": str(args.ensemble), "sets": len(sets)}
    elif args.parameter_sets:
        ranges = response.uncertain_ranges(args.uncertain) if args.uncertain else None
        sets = response.parameter_sets(args.parameter_sets, args.seed, ranges)
        extra = {"parameter_sets": len(sets), "uncertain": {name: [float(sets[name].min()), float(sets[name].max())]
                                                            for name in sets.columns}}
    spread = None if sets is None else response.uncertainty_plan(config, levels, args.seeds_per_set, args.seed, sets)
    started = provenance.now()
    out = study_folder(args, RESULTS / "response" / f"{config.run['name']}-{stamp()}")
    with sweeps.engine(args.scheduler) as client, folders.Claim(out, "study folder"):
        execute(plan, out / "default-parameters", args, client)
        if spread is not None:
            execute(spread, out / "parameter-sets", args, client)
        table, summary = response.analyse(sweeps.load_results(out / "default-parameters"),
                                          None if spread is None else sweeps.load_results(out / "parameter-sets"),
                                          sets, levels, config, target)
        verdict = response.write(table, summary, config, out, started, extra)
    shown = [c for c in ("gbp_per_patient_year", "budget_share_percent", "admissions_change_percent", "p5", "p95",
                         "parameter_p5", "parameter_p95", "reached_share", "role_posts_filled_share") if c in table]
    print(table[shown].to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print(verdict)
    print(summary["why_it_flattens"])
    print(f"wrote {out}/ (response.csv, response.png, minimum_investment.json, response.json; runs in "
          f"default-parameters/{'' if spread is None else ' and parameter-sets/'})")
    return 0
