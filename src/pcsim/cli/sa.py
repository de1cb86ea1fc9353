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

With --emulator, Sobol indices come from a Gaussian-process emulator trained
on a Latin hypercube of --train points (each running every policy), not from
the Saltelli runs: a few hundred runs instead of tens of thousands. Writes
emulator/indices.csv, emulator/validation.csv (the emulators' leave-one-out
Q2) and emulator/indices.png; if the direct study of the spec is stored
complete under --out, also emulator/beside_direct.csv with both estimates and
their rankings side by side.

examples:
  pcsim sa experiments/sa_contrast.toml
  pcsim sa experiments/sa_contrast.toml --method morris
  pcsim sa experiments/sa_contrast.toml --emulator --train 256
"""


def add(commands) -> None:
    sa = command(commands, "sa", "SALib sensitivity analysis of outcomes and policy contrasts", SA_HELP)
    sa.add_argument("spec", help="an SA spec (TOML), e.g. experiments/sa_contrast.toml")
    sa.add_argument("--method", choices=("sobol", "morris", "fast", "delta"), default=None,
                    help="SALib method (default: the spec's, or sobol)")
    sa.add_argument("--emulator", action="store_true",
                    help="Sobol indices on a Gaussian-process emulator trained on --train runs of each policy")
    sa.add_argument("--train", type=int, default=256, metavar="N",
                    help="Latin-hypercube training points of the emulator (default: %(default)s)")
    engine_options(sa)
    sa.set_defaults(handler=main)


def main(args) -> int:
    if args.emulator:
        return main_emulator(args)
    from pcsim.experiments import folders, provenance, sensitivity, sweeps
    import matplotlib.pyplot as plt

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
                plt.close(fig)
    print(sensitivity.summary_text(study, indices))
    print(f"{len(results)} runs, {study.method}; wrote {out}/ (indices.csv, indices.png, heatmap.png"
          f"{', convergence.csv, convergence.png' if not convergence.empty else ''}, manifest.json)")
    return 0


def main_emulator(args) -> int:
    """``pcsim sa --emulator``: Sobol indices on an emulator, beside the direct estimate if it is stored."""
    from pathlib import Path

    from pcsim.cli.common import ConfigError
    from pcsim.experiments import emulated_sa, folders, provenance, sensitivity, sweeps, uncertainty_plots
    from pcsim.experiments.runner import RESULTS

    if args.method not in (None, "sobol"):
        raise ConfigError(f"--method {args.method} with --emulator: the emulator gives Sobol indices only")
    if args.train < 8:
        raise ConfigError(f"--train = {args.train}: an emulator needs at least 8 training points")
    study = sensitivity.Study(args.spec, "sobol", args.overrides)
    out = Path(args.out) if args.out else RESULTS / "sa" / study.plan.name
    plan, design = emulated_sa.training_plan(study, args.train)
    where = out / "emulator"
    runs = where / f"runs-{args.train}"
    with sweeps.engine(args.scheduler) as client, folders.Claim(runs, "study folder"):
        execute(plan, runs, args, client)
        outputs = emulated_sa.responses(study, sweeps.load_results(runs), args.train)
    indices, validation = emulated_sa.indices(study, design, outputs)
    provenance.write_atomic(where / "indices.csv", lambda tmp: indices.to_csv(tmp, index=False))
    provenance.write_atomic(where / "validation.csv", lambda tmp: validation.to_csv(tmp, index=False))
    files = ["indices.csv", "validation.csv", "indices.png"]
    direct = None
    if (out / "chunks").is_dir() and sweeps.finished(study.plan, out) == len(study.plan.runs):
        direct = study.analyse(sweeps.load_results(out))
        both = emulated_sa.beside(indices, direct)
        provenance.write_atomic(where / "beside_direct.csv", lambda tmp: both.to_csv(tmp, index=False))
        files.append("beside_direct.csv")
    fig = uncertainty_plots.emulated_indices_figure(indices, validation, direct)
    provenance.write_atomic(where / "indices.png", lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    uncertainty_plots.close(fig)
    for output in outputs:
        q2 = validation.set_index("output").loc[output, "loo_q2"]
        line = f"{output}: emulator (Q2 {q2:.2f}) " + ", ".join(emulated_sa.top(indices, output))
        if direct is not None:
            line += "; direct " + ", ".join(emulated_sa.top(direct, output))
        print(line)
    if direct is None:
        print(f"(the direct study is not stored complete under {out}: run `pcsim sa {args.spec}` to set its "
              f"indices beside these)")
    print(f"{len(plan.runs)} training runs; wrote {where}/ ({', '.join(files)})")
    return 0
