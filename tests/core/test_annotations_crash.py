"""Kill a writer with SIGKILL at random moments; every returned save must survive, the file must parse."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core.annotations import AnnotationStore, codec
from reader.core.annotations.files import AnnotationFile
from reader.core.library import Library

WRITER = r"""
import sys
from pathlib import Path

from reader.core.annotations import AddNote, AnnotationStore
from reader.core.library import Library

library = Library(Path(sys.argv[1]))
store = AnnotationStore(library, author="crash")
if store.read_only:
    sys.exit("read-only: " + store.read_only_reason)
notes = store.open_document(sys.argv[2])
blocks = [b.id for b in notes.document.blocks if len(b.text) >= 8]
round_no = sys.argv[3]
i = 0
while True:
    note = notes.make_note(blocks[i % len(blocks)], 0, 8, text=f"round {round_no} note {i}")
    AddNote(notes, note).do()  # returns after the atomic save
    sys.stdout.write(note.id + "\n")
    sys.stdout.flush()
    i += 1
"""

ROUNDS = 30
MIN_SAVES = 300


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.slow
def test_sigkill_never_loses_a_returned_save(library: Library, sample_path: Path, tmp_path: Path) -> None:
    doc_id = library.import_file(sample_path).record.id
    path = library.doc_dir(doc_id) / "notes" / "crash.yaml"
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    rng = random.Random(20240501)
    returned: set[str] = set()
    saves = 0
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for round_no in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, str(script), str(library.root), doc_id, str(round_no)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        target = rng.randint(3, 25)
        for _ in range(target):
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else "writer died"
            returned.add(line.strip())
        # Land anywhere: between saves, inside the YAML dump, the fsync, the rename or a backup rotation.
        time.sleep(rng.random() * 0.03)
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        assert child.returncode == -signal.SIGKILL
        returned.update(line for line in rest.split() if line)
        saves = len(returned)
        data = codec.loads(path.read_bytes())  # always parses and validates
        missing = returned - set(data.notes)
        assert not missing, f"round {round_no}: {len(missing)} returned saves lost"
        # The kill can land after a save replaced the file but before the writer
        # reported it: at most that one unreported note may be there too.
        unreported = set(data.notes) - returned
        assert len(unreported) <= 1, f"round {round_no}: {len(unreported)} notes nobody saved"
        returned |= unreported
        saves = len(returned)
    assert saves >= MIN_SAVES
    # Nothing was judged corrupt along the way, and the backups parse too.
    folder = path.parent
    assert not list(folder.glob("*.corrupt-*"))
    for n in (1, 2, 3):
        codec.loads(AnnotationFile(path).backup_path(n).read_bytes())
    with AnnotationStore(library, author="crash") as store:
        notes = store.open_document(doc_id)
        assert not notes.problems
        assert {n.id for n in notes.notes()} == returned
    # Temp files left by kills that landed inside a write (main file or backup): harmless, ignored.
    leftovers = list(folder.rglob(".crash.yaml*.tmp"))
    print(f"\ncrash test: {ROUNDS} kills, {saves} returned saves, all kept; {len(leftovers)} temp files left")
