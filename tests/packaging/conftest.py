"""Helpers for the packaging tests: running commands without a network."""

from __future__ import annotations

import functools
import shutil
import subprocess


@functools.cache
def netless_prefix() -> list[str] | None:
    """A command prefix that runs its command in a network namespace with no interfaces, if permitted."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    # Plain -n needs root; -rn maps us to root in a new user namespace where that is allowed.
    for prefix in ([unshare, "-n", "--"], [unshare, "-r", "-n", "--"]):
        probe = subprocess.run([*prefix, "true"], capture_output=True, check=False, timeout=30)
        if probe.returncode == 0:
            return prefix
    return None
