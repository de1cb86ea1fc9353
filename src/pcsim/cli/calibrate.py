"""``pcsim calibrate``: Bayesian history matching with Gaussian-process emulators, in waves."""

from __future__ import annotations

from pathlib import Path

from pcsim.cli.common import check_workers, command, engine_options

CALIBRATE_HELP = """\
Bayesian history matching (Vernon et al. 2010; Andrianakis et al. 2015): which
values of the spec's parameters are consistent with its targets (observables
of the model's outputs, each with an observed value, its uncertainty and a
model discrepancy). Each wave runs a design of parameter sets on replicate
seeds, fits a Gaussian-process emulator (scikit-learn) to each target, and
rules out the parameter sets whose implausibility - the distance from the
observation in units of emulator, replicate, discrepancy and observation
uncertainty - is above the cutoff; the next wave runs inside what is left.

Writes waves.csv (per wave and target: runs, share of the space still
non-implausible, emulator and its leave-one-out validation), ranges.csv,
validation.csv, runs.parquet (every run and its observables),
plausible.parquet (non-implausible parameter sets: an ensemble for `pcsim
compare --ensemble`), implausibility.png (minimum implausibility and optical
depth for every pair of parameters), waves.png, validation.png and
manifest.json. Runs are stored chunk by chunk: the same command resumes.

examples:
  pcsim calibrate experiments/calibrate_ace.toml --quick
  pcsim calibrate experiments/calibrate_ace.toml --workers 2
  pcsim compare --ensemble results/calibrate/ace/plausible.parquet
"""


def add(commands) -> None:
    calibrate = command(commands, "calibrate", "history matching: the parameter values consistent with the data",
                        CALIBRATE_HELP)
    calibrate.add_argument("spec", help="a calibration spec (TOML), e.g. experiments/calibrate_ace.toml")
    calibrate.add_argument("--quick", action="store_true",
                           help="the spec's [quick] table: fewer waves, runs and seeds (for trying it out and CI)")
    engine_options(calibrate, out_help="where to write (default: results/calibrate/<name>, or <name>-quick)")
    calibrate.set_defaults(handler=main)


def main(args) -> int:
    from pcsim.experiments import calibration, folders
    from pcsim.experiments.runner import RESULTS

    check_workers(args)
    spec = calibration.load_spec(args.spec, args.quick, args.overrides)
    out = Path(args.out) if args.out else RESULTS / "calibrate" / (spec.name + ("-quick" if spec.quick else ""))
    with folders.Claim(out, "study folder"):       # one writer: waves, tables and plausible sets never mix
        return calibrate_into(spec, out, args)


def calibrate_into(spec, out: Path, args) -> int:
    """The waves, then the files, into ``out``, whose claim the caller holds."""
    from tqdm.auto import tqdm

    from pcsim.experiments import calibration, provenance, sweeps

    calibration.claim(spec, out)
    started = provenance.now()

    def runner(plan, task, what):
        wave_dir = out / plan.name.rsplit("-", 1)[-1]
        done = sweeps.finished(plan, wave_dir) if wave_dir.exists() else 0
        with tqdm(total=len(plan.runs), initial=done, unit="run", desc=what, disable=None, leave=False) as bar:
            sweeps.execute(plan, wave_dir, workers=args.workers, scheduler=args.scheduler, progress=bar.update,
                           task=task)
        return sweeps.load_results(wave_dir)

    matching, runs = calibration.calibrate(spec, runner, progress=print)
    files = calibration.write(spec, matching, runs, out, started)
    print(calibration.summary_text(spec, matching))
    print(f"wrote {out}/ ({', '.join(files)})")
    return 0
