"""The background-job helper: results, errors and cancellation arrive on the main thread."""

from __future__ import annotations

import threading

import pytest

from core.model import Cancelled
from gui.worker import live_job_count, run_job


def test_result_and_progress_arrive_in_order_on_the_main_thread(qtbot, record_job):
    worker_threads = []

    def work(progress, cancelled):
        worker_threads.append(threading.current_thread())
        for step in range(1, 4):
            progress(step, 3, f"{step}단계")
        return "결과"

    job = run_job(work, name="세 단계")
    events = record_job(job)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass

    assert worker_threads[0] is not threading.main_thread()
    assert events == [
        ("progressed", 1, 3, "1단계"),
        ("progressed", 2, 3, "2단계"),
        ("progressed", 3, 3, "3단계"),
        ("succeeded", "결과"),
        ("finished", True),
    ]
    assert not job.is_running()


def test_an_exception_is_delivered_not_raised(qtbot, record_job):
    def work(progress, cancelled):
        raise OSError("읽을 수 없는 폴더")

    job = run_job(work)
    events = record_job(job)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass

    kinds = [e[0] for e in events]
    assert kinds == ["failed", "finished"]
    assert isinstance(events[0][1], OSError) and "읽을 수 없는" in str(events[0][1])


def test_cancel_stops_the_job_at_its_next_check(qtbot, record_job):
    entered = threading.Event()
    release = threading.Event()

    def work(progress, cancelled):
        entered.set()
        while not cancelled():
            release.wait(0.005)
        raise Cancelled()

    job = run_job(work)
    events = record_job(job)
    try:
        assert entered.wait(10)
        with qtbot.waitSignal(job.finished, timeout=10_000):
            job.cancel()
    finally:
        release.set()

    assert [e[0] for e in events] == ["cancelled", "finished"]


def test_a_result_that_arrives_after_cancel_is_dropped(qtbot, record_job):
    proceed = threading.Event()

    def work(progress, cancelled):
        proceed.wait(10)
        return "늦은 결과"  # never checked cancelled()

    job = run_job(work)
    events = record_job(job)
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        proceed.set()

    assert [e[0] for e in events] == ["cancelled", "finished"]


@pytest.mark.parametrize("count", [1, 8])
def test_every_job_is_released_after_delivery(qtbot, count):
    jobs = [run_job(lambda p, c, i=i: i * 2) for i in range(count)]
    results = []
    for job in jobs:
        job.succeeded.connect(results.append)
    qtbot.waitUntil(lambda: all(not j.is_running() for j in jobs), timeout=10_000)

    assert sorted(results) == [i * 2 for i in range(count)]
    assert live_job_count() == 0
