"""``pcsim run``: the model once, and its run directory."""

from __future__ import annotations

from pcsim.cli.common import ConfigError, command

RUN_HELP = """\
Run the model once and write a run directory holding monthly.parquet (one row
per month and commissioner), indicators.parquet (recorded and delivered care
per indicator), groupings.parquet (the named groupings month by month),
manifest.json (resolved config, seed, versions, git commit,
times) and overview.png (the main outputs over time).

examples:
  pcsim run                                   # the default commissioner, 10 years
  pcsim run configs/england.toml --months 24
  pcsim run --seed 7 --set demand.growth_per_year=0.02 --set run.name=lowgrowth
  pcsim run --policy investment_fund          # a named policy instead of the config's [[policy]]
"""


def add(commands) -> None:
    run = command(commands, "run", "run the model once and write a run directory", RUN_HELP)
    run.add_argument("config", nargs="?", default=None,
                     help="a TOML config file (default: the built-in default commissioner, as configs/default.toml)")
    run.add_argument("--seed", type=int, default=None, help="random seed (default: the config's run.seed, 1)")
    run.add_argument("--months", type=int, default=None,
                     help="months to simulate (default: the config's run.months, 120)")
    run.add_argument("--policy", default=None, metavar="NAME",
                     help="run a named policy (status_quo, micro_incentives, investment_fund, investment_fund_all, "
                          "or one of the config's [[policies.NAME]]) instead of the config's [[policy]] timeline")
    run.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                     help="override any config key, e.g. demand.growth_per_year=0.02, run.name=test, "
                          "policy.core_contract.start=0; repeat for several (see `pcsim params`)")
    run.add_argument("--out", default=None, metavar="DIR",
                     help="the run directory to write, new or empty (default: results/runs/<name>-seed<seed>-<time>)")
    run.add_argument("--quiet", action="store_true", help="print only the run directory")
    run.set_defaults(handler=main)


def main(args) -> int:
    from pcsim import config as configs
    from pcsim.experiments import folders, runner

    if args.months is not None and args.months <= 0:
        raise ConfigError(f"--months = {args.months} must be a positive number of months")
    if args.out is not None:
        folders.check_new_folder(args.out)          # before the run, not after it
    config = configs.load(args.config, args.overrides)
    config = configs.resolve(config, seed=args.seed, months=args.months)
    result = runner.run(config, policy=args.policy, progress=not args.quiet)
    path = result.write(args.out)
    if args.quiet:
        print(path)
        return 0
    print(f"wrote {path}/ (monthly.parquet, indicators.parquet, groupings.parquet, practices.parquet, events.parquet, "
          f"manifest.json, overview.png)")
    print(summary_table(result))
    return 0


def summary_table(result) -> str:
    """Key outputs at the start, after one year, after five and at the end."""
    from pcsim.model.outputs import aggregate

    data = aggregate(result.monthly).set_index("month")
    last = int(data.index.max())
    months = sorted({0, min(11, last), min(59, last), last})
    rows = {
        "emergency admissions per 1,000/month": data["admissions_per_1000_incentivised"] + data["admissions_per_1000_other"],
        "  incentivised conditions": data["admissions_per_1000_incentivised"],
        "indicator care delivered (0-1)": data["quality_incentivised_delivered"],
        "indicator care recorded (0-1)": data["quality_incentivised_recorded"],
        "holistic quality (0-1)": data["quality_non_incentivised"],
        "continuity (0-1)": data["continuity"],
        "GP motivation: clinical care": data["motivation_clinical_care"],
        "GP morale (0-1)": data["morale"],
        "GPs in post": data["gps"],
        "incentive + investment spend, GBP k/month": (data["spend_incentives"] + data["spend_investment"]) / 1e3,
        "net savings, GBP k/month": data["net_savings"] / 1e3,
    }
    header = f"{'':42}" + "".join(f"{f'month {m}':>12}" for m in months)
    lines = [header]
    for label, series in rows.items():
        lines.append(f"{label:42}" + "".join(f"{series.loc[m]:>12.3g}" for m in months))
    lines.append(f"GP exits over the run: {int(data['gp_exits'].sum())}")
    return "\n".join(lines)
