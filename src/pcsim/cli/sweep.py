"""``pcsim sweep``: designs over config keys, resumable, on local processes or Dask."""

from __future__ import annotations

from pcsim.cli.common import check_workers, command, engine_options, execute, study_folder

SWEEP_HELP = """\
Run a sweep spec: a design (grid, list, random or Latin hypercube) over any
config keys, with replicates. Runs are stored as they finish (one Parquet file
per chunk, written then renamed); running the same spec again skips what is
stored, so an interrupted sweep resumes without recomputing or duplicating a
run. Each run's seed derives from its replicate number, so results are the
same whatever the engine, the number of workers or the order. A spec's
record = [...] keeps those outputs over time too (every month, or each year's
mean with record_every = 12), in series/ beside the results; --set
run.months=N wins over the spec's months.

examples:
  pcsim sweep experiments/sweep_demand.toml
  pcsim sweep experiments/sweep_demand.toml --workers 2
  pcsim sweep experiments/sweep_demand.toml --scheduler tcp://127.0.0.1:8786
"""


def add(commands) -> None:
    sweep = command(commands, "sweep", "run a sweep spec: designs over config keys, resumable", SWEEP_HELP)
    sweep.add_argument("spec", help="a sweep spec (TOML), e.g. experiments/sweep_demand.toml")
    engine_options(sweep)
    sweep.set_defaults(handler=main)


def main(args) -> int:
    from pcsim.experiments import folders, provenance, sweeps
    from pcsim.experiments.runner import RESULTS

    check_workers(args)
    plan = sweeps.plan_sweep(args.spec, args.overrides)
    out = study_folder(args, RESULTS / "sweeps" / plan.name)
    with sweeps.engine(args.scheduler) as client, folders.Claim(out, "study folder"):
        execute(plan, out, args, client)
        results = sweeps.load_results(out)
        keys = [c for c in results.columns if c.startswith("x:")]
        summary = sweeps.summary_frame(results, keys)
        provenance.write_atomic(out / "runs.parquet", lambda tmp: results.to_parquet(tmp, index=False))
        provenance.write_atomic(out / "summary.csv", lambda tmp: summary.to_csv(tmp, index=False))
    shown = keys + [f"{m}:mean" for m in ("emergency_admissions_per_1000", "quality_incentivised_delivered",
                                          "quality_non_incentivised", "morale", "gp_exits")]
    print(summary[shown].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    kept = f", series/ ({', '.join(plan.record)} every {plan.record_every} months)" if plan.record else ""
    print(f"{len(results)} runs; wrote {out}/ (chunks/, runs.parquet, summary.csv, manifest.json{kept})")
    return 0
