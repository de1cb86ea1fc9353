"""The ``pcsim`` command line: one module a command, each with ``add(commands)`` and a handler.

Commands raise :class:`~pcsim.config.ConfigError` for anything a user gave wrong; :func:`main`
turns it into one line on standard error and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys

from pcsim import __version__
from pcsim.cli import calibrate, compare, discover, figures, reference, response, run, sa, sweep, viz
from pcsim.config import ConfigError

DESCRIPTION = """\
pcsim: an agent-based simulation of primary-care transformation (Mesa).

GP practices, GPs, commissioners and hospitals interact under a timeline of
schemes: the core contract, QOF-style micro-incentives, an ACE-style investment
fund. Every number the model uses is in one parameter table (`pcsim params`);
configs are TOML files (see configs/); any parameter can be changed with --set.
"""

# in the order --help lists them
COMMANDS = (run, compare, sweep, sa, response, calibrate, discover, figures, viz, reference)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pcsim", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"pcsim {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.handler(args) or 0
    except ConfigError as exc:
        print(f"pcsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pcsim: interrupted; nothing half-written was left behind", file=sys.stderr)
        return 130
    except BrokenPipeError:             # output piped into a reader that stopped early (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0