"""Where the per-article analysis runs: this process, local processes, or a Dask cluster.

``analyse_articles`` is the one entry. Serial (one worker) streams every article through
this process's Kiwi. ``workers > 1`` uses a ``concurrent.futures.ProcessPoolExecutor``;
``scheduler`` sends the work to a Dask distributed cluster (``"local"`` starts one on this
machine). Workers receive the articles' text, never a path, and load Kiwi and the tables
once (``_start_worker``, into the module global ``_worker``). Results come back batch by
batch as they finish; a lost worker costs only the batches it held, which run again.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import math
import os
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import get_context
from typing import Any

from core.analyse import ArticleAnalysis, analyse_stream, resources_fingerprint, shipped
from core.model import Article, Cancelled, Problem
from core.progress import CancelledFn
from core.resources import user_resource_dir

#: articles per task at most: small enough that a lost worker costs little and results
#: stream back often, large enough that Kiwi's stream is not restarted for every article
BATCH_ARTICLES = 8
#: tasks waiting per worker beyond the one it runs, so that no worker waits for the next
AHEAD_PER_WORKER = 2
#: a new process pool is started this many times in a row without a batch finishing
#: before the build gives up (an article that kills every process would loop forever)
MAX_POOL_RESTARTS = 3
#: how long to wait for a result before asking ``cancelled()`` again
POLL_S = 0.1


class EngineError(RuntimeError):
    """The engine cannot give the analysis (workers keep dying, or they differ from us)."""


@dataclass(frozen=True)
class UserTables:
    """The user's own tables as bytes, so that a remote worker analyses with them."""

    folder: str  # where they are on this machine: the name their skipped rows are given
    files: tuple[tuple[str, bytes], ...]

    @property
    def digest(self) -> str:
        digest = hashlib.sha256()
        for name, data in self.files:
            digest.update(name.encode() + b"\0" + data + b"\0")
        return digest.hexdigest()


def user_tables() -> UserTables:
    """The ``*.tsv`` files of the user's resource folder, read now."""
    folder = user_resource_dir()
    files = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.tsv")):
            try:
                files.append((path.name, path.read_bytes()))
            except OSError:
                continue  # unreadable here too: not part of the fingerprint either
    return UserTables(str(folder), tuple(files))


@dataclass
class BatchResult:
    """What a worker sends back for one batch of articles."""

    analyses: list[ArticleAnalysis]
    kiwi_problems: list[Problem]  # rows of the user's Kiwi tables that Kiwi refused
    fingerprint: str  # the worker's ``resources_fingerprint()``


@dataclass
class _Worker:
    """What a worker process keeps between its batches."""

    tables_digest: str | None  # None: the tables of this machine, read in place
    folder: str | None  # the copied tables' folder here, and the name to give its rows
    client_folder: str | None
    fingerprint: str
    lexicon: Any
    lock: threading.Lock


#: the worker state of this process, made once by ``_start_worker``
_worker: _Worker | None = None
#: held while a Dask worker's first task sets the process up (its threads share it)
_setting_up = threading.Lock()


def _start_worker(tables: UserTables | None, kiwi_threads: int) -> None:
    """Set up this worker process: the user's tables (copied from ``tables`` when given),
    Kiwi and the lexicon, loaded once for every batch it will analyse."""
    global _worker
    os.environ["CAMP_TIMELINE_KIWI_THREADS"] = str(max(1, kiwi_threads))
    folder = None
    if tables is not None:
        # a worker of a cluster uses the caller's tables, never its own machine's
        folder = tempfile.mkdtemp(prefix="camp-timeline-tables-")
        atexit.register(shutil.rmtree, folder, True)
        for name, data in tables.files:
            with open(os.path.join(folder, name), "wb") as handle:
                handle.write(data)
        os.environ["CAMP_TIMELINE_RESOURCES"] = folder
    from core.kiwi import get_kiwi
    from core.lexicon import load_lexicon

    get_kiwi()
    _worker = _Worker(
        tables_digest=tables.digest if tables is not None else None,
        folder=folder,
        client_folder=tables.folder if tables is not None else None,
        fingerprint=resources_fingerprint(),
        lexicon=load_lexicon(),
        lock=threading.Lock(),
    )


