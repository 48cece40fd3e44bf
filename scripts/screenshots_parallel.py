"""Render the side-by-side window to PNG (offscreen): zh | en, zh | ar and zh | en | ar.

The seven UDHR versions are imported into a temporary library; a note is put on
article 1 of the Chinese version, article 3 is clicked (its counterparts
highlight) and the English column shows a find hit.

Usage: ``python scripts/screenshots_parallel.py [OUT_DIR]`` (default ``screenshots/``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from reader.app import shutdown  # noqa: E402
from reader.core.align.labels import Key, block_key  # noqa: E402
from reader.core.library import Library  # noqa: E402
from reader.core.model import Document  # noqa: E402
from reader.features import parallel, reading  # noqa: E402
from reader.features.library import refresh_library  # noqa: E402
from reader.ui.parallel_view import ParallelView  # noqa: E402
from screenshots import prepare, started, wait  # noqa: E402

UDHR = ROOT / "tests" / "fixtures" / "corpus" / "udhr"


def article_body(doc: Document, n: int) -> str:
    """The first block after the heading of article ``n``."""
    head = next(b.id for b in doc.blocks if block_key(b) == Key("article", str(n)))
    return doc.blocks[doc.index_of(head) + 1].id


def main(argv: list[str]) -> int:
    """Produce the two screenshots; returns 0."""
    qapp, out = prepare(argv)
    with tempfile.TemporaryDirectory() as tmp:
        library = Library.open(Path(tmp) / "library")
        ids = {
            stem: library.import_file(UDHR / f"{stem}.txt").record.id for stem in ("cmn_hans", "eng", "arb")
        }
        for stem in ("fra", "rus", "spa", "cmn_hant"):
            library.import_file(UDHR / f"{stem}.txt")
        app = started(qapp, library, search=False)  # the start-up document first
        refresh_library(app)
        reading.open_document(app, ids["cmn_hans"])
        wait(qapp, lambda: app.session.doc_id == ids["cmn_hans"])
        zh = app.session.document
        notes = app.session.notes
        assert zh is not None
        assert notes is not None
        notes.add_note(notes.make_note(article_body(zh, 1), text="平等与尊严：发言要点"))
        notes.save()
        for pair, name in (
            ([ids["cmn_hans"], ids["eng"]], "parallel_zh_en"),
            ([ids["cmn_hans"], ids["arb"]], "parallel_zh_ar"),
            ([ids["cmn_hans"], ids["eng"], ids["arb"]], "parallel_zh_en_ar"),
        ):
            parallel.open_parallel(app, pair)

            def shown(pair: list[str] = pair) -> bool:
                v = parallel.parallel_view(app)
                return v is not None and v.doc_ids == pair

            wait(qapp, shown)
            view = parallel.parallel_view(app)
            assert isinstance(view, ParallelView)
            parallel.refresh_notes(app)
            view.window().resize(1400, 860)
            wait(qapp, lambda: False, 0.3)
            if name == "parallel_zh_en":
                view.set_find_text("equal")
                view.step_find(1)
            else:
                view.set_find_text("")
            view.columns[0].scroll_to_block(view.states[0].doc.blocks[0].id)
            wait(qapp, lambda: False, 0.2)
            view.focus_block(0, article_body(zh, 2))
            # Articles 1-3 beside each other: the note (article 1) and the clicked article 2.
            head = zh.blocks[zh.index_of(article_body(zh, 1)) - 1].id
            view.columns[0].scroll_to_block(head)
            wait(qapp, lambda: False, 0.5)
            path = out / f"{name}.png"
            view.window().grab().save(str(path))
            print(path)
        app.window.close()
        shutdown(app)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
