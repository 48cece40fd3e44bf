#!/usr/bin/env python3
"""Set up a development environment and launch the app or run the checks.

Usage::

    python3 scripts/dev.py start          # venv + editable install, then launch on the sample
    python3 scripts/dev.py test [ARGS]    # venv + test extras + system libs, then ruff, mypy, pytest ARGS

Standard library only, so it runs on a fresh Debian 12 machine that has
nothing but Python 3.11+ and git.  As root (CI) it installs the Debian
libraries Qt needs offscreen and a CJK font; as another user it prints the
exact ``apt-get`` line and goes on.  Each step is skipped when already done,
so a rerun costs seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
STAMP = VENV / ".briefing-reader-setup"

# What Qt needs to run offscreen, plus a CJK font so Chinese text has glyphs.
APT_RUNTIME = [
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libxkbcommon0",
    "libglib2.0-0",
    "libdbus-1-3",
    "fonts-wqy-microhei",
]
# Qt's xcb platform plugin, for a real X11 (or XWayland) display.
APT_DISPLAY = [
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-randr0",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
    "libx11-xcb1",
]
# Building the bundle: objdump (binutils) for PyInstaller, ICU's tools and a C
# compiler to trim Qt's ICU data (packaging/trim_icu.py); dpkg-deb is always there.
APT_BUILD = ["binutils", "icu-devtools", "gcc"]
# Tests build the bundle, install the .deb (its Depends are the display libraries)
# and run the self-test without a network (`unshare`, util-linux).
APT_TEST = [*APT_BUILD, *APT_DISPLAY, "util-linux"]


def say(message: str) -> None:
    """Print a progress line that stands out from the tools' own output."""
    print(f"==> {message}", flush=True)


def warn(message: str) -> None:
    """Print a warning that does not stop the run."""
    print(f"!!! {message}", file=sys.stderr, flush=True)


def run(
    cmd: Sequence[str | os.PathLike[str]], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> int:
    """Run a command with inherited output (no stdin) and return its exit status."""
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    proc = subprocess.run([str(c) for c in cmd], stdin=subprocess.DEVNULL, cwd=cwd, env=env, check=False)
    return proc.returncode


def venv_python() -> Path:
    """The interpreter inside the project's virtual environment."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def venv_script(name: str) -> Path:
    """A console script installed in the virtual environment."""
    if os.name == "nt":
        return VENV / "Scripts" / f"{name}.exe"
    return VENV / "bin" / name


def is_root() -> bool:
    """Whether we may install system packages without asking."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


# ----------------------------------------------------------------- apt


def missing_debs(packages: Sequence[str]) -> list[str]:
    """The packages in ``packages`` that dpkg does not report as installed."""
    if shutil.which("dpkg-query") is None:
        return []
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}\t${db:Status-Abbrev}\n", *packages],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    installed = set()
    for line in proc.stdout.splitlines():
        name, _, status = line.partition("\t")
        if status.startswith("ii"):
            installed.add(name.split(":")[0])
    return [p for p in packages if p not in installed]


_apt_updated = False


def apt_install(packages: Sequence[str], why: str) -> bool:
    """Install missing Debian packages as root, or print the line to run; True when all are present."""
    global _apt_updated
    if shutil.which("dpkg-query") is None:
        say(f"not a Debian system: make sure the equivalent of {' '.join(packages)} is installed ({why})")
        return True
    missing = missing_debs(packages)
    if not missing:
        return True
    line = "apt-get install -y " + " ".join(missing)
    if not is_root() or shutil.which("apt-get") is None:
        warn(f"missing system packages ({why}); run as root:  sudo {line}")
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    say(f"installing system packages ({why}): {' '.join(missing)}")
    if not _apt_updated:
        if run(["apt-get", "update", "-q"], env=env) != 0:
            warn("apt-get update failed; trying the install with the lists we have")
        _apt_updated = True
    status = run(
        ["apt-get", "install", "-y", "-q", "-o", "Dpkg::Use-Pty=0", "--no-install-recommends", *missing],
        env=env,
    )
    if status != 0:
        warn(f"apt-get install failed (status {status}); continuing, but expect failures")
        return False
    return True


