"""``pcsim discover``: scenario discovery with PRIM over a stored sweep or SA study."""

from __future__ import annotations

from pathlib import Path

from pcsim.cli.common import command, engine_options, execute

DISCOVER_HELP = """\
Scenario discovery (Bryant & Lempert 2010) with PRIM from EMA Workbench: the
boxes of parameter space - a few parameters' ranges - in which the first
policy of the spec beats the second on a chosen outcome (e.g. the investment
fund gives fewer emergency admissions than micro-incentives), over the runs
of an SA study or a sweep. The study is read from where `pcsim sa` (or `pcsim
sweep`) stores it, or from --study; what is missing is run first (resumable).

Writes boxes.csv (each box's restricted parameters, limits, quasi-p-values,
coverage and density), trajectory.csv (the coverage-density trade-off of every
peeling step), cases.csv, tradeoff.png, boxes.png, scenario.png and
manifest.json.

examples:
  pcsim discover experiments/discover_admissions.toml
  pcsim discover experiments/discover_admissions.toml --study results/sa/sa_contrast-sobol
"""


def add(commands) -> None:
    discover = command(commands, "discover", "scenario discovery: where one policy beats another (PRIM)",
                       DISCOVER_HELP)
    discover.add_argument("spec", help="a discovery spec (TOML), e.g. experiments/discover_admissions.toml")
    discover.add_argument("--study", default=None, metavar="DIR",
                          help="the stored study (default: where pcsim sa or pcsim sweep writes the spec's study)")
    engine_options(discover, out_help="where to write (default: results/discover/<name>)")
    discover.set_defaults(handler=main)


def main(args) -> int:
    from pcsim.experiments import discovery, provenance, sweeps
    from pcsim.experiments.runner import RESULTS

    spec = discovery.load_spec(args.spec, args.overrides)
    study_dir = Path(args.study) if args.study else spec.default_dir
    started = provenance.now()
    execute(spec.plan, study_dir, args)
    results = sweeps.load_results(study_dir)
    x, values, interest = discovery.cases(results, spec)
    found = discovery.discover(x, interest, spec["boxes"], spec["min_coverage"], spec["peel_alpha"],
                               spec["paste_alpha"], spec["mass_min"], values)
    out = Path(args.out) if args.out else RESULTS / "discover" / spec.name
    files = discovery.write(spec, found, out, study_dir, started)
    print(discovery.summary_text(spec, found))
    print(f"wrote {out}/ ({', '.join(files)})")
    return 0
