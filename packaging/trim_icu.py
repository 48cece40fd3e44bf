"""Make a smaller ICU data library for the Linux bundle (Chinese and English locales only).

Qt's wheel carries ICU's full data (``libicudata.so.73``, 31 MB): every locale's
names, units, currencies and collations, 190 legacy code pages and the
transliterators. Qt uses ICU for collation, case mapping and time-zone names;
the app's UI is Chinese or English. This keeps the locale-independent data,
root, ``en*`` and ``zh*``, and the Chinese code pages, and rebuilds the library
under the same soname with ICU's own tools (``icupkg``, ``genccode``: Debian's
``icu-devtools``) and the C compiler. A locale that is not kept falls back to
ICU's root data, as ICU does for any locale it lacks.

Used by ``briefing-reader.spec``; stdlib only.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

KEPT_LANGUAGES = frozenset({"en", "zh"})
# Table-based converters worth keeping: Chinese encodings (GB 18030, GBK, Big5, IBM/Windows names).
KEPT_CONVERTERS = re.compile(r"^(gb18030|windows-93[6]|windows-950|ibm-138[36]|ibm-950|ibm-1375|ibm-5471)")
_LOCALE = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9]*)*\.res$")
_STRUCTURAL = frozenset({"res_index.res", "pool.res", "root.res"})


def tools_available() -> bool:
    """Whether icupkg, genccode, nm, objdump and a C compiler are installed."""
    return all(shutil.which(t) for t in ("icupkg", "genccode", "nm", "objdump", "cc"))


def removable(item: str) -> bool:
    """Whether an ICU data item (as ``icupkg -l`` names it) can go."""
    name = item.rsplit("/", 1)[-1]
    if item.startswith("translit/"):
        return True
    if name.endswith(".cnv"):
        return not KEPT_CONVERTERS.match(name)
    if name in _STRUCTURAL:
        return False
    match = _LOCALE.match(name)
    return match is not None and match.group(1) not in KEPT_LANGUAGES


def _run(cmd: list[str], cwd: Path) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()[:500]}")
    return proc.stdout


def _extract_data(library: Path, symbol: str) -> bytes:
    """The bytes of the ICU common data symbol inside ``library``."""
    out = _run(["nm", "-S", "-D", "--defined-only", str(library)], library.parent)
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == symbol:
            address, size = int(parts[0], 16), int(parts[1], 16)
            break
    else:
        raise RuntimeError(f"{library.name} exports no {symbol}")
    for line in _run(["objdump", "-h", str(library)], library.parent).splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[1].startswith("."):
            section_size, vma, file_offset = int(parts[2], 16), int(parts[3], 16), int(parts[5], 16)
            if vma <= address < vma + section_size:
                with library.open("rb") as f:
                    f.seek(address - vma + file_offset)
                    return f.read(size)
    raise RuntimeError(f"{symbol} is in no section of {library.name}")


def trim(library: Path, workdir: Path) -> Path:
    """Build the trimmed copy of ``library`` (``libicudataNN.so``) in ``workdir``; return its path."""
    library = library.resolve()
    match = re.match(r"libicudata\.so\.(\d+)", library.name)
    if not match:
        raise RuntimeError(f"not an ICU data library: {library.name}")
    version = match.group(1)
    entry = f"icudt{version}"
    workdir.mkdir(parents=True, exist_ok=True)
    original = workdir / f"{entry}l.dat"
    original.write_bytes(_extract_data(library, f"{entry}_dat"))
    items = _run(["icupkg", "-l", original.name], workdir).split()
    drop = [i for i in items if removable(i)]
    trimmed = workdir / "trimmed" / original.name
    trimmed.parent.mkdir(exist_ok=True)
    # Kept items may depend on dropped ones (an alias on its target, Cantonese
    # number rules under zh_Hant_HK): icupkg names them; keep those and retry.
    for _ in range(10):
        (workdir / "remove.lst").write_text("\n".join(drop) + "\n")
        proc = subprocess.run(
            ["icupkg", "-r", "remove.lst", original.name, str(trimmed)],
            cwd=workdir,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode == 0:
            break
        needed = set(re.findall(r"depends on missing item (\S+)", proc.stderr))
        if not needed:
            raise RuntimeError(f"icupkg failed: {proc.stderr.strip()[:500]}")
        drop = [i for i in drop if i not in needed]
    else:
        raise RuntimeError("icupkg: could not settle which ICU items to keep")
    _run(["genccode", "-a", "gcc", "-e", entry, "-d", str(workdir), str(trimmed)], workdir)
    assembly = next(workdir.glob(f"{entry}*.S"))
    output = workdir / library.name
    _run(
        ["cc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(output), str(assembly)],
        workdir,
    )
    return output
