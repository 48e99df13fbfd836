"""The window's build in a process of its own, its result sent back in small pieces.

A build in a thread of the window's process holds the GIL for seconds at a time (Kiwi's
model creation, Kiwi calls that do not release it, large decodes, pandas), and the window
freezes with it. In a child process it cannot. This module is the child's side and the
parent's reassembly, with no Qt in it (``gui/process_job.py`` starts the child and reads
its pipe without blocking the window).

The protocol, one pickled tuple per message on the results pipe:
``("progress", done, total, message)``, ``("piece", obj)`` any number of times, then one
of ``("done",)``, ``("cancelled",)`` or ``("failed", exception, traceback_text)``. Any
message (or end of file) on the commands pipe asks the child to stop at its next check.

Pieces are small on purpose: the parent unpickles each one while holding the GIL, so no
piece may take more than a few milliseconds to decode (a batch of articles of bounded
size, a frame in chunks of rows, a batch of events).
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from core.model import Cancelled, Corpus
from core.progress import CancelledFn, ProgressFn

#: a child job: ``target(*args, progress=..., cancelled=...)`` yields the pieces to send
PieceTarget = Callable[..., Iterator[Any]]

#: the progress bar's scale: the per-article build fills most of it, the merge the rest
PROGRESS_SCALE = 1000
BUILD_SHARE = 0.9
#: source characters per batch of articles: each character also has a clean offset (an int),
#: and 100k characters measured 60 ms to decode on the busy shared machine, so 20k stay
#: near 10 ms at worst (tokens travel as the pipeline keeps them: ``core.token_pack`` runs)
CHARS_PER_PIECE = 20_000
#: frame rows per piece, and events per piece (500 events measured 35-50 ms to decode)
ROWS_PER_PIECE = 500
EVENTS_PER_PIECE = 100


def scaled(progress: ProgressFn, low: float, high: float) -> ProgressFn:
    """A progress callable that maps ``done/total`` into ``[low, high]`` of the bar."""

    def report(done: int, total: int, message: str) -> None:
        fraction = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
        progress(round((low + (high - low) * fraction) * PROGRESS_SCALE), PROGRESS_SCALE, message)

    return report


def cached_build(folder: Path, progress: ProgressFn, cancelled: CancelledFn) -> Corpus:
    """The window's corpus stage: every article analysed, through the user's cache.

    Each article's analysis is kept in the cache, so the timeline stage only merges and
    reopening an unchanged corpus reads the cache. Loads Kiwi when anything is new.
    """
    from core.cache import AnalysisCache
    from core.pipeline import build

    cache = AnalysisCache()
    try:
        return build(folder, progress=progress, cancelled=cancelled, cache=cache)
    finally:
        cache.close()


def run_stages(
    folder: Path,
    build: Callable[[Path, ProgressFn, CancelledFn], Corpus],
    analyse: Callable[[Corpus, ProgressFn, CancelledFn], Any],
    progress: ProgressFn,
    cancelled: CancelledFn,
) -> tuple[Corpus, Any]:
    """``build(folder)``, then ``analyse`` of its corpus, with one bar of ``PROGRESS_SCALE``
    across both (the build fills ``BUILD_SHARE`` of it) and one ``cancelled`` for both."""
    corpus = build(folder, scaled(progress, 0.0, BUILD_SHARE), cancelled)
    return corpus, analyse(corpus, scaled(progress, BUILD_SHARE, 1.0), cancelled)


def _merged_timeline(corpus: Corpus, progress: ProgressFn, cancelled: CancelledFn) -> Any:
    from core.timeline import build_timeline

    return build_timeline(corpus, progress=progress, cancelled=cancelled)


def app_build(folder: Path, progress: ProgressFn, cancelled: CancelledFn) -> tuple[Corpus, Any]:
    """The window's build: ``cached_build``, then the timeline merged from its mentions."""
    return run_stages(folder, cached_build, _merged_timeline, progress, cancelled)


def build_pieces(folder: Path, progress: ProgressFn, cancelled: CancelledFn) -> Iterator[Any]:
    """The child job of a window load: ``app_build``, then its result as pieces."""
    corpus, timeline = app_build(folder, progress, cancelled)
    yield from result_pieces(corpus, timeline)


def result_pieces(corpus: Corpus, timeline: Any) -> Iterator[tuple]:
    """A built corpus and its timeline as small pieces that ``LoadAssembler`` puts together.

    The corpus first (its shell, then its articles in batches with each one's mentions),
    then each frame of the timeline in chunks of rows, then its events in batches.
    """
    event_mentions = getattr(corpus, "event_mentions", None)
    entity_mentions = getattr(corpus, "entity_mentions", None)
    shell: Any = replace(corpus, articles=[])
    if event_mentions is not None:
        shell = replace(shell, event_mentions={}, entity_mentions={})
    yield ("corpus", shell, event_mentions is not None)
    batch: list[tuple] = []
    chars = 0
    for article in corpus.articles:
        file = article.file
        batch.append(
            (
                article,  # its tokens already compact (``core.token_pack``)
                event_mentions.get(file) if event_mentions is not None else None,
                entity_mentions.get(file) if entity_mentions is not None else None,
            )
        )
        chars += len(article.source_text) + 1
        if chars >= CHARS_PER_PIECE:
            yield ("articles", batch)
            batch, chars = [], 0
    if batch:
        yield ("articles", batch)
    for name in ("events", "mentions", "articles", "entities", "negated"):
        frame = getattr(timeline, name)
        yield ("frame", name, frame.iloc[:0])  # columns and dtypes, even with no rows
        for start in range(0, len(frame), ROWS_PER_PIECE):
            yield ("rows", name, frame.iloc[start : start + ROWS_PER_PIECE])
    for start in range(0, len(timeline.event_list), EVENTS_PER_PIECE):
        yield ("event_list", timeline.event_list[start : start + EVENTS_PER_PIECE])
    yield ("end",)


