"""The one helper that runs background jobs for the window.

A job is a plain function ``fn(progress, cancelled)`` (the same shape as
``core.pipeline.build``'s callables). It runs on ``QThreadPool.globalInstance()``; its
progress, result, error or cancellation reach the caller as signals of a ``Job`` that lives
on the main thread, so slots connected to them may touch widgets. Nothing in here touches a
widget from the worker thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from core.model import Cancelled
from core.progress import CancelledFn, ProgressFn

log = logging.getLogger(__name__)

JobFn = Callable[[ProgressFn, CancelledFn], Any]

#: jobs whose final signal has not been delivered yet; holding them keeps the Python
#: wrappers (and so the QObjects the worker emits on) alive until the main thread is done
_live_jobs: set[Job] = set()


class Job(QObject):
    """Handle of one background job; all its public signals arrive on the main thread.

    Exactly one of ``succeeded``, ``failed`` or ``was_cancelled`` is emitted, then
    ``finished``.
    """

    progressed = Signal(int, int, str)  # done, total, message
    succeeded = Signal(object)  # the function's return value
    failed = Signal(object)  # the exception it raised
    was_cancelled = Signal()
    finished = Signal()

    # emitted on the worker thread; connected with QueuedConnection to the relays below
    _worker_progressed = Signal(int, int, str)
    _worker_ended = Signal(str, object)

    def __init__(self, name: str = "job") -> None:
        super().__init__()
        self.name = name
        self._cancel_requested = threading.Event()
        self._running = True
        self._worker_progressed.connect(self._relay_progress, Qt.ConnectionType.QueuedConnection)
        self._worker_ended.connect(self._relay_end, Qt.ConnectionType.QueuedConnection)
        _live_jobs.add(self)  # held until its final signal is delivered (``_relay_end``)

    def cancel(self) -> None:
        """Ask the job to stop; it does at its next ``cancelled()`` check."""
        self._cancel_requested.set()

    def is_cancel_requested(self) -> bool:
        return self._cancel_requested.is_set()

    def is_running(self) -> bool:
        """True until the final signal has been delivered on the main thread."""
        return self._running

    @Slot(int, int, str)
    def _relay_progress(self, done: int, total: int, message: str) -> None:
        # a progress event queued before the end may arrive after a cancel request; drop it
        if self._running and not self._cancel_requested.is_set():
            self.progressed.emit(done, total, message)

    @Slot(str, object)
    def _relay_end(self, outcome: str, payload: object) -> None:
        self._running = False
        try:
            if outcome == "succeeded":
                self.succeeded.emit(payload)
            elif outcome == "cancelled":
                self.was_cancelled.emit()
            else:
                self.failed.emit(payload)
        finally:
            self.finished.emit()
            _live_jobs.discard(self)


class _Runnable(QRunnable):
    """Runs a job function on a pool thread and reports back through the job's signals."""

    def __init__(self, job: Job, fn: JobFn) -> None:
        super().__init__()
        self._job = job
        self._fn = fn

    def run(self) -> None:
        job = self._job
        try:
            result = self._fn(job._worker_progressed.emit, job.is_cancel_requested)
        except Cancelled:
            job._worker_ended.emit("cancelled", None)
        except BaseException as exc:  # delivered to the main thread, which decides
            log.debug("job %s failed", job.name, exc_info=True)
            job._worker_ended.emit("failed", exc)
        else:
            if job.is_cancel_requested():
                # the function finished before it noticed; its result is not wanted
                job._worker_ended.emit("cancelled", None)
            else:
                job._worker_ended.emit("succeeded", result)


def run_job(fn: JobFn, name: str = "job", pool: QThreadPool | None = None) -> Job:
    """Start ``fn(progress, cancelled)`` on the thread pool and return its handle.

    Must be called on the main thread (the handle lives there). Connect to the handle's
    signals right away: they are delivered through the event loop, never before this
    function returns.
    """
    job = Job(name)
    (pool or QThreadPool.globalInstance()).start(_Runnable(job, fn))
    return job


def live_job_count() -> int:
    """Jobs started and not yet delivered (for tests and shutdown)."""
    return len(_live_jobs)
