from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from reader.workers.jobs import Job, JobContext, JobRunner


def test_job_reports_progress_and_result(qtbot: QtBot) -> None:
    runner = JobRunner()

    def work(ctx: JobContext) -> int:
        for i in range(3):
            ctx.progress(i + 1, 3)
        return 42

    job = Job(work)
    seen: list[tuple[int, int, int]] = []
    job.signals.progress.connect(lambda rid, d, t: seen.append((rid, d, t)))
    with qtbot.waitSignal(job.signals.finished) as blocker:
        runner.start(job)
    assert blocker.args == [job.request_id]
    assert job.result == 42
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert seen[-1] == (job.request_id, 3, 3)
    qtbot.waitUntil(lambda: not runner.running())


def test_job_failure_is_one_line(qtbot: QtBot) -> None:
    def work(_ctx: JobContext) -> None:
        raise ValueError("broken.pdf: not a PDF file\nmore detail")

    job: Job[None] = Job(work)
    with qtbot.waitSignal(job.signals.failed) as blocker:
        JobRunner().start(job)
    assert blocker.args == [job.request_id, "broken.pdf: not a PDF file"]


def test_job_cancel_stops_it(qtbot: QtBot) -> None:
    gate = threading.Event()

    def work(ctx: JobContext) -> int:
        gate.wait(5)
        ctx.check()
        return 1

    job = Job(work)
    runner = JobRunner()
    with qtbot.waitSignal(job.signals.cancelled):
        runner.start(job)
        runner.cancel_all()
        gate.set()
    assert job.result is None


def test_request_ids_increase() -> None:
    a, b = Job(lambda _c: 1), Job(lambda _c: 2)
    assert b.request_id > a.request_id
