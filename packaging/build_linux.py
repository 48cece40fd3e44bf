#!/usr/bin/env python3
"""Build the Linux one-folder bundle and the .deb from a clean checkout.

Usage::

    python3 packaging/build_linux.py [--skip-self-test] [--no-deb]

Sets up ``.venv`` the same way ``scripts/dev.py`` does (plus PyInstaller),
builds ``dist/briefing-reader/`` from ``packaging/briefing-reader.spec``, runs
the bundle's ``--self-test`` offscreen, and packs
``dist/briefing-reader_<version>_<arch>.deb`` with ``dpkg-deb``: the app in
``/opt/briefing-reader``, a launcher in ``/usr/bin``, a .desktop file and
icons, and ``Depends:`` computed from the system libraries the bundle links
against but does not carry. Prints sizes and times, and writes them to
``dist/build-report.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _load_dev() -> ModuleType:
    """scripts/dev.py, the one place that knows how to set up .venv (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location("briefing_reader_dev", ROOT / "scripts" / "dev.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dev = _load_dev()

APP = "briefing-reader"
SPEC = ROOT / "packaging" / f"{APP}.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
BUNDLE = DIST / APP
INSTALL_DIR = Path("/opt") / APP
MAINTAINER = "Briefing Reader team <briefing-reader@localhost>"
SUMMARY = "offline reader for long official documents, with Chinese search and notes"
DESCRIPTION = """\
 Briefing Reader shows a document's chapter tree and numbered paragraphs,
 searches a whole library of documents instantly (exact Chinese matches plus
 word search), and keeps notes and bookmarks in plain YAML files. It never uses
 the network. The package carries its own Python, Qt and CJK font."""
# Sonames resolved by the dynamic loader itself: libc6 covers them.
LIBC_SONAMES = re.compile(r"^(ld-linux.*|libc|libm|libdl|libpthread|librt|libutil|libresolv)\.so")


def say(message: str) -> None:
    """Print a progress line."""
    print(f"==> {message}", flush=True)


def version() -> str:
    """The project version from pyproject.toml."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def setup() -> Path:
    """Create .venv with the project and PyInstaller; return its python."""
    dev.apt_install(dev.APT_BUILD, "PyInstaller needs objdump; trimming ICU needs icupkg and cc")
    dev.create_venv()
    dev.pip_install("packaging")
    return Path(dev.venv_python())


def build_bundle(python: Path) -> float:
    """Run PyInstaller on the spec into dist/; return the seconds it took."""
    shutil.rmtree(BUNDLE, ignore_errors=True)
    started = time.monotonic()
    status = dev.run(
        [
            python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
            "--distpath", DIST, "--workpath", WORK / "pyinstaller", SPEC,
        ],
        cwd=ROOT,
    )  # fmt: skip
    if status != 0:
        sys.exit(f"build_linux: PyInstaller failed (status {status})")
    return time.monotonic() - started


def self_test(executable: Path) -> None:
    """Run ``--self-test`` offscreen; exit when it fails."""
    env = dev.qt_environment()
    env["QT_QPA_PLATFORM"] = "offscreen"
    if dev.run([executable, "--self-test"], env=env) != 0:
        sys.exit(f"build_linux: {executable} --self-test failed")


def tree_size(path: Path) -> int:
    """Bytes in the files under ``path`` (symbolic links not followed)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


# ----------------------------------------------------------------- Depends


def elf_files(root: Path) -> list[Path]:
    """Every ELF file under ``root`` (symbolic links skipped)."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed_sonames(files: Iterable[Path]) -> set[str]:
    """The NEEDED entries of ``files``."""
    sonames: set[str] = set()
    for path in files:
        out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=False).stdout
        sonames.update(line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED"))
    return sonames


def system_library_paths() -> dict[str, str]:
    """Soname to path for the system's libraries of our architecture, from ``ldconfig -p``."""
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    paths: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and ("x86-64" in match.group(2)) == (os.uname().machine == "x86_64"):
            paths.setdefault(match.group(1), match.group(3))
    return paths


def owning_package(path: str) -> str | None:
    """The Debian package that installed ``path`` (trying the /usr-merged spelling too)."""
    real = os.path.realpath(path)
    candidates = [path, real]
    for p in (path, real):
        candidates.append(p[4:] if p.startswith("/usr/") else "/usr" + p)
    for candidate in candidates:
        proc = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        if proc.returncode == 0:
            return proc.stdout.split(":")[0].strip()
    return None


def shlibdeps_versions(files: Sequence[Path]) -> dict[str, str]:
    """Version constraints per package from ``dpkg-shlibdeps`` (empty when it is not installed)."""
    if shutil.which("dpkg-shlibdeps") is None:
        return {}
    scratch = WORK / "shlibdeps"
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "debian").mkdir(parents=True)
    (scratch / "debian" / "control").write_text(f"Source: {APP}\n\nPackage: {APP}\nArchitecture: any\n")
    lib_dirs = sorted({f"-l{p.parent}" for p in files})
    proc = subprocess.run(
        ["dpkg-shlibdeps", "-O", "--ignore-missing-info", *lib_dirs, *map(str, files)],
        cwd=scratch,
        capture_output=True,
        text=True,
        check=False,
    )
    versions = {}
    for line in proc.stdout.splitlines():
        if line.startswith("shlibs:Depends="):
            for item in line.split("=", 1)[1].split(","):
                name, _, constraint = item.strip().partition(" ")
                versions[name] = constraint.strip()
    return versions


def compute_depends(bundle: Path) -> list[str]:
    """The packages providing the libraries the bundle links against but does not carry."""
    files = elf_files(bundle)
    carried = {p.name for p in bundle.rglob("*")}
    missing = sorted(s for s in needed_sonames(files) if s not in carried)
    system = system_library_paths()
    packages = {"libc6"}
    unresolved = []
    for soname in missing:
        if LIBC_SONAMES.match(soname):
            continue
        path = system.get(soname)
        package = owning_package(path) if path else None
        if package is None:
            unresolved.append(soname)
        else:
            packages.add(package.split(":")[0])
    if unresolved:
        sys.exit(
            f"build_linux: no installed package provides {', '.join(unresolved)}; install it and rebuild"
        )
    versions = shlibdeps_versions(files)
    if "libc6" not in versions:
        glibc = os.confstr("CS_GNU_LIBC_VERSION") or "glibc 2.36"
        versions["libc6"] = f"(>= {glibc.split()[-1]})"
    return [f"{p} {versions[p]}".strip() if p in versions else p for p in sorted(packages)]


# ----------------------------------------------------------------- .deb


DESKTOP_ENTRY = """\
[Desktop Entry]
Type=Application
Name=Briefing Reader
Name[zh_CN]=文件阅读器
GenericName=Document reader
GenericName[zh_CN]=文件阅读器
Comment=Read, search and annotate official documents offline
Comment[zh_CN]=离线阅读、检索和批注正式文件
Exec=briefing-reader %F
Icon=briefing-reader
Terminal=false
Categories=Office;Viewer;
MimeType=text/plain;text/markdown;application/vnd.openxmlformats-officedocument.wordprocessingml.document;application/pdf;
Keywords=UN;briefing;report;search;notes;
StartupWMClass=briefing-reader
"""

LAUNCHER = f"""\
#!/bin/sh
# Briefing Reader: the program and everything it needs live in {INSTALL_DIR}.
exec {INSTALL_DIR}/{APP} "$@"
"""


def copyright_text() -> str:
    """The Debian copyright file: our licence and the bundled font's."""
    return f"""\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: {APP}

Files: *
License: GPL-3+
 On Debian systems, the full text of the GNU General Public License version 3
 can be found in /usr/share/common-licenses/GPL-3.

Files: opt/{APP}/_internal/resources/fonts/*
Copyright: 2008-2009, The WenQuanYi Project Board of Trustees
License: Apache-2.0
 See {INSTALL_DIR}/_internal/resources/fonts/LICENSE-Apache-2.0.txt and
 COPYRIGHT-wqy-microhei.txt beside it.

Files: opt/{APP}/_internal/*
License: various
 The bundled Python, Qt (LGPL-3), PySide6 (LGPL-3), jieba (MIT), Whoosh (BSD),
 OpenCC (Apache-2.0), PyYAML (MIT), python-docx (MIT), pypdf (BSD),
 platformdirs (MIT), lxml (BSD), numpy (BSD-3-Clause, with OpenBLAS and
 libgfortran; see _internal/numpy-*.dist-info/licenses/) and diff-match-patch
 (Apache-2.0; licence in {INSTALL_DIR}/_internal/diff_match_patch-*.dist-info/LICENSE)
 keep their own licences.
"""


def build_deb(bundle: Path, depends: Sequence[str], ver: str) -> Path:
    """Lay out the package tree and pack it with dpkg-deb; return the .deb path."""
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    tree = WORK / "deb" / f"{APP}_{ver}_{arch}"
    shutil.rmtree(tree, ignore_errors=True)
    opt = tree / INSTALL_DIR.relative_to("/")
    shutil.copytree(bundle, opt, symlinks=True)

    launcher = tree / "usr" / "bin" / APP
    launcher.parent.mkdir(parents=True)
    launcher.write_text(LAUNCHER)
    launcher.chmod(0o755)

    applications = tree / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / f"{APP}.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")

    icons = ROOT / "resources" / "icons"
    hicolor = tree / "usr" / "share" / "icons" / "hicolor"
    for png in sorted(icons.glob(f"{APP}-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        target = hicolor / f"{size}x{size}" / "apps" / f"{APP}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, target)
    scalable = hicolor / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(icons / f"{APP}.svg", scalable / f"{APP}.svg")

    doc = tree / "usr" / "share" / "doc" / APP
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(copyright_text(), encoding="utf-8")

    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)

    installed_kb = (tree_size(tree) + 1023) // 1024
    control = tree / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {APP}\n"
        f"Version: {ver}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {installed_kb}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: text\n"
        "Priority: optional\n"
        f"Description: {SUMMARY}\n"
        f"{DESCRIPTION}\n",
        encoding="utf-8",
    )
    control.parent.chmod(0o755)
    control.chmod(0o644)

    deb = DIST / f"{APP}_{ver}_{arch}.deb"
    deb.unlink(missing_ok=True)
    if dev.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", tree, deb]) != 0:
        sys.exit("build_linux: dpkg-deb failed")
    return deb


