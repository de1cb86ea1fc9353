"""``pcsim sa``: SALib sensitivity analysis of outcomes and policy contrasts."""

from __future__ import annotations

from pcsim.cli.common import check_workers, command, engine_options, execute, study_folder

SA_HELP = """\
A SALib sensitivity analysis (Sobol, Morris, FAST or delta) over parameters of
the parameter table (the spec picks them and may narrow their ranges). Each
sample runs every policy of the spec on the same seeds, and the outputs
analysed include the contrast between two policies at the horizon. Writes the
indices with bootstrap intervals, a convergence check (Sobol), bar charts and
a parameter-by-output heat map, with parameters by their labels. Resumable
and runs on Dask like a sweep. Sobol needs samples (SALib's N) to be a power
of 2; ranges that hold points the model refuses (shares summing to more than
1) are refused before anything runs; a whole-number parameter is rounded for
the runs. Morris's mu* is printed as a share of each output's largest.

examples:
  pcsim sa experiments/sa_contrast.toml
  pcsim sa experiments/sa_contrast.toml --method morris
"""


def add(commands) -> None:
    sa = command(commands, "sa", "SALib sensitivity analysis of outcomes and policy contrasts", SA_HELP)
    sa.add_argument("spec", help="an SA spec (TOML), e.g. experiments/sa_contrast.toml")
    sa.add_argument("--method", choices=("sobol", "morris", "fast", "delta"), default=None,
                    help="SALib method (default: the spec's, or sobol)")
    engine_options(sa)
    sa.set_defaults(handler=main)


def main(args) -> int:
    from pcsim.experiments import folders, provenance, sensitivity, sweeps
    from pcsim.experiments.plots import sensitivity_figures
    from pcsim.experiments.runner import RESULTS

    check_workers(args)
    study = sensitivity.Study(args.spec, args.method, args.overrides)
    out = study_folder(args, RESULTS / "sa" / study.plan.name)
    with sweeps.engine(args.scheduler) as client, folders.Claim(out, "study folder"):
        execute(study.plan, out, args, client)
        results = sweeps.load_results(out)
        indices = study.analyse(results)
        convergence = study.convergence(results)
        provenance.write_atomic(out / "indices.csv", lambda tmp: indices.to_csv(tmp, index=False))
        if not convergence.empty:
            provenance.write_atomic(out / "convergence.csv", lambda tmp: convergence.to_csv(tmp, index=False))
        key = sensitivity.main_index(study.method)
        bars, heat, conv = sensitivity_figures(study, indices, convergence, key)
        for name, fig in (("indices.png", bars), ("heatmap.png", heat), ("convergence.png", conv)):
            if fig is not None:
                provenance.write_atomic(out / name, lambda tmp, fig=fig: fig.savefig(tmp, dpi=110, format="png"))
    print(sensitivity.summary_text(study, indices))
    print(f"{len(results)} runs, {study.method}; wrote {out}/ (indices.csv, indices.png, heatmap.png"
          f"{', convergence.csv, convergence.png' if not convergence.empty else ''}, manifest.json)")
    return 0