# ----------------------------------------------------------------- venv


def venv_works() -> bool:
    """Whether ``.venv`` has a working interpreter with pip."""
    py = venv_python()
    if not py.exists():
        return False
    proc = subprocess.run(
        [str(py), "-m", "pip", "--version"], capture_output=True, check=False, stdin=subprocess.DEVNULL
    )
    return proc.returncode == 0


def create_venv() -> None:
    """Create ``.venv``, getting the venv module from Debian or pip from PyPI when Python lacks them."""
    if venv_works():
        return
    if VENV.exists() and not venv_python().exists():
        # A half-made venv from an earlier failed attempt: nothing in it to keep.
        shutil.rmtree(VENV)
    say(f"creating virtual environment {VENV}")
    if run([sys.executable, "-m", "venv", VENV]) == 0 and venv_works():
        return
    # Debian splits venv/ensurepip out of python3 into python3-venv.
    version_pkg = f"python3.{sys.version_info.minor}-venv"
    if is_root() and shutil.which("apt-get"):
        apt_install([version_pkg], "Python venv module")
        apt_install(["python3-venv"], "Python venv module")
        shutil.rmtree(VENV, ignore_errors=True)
        if run([sys.executable, "-m", "venv", VENV]) == 0 and venv_works():
            return
    else:
        warn(f"python3 -m venv failed; the fix is:  sudo apt-get install -y python3-venv {version_pkg}")
    say("falling back to a venv without pip, and pip from PyPI")
    shutil.rmtree(VENV, ignore_errors=True)
    if run([sys.executable, "-m", "venv", "--without-pip", VENV]) != 0:
        sys.exit("dev.py: cannot create a virtual environment (python3 -m venv --without-pip failed)")
    bootstrap_pip()
    if not venv_works():
        sys.exit("dev.py: pip could not be installed into .venv")


def bootstrap_pip() -> None:
    """Install pip into the venv from PyPI's newest pip wheel (checked against its sha256)."""
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
    accept = {"Accept": "application/vnd.pypi.simple.v1+json"}
    request = urllib.request.Request(f"{index}/pip/", headers=accept)
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]

    def version(name: str) -> tuple[int, ...]:
        match = re.match(r"pip-([\d.]+)-py3-none-any\.whl$", name)
        return tuple(int(p) for p in match.group(1).split(".") if p) if match else ()

    wheels = [f for f in files if version(f["filename"]) and not f.get("yanked")]
    if not wheels:
        sys.exit("dev.py: no pip wheel found on the package index")
    best = max(wheels, key=lambda f: version(f["filename"]))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / best["filename"]
        with urllib.request.urlopen(best["url"], timeout=120) as response:
            data = response.read()
        expected = best.get("hashes", {}).get("sha256")
        if expected and hashlib.sha256(data).hexdigest() != expected:
            sys.exit(f"dev.py: {best['filename']} does not match its published sha256")
        target.write_bytes(data)
        # A wheel is a zip that Python can run from: pip installs itself.
        run([venv_python(), f"{target}/pip", "install", "--no-index", target])


def _setup_key(spec: str) -> str:
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    return hashlib.sha256(pyproject + spec.encode() + sys.version.encode()).hexdigest()


def pip_install(extras: str) -> None:
    """Install the project editable with ``extras`` unless the same install was already done."""
    spec = f".[{extras}]" if extras else "."
    done = set(STAMP.read_text().split()) if STAMP.exists() else set()
    # The test setup is a superset of the others.
    satisfying = {_setup_key(spec), _setup_key(".[test,packaging]")}
    if done & satisfying:
        say(f"python packages already installed ({spec})")
        return
    say(f"installing the project and its dependencies ({spec})")
    cmd: list[str | os.PathLike[str]] = [
        venv_python(),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
    ]
    if run([*cmd, "-e", spec], cwd=ROOT) != 0:
        sys.exit("dev.py: pip install failed (see above)")
    STAMP.write_text("\n".join(sorted(done | {_setup_key(spec)})) + "\n")


