"""The ``pcsim`` command line."""

from __future__ import annotations

import argparse
import sys
import textwrap

from pcsim import __version__
from pcsim.config import ConfigError

DESCRIPTION = """\
pcsim: an agent-based simulation of primary-care transformation (Mesa).

GP practices, GPs, commissioners and hospitals interact under a timeline of
schemes: the core contract, QOF-style micro-incentives, an ACE-style investment
fund. Every number the model uses is in one parameter table (`pcsim params`);
configs are TOML files (see configs/); any parameter can be changed with --set.
"""

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
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pcsim", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"pcsim {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="run the model once and write a run directory", description=RUN_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("config", nargs="?", default=None,
                     help="a TOML config file (default: the built-in default commissioner, as configs/default.toml)")
    run.add_argument("--seed", type=int, default=None, help="random seed (default: the config's run.seed, 1)")
    run.add_argument("--months", type=int, default=None,
                     help="months to simulate (default: the config's run.months, 120)")
    run.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                     help="override any config key, e.g. demand.growth_per_year=0.02, run.name=test, "
                          "policy.core_contract.start=0; repeat for several (see `pcsim params`)")
    run.add_argument("--out", default=None, metavar="DIR",
                     help="the run directory to write (default: results/runs/<name>-seed<seed>-<time>)")
    run.add_argument("--quiet", action="store_true", help="print only the run directory")
    run.set_defaults(handler=_run)

    params = commands.add_parser("params", help="list every parameter: default, unit, range, source",
                                 description="List the parameter table (the names --set and configs use).")
    params.add_argument("section", nargs="?", default=None, help="only this section, e.g. motivation")
    params.set_defaults(handler=_params)

    docs = commands.add_parser("docs", help="regenerate the tables of docs/ODD.md from the code",
                               description="Rewrite the generated tables (parameters, outputs) of docs/ODD.md.")
    docs.add_argument("--check", action="store_true", help="only check; exit 1 if the tables are out of date")
    docs.set_defaults(handler=_docs)

    schemes = commands.add_parser("schemes", help="list the schemes a policy can contain",
                                  description="List the schemes a [[policy]] timeline can contain.")
    schemes.set_defaults(handler=_schemes)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.handler(args) or 0
    except ConfigError as exc:
        print(f"pcsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pcsim: interrupted; nothing half-written was left behind", file=sys.stderr)
        return 130


def _run(args) -> int:
    from pcsim import config as configs
    from pcsim import runner

    if args.months is not None and args.months <= 0:
        raise ConfigError(f"--months = {args.months} must be a positive number of months")
    config = configs.load(args.config, args.overrides)
    config = configs.resolve(config, seed=args.seed, months=args.months)
    result = runner.run(config, progress=not args.quiet)
    path = result.write(args.out)
    if args.quiet:
        print(path)
        return 0
    print(f"wrote {path}/ (monthly.parquet, indicators.parquet, groupings.parquet, manifest.json, overview.png)")
    print(summary_table(result))
    return 0


def summary_table(result) -> str:
    """Key outputs at the start, after one year, after five and at the end."""
    from pcsim.outputs import aggregate

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


def _params(args) -> int:
    from pcsim.parameters import TABLE

    rows = [p for p in TABLE if args.section in (None, p.section)]
    if not rows:
        raise ConfigError(f"no parameter section {args.section!r}; sections: "
                          f"{', '.join(dict.fromkeys(p.section for p in TABLE))}")
    for p in rows:
        print(f"{p.name}  = {p.default:g}  [{p.unit}]  range {p.low:g} to {p.high:g}")
        print(textwrap.indent(textwrap.fill(p.meaning, 90), "    "))
        print(textwrap.indent(textwrap.fill("source: " + p.source, 90), "    "))
    return 0


def _docs(args) -> int:
    from pcsim import docs

    current = docs.update(check=args.check)
    print(f"{docs.ODD}: " + ("up to date" if current else "out of date; run `pcsim docs`"))
    return 0 if current else 1


def _schemes(args) -> int:
    from pcsim.schemes import REGISTRY

    for name, cls in sorted(REGISTRY.items()):
        print(f"{name}: {cls.summary}")
        for key, f in cls.fields.items():
            print(f"    {key} (default {f.default!r}): {f.meaning}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
