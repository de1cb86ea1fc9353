"""``pcsim sweep``: designs over config keys, resumable, on local processes or Dask."""

from __future__ import annotations

from pathlib import Path

from pcsim.cli.common import command, engine_options, execute

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


def add(commands) -> None:
    sweep = command(commands, "sweep", "run a sweep spec: designs over config keys, resumable", SWEEP_HELP)
    sweep.add_argument("spec", help="a sweep spec (TOML), e.g. experiments/sweep_demand.toml")
    engine_options(sweep)
    sweep.set_defaults(handler=main)


def main(args) -> int:
    from pcsim.experiments import provenance
    from pcsim.experiments import sweeps
    from pcsim.experiments.runner import RESULTS

    plan = sweeps.plan_sweep(args.spec, args.overrides)
    out = Path(args.out) if args.out else RESULTS / "sweeps" / plan.name
    execute(plan, out, args)
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
