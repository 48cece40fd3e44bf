"""Entry point frozen by PyInstaller: the ``briefing-reader`` command of the bundle."""

from __future__ import annotations

import os
import sys


def _prepare_environment() -> None:
    """Point Qt at what the bundle carries before anything imports it."""
    if sys.platform.startswith("linux") and "QT_QPA_PLATFORM" not in os.environ and os.environ.get("DISPLAY"):
        # The bundle carries the xcb and offscreen platform plugins, not the
        # native Wayland one: on a Wayland session the window goes through
        # XWayland, and saying so up front spares Qt a failed Wayland attempt.
        os.environ["QT_QPA_PLATFORM"] = "xcb"


def main() -> int:
    """Run the command-line interface (which starts the window when given no command), or a worker."""
    from index.segworker import FROZEN_FLAG

    if len(sys.argv) > 1 and sys.argv[1] == FROZEN_FLAG:
        # The search engine's word-index worker (index.segmenting starts the bundle so): no Qt, no CLI.
        from index.segworker import main as worker_main

        return worker_main(sys.argv[2:])
    _prepare_environment()
    from reader.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
