"""What the commands share: the parser of a command, engine options, running a plan with a progress bar."""

from __future__ import annotations

import argparse

from pcsim.config import ConfigError

__all__ = ["ConfigError", "command", "engine_options", "check_workers", "execute"]


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


def check_workers(args) -> None:
    if args.workers is not None and args.workers < 1:
        raise ConfigError(f"--workers = {args.workers} must be at least 1")


def execute(plan, out, args, task=None) -> None:
    """Run ``plan`` into ``out`` (what is stored there is kept) with a progress bar; ``task``: another
    chunk task than the sweeps' (:func:`pcsim.experiments.sweeps.execute`)."""
    from tqdm.auto import tqdm

    from pcsim.experiments import sweeps

    check_workers(args)
    done = sweeps.finished(plan, out) if out.exists() else 0
    options = {} if task is None else {"task": task}
    with tqdm(total=len(plan.runs), initial=done, unit="run", desc=plan.name, disable=None) as bar:
        sweeps.execute(plan, out, workers=args.workers, scheduler=args.scheduler, progress=bar.update, **options)
    if done:
        print(f"resumed: {done} of {len(plan.runs)} runs were already stored")
