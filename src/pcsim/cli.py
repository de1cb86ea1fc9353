"""The ``pcsim`` command line."""

from __future__ import annotations

import argparse
import sys
import textwrap

from pathlib import Path

from pcsim import __version__
from pcsim.config import ConfigError
from pcsim.schemes.policies import DEFAULT_COMPARISON

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


COMPARE_HELP = """\
Run each named policy on the same seeds (common random numbers) and report,
for the key outcomes (emergency admissions, delivered indicator and holistic
care, continuity, the four motivations, morale, GP exits, spend and net
savings), each policy's mean and its paired difference from the first policy
with a 95% interval. Writes comparison.csv, runs.csv (one row per policy and
replicate), comparison.png and manifest.json.

Policies are named bundles of schemes: built in, status_quo,
micro_incentives and investment_fund (see src/pcsim/policies.py); a config
adds its own with [[policies.NAME]] tables.

examples:
  pcsim compare                                  # the mission's question on the default commissioner
  pcsim compare --replicates 50 --months 60
  pcsim compare --policies status_quo,investment_fund --set investment.funding_per_patient=21
"""


VIZ_HELP = """\
Serve the teaching visualisation on this machine (it needs no internet
access). Students choose a regime or a whole teaching scenario, change its key
levers (payment per point, GBP per patient, number of schemes, protected time,
the commissioner's stance, learning-set facilitation), then step or play the
model and watch the practice network, GPs' motivations, recorded against
delivered care, admissions and money respond.

examples:
  pcsim viz                       # http://127.0.0.1:8765
  pcsim viz configs/default.toml --port 8800
"""

SWEEP_HELP = """\
Run a sweep spec: a design (grid, list, random or Latin hypercube) over any
config keys, with replicates. Runs are stored as they finish (one Parquet file
per chunk, written then renamed); running the same spec again skips what is
stored, so an interrupted sweep resumes without recomputing or duplicating a
run. Each run's seed derives from its replicate number, so results are the
same whatever the engine, the number of workers or the order.

examples:
  pcsim sweep experiments/sweep_demand.toml
  pcsim sweep experiments/sweep_demand.toml --workers 2
  pcsim sweep experiments/sweep_demand.toml --scheduler tcp://127.0.0.1:8786
"""

SA_HELP = """\
A SALib sensitivity analysis (Sobol, Morris, FAST or delta) over parameters of
the parameter table (the spec picks them and may narrow their ranges). Each
sample runs every policy of the spec on the same seeds, and the outputs
analysed include the contrast between two policies at the horizon. Writes the
indices with bootstrap intervals, a convergence check (Sobol), bar charts and
a parameter-by-output heat map. Resumable and runs on Dask like a sweep.

examples:
  pcsim sa experiments/sa_contrast.toml
  pcsim sa experiments/sa_contrast.toml --method morris
"""

RESPONSE_HELP = """\
The investment-response curve (Nuffield Trust 2015, Recommendation 3): a
commissioner-wide investment fund at several levels (GBP per patient a year)
against the status quo on the same seeds; the change in emergency admissions
with a 90% band; the minimum investment reaching the target, as a share of the
budget beside London's 2-5.3%.

examples:
  pcsim response
  pcsim response --levels 0,10,20,40,80 --replicates 20 --target 15
"""