def _analyse_batch(articles: list[Article]) -> BatchResult:
    """A worker's task: the analysis of ``articles``, in order, through one Kiwi stream."""
    from core.kiwi import load_problems

    worker = _worker
    if worker is None:
        raise EngineError("a worker ran a batch before it was set up")
    with worker.lock:  # one Kiwi per process: its own threads fill the cores
        analyses = [analysis for _, analysis in analyse_stream(articles, worker.lexicon)]
        refused = load_problems()
    if worker.folder and worker.client_folder:
        # the rows are named as the caller knows them, not by this worker's copy
        refused = [
            replace(p, file=worker.client_folder + p.file[len(worker.folder) :])
            if p.file.startswith(worker.folder)
            else p
            for p in refused
        ]
    return BatchResult(analyses, refused, worker.fingerprint)


def _analyse_on_dask(tables: UserTables, articles: list[Article]) -> BatchResult:
    """A Dask task: sets the worker up on its first batch, then analyses ``articles``."""
    from distributed import get_worker

    with _setting_up:
        if _worker is None:
            _start_worker(tables, get_worker().state.nthreads)
    if _worker is not None and _worker.tables_digest != tables.digest:
        raise EngineError(
            "this Dask worker loaded Kiwi with other user tables; restart the cluster's "
            "workers to analyse with the new ones"
        )
    return _analyse_batch(articles)


def analyse_articles(
    articles: Sequence[Article],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    cancelled: CancelledFn | None = None,
    kiwi_problems: list[Problem] | None = None,
) -> Iterator[tuple[int, ArticleAnalysis]]:
    """(index, analysis) for every article, in any order.

    Serial when ``workers`` is 1 and no ``scheduler`` is given; else in ``workers`` local
    processes, or on the Dask cluster at ``scheduler`` (``"local"``: a cluster of
    ``workers`` processes started here). Raises ``Cancelled`` between results when
    ``cancelled()`` answers True. The rows of the user's Kiwi tables that Kiwi refused are
    added to ``kiwi_problems``.
    """
    found: list[Problem] = []
    _check(cancelled)  # before any worker is started
    try:
        if scheduler:
            yield from _on_dask(articles, scheduler, workers, cancelled, found)
        elif workers > 1 and len(articles) > 1:
            yield from _in_processes(articles, workers, cancelled, found)
        else:
            yield from _here(articles, cancelled, found)
    finally:
        if kiwi_problems is not None:
            kiwi_problems.extend(p for p in found if p not in kiwi_problems)


def _here(
    articles: Sequence[Article], cancelled: CancelledFn | None, found: list[Problem]
) -> Iterator[tuple[int, ArticleAnalysis]]:
    """Serial: one Kiwi stream in this process (Kiwi's own threads analyse ahead)."""
    from core.kiwi import load_problems
    from core.lexicon import load_lexicon

    lexicon = load_lexicon()
    for index, (_article, analysis) in enumerate(analyse_stream(articles, lexicon, cancelled)):
        yield index, analysis
    if articles:
        found.extend(load_problems())


def _batches(articles: Sequence[Article], workers: int) -> list[list[int]]:
    """Indices of ``articles`` in consecutive batches: every worker gets several."""
    size = max(1, min(BATCH_ARTICLES, math.ceil(len(articles) / (4 * max(1, workers)))))
    return [list(range(i, min(i + size, len(articles)))) for i in range(0, len(articles), size)]