def main(argv: Sequence[str]) -> int:
    """Build the bundle and the .deb, then print and record the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-self-test", action="store_true", help="do not run the bundle's --self-test")
    parser.add_argument("--no-deb", action="store_true", help="build the bundle only")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        print("build_linux: this builds the Linux bundle; see docs/PACKAGING.md for Windows and macOS")
        return 2

    started = time.monotonic()
    python = setup()
    say("building the bundle")
    bundle_seconds = build_bundle(python)
    bundle_bytes = tree_size(BUNDLE)
    report: dict[str, object] = {
        "version": version(),
        "bundle": str(BUNDLE),
        "bundle_bytes": bundle_bytes,
        "bundle_seconds": round(bundle_seconds, 1),
    }
    say(f"bundle: {bundle_bytes / 2**20:.1f} MiB in {bundle_seconds:.0f} s")
    if not args.skip_self_test:
        say("self-test of the bundle")
        self_test(BUNDLE / APP)
    if not args.no_deb:
        say("building the .deb")
        deb_started = time.monotonic()
        depends = compute_depends(BUNDLE)
        deb = build_deb(BUNDLE, depends, version())
        report.update(
            deb=str(deb),
            deb_bytes=deb.stat().st_size,
            deb_seconds=round(time.monotonic() - deb_started, 1),
            depends=depends,
        )
        say(f".deb: {deb} {deb.stat().st_size / 2**20:.1f} MiB")
        say(f"Depends: {', '.join(depends)}")
    report["total_seconds"] = round(time.monotonic() - started, 1)
    (DIST / "build-report.json").write_text(json.dumps(report, indent=2) + "\n")
    say(f"done in {report['total_seconds']} s; figures in {DIST / 'build-report.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