FIGURES_HELP = """\
Regenerate every figure and table of the paper from its experiment
(experiments/figures/*.toml, one spec a figure): the QOF history, the ACE
pilot beside Miller 2018 Table 1, the four motivations under each regime, the
policy contrast with intervals, Sobol indices of the contrast, the
investment-response curve, and the pattern scorecard of MODEL.md section 6.
For each it writes NAME.png and NAME.pdf (a table: NAME.md and NAME.tex), the
data behind it as NAME.csv and its provenance as NAME.json (spec, configs in
full with their hashes, seeds, stored runs, git commit, versions, file
hashes), and manifest.json for the set. Runs are stored under OUT/store/,
keyed by config, seeds and simulation code: a second run redraws from them.

examples:
  pcsim figures                          # full size (about 10 minutes on 2 cores, most of it the Sobol study)
  pcsim figures --quick                  # fewer replicates and samples: what CI runs, about 30 seconds
  pcsim figures --only fig4_policy_contrast,fig6_investment_response
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

    cmp = commands.add_parser("compare", help="compare policies on common seeds, with paired 95%% intervals",
                              description=COMPARE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmp.add_argument("config", nargs="?", default=None, help="a TOML config (default: the default commissioner)")
    cmp.add_argument("--policies", default=",".join(DEFAULT_COMPARISON),
                     help="comma-separated named policies; the first is the baseline (default: %(default)s)")
    cmp.add_argument("--replicates", type=int, default=20, help="seeds each policy runs on (default: 20)")
    cmp.add_argument("--months", type=int, default=None, help="months to simulate (default: the config's, 120)")
    cmp.add_argument("--seed", type=int, default=None, help="base seed the replicates' seeds derive from")
    cmp.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                     help="override any config key, as for `pcsim run`")
    cmp.add_argument("--out", default=None, metavar="DIR",
                     help="where to write (default: results/compare/<name>-<time>)")
    cmp.set_defaults(handler=_compare)

    sweep = commands.add_parser("sweep", help="run a sweep spec: designs over config keys, resumable",
                                description=SWEEP_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    sweep.add_argument("spec", help="a sweep spec (TOML), e.g. experiments/sweep_demand.toml")
    _engine_options(sweep)
    sweep.set_defaults(handler=_sweep)

    sa = commands.add_parser("sa", help="SALib sensitivity analysis of outcomes and policy contrasts",
                             description=SA_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    sa.add_argument("spec", help="an SA spec (TOML), e.g. experiments/sa_contrast.toml")
    sa.add_argument("--method", choices=("sobol", "morris", "fast", "delta"), default=None,
                    help="SALib method (default: the spec's, or sobol)")
    _engine_options(sa)
    sa.set_defaults(handler=_sa)

    response = commands.add_parser("response", help="the investment-response curve and the investment needed",
                                   description=RESPONSE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    response.add_argument("config", nargs="?", default=None, help="a TOML config (default: the default commissioner)")
    response.add_argument("--levels", default="0,5,10,20,30,45,60",
                          help="investment levels, GBP per patient a year (default: %(default)s)")
    response.add_argument("--replicates", type=int, default=10, help="seeds per level (default: 10)")
    response.add_argument("--months", type=int, default=60, help="months to simulate (default: 60)")
    response.add_argument("--target", type=float, default=15.0,
                          help="target cut in emergency admissions, %% (default: 15, the ACE target)")
    response.add_argument("--seed", type=int, default=1, help="base seed (default: 1)")
    _engine_options(response)
    response.set_defaults(handler=_response)

    figures = commands.add_parser("figures", help="regenerate every figure and table of the paper, with provenance",
                                  description=FIGURES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    figures.add_argument("--quick", action="store_true",
                         help="fewer replicates and samples (each spec's [quick] table): for CI and drafts")
    figures.add_argument("--specs", default="experiments/figures", metavar="DIR",
                         help="the figure specs, one TOML file a figure (default: %(default)s)")
    figures.add_argument("--only", default=None, metavar="NAMES",
                         help="comma-separated figure names (spec file names) to make; default: all")
    figures.add_argument("--fresh", action="store_true",
                         help="run everything again instead of reusing stored runs")
    _engine_options(figures, overrides=False, out="results/figures",
                    out_help="where to write the figures, their data and manifests (default: %(default)s)")
    figures.set_defaults(handler=_figures)

    viz = commands.add_parser("viz", help="the teaching visualisation in the browser (Mesa SolaraViz)",
                              description=VIZ_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    viz.add_argument("config", nargs="?", default=None,
                     help="a TOML config whose commissioner the class works on (default: the default commissioner)")
    viz.add_argument("--host", default="127.0.0.1", help="address to serve on (default: %(default)s, this machine)")
    viz.add_argument("--port", type=int, default=8765, help="port (default: %(default)s)")
    viz.set_defaults(handler=_viz)

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
    from pcsim.experiments import runner

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


def _compare(args) -> int:
    from tqdm.auto import tqdm

    from pcsim import config as configs
    from pcsim.experiments import compare
    from pcsim.experiments import provenance
    from pcsim.experiments.runner import RESULTS, stamp

    if args.replicates < 2:
        raise ConfigError(f"--replicates = {args.replicates}: paired intervals need at least 2 replicates")
    if args.months is not None and args.months <= 0:
        raise ConfigError(f"--months = {args.months} must be a positive number of months")
    config = configs.resolve(configs.load(args.config, args.overrides), seed=args.seed, months=args.months)
    policies = [p.strip() for p in args.policies.split(",") if p.strip()]
    if len(policies) < 2:
        raise ConfigError(f"--policies {args.policies!r}: name at least two policies to compare")
    for name in policies:
        config.with_policy(name)                     # every policy checked before anything runs
    started = provenance.now()
    with tqdm(total=len(policies) * args.replicates, unit="run", desc="comparing", disable=None) as bar:
        comparison = compare.compare(config, policies, args.replicates, bar)
    out = Path(args.out) if args.out else RESULTS / "compare" / f"{config.run['name']}-{stamp()}"
    compare.write_comparison(comparison, config, out, started)
    print(compare.comparison_text(comparison))
    print(f"wrote {out}/ (comparison.csv, runs.csv, comparison.png, manifest.json)")
    return 0


def _engine_options(parser, overrides: bool = True, out: str | None = None,
                    out_help: str = "results directory (default: under results/)") -> None:
    parser.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="run on a Dask distributed cluster at ADDRESS (e.g. tcp://10.0.0.5:8786)")
    parser.add_argument("--out", default=out, metavar="DIR", help=out_help)
    if overrides:
        parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                            help="override a key of the config")


def _check_workers(args) -> None:
    if args.workers is not None and args.workers < 1:
        raise ConfigError(f"--workers = {args.workers} must be at least 1")


def _execute(plan, out, args) -> None:
    from tqdm.auto import tqdm

    from pcsim.experiments import sweeps

    _check_workers(args)
    done = sweeps.finished(plan, out) if out.exists() else 0
    with tqdm(total=len(plan.runs), initial=done, unit="run", desc=plan.name, disable=None) as bar:
        sweeps.execute(plan, out, workers=args.workers, scheduler=args.scheduler, progress=bar.update)
    if done:
        print(f"resumed: {done} of {len(plan.runs)} runs were already stored")


def _sweep(args) -> int:
    from pcsim.experiments import provenance
    from pcsim.experiments import sweeps
    from pcsim.experiments.runner import RESULTS

    plan = sweeps.plan_sweep(args.spec, args.overrides)
    out = Path(args.out) if args.out else RESULTS / "sweeps" / plan.name
    _execute(plan, out, args)
    results = sweeps.load_results(out)
    keys = [c for c in results.columns if c.startswith("x:")]
    summary = sweeps.summary_frame(results, keys)
    provenance.write_atomic(out / "runs.parquet", lambda tmp: results.to_parquet(tmp, index=False))
    provenance.write_atomic(out / "summary.csv", lambda tmp: summary.to_csv(tmp, index=False))
    shown = keys + [f"{m}:mean" for m in ("emergency_admissions_per_1000", "quality_incentivised_delivered",
                                          "quality_non_incentivised", "morale", "gp_exits")]
    print(summary[shown].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"{len(results)} runs; wrote {out}/ (chunks/, runs.parquet, summary.csv, manifest.json)")
    return 0


def _sa(args) -> int:
    from pcsim.experiments import provenance
    from pcsim.experiments import sensitivity
    from pcsim.experiments import sweeps
    from pcsim.experiments.runner import RESULTS

    study = sensitivity.Study(args.spec, args.method, args.overrides)
    out = Path(args.out) if args.out else RESULTS / "sa" / study.plan.name
    _execute(study.plan, out, args)
    results = sweeps.load_results(out)
    indices = study.analyse(results)
    convergence = study.convergence(results)
    provenance.write_atomic(out / "indices.csv", lambda tmp: indices.to_csv(tmp, index=False))
    if not convergence.empty:
        provenance.write_atomic(out / "convergence.csv", lambda tmp: convergence.to_csv(tmp, index=False))
    from pcsim.experiments.plots import sensitivity_figures

    bars, heat, conv = sensitivity_figures(study, indices, convergence, sensitivity.main_index(study.method))
    for name, fig in (("indices.png", bars), ("heatmap.png", heat), ("convergence.png", conv)):
        if fig is not None:
            provenance.write_atomic(out / name, lambda tmp, fig=fig: fig.savefig(tmp, dpi=110, format="png"))
    key = sensitivity.main_index(study.method)
    contrasts = [o for o in dict.fromkeys(indices["output"]) if " - " in o] or list(dict.fromkeys(indices["output"]))
    for output in contrasts:
        top = indices[indices["output"] == output].nlargest(5, key)
        print(f"{output}: " + ", ".join(f"{p} {v:.2f}" for p, v in zip(top["parameter"], top[key])))
    print(f"{len(results)} runs, {study.method}; wrote {out}/ (indices.csv, indices.png, heatmap.png"
          f"{', convergence.csv, convergence.png' if not convergence.empty else ''}, manifest.json)")
    return 0


def _response(args) -> int:
    from pcsim import config as configs
    from pcsim.experiments import provenance
    from pcsim.experiments import response
    from pcsim.experiments import sweeps
    from pcsim.experiments.runner import RESULTS, stamp

    try:
        levels = [float(v) for v in args.levels.split(",") if v.strip()]
    except ValueError:
        raise ConfigError(f"--levels {args.levels!r}: give numbers separated by commas, e.g. 0,10,20") from None
    if args.replicates < 2:
        raise ConfigError(f"--replicates = {args.replicates}: the band needs at least 2 replicates")
    if args.months < 12:
        raise ConfigError(f"--months = {args.months}: the final year needs at least 12 months")
    config = configs.resolve(configs.load(args.config, args.overrides), months=args.months)
    plan = response.plan(config, levels, args.replicates, args.seed)
    started = provenance.now()
    out = Path(args.out) if args.out else RESULTS / "response" / f"{config.run['name']}-{stamp()}"
    _execute(plan, out, args)
    budget = float(config.params["commissioner.budget_per_patient_year"])
    table = response.curve(sweeps.load_results(out), levels, budget)
    minimum = response.minimum_investment(table, args.target)
    verdict = response.write(table, minimum, args.target, budget, config, out, started)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print(verdict)
    print(f"wrote {out}/ (response.csv, response.png, manifest.json)")
    return 0


def _figures(args) -> int:
    from tqdm.auto import tqdm

    from pcsim import figures

    _check_workers(args)
    only = [n.strip() for n in args.only.split(",") if n.strip()] if args.only else None
    found = figures.load_specs(Path(args.specs), args.quick, only)        # bad specs stop before anything runs

    def bar(total: int, what: str):
        return tqdm(total=total, desc=f"  {what}", unit="run" if "runs" in what else "", leave=False, disable=None)

    with tqdm(total=len(found), desc="figures", unit="figure", disable=None) as overall:
        def made(figure) -> None:
            overall.update(1)
            overall.write(f"{figure.name}: " + ", ".join(p.name for p in figure.files))

        manifest = figures.make_all(found, Path(args.out), args.fresh, args.workers, args.scheduler, bar, made)
    reused = [name for name, entry in manifest["figures"].items() if entry["reused_runs"]]
    print(f"wrote {len(manifest['figures'])} figures and tables to {args.out}/ (manifest.json; runs stored in "
          f"{args.out}/store/" + (f"; {len(reused)} drawn from stored runs" if reused else "") + ")")
    for name, entry in manifest["figures"].items():
        notes = entry["notes"]
        if "verdict" in notes:
            print(f"{name}: {notes['verdict']}")
        if "passed" in notes:
            print(f"{name}: {notes['passed']} of {notes['patterns']} patterns pass")
    return 0


def _viz(args) -> int:
    import os
    import shutil

    from pcsim.viz import app

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port = {args.port} is not a port number (1 to 65535)")
    from pcsim import config as configs
    from pcsim.viz.page import CONFIG_VARIABLE

    if args.config is not None:
        configs.load(args.config)                       # a bad config stops here, not in the browser
        os.environ[CONFIG_VARIABLE] = os.path.abspath(args.config)
    solara = shutil.which("solara", path=os.path.dirname(sys.executable)) or shutil.which("solara")
    if solara is None:
        raise ConfigError("solara is not installed: run scripts/install")
    print(f"pcsim viz: open http://{args.host}:{args.port} in a browser (Ctrl-C stops)", flush=True)
    os.execv(solara, [solara, "run", app.__file__, "--host", args.host, "--port", str(args.port), "--no-open",
                      "--production"])


def _params(args) -> int:
    from pcsim.inputs.parameters import TABLE

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
    from pcsim.config import SCHEMES

    for name, cls in sorted(SCHEMES.items()):
        print(f"{name}: {cls.summary}")
        for key, f in cls.fields.items():
            print(f"    {key} (default {f.default!r}): {f.meaning}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