class LoadAssembler:
    """Puts the pieces of ``result_pieces`` back together into ``(corpus, timeline)``."""

    def __init__(self) -> None:
        self._corpus: Corpus | None = None
        self._with_mentions = False
        self._frames: dict[str, list[Any]] = {}
        self._event_list: list[Any] = []
        self._ended = False

    def add(self, piece: tuple) -> None:
        kind = piece[0]
        if kind == "corpus":
            self._corpus, self._with_mentions = piece[1], piece[2]
        elif kind == "articles":
            corpus = self._require_corpus()
            for article, events, entities in piece[1]:
                corpus.articles.append(article)
                if self._with_mentions:
                    corpus.event_mentions[article.file] = events  # type: ignore[attr-defined]
                    corpus.entity_mentions[article.file] = entities  # type: ignore[attr-defined]
        elif kind == "frame":
            self._frames[piece[1]] = [piece[2]]
        elif kind == "rows":
            self._frames[piece[1]].append(piece[2])
        elif kind == "event_list":
            self._event_list.extend(piece[1])
        elif kind == "end":
            self._ended = True
        else:
            raise ValueError(f"unknown piece {kind!r}")

    def _require_corpus(self) -> Corpus:
        if self._corpus is None:
            raise ValueError("articles arrived before their corpus")
        return self._corpus

    def finish(self) -> tuple[Corpus, Any]:
        """The corpus and its timeline; raises ValueError if pieces are missing."""
        import pandas as pd

        from core.timeline import Timeline

        corpus = self._require_corpus()
        missing = {"events", "mentions", "articles", "entities"} - set(self._frames)
        if missing or not self._ended:
            raise ValueError(f"the build's result is incomplete (missing: {sorted(missing)})")
        frames = {}
        for name, chunks in self._frames.items():
            rows = chunks[1:]
            if not rows:
                frames[name] = chunks[0]
            elif len(rows) == 1:
                frames[name] = rows[0]
            else:
                frames[name] = pd.concat(rows, ignore_index=True)
        return corpus, Timeline(**frames, event_list=self._event_list)


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError that names it."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001  (any failure to round-trip)
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def child_main(target: PieceTarget, args: tuple, results: Connection, commands: Connection) -> None:
    """The child process: run ``target`` and send its progress, pieces and outcome.

    A thread waits on ``commands``: any message, or the parent going away (end of file),
    makes ``cancelled()`` answer True, so the pipeline stops at its next check.
    """
    stop = threading.Event()

    def watch() -> None:
        try:
            commands.recv_bytes()
        except (EOFError, OSError):
            pass
        stop.set()

    threading.Thread(target=watch, name="cancel-watch", daemon=True).start()

    def progress(done: int, total: int, message: str) -> None:
        results.send(("progress", done, total, message))

    try:
        for piece in target(*args, progress=progress, cancelled=stop.is_set):
            if stop.is_set():
                raise Cancelled()
            results.send(("piece", piece))
    except Cancelled:
        _send_last(results, ("cancelled",))
    except BaseException as exc:  # noqa: BLE001  (sent to the parent, which reports it)
        _send_last(results, ("failed", _portable(exc), traceback.format_exc()))
    else:
        _send_last(results, ("done",))


def _send_last(results: Connection, message: tuple) -> None:
    try:
        results.send(message)
    except OSError:
        pass  # the parent has gone: there is no one to tell
    finally:
        results.close()


#: what the child runs: a fresh interpreter that imports only this module (not the parent's
#: ``__main__``, as a multiprocessing spawn would, and so not Qt)
CHILD_CODE = "import sys; from core.child_build import serve; serve(sys.argv[1:])"


def child_command(results_fd: int, commands_fd: int) -> list[str]:
    """The command line of a build child talking through the two inherited descriptors.

    ``-P``: ``-c`` would put the current folder first on ``sys.path``, and a ``core``
    package there would be imported instead of ours.
    """
    return [sys.executable, "-P", "-c", CHILD_CODE, str(results_fd), str(commands_fd)]


def serve(argv: list[str]) -> None:
    """The child's entry: the pipes' descriptors are in ``argv``; the first message on the
    commands pipe is ``(target, args)``, the job to run."""
    results = Connection(int(argv[0]), readable=False)
    commands = Connection(int(argv[1]), writable=False)
    try:
        target, args = commands.recv()
    except (EOFError, OSError):
        return  # the parent went away before saying what to do
    except Exception as exc:  # noqa: BLE001  (a target this interpreter cannot import)
        _send_last(results, ("failed", _portable(exc), traceback.format_exc()))
        return
    child_main(target, args, results, commands)
    # everything is sent and the cache is closed; tearing down the interpreter would free
    # the whole corpus object by object, seconds at 10k articles that the parent, which
    # waits for this process to end, would only spend waiting
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
