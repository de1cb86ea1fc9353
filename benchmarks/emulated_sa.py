"""How many runs Sobol indices need for the same top-five ranking: directly, and on an emulator.

    .venv/bin/python benchmarks/emulated_sa.py [--store DIR] [--points 32,64,128,256,512] [--workers 2]

The reference is the direct Sobol study of experiments/sa_contrast.toml at its full size (N = 512
base samples x 26 x 2 policies = 26,624 five-year runs; about 5 minutes on 2 cores, stored in
--store so a second call only analyses). For each of the study's six contrasts (investment fund minus
micro-incentives at month 60), an estimate "has the same ranking" when its five parameters with the
largest total index ST are the reference's five in the same order ("order"), or in any order ("set").

* direct: the same study on its first N base samples (N = 16 ... 512; N x 26 x 2 runs), as
  `pcsim sa` would estimate them with a smaller N;
* emulator: `pcsim sa --emulator` with a Latin hypercube of P training points (P x 2 runs), a Gaussian
  process a contrast, and SALib's Saltelli scheme on the emulator (8,192 base samples).

Prints one row a size (with each miss, and whether the reference's own 95% intervals of the two
parameters swapped overlap: a tie it cannot resolve), and the fewest runs each needs for every
contrast's ranking: first, and from which size on every larger size has it too.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from pcsim.experiments import emulated_sa, sensitivity, sweeps

SPEC = Path(__file__).resolve().parents[1] / "experiments" / "sa_contrast.toml"


def top_five(frame, output: str) -> list[str]:
    return emulated_sa.top(frame, output, "ST", 5)


def matches(estimate, reference, outputs: list[str]) -> tuple[int, int]:
    """How many outputs have the reference's top five in the same order, and as the same set."""
    order = sum(top_five(estimate, o) == top_five(reference, o) for o in outputs)
    same = sum(set(top_five(estimate, o)) == set(top_five(reference, o)) for o in outputs)
    return order, same


def direct_prefix(study: sensitivity.Study, results, n: int):
    """Sobol indices of the contrasts from the first ``n`` base samples of the stored study."""
    block = study.problem["num_vars"] + 2
    frames = []
    for output, y in study.responses(results).items():
        if " - " not in output:
            continue
        frame = sensitivity.analyse(study.problem, "sobol", study.x[: n * block], y[: n * block], study.seed)
        frame.insert(0, "output", output)
        frames.append(frame.rename_axis("parameter").reset_index())
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def fewest(rows: list[dict], key: str, outputs: int) -> tuple[int | None, int | None]:
    """Runs at the smallest size with all outputs' ranking, and at the smallest from which every larger
    size has it too."""
    first = next((row["runs"] for row in rows if row[key] == outputs), None)
    stable = None
    for row in reversed(rows):
        if row[key] < outputs:
            break
        stable = row["runs"]
    return first, stable


def misses(estimate, reference, outputs: list[str]) -> list[str]:
    """Where an estimate's top five differ from the reference's: the places, and whether the reference's
    own 95% intervals of the parameters swapped overlap (a tie the reference cannot resolve)."""
    notes = []
    for output in outputs:
        mine, theirs = top_five(estimate, output), top_five(reference, output)
        if mine == theirs:
            continue
        ref = reference[reference["output"] == output].set_index("parameter")
        for place, (a, b) in enumerate(zip(mine, theirs), start=1):
            if a != b:
                low = lambda p: ref.loc[p, "ST"] - ref.loc[p, "ST_conf"]        # noqa: E731
                high = lambda p: ref.loc[p, "ST"] + ref.loc[p, "ST_conf"]       # noqa: E731
                tie = low(a) <= high(b) and low(b) <= high(a)
                notes.append(f"{output.split(' | ')[0]} place {place}: {a} for {b} (reference ST "
                             f"{ref.loc[a, 'ST']:.3f} +- {ref.loc[a, 'ST_conf']:.3f} against {ref.loc[b, 'ST']:.3f} "
                             f"+- {ref.loc[b, 'ST_conf']:.3f}: {'a tie' if tie else 'distinct'})")
                break
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", default="results/benchmarks/emulated_sa", help="where the runs are kept")
    parser.add_argument("--points", default="32,64,128,256,512", help="emulator training sizes")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    store = Path(args.store)
    study = sensitivity.Study(SPEC)
    started = time.perf_counter()
    sweeps.execute(study.plan, store / "direct", workers=args.workers)
    direct_seconds = time.perf_counter() - started
    results = sweeps.load_results(store / "direct")
    reference = direct_prefix(study, results, study.samples)
    outputs = list(dict.fromkeys(reference["output"]))
    print(f"reference: direct Sobol, N = {study.samples}, {len(study.plan.runs):,} runs "
          f"({direct_seconds / 60:.1f} min to run or load); {len(outputs)} contrasts")
    for output in outputs:
        print(f"  {output.split(' | ')[0]}: " + ", ".join(top_five(reference, output)))
    print(f"\n{'method':10} {'size':>6} {'runs':>8} {'same order':>11} {'same set':>9} {'seconds':>8}")
    direct_rows = []
    n = 16
    while n <= study.samples:
        started = time.perf_counter()
        estimate = direct_prefix(study, results, n)
        order, same = matches(estimate, reference, outputs)
        row = {"size": n, "runs": n * (study.problem["num_vars"] + 2) * len(study.policies), "order": order,
               "set": same, "seconds": time.perf_counter() - started}
        direct_rows.append(row)
        print(f"{'direct':10} {n:>6} {row['runs']:>8,} {order:>8}/{len(outputs)} {same:>6}/{len(outputs)} "
              f"{row['seconds']:>8.1f}")
        for note in misses(estimate, reference, outputs) if n < study.samples else []:
            print(f"{'':12}{note}")
        n *= 2
    emulator_rows = []
    for points in (int(p) for p in args.points.split(",")):
        started = time.perf_counter()
        plan, design = emulated_sa.training_plan(study, points)
        sweeps.execute(plan, store / f"emulator-{points}", workers=args.workers)
        trained = emulated_sa.responses(study, sweeps.load_results(store / f"emulator-{points}"), points)
        estimate, validation = emulated_sa.indices(study, design, trained)
        order, same = matches(estimate, reference, outputs)
        row = {"size": points, "runs": len(plan.runs), "order": order, "set": same,
               "seconds": time.perf_counter() - started, "q2": float(np.min(validation["loo_q2"]))}
        emulator_rows.append(row)
        print(f"{'emulator':10} {points:>6} {row['runs']:>8,} {order:>8}/{len(outputs)} {same:>6}/{len(outputs)} "
              f"{row['seconds']:>8.1f}   (lowest emulator Q2 {row['q2']:.2f})")
        for note in misses(estimate, reference, outputs):
            print(f"{'':12}{note}")
    print()
    for name, rows in (("direct", direct_rows), ("emulator", emulator_rows)):
        for key, words in (("order", "same top five in the same order"), ("set", "same top five, any order")):
            first, stable = fewest(rows, key, len(outputs))
            print(f"{name:9}: {words:32} for all {len(outputs)} contrasts first at "
                  + (f"{first:,} runs" if first else "no size tried")
                  + "; at every larger size from " + (f"{stable:,} runs" if stable else "no size tried"))


if __name__ == "__main__":
    main()