def _check(cancelled: CancelledFn | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled()


def _delivered(
    batch: list[int], result: BatchResult, fingerprint: str, found: list[Problem]
) -> Iterator[tuple[int, ArticleAnalysis]]:
    """The (index, analysis) pairs of one finished batch, once its worker is shown to
    analyse as this process would (same code and tables)."""
    if result.fingerprint != fingerprint:
        raise EngineError(
            "a worker analyses with other code or tables than this process "
            f"({result.fingerprint[:12]} against {fingerprint[:12]}): install the same "
            "camp-timeline on the workers"
        )
    found.extend(p for p in result.kiwi_problems if p not in found)
    yield from zip(batch, result.analyses, strict=True)


def _in_processes(
    articles: Sequence[Article],
    workers: int,
    cancelled: CancelledFn | None,
    found: list[Problem],
) -> Iterator[tuple[int, ArticleAnalysis]]:
    """Local processes of a ``ProcessPoolExecutor``; a broken pool (a process died) is
    replaced and the batches it held are given to the new one."""
    fingerprint = resources_fingerprint()
    batches = _batches(articles, workers)
    todo = deque(range(len(batches)))
    restarts = 0
    while todo:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            # spawn, not fork: the window's process has Qt and Kiwi threads
            mp_context=get_context("spawn"),
            initializer=_start_worker,
            initargs=(None, 1),  # one Kiwi thread per process: the processes fill the cores
        )
        running: dict[Future, int] = {}
        finished = False
        try:
            broken = False
            while (todo or running) and not broken:
                while todo and len(running) < workers * (1 + AHEAD_PER_WORKER):
                    number = todo.popleft()
                    task = [shipped(articles[i]) for i in batches[number]]
                    running[pool.submit(_analyse_batch, task)] = number
                done, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
                _check(cancelled)
                for future in done:
                    number = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        todo.appendleft(number)
                        broken = True
                        continue
                    restarts = 0
                    yield from _delivered(batches[number], result, fingerprint, found)
                    _check(cancelled)
            if broken:
                todo.extendleft(sorted(running.values(), reverse=True))
                running.clear()
                restarts += 1
                if restarts > MAX_POOL_RESTARTS:
                    raise EngineError(
                        f"the analysis processes kept dying ({restarts} pools in a row broke "
                        "before a batch finished); try fewer --workers (each loads Kiwi: 0.5 GB)"
                    )
            finished = True
        finally:
            # on a cancel or an error, do not wait for batches no one will read
            pool.shutdown(wait=finished, cancel_futures=True)


@contextlib.contextmanager
def local_cluster(workers: int | None = None) -> Iterator[Any]:
    """A Dask ``LocalCluster`` on this machine: ``workers`` processes (default: one per
    core) of one thread each, the scheduler and its dashboard bound to 127.0.0.1 only."""
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=workers or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # any free port: 8787 may be another's
        silence_logs=logging.ERROR,
    )
    try:
        yield cluster
    finally:
        cluster.close()


def _on_dask(
    articles: Sequence[Article],
    scheduler: str,
    workers: int,
    cancelled: CancelledFn | None,
    found: list[Problem],
) -> Iterator[tuple[int, ArticleAnalysis]]:
    """Tasks on a Dask cluster; the scheduler runs again the tasks of a worker it lost."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise EngineError(
            'a Dask scheduler needs the cluster extra: pip install "camp-timeline[cluster]"'
        ) from exc

    fingerprint = resources_fingerprint()
    with contextlib.ExitStack() as stack:
        address = scheduler
        if scheduler == "local":
            address = stack.enter_context(local_cluster(workers)).scheduler_address
        try:
            client = stack.enter_context(Client(address, set_as_default=False, timeout=30))
        except OSError as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        threads = max(1, sum(client.nthreads().values()))
        batches = _batches(articles, threads)
        # the user's tables go to every worker once, not with every task
        tables = client.scatter(user_tables(), broadcast=True)
        todo = deque(range(len(batches)))
        running: dict[Any, int] = {}
        ready = threading.Event()  # set as any task ends
        try:
            while todo or running:
                while todo and len(running) < threads * (1 + AHEAD_PER_WORKER):
                    number = todo.popleft()
                    task = [shipped(articles[i]) for i in batches[number]]
                    future = client.submit(_analyse_on_dask, tables, task, pure=False)
                    future.add_done_callback(lambda _future: ready.set())
                    running[future] = number
                ready.wait(POLL_S)
                ready.clear()
                done = [f for f in running if f.done()]
                _check(cancelled)
                for future in done:
                    number = running.pop(future)
                    result = future.result()
                    future.release()
                    yield from _delivered(batches[number], result, fingerprint, found)
                    _check(cancelled)
        finally:
            for future in running:
                future.cancel()
