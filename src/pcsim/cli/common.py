"""What the commands share: the parser of a command, engine options, running a plan with a progress bar."""

from __future__ import annotations

import argparse

from pcsim.config import ConfigError

__all__ = ["ConfigError", "command", "engine_options", "check_workers", "execute", "study_folder", "warn"]


def command(commands, name: str, help: str, description: str) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` keeps its description's line breaks and examples."""
    return commands.add_parser(name, help=help, description=description,
                               formatter_class=argparse.RawDescriptionHelpFormatter)


def engine_options(parser, overrides: bool = True, out: str | None = None,
                    out_help: str = "results directory (default: under results/)") -> None:
    parser.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="run on a Dask distributed cluster at ADDRESS (e.g. tcp://10.0.0.5:8786)")
    parser.add_argument("--out", default=out, metavar="DIR", help=out_help)
    if overrides:
        parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                            help="override a key of the config")


def warn(config) -> None:
    """Print what a user should know about a config that is not an error (its notes), once each."""
    import sys

    for note in config.notes:
        if note not in _warned:
            _warned.add(note)
            print(f"pcsim: warning: {note}", file=sys.stderr)


_warned: set[str] = set()


def check_workers(args) -> None:
    if args.workers is not None and not 1 <= args.workers <= 1024:
        raise ConfigError(f"--workers = {args.workers}: allowed 1 to 1024 local worker processes")
    if args.workers is not None and args.scheduler:
        raise ConfigError("--workers and --scheduler: give one (local processes, or a Dask cluster), not both")
    if args.scheduler:
        from pcsim.experiments.sweeps import check_scheduler

        check_scheduler(args.scheduler)


def study_folder(args, default):
    """The study's folder: ``--out`` or ``default``, checked to be a folder that is new, empty or holds a
    study (a sweep of the same spec resumes there)."""
    from pathlib import Path

    from pcsim.experiments import folders

    return folders.check_study_folder(Path(args.out) if args.out else default)


def execute(plan, out, args, client=None, task=None) -> None:
    """Run a plan's runs not yet stored in ``out`` with a progress bar (the caller holds ``out``'s claim and
    the Dask ``client``, if any: :func:`pcsim.experiments.sweeps.engine`); ``task``: another chunk task
    than the sweeps' (:func:`pcsim.experiments.sweeps.execute`)."""
    import sys

    from tqdm.auto import tqdm

    from pcsim.experiments import sweeps

    check_workers(args)
    for note in plan.spec.get("warnings", []):
        if note not in _warned:
            _warned.add(note)
            print(f"pcsim: warning: {note}", file=sys.stderr)
    done = sweeps.finished(plan, out) if out.exists() else 0
    with tqdm(total=len(plan.runs), initial=done, unit="run", desc=plan.name, disable=None) as bar:
        sweeps.execute(plan, out, workers=args.workers, scheduler=args.scheduler, progress=bar.update, client=client,
                       task=task)
    if done:
        print(f"resumed: {done} of {len(plan.runs)} runs were already stored")
