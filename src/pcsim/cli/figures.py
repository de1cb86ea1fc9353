"""``pcsim figures``: every figure and table of the paper, with provenance."""

from __future__ import annotations

from pathlib import Path

from pcsim.cli.common import ConfigError, check_workers, command, engine_options

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


def add(commands) -> None:
    figures = command(commands, "figures", "regenerate every figure and table of the paper, with provenance", FIGURES_HELP)
    figures.add_argument("--quick", action="store_true",
                         help="fewer replicates and samples (each spec's [quick] table): for CI and drafts")
    figures.add_argument("--specs", default="experiments/figures", metavar="DIR",
                         help="the figure specs, one TOML file a figure (default: %(default)s)")
    figures.add_argument("--only", default=None, metavar="NAMES",
                         help="comma-separated figure names (spec file names) to make; default: all")
    figures.add_argument("--fresh", action="store_true",
                         help="run everything again instead of reusing stored runs")
    engine_options(figures, overrides=False, out="results/figures",
                    out_help="where to write the figures, their data and manifests (default: %(default)s)")
    figures.set_defaults(handler=main)


def main(args) -> int:
    from pcsim import figures
    from pcsim.experiments import folders

    check_workers(args)
    only = [n.strip() for n in args.only.split(",") if n.strip()] if args.only else None
    if args.only is not None and not only:
        raise ConfigError(f"--only {args.only!r}: name at least one figure (spec file names, comma-separated)")
    found = figures.load_specs(Path(args.specs), args.quick, only)        # bad specs stop before anything runs
    out = folders.check_study_folder(args.out, key="figures", begun="store")
    with folders.Claim(out, "figures folder"):
        folders.remove_partial_files(out, out / "store" / "runs", out / "store" / "tables")
        return _make(figures, found, args, out)


def _make(figures, found, args, out: Path) -> int:
    from tqdm.auto import tqdm

    def bar(total: int, what: str):
        return tqdm(total=total, desc=f"  {what}", unit="run" if "runs" in what else "", leave=False, disable=None)

    with tqdm(total=len(found), desc="figures", unit="figure", disable=None) as overall:
        def made(figure) -> None:
            overall.update(1)
            overall.write(f"{figure.name}: " + ", ".join(p.name for p in figure.files))

        manifest = figures.make_all(found, out, args.fresh, args.workers, args.scheduler, bar, made)
    reused = [name for name, entry in manifest["figures"].items() if entry["reused_runs"]]
    print(f"wrote {len(manifest['figures'])} figures and tables to {args.out}/ (manifest.json; runs stored in "
          f"{args.out}/store/" + (f"; {len(reused)} drawn from stored runs" if reused else "") + ")")
    for name, entry in manifest["figures"].items():
        notes = entry["notes"]
        if "verdict" in notes:
            print(f"{name}: {notes['verdict']}")
        if "passed" in notes:
            print(f"{name}: {notes['passed']} of {notes['patterns']} patterns pass; {notes.get('reproduced', 0)} "
                  f"hold with their mechanism and fail without it")
    return 0
