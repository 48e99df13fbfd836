"""Jobs in a child process: progress, result, errors and cancellation reach the main thread,
and no child process outlives its job."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from process_targets import (
    ListAssembler,
    count_up,
    die,
    ignore_cancel,
    refuse_folder,
    wait_for_cancel,
)

from core.loading import CorpusError
from gui import process_job
from gui.process_job import ChildEndedError, run_process_job, running_children


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _pid_from(path: Path, qtbot) -> int:
    qtbot.waitUntil(lambda: path.exists() and path.read_text() != "", timeout=60_000)
    return int(path.read_text())


def test_progress_and_pieces_arrive_in_order_from_another_process(qtbot, record_job):
    job = run_process_job(count_up, (3,), ListAssembler(), name="세 단계")
    events = record_job(job)
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass

    assert events[:3] == [
        ("progressed", 1, 3, "1단계"),
        ("progressed", 2, 3, "2단계"),
        ("progressed", 3, 3, "3단계"),
    ]
    kind, result = events[3]
    assert kind == "succeeded"
    assert result[:3] == [1, 4, 9]
    label, pid = result[3]
    assert label == "pid" and pid != os.getpid()
    assert events[4] == ("finished", True)
    assert running_children() == 0 and _gone(pid)


def test_an_error_in_the_child_arrives_as_the_same_exception(qtbot, record_job):
    job = run_process_job(refuse_folder, ("없는 폴더",), ListAssembler())
    events = record_job(job)
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass

    assert [e[0] for e in events] == ["failed", "finished"]
    assert isinstance(events[0][1], CorpusError)
    assert str(events[0][1]) == "폴더가 없습니다: 없는 폴더"


def test_cancel_stops_the_child_at_its_next_check(qtbot, tmp_path, record_job):
    pid_file = tmp_path / "pid"
    job = run_process_job(wait_for_cancel, (str(pid_file),), ListAssembler())
    events = record_job(job)
    pid = _pid_from(pid_file, qtbot)
    with qtbot.waitSignal(job.finished, timeout=60_000):
        job.cancel()

    assert [e[0] for e in events if e[0] != "progressed"] == ["cancelled", "finished"]
    assert running_children() == 0 and _gone(pid)


def test_a_child_that_ignores_cancel_is_terminated(qtbot, tmp_path, monkeypatch, record_job):
    monkeypatch.setattr(process_job, "CANCEL_GRACE_S", 0.3)
    pid_file = tmp_path / "pid"
    job = run_process_job(ignore_cancel, (str(pid_file),), ListAssembler())
    events = record_job(job)
    pid = _pid_from(pid_file, qtbot)
    with qtbot.waitSignal(job.finished, timeout=30_000):
        job.cancel()

    assert [e[0] for e in events if e[0] != "progressed"] == ["cancelled", "finished"]
    assert running_children() == 0 and _gone(pid)


def test_a_child_that_dies_fails_the_job_with_its_exit_code(qtbot, record_job):
    job = run_process_job(die, (7,), ListAssembler())
    events = record_job(job)
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass

    kinds = [e[0] for e in events]
    assert kinds[-2:] == ["failed", "finished"]
    failure = events[-2][1]
    assert isinstance(failure, ChildEndedError) and "exit code 7" in str(failure)
    assert running_children() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_every_process_job_is_released_after_delivery(qtbot, count):
    from gui.worker import live_job_count

    jobs = [run_process_job(count_up, (i,), ListAssembler()) for i in range(count)]
    results = []
    for job in jobs:
        job.succeeded.connect(results.append)
    qtbot.waitUntil(lambda: all(not j.is_running() for j in jobs), timeout=60_000)

    assert sorted(len(r) for r in results) == [i + 1 for i in range(count)]
    assert live_job_count() == 0 and running_children() == 0