def qt_environment() -> dict[str, str]:
    """Environment for running Qt without a display and without warnings about it."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if os.name == "posix" and not env.get("XDG_RUNTIME_DIR"):
        # Qt warns when this is unset (typical for root in CI), and warnings fail our UI tests.
        runtime = Path(tempfile.gettempdir()) / f"briefing-reader-runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.chmod(runtime, 0o700)
        env["XDG_RUNTIME_DIR"] = str(runtime)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# ----------------------------------------------------------------- commands


def mypy_targets() -> list[str]:
    """The paths mypy checks: pyproject's ``files`` when set, else every Python folder we have."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[tool.mypy]", 1)[-1].split("\n[", 1)[0]
    if re.search(r"^\s*files\s*=", section, re.MULTILINE):
        return []
    candidates = ["reader", "index", "tests", "scripts", "bench", "packaging"]
    return [c for c in candidates if any((ROOT / c).rglob("*.py"))]


NO_DISPLAY_HELP = """\
dev.py start: there is no display here (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open.
  - on a desktop: run this from a terminal inside the desktop session;
  - over ssh: connect with `ssh -X` (X11 forwarding);
  - on a server: install xvfb and run `xvfb-run -a python3 scripts/dev.py start`;
  - to run it unseen (smoke test): `QT_QPA_PLATFORM=offscreen python3 scripts/dev.py start`.
The checks need no display: `python3 scripts/dev.py test`."""


def display_missing() -> bool:
    """Whether a Linux window has nowhere to show (and no platform was chosen explicitly)."""
    if not sys.platform.startswith("linux") or "QT_QPA_PLATFORM" in os.environ:
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_start() -> int:
    """Set up and launch the app (it opens the bundled sample when the library is empty)."""
    if display_missing():
        # Qt would abort with a misleading libxcb message; say what to do instead.
        print(NO_DISPLAY_HELP, file=sys.stderr)
        return 2
    apt_install(APT_RUNTIME, "Qt runtime and CJK font")
    if sys.platform.startswith("linux"):
        apt_install(APT_DISPLAY, "Qt on an X11/XWayland display")
    create_venv()
    pip_install("")
    exe = venv_script("briefing-reader")
    say(f"launching {exe}")
    sys.stdout.flush()
    if os.name == "nt":
        return run([exe])
    os.execv(exe, [str(exe)])
    return 0  # not reached


def cmd_test(pytest_args: Sequence[str]) -> int:
    """Set up everything the suite needs, then run ruff, mypy and pytest; non-zero on any failure."""
    started = time.monotonic()
    apt_install([*APT_RUNTIME, *APT_TEST], "Qt offscreen, CJK font, bundle build and install")
    create_venv()
    pip_install("test,packaging")
    env = qt_environment()
    results: dict[str, int] = {}

    say("ruff")
    results["ruff"] = run([venv_python(), "-m", "ruff", "check", "."], cwd=ROOT, env=env)

    say("mypy")
    results["mypy"] = run([venv_python(), "-m", "mypy", *mypy_targets()], cwd=ROOT, env=env)

    say("pytest")
    status = run([venv_python(), "-m", "pytest", *pytest_args], cwd=ROOT, env=env)
    if status == 5:
        warn("pytest collected no tests: that counts as a failure")
    results["pytest"] = status

    elapsed = time.monotonic() - started
    failed = [name for name, code in results.items() if code != 0]
    summary = ", ".join(
        f"{name} {'ok' if code == 0 else f'FAILED ({code})'}" for name, code in results.items()
    )
    say(f"{summary} — {elapsed:.0f} s")
    return 1 if failed else 0


def main(argv: Sequence[str]) -> int:
    """Dispatch ``start`` or ``test``."""
    if not argv or argv[0] not in {"start", "test"}:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 - users may run an older python3 by mistake
        print("dev.py: Python 3.11 or newer is needed", file=sys.stderr)
        return 2
    os.chdir(ROOT)
    if argv[0] == "start":
        return cmd_start()
    args = list(argv[1:])
    if args and args[0] == "--":
        args = args[1:]
    return cmd_test(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
