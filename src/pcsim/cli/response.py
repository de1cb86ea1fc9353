"""``pcsim response``: the investment-response curve and the investment needed."""

from __future__ import annotations

from pcsim.cli.common import ConfigError, check_workers, command, engine_options, execute, study_folder, warn

RESPONSE_HELP = """\
The investment-response curve (Nuffield Trust 2015, Recommendation 3): a
commissioner-wide investment fund at several levels (GBP per patient a year)
against the status quo on the same seeds; the change in emergency admissions
with a 90% band; the minimum investment reaching the target, as a share of the
budget beside London's 2-5.3%.

examples:
  pcsim response
  pcsim response --levels 0,10,20,40,80 --replicates 20 --target 15
  pcsim response --ensemble results/calibrate/ace/plausible.parquet --replicates 2
"""


def add(commands) -> None:
    response = command(commands, "response", "the investment-response curve and the investment needed", RESPONSE_HELP)
    response.add_argument("config", nargs="?", default=None, help="a TOML config (default: the default commissioner)")
    response.add_argument("--levels", default="0,5,10,20,30,45,60",
                          help="investment levels, GBP per patient a year (default: %(default)s)")
    response.add_argument("--replicates", type=int, default=10, help="seeds per level (default: 10)")
    response.add_argument("--months", type=int, default=60, help="months to simulate (default: 60)")
    response.add_argument("--target", type=float, default=15.0,
                          help="target cut in emergency admissions, %% (default: 15, the ACE target)")
    response.add_argument("--seed", type=int, default=1, help="base seed (default: 1)")
    response.add_argument("--ensemble", default=None, metavar="PLAUSIBLE",
                          help="run the curve at every parameter set of this table (pcsim calibrate's "
                               "plausible.parquet): the band holds parameter as well as stochastic uncertainty")
    response.add_argument("--sets", type=int, default=None, help="with --ensemble: the first N sets (default: all)")
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
    if args.replicates < 2:
        raise ConfigError(f"--replicates = {args.replicates}: the band needs at least 2 replicates")
    if not 12 <= args.months <= 1200:
        raise ConfigError(f"--months = {args.months}: the final year needs at least 12 months (allowed 12 to 1200)")
    if args.seed < 0:
        raise ConfigError(f"--seed = {args.seed}: allowed 0 or more")
    config = configs.resolve(configs.load(args.config, args.overrides), months=args.months)
    warn(config)
    extra = None
    if args.sets is not None and args.ensemble is None:
        raise ConfigError(f"--sets = {args.sets} applies only with --ensemble PLAUSIBLE")
    if args.ensemble is not None:
        from pcsim.experiments import ensembles

        sets = ensembles.load_sets(args.ensemble, args.sets)
        plan = ensembles.response_plan(config, levels, args.replicates, args.seed, sets)
        extra = {"ensemble": str(args.ensemble), "sets": len(sets), "parameters": list(sets.columns)}
    else:
        plan = response.plan(config, levels, args.replicates, args.seed)
    started = provenance.now()
    out = study_folder(args, RESULTS / "response" / f"{config.run['name']}-{stamp()}")
    with sweeps.engine(args.scheduler) as client, folders.Claim(out, "study folder"):
        execute(plan, out, args, client)
        budget = float(config.params["commissioner.budget_per_patient_year"])
        curve = response.curve if args.ensemble is None else ensembles.response_curve
        table = curve(sweeps.load_results(out), levels, budget)
        minimum = response.minimum_investment(table, target)
        verdict = response.write(table, minimum, target, budget, config, out, started, extra)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print(verdict)
    print(f"wrote {out}/ (response.csv, response.png, response.json, manifest.json)")
    return 0
