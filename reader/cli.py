"""Command-line interface: ``briefing-reader [--library DIR] <command>``.

With no command it starts the GUI.  Each group of subcommands lives in its own
module (``cli_library``, ``cli_search``, ``cli_notes``) exposing
``register(subparsers)``; a subcommand sets ``func(args) -> int`` as its
default.  Errors are one clear line on stderr and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from reader import __version__

if TYPE_CHECKING:
    # What add_subparsers() returns; only subscriptable for the type checker.
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

COMMAND_MODULES = (
    "reader.cli_library",
    "reader.cli_search",
    "reader.cli_notes",
    "reader.cli_compare",
    "reader.cli_versions",
)


class CliError(Exception):
    """An error to report to the user as one line, with an exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def emit_json(obj: object) -> None:
    """Print JSON the way every command does: UTF-8, not ASCII-escaped."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=None) + "\n")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every available command group registered."""
    parser = argparse.ArgumentParser(
        prog="briefing-reader",
        description="Read, search and annotate official documents offline.",
    )
    parser.add_argument(
        "--library",
        metavar="DIR",
        help="library folder (default: $BRIEFING_READER_HOME or the user data dir)",
    )
    parser.add_argument("--version", action="version", version=f"briefing-reader {__version__}")
    parser.add_argument("--self-test", action="store_true", help="run the offline self-test and exit")
    sub = parser.add_subparsers(dest="command", metavar="<command>")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        register: Callable[[SubParsers], None] = module.register
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``briefing-reader`` command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.self_test:
            from reader.selftest import run as run_self_test

            status: int = run_self_test(args)
            return status
        if args.command is None:
            from reader.app import run as run_app

            status = run_app(args)
            return status
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except CliError as exc:
        print(f"briefing-reader: error: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("briefing-reader: error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    # Run as ``python -m reader.cli`` this file is ``__main__``, and the command
    # modules import ``reader.cli`` again: a second CliError class that this
    # copy's ``except`` would not catch.  Run the one the commands share.
    from reader.cli import main as shared_main

    sys.exit(shared_main())
