"""The ``pcsim`` command line: one module a command, each with ``add(commands)`` and a handler.

Commands raise :class:`~pcsim.config.ConfigError` for anything a user gave wrong; :func:`main`
turns it into one line on standard error and exit code 2.
"""

from __future__ import annotations

import argparse
import difflib
import os
import signal
import sys
import warnings

from pcsim import __version__
from pcsim.cli import calibrate, compare, discover, figures, patterns, reference, response, run, sa, sweep, viz
from pcsim.config import ConfigError

DESCRIPTION = """\
pcsim: an agent-based simulation of primary-care transformation (Mesa).

GP practices, GPs, commissioners and hospitals interact under a timeline of
schemes: the core contract, QOF-style micro-incentives, an ACE-style investment
fund. Every number the model uses is in one parameter table (`pcsim params`);
configs are TOML files (see configs/); any parameter can be changed with --set.
"""

# in the order --help lists them
COMMANDS = (run, compare, sweep, sa, response, calibrate, discover, patterns, figures, viz, reference)


class _Parser(argparse.ArgumentParser):
    """argparse, with a suggestion for a mistyped command or option."""

    def error(self, message: str):
        known = [o for action in self._actions for o in action.option_strings]
        words = message.split()
        if "unrecognized arguments:" in message:
            wrong = [w for w in words[words.index("arguments:") + 1:] if w.startswith("-")]
            hints = [_hint(w.split("=")[0], known) for w in wrong]
            message += "".join(h for h in hints if h)
        elif "invalid choice:" in message:
            choices = [a.choices for a in self._actions if isinstance(a, argparse._SubParsersAction)]
            given = message.split("invalid choice: ", 1)[1].split(" ", 1)[0].strip("'")
            if choices:
                message += _hint(given, list(choices[0]))
        super().error(message)


def _hint(word: str, known: list[str]) -> str:
    match = difflib.get_close_matches(word, known, n=1, cutoff=0.5)
    return f" (did you mean {match[0]}?)" if match else ""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pcsim", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"pcsim {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS:
        module.add(commands)
    return parser


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line; an unknown option is reported by its command's parser, with that command's
    usage and a suggestion, rather than by the top-level one."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        owner = commands.choices.get(args.command, parser)
        owner.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parse(parser, argv)
    if args.command is None:
        parser.print_help()
        return 0
    previous = signal.signal(signal.SIGTERM, _terminate) if _main_thread() else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            return args.handler(args) or 0
    except ConfigError as exc:
        print(f"pcsim: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pcsim: interrupted; what was finished is kept, nothing half-written was left behind (run the same "
              "command again to resume a sweep or study)", file=sys.stderr)
        return 130
    except BrokenPipeError:             # output piped into a reader that stopped early (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:              # a full disk, a folder that vanished or became read-only meanwhile
        where = f" {exc.filename}" if exc.filename else ""
        print(f"pcsim: error: cannot read or write{where}: {exc.strerror or exc}; nothing half-written was left "
              f"behind", file=sys.stderr)
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminate(signum, frame):
    """SIGTERM stops a command as Ctrl-C does: workers are stopped and what is finished is kept."""
    raise KeyboardInterrupt


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    if issubclass(category, UserWarning) and not issubclass(category, DeprecationWarning):
        text = " ".join(str(message).split())
        if text not in _shown:
            _shown.add(text)
            print(f"pcsim: warning: {text}", file=sys.stderr)


_shown: set[str] = set()
