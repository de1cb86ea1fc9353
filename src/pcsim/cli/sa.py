"""``pcsim sa``: SALib sensitivity analysis of outcomes and policy contrasts."""

from __future__ import annotations

from pathlib import Path

from pcsim.cli.common import command, engine_options, execute

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


def add(commands) -> None:
    sa = command(commands, "sa", "SALib sensitivity analysis of outcomes and policy contrasts", SA_HELP)
    sa.add_argument("spec", help="an SA spec (TOML), e.g. experiments/sa_contrast.toml")
    sa.add_argument("--method", choices=("sobol", "morris", "fast", "delta"), default=None,
                    help="SALib method (default: the spec's, or sobol)")
    engine_options(sa)
    sa.set_defaults(handler=main)


def main(args) -> int:
    from pcsim.experiments import provenance
    from pcsim.experiments import sensitivity
    from pcsim.experiments import sweeps
    from pcsim.experiments.runner import RESULTS

    study = sensitivity.Study(args.spec, args.method, args.overrides)
    out = Path(args.out) if args.out else RESULTS / "sa" / study.plan.name
    execute(study.plan, out, args)
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
