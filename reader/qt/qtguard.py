"""Work around PySide6 6.12 dropping a reference to ``None`` on every void call.

With PySide6-Essentials 6.12.0 on CPython 3.11, each call of a C++ method
returning ``void`` (``setObjectName``, ``setUserState``...) decrements
``None``'s reference count without having incremented it.  A GUI makes
thousands of such calls a second, and the interpreter aborts with
``none_dealloc`` within minutes.  CPython 3.12 made ``None`` immortal, which
hides the bug; here we give ``None`` the same protection by raising its count
far beyond what any session can drain.  Imported (for its side effect) by every
package that calls Qt before any Qt call is made.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40


def affected() -> bool:
    """Whether this interpreter and PySide6 are the broken combination."""
    if sys.version_info >= (3, 12):
        return False
    # PySide6-Essentials and the PySide6 package share one version; asking the module (loaded
    # anyway) costs nothing, while importlib.metadata took ~25 ms of every start-up and does
    # not exist in a frozen bundle.
    import PySide6

    return str(PySide6.__version__).startswith("6.12.")


def protect_none() -> None:
    """Make ``None`` effectively immortal where the broken PySide6 is installed (idempotent).

    pyproject.toml keeps 6.12 off Python < 3.12; this only guards installs
    that ignored the pin.
    """
    if not affected() or sys.getrefcount(None) > _HEADROOM // 2:
        return
    # ob_refcnt is the first field of every PyObject.
    ctypes.c_ssize_t.from_address(id(None)).value += _HEADROOM


protect_none()
