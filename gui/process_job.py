"""Background jobs in a child process, for work that would freeze the window in a thread.

A thread of the window's process shares the GIL with the GUI thread, and the build holds it
for seconds at a time (Kiwi's model creation, Kiwi calls that keep it, big decodes). A child
process cannot. ``run_process_job`` starts a fresh interpreter running
``core.child_build.serve`` (not forked: Qt and fork do not mix; not a multiprocessing spawn
either, which would import the window's ``__main__``, Qt and all, in the child) and returns
the same ``Job`` handle as ``gui.worker.run_job``: ``progressed``, then exactly one of
``succeeded``, ``failed`` or ``was_cancelled``, then ``finished``, all on the main thread.

A reader thread of ours does only short things: it waits on the pipe without the GIL,
unpickles one small piece at a time (the child sends them small for that reason) and hands
it to the assembler. After each piece it calls ``gc.freeze()``: the pieces are long-lived
(a corpus holds millions of objects), and a full pass of the cyclic collector over them
would stop every thread of the window for seconds; frozen, they are never walked, and they
are still freed by reference counting when the corpus is replaced (the corpus and its
frames hold no reference cycles). A cancel asks the child to stop at its next check; a
child that has not ended ``CANCEL_GRACE_S`` later is terminated, then killed. The job ends
only once the child process is gone, so no build outlives its job; children still running
when the window's process exits are terminated then, and a child whose parent died stops
by itself (its commands pipe reaches end of file).
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any, Protocol

from core.child_build import PieceTarget, child_command
from gui.worker import Job

log = logging.getLogger(__name__)

#: seconds a cancelled child gets to stop at its own next check before it is terminated
#: (Kiwi's model creation, the longest step without a check, takes 1-1.5 s)
CANCEL_GRACE_S = 3.0
#: how often the reader looks at the cancel flag while the child is quiet
POLL_S = 0.05

#: child processes not yet reaped (terminated at exit if the window's process ends first)
_children: set[subprocess.Popen] = set()


class Assembler(Protocol):
    """Puts a child's pieces together (``core.child_build.LoadAssembler`` for a load)."""

    def add(self, piece: Any) -> None: ...

    def finish(self) -> Any: ...


class ChildEndedError(RuntimeError):
    """The child process ended without saying how its job ended (it crashed or was killed)."""


def run_process_job(
    target: PieceTarget,
    args: tuple,
    assembler: Assembler,
    name: str = "job",
) -> Job:
    """Run ``target(*args, progress=..., cancelled=...)`` in a child process.

    ``target`` (importable by name: it is pickled to the child) yields pieces;
    ``assembler.add`` receives each in order on the reader thread and ``assembler.finish()``
    gives the job's result. Must be called on the main thread; connect to the handle's
    signals right away (they are delivered through the event loop).
    """
    job = Job(name)
    reader = _Reader(job, target, args, assembler)
    threading.Thread(target=reader.run, name=f"{name} reader", daemon=True).start()
    return job


def running_children() -> int:
    """Child processes started and not yet reaped (for tests)."""
    return len(_children)


def _start_child() -> tuple[subprocess.Popen, Connection, Connection]:
    """A child interpreter running ``core.child_build.serve``, and our ends of its pipes."""
    results_ours, results_theirs = os.pipe()
    commands_theirs, commands_ours = os.pipe()
    # the child imports from where we did (the tests' own modules included)
    path = [p for p in sys.path if p]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    try:
        process = subprocess.Popen(
            child_command(results_theirs, commands_theirs),
            pass_fds=(results_theirs, commands_theirs),
            stdin=subprocess.DEVNULL,
            env=env,
        )
    except BaseException:
        for fd in (results_ours, results_theirs, commands_theirs, commands_ours):
            os.close(fd)
        raise
    _children.add(process)
    # our copies of the child's ends: closed, so that our reads see EOF when it dies
    os.close(results_theirs)
    os.close(commands_theirs)
    return (
        process,
        Connection(results_ours, writable=False),
        Connection(commands_ours, readable=False),
    )


class _Reader:
    """The reader thread of one process job: starts the child, reads it, ends the job."""

    def __init__(self, job: Job, target: PieceTarget, args: tuple, assembler: Assembler) -> None:
        self.job = job
        self.target = target
        self.args = args
        self.assembler = assembler
        self.patient = True  # False once a cancelled child had its grace: terminate it

    def run(self) -> None:
        job = self.job
        outcome: tuple[str, object]
        process = None
        try:
            process, results, commands = _start_child()
            try:
                commands.send((self.target, self.args))
                outcome = self._read(process, results, commands)
            finally:
                results.close()
                commands.close()
        except BaseException as exc:  # delivered to the main thread, which decides
            log.debug("process job %s failed", job.name, exc_info=True)
            outcome = ("failed", exc)
        finally:
            if process is not None:
                _end(process, CANCEL_GRACE_S if self.patient else 0.0)
        if outcome[0] == "succeeded" and job.is_cancel_requested():
            outcome = ("cancelled", None)  # finished before it noticed: not wanted
        job._worker_ended.emit(*outcome)

    def _read(
        self, process: subprocess.Popen, results: Connection, commands: Connection
    ) -> tuple[str, object]:
        job = self.job
        cancel_sent: float | None = None
        while True:
            if job.is_cancel_requested():
                if cancel_sent is None:
                    cancel_sent = time.monotonic()
                    _send_cancel(commands)
                elif time.monotonic() - cancel_sent > CANCEL_GRACE_S:
                    self.patient = False
                    return ("cancelled", None)
            if not results.poll(POLL_S):  # waits without the GIL
                continue
            try:
                message = results.recv()
            except EOFError:
                if cancel_sent is not None:
                    return ("cancelled", None)
                try:
                    code = process.wait(timeout=CANCEL_GRACE_S)
                except subprocess.TimeoutExpired:
                    code = None
                return (
                    "failed",
                    ChildEndedError(f"the build process ended unexpectedly (exit code {code})"),
                )
            kind = message[0]
            if kind == "progress":
                if cancel_sent is None:
                    job._worker_progressed.emit(*message[1:])
            elif kind == "piece":
                if cancel_sent is None:
                    self.assembler.add(message[1])
                    # what arrives is long-lived: keep it out of the cyclic collector's full
                    # passes, which would walk the whole corpus with every thread stopped
                    gc.freeze()
            elif kind == "done":
                if cancel_sent is not None:
                    return ("cancelled", None)
                result = self.assembler.finish()
                gc.freeze()  # what finishing made lives as long as the pieces
                return ("succeeded", result)
            elif kind == "cancelled":
                return ("cancelled", None)
            elif kind == "failed":
                log.debug("process job %s failed in the child:\n%s", job.name, message[2])
                return ("failed", message[1])
            else:
                return ("failed", ChildEndedError(f"unknown message {kind!r} from the child"))


def _send_cancel(commands: Connection) -> None:
    try:
        commands.send_bytes(b"cancel")
    except OSError:
        pass  # it has gone already; the results pipe says so


def _end(process: subprocess.Popen, patience: float) -> None:
    """Make sure ``process`` is gone: wait ``patience`` s, else terminate, else kill."""
    try:
        process.wait(timeout=patience)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=CANCEL_GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    _children.discard(process)


@atexit.register
def _end_children() -> None:
    """The window's process is exiting: no build of ours may outlive it."""
    for process in list(_children):
        if process.poll() is None:
            process.terminate()
    for process in list(_children):
        try:
            process.wait(timeout=CANCEL_GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
    _children.clear()
