"""The per-article analysis unit (sentences, entity mentions, event mentions) and its map.

Everything after cleaning depends on one article only, so it is one unit of work
(``analyse_article``) that can run in another process and be cached on disk. Cleaning stays
a whole-corpus step (it looks for fragments repeated across articles) and runs before.

``analyse_articles`` runs the unit over many articles, in this process or with helper
processes next to it (``workers``). Each process streams the lines of its articles through
one Kiwi call (``analyse_stream``), so that Kiwi's threads analyse the next articles while
Python extracts mentions from this one, and looks at the user's tables once per stream.
Measured on the shared 2-core machine
(``tests/benchmarks/bench_cache.py``, 300 generated articles): serially, Kiwi's own worker
threads (its default) already keep more than one core busy (12 s CPU in 9.4 s); a second
process (which loads its own Kiwi: seconds and 0.5 GB) took 9.6-15 s against 9.4 s serial,
so the default is 1 worker and ``--workers 2`` is there for bigger, quieter machines.
Results are the same at any worker count.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as connection_wait
from pathlib import Path
from typing import Any

from core.model import (
    Article,
    Cancelled,
    Corpus,
    EntityMention,
    EventMention,
    Problem,
    Sentence,
)
from core.resources import tables_read_once, user_resource_dir

#: bump whenever the analysis of an unchanged text may change (code of segment, entities,
#: events, dates, merge inputs): cached analyses of another version are never used
PIPELINE_VERSION = "analysis-1"

#: below this many characters to analyse, starting processes (each loading Kiwi) costs
#: more than it saves on two cores: measured break-even near 60k characters
MIN_PARALLEL_CHARS = 60_000

#: whether the process that asked analyses too, next to its helpers (tests turn it off to
#: have the helper processes do every article)
PARENT_ANALYSES = True
#: articles handed to a helper ahead of its answers
HELPER_AHEAD = 3

ProgressFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]


@dataclass
class ArticleAnalysis:
    """What the per-article stage found in one article; what the cache stores."""

    sentences: list[Sentence] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class AnalysedCorpus(Corpus):
    """A corpus whose articles went through ``analyse_article``: mentions per file.

    ``build_timeline`` merges these instead of extracting them again.
    """

    event_mentions: dict[str, list[EventMention]] = field(default_factory=dict)
    entity_mentions: dict[str, list[EntityMention]] = field(default_factory=dict)
    cached: int = 0  # articles whose analysis came from the cache


def default_workers() -> int:
    """Worker processes by default: 1. On the 2-core machine a helper process measured no
    faster than Kiwi's own threads in one process (see the module's docstring), and each
    helper costs another Kiwi (0.5 GB)."""
    return 1


def analyse_article(article: Article, lexicon: Any = None) -> ArticleAnalysis:
    """Segment ``article`` (cleaned) and find its entity and event mentions.

    Sets ``article.sentences``. A segmentation failure leaves no sentences and a problem
    naming the reason; one bad article must not stop the others.
    """
    from core.segment import segment_or_report

    return _extracted(article, *segment_or_report(article), lexicon)


def _extracted(
    article: Article, sentences: list[Sentence], problems: list[Problem], lexicon: Any = None
) -> ArticleAnalysis:
    """The entity and event mentions of ``article``, segmented into ``sentences``."""
    from core.entities import article_mentions
    from core.events import extract_events
    from core.lexicon import load_lexicon

    if lexicon is None:
        lexicon = load_lexicon()
    article.sentences = sentences
    entities = article_mentions(sentences, article.source_text, lexicon)
    # the article's discovered entities (names the tables lack) can act in its events
    events = extract_events(article, lexicon.with_discovered(entities), entity_mentions=entities)
    return ArticleAnalysis(sentences, events, entities, problems)


def analyse_stream(
    articles: Iterable[Article], lexicon: Any = None, cancelled: CancelledFn | None = None
) -> Iterator[tuple[Article, ArticleAnalysis]]:
    """(article, ``analyse_article``'s analysis) for every article, in the order given,
    with the articles' lines going through Kiwi in one stream
    (``core.segment.segment_stream``): Kiwi analyses the next articles on its threads while
    this one is being extracted. ``articles`` may be a generator, read a little ahead.

    Raises ``Cancelled`` between articles when ``cancelled()`` answers True.
    """
    from core.segment import segment_stream

    stamps: dict = {}  # the user's tables are looked at once for the whole stream
    for article, sentences, problems in segment_stream(articles, cancelled):
        if cancelled is not None and cancelled():
            raise Cancelled()
        with tables_read_once(stamps):
            analysis = _extracted(article, sentences, problems, lexicon)
        yield article, analysis


def resources_fingerprint() -> str:
    """A hash of every table the analysis reads, bundled and the user's own, and of the
    code of ``core``.

    A user editing a lexicon row changes it, so cached analyses made with the old table
    are not used; so does any change to the pipeline's code (``PIPELINE_VERSION`` need not
    be bumped by hand for a cache to stay honest in a working checkout).
    """
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(b"code\0" + path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    bundled = resources.files("resources")
    for entry in sorted(bundled.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".tsv"):
            digest.update(b"bundled\0" + entry.name.encode() + b"\0")
            digest.update(entry.read_bytes())
    folder = user_resource_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.tsv")):
            try:
                data = path.read_bytes()
            except OSError:
                continue  # unreadable: read_table reports it; nothing of it was used
            digest.update(b"user\0" + path.name.encode() + b"\0" + data)
    return digest.hexdigest()


def _helper_main(conn: Connection) -> None:
    """A helper process: analyse the articles received, in order, until told to stop.

    The articles already waiting in the pipe are analysed as one stream (Kiwi works on the
    next while this process extracts one); an answer goes back as each article is done.
    """
    # one Kiwi thread per process (0 would refuse batch calls): the processes fill the cores
    os.environ["CAMP_TIMELINE_KIWI_THREADS"] = "1"
    from core.kiwi import load_problems

    stop = False
    with tables_read_once():  # a helper lives for one build
        while not stop:
            batch: list[Article] = []
            try:
                while not batch or conn.poll():
                    article = conn.recv()
                    if article is None:
                        stop = True
                        break
                    batch.append(article)
            except EOFError:
                return
            done = 0
            try:
                for _article, analysis in analyse_stream(batch):
                    done += 1
                    conn.send(("ok", analysis, load_problems()))
            except Exception as exc:  # noqa: BLE001  (reported by the process that asked)
                for _article in batch[done:]:
                    conn.send(("error", f"{type(exc).__name__}: {exc}", []))


class _Helper:
    """A helper process and our end of its pipe; it works through the articles given in
    order, a few at a time, so it is never idle while this process is busy with its own.

    Our own pipe, not a ``ProcessPoolExecutor``: ending a helper that is half way through
    sending a result leaves the executor's shared result pipe waiting forever, while
    closing our end of a pipe of our own is always safe.
    """

    def __init__(self) -> None:
        context = get_context("spawn")  # not fork: the window's process has Qt and Kiwi threads
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_helper_main, args=(child,), daemon=True)
        self.process.start()
        child.close()  # so that our recv sees EOF when the helper dies
        self.indices: deque[int] = deque()  # the articles it has, in the order given
        self.alive = True

    def give(self, index: int, article: Article) -> bool:
        try:
            self.conn.send(_shipped(article))
        except OSError:
            self.alive = False
            return False
        self.indices.append(index)
        return True

    def take(self) -> tuple[str, Any, list[Problem]] | None:
        """The answer for its first article if there is one now; None otherwise (or if it
        died)."""
        try:
            if not self.conn.poll():
                return None
            return self.conn.recv()
        except (EOFError, OSError):
            self.alive = False
            return None

    def stop(self) -> None:
        if self.alive and not self.indices:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.terminate()  # busy with an article no one needs any more
            self.process.join(timeout=5)
        self.conn.close()


def _shipped(article: Article) -> Article:
    """The article without what the worker does not need (sentences, problems)."""
    return replace(article, sentences=[], problems=[])


def analyse_articles(
    articles: Sequence[Article],
    workers: int = 1,
    progress: Callable[[Article], None] | None = None,
    cancelled: CancelledFn | None = None,
    kiwi_problems: list[Problem] | None = None,
) -> Iterator[tuple[int, ArticleAnalysis]]:
    """(index, analysis) for every article, in any order; serial when ``workers`` is 1.

    ``progress(article)`` is called as each one is done. Raises ``Cancelled`` between
    articles when ``cancelled()`` answers True (the pool is shut down first). The rows of
    the user's Kiwi tables that Kiwi refused are added to ``kiwi_problems`` (the pool's
    processes load their own Kiwi, so this one need not).
    """

    def check() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled()

    chars = sum(len(a.clean.text) for a in articles if a.clean is not None)
    if workers <= 1 or len(articles) < 2 or chars < MIN_PARALLEL_CHARS:
        from core.lexicon import load_lexicon

        lexicon = load_lexicon()
        for index, (article, result) in enumerate(analyse_stream(articles, lexicon, cancelled)):
            if progress is not None:
                progress(article)
            yield index, result
        if kiwi_problems is not None and articles:
            from core.kiwi import load_problems

            kiwi_problems.extend(p for p in load_problems() if p not in kiwi_problems)
        return
    yield from _pool_map(articles, workers, progress, check, kiwi_problems)


def _pool_map(
    articles: Sequence[Article],
    workers: int,
    progress: Callable[[Article], None] | None,
    check: Callable[[], None],
    kiwi_problems: list[Problem] | None,
) -> Iterator[tuple[int, ArticleAnalysis]]:
    """This process analyses too, next to ``workers - 1`` helper processes.

    A helper needs seconds to start (imports, its own Kiwi), so this process starts at
    once on the shortest articles while the helpers take the longest; when nothing is
    left to hand out, it also does the articles still at a helper (whichever finishes
    first is used: the analysis is deterministic), so a slow helper never makes the build
    slower than a serial one by more than its start. A helper that dies gives its article
    back.
    """
    from core.kiwi import load_problems
    from core.lexicon import load_lexicon

    lexicon = load_lexicon()
    queue = deque(sorted(range(len(articles)), key=lambda i: -len(articles[i].source_text)))
    finished: set[int] = set()
    taken: set[int] = set()  # articles this process does although a helper has them
    helpers = [_Helper() for _ in range(workers - 1)]

    def deliver(index: int, result: ArticleAnalysis) -> tuple[int, ArticleAnalysis]:
        finished.add(index)
        articles[index].sentences = result.sentences
        if progress is not None:
            progress(articles[index])
        return index, result

    def from_helpers() -> Iterator[tuple[int, ArticleAnalysis]]:
        """The answers the helpers have now; more articles handed to them."""
        for helper in helpers:
            while helper.indices:
                answer = helper.take()
                if answer is None and not helper.alive:
                    # died with them: someone else does its articles
                    queue.extend(i for i in helper.indices if i not in finished)
                    helper.indices.clear()
                if answer is None:
                    break
                index = helper.indices.popleft()
                status, result, refused = answer
                if status != "ok":
                    raise RuntimeError(f"{articles[index].file}: {result}")
                if kiwi_problems is not None:
                    kiwi_problems.extend(p for p in refused if p not in kiwi_problems)
                if index not in finished:
                    yield deliver(index, result)
            while helper.alive and queue and len(helper.indices) < HELPER_AHEAD:
                index = queue.popleft()
                if not helper.give(index, articles[index]):
                    queue.appendleft(index)

    mine: deque[int] = deque()  # the articles this process's stream has read, in order

    def local_articles() -> Iterator[Article]:
        """The articles for this process, read as its Kiwi stream asks for lines: the
        shortest left in the queue, then those still waiting at a helper."""
        while PARENT_ANALYSES or not any(h.alive for h in helpers):
            if queue:
                index = queue.pop()
            else:
                waiting = [
                    i for h in helpers for i in h.indices if i not in finished and i not in taken
                ]
                if not waiting:
                    return
                index = waiting[-1]
                taken.add(index)
            mine.append(index)
            yield articles[index]

    try:
        while len(finished) < len(articles):
            check()
            yield from from_helpers()
            analysed = False
            for _article, result in analyse_stream(local_articles(), lexicon):
                analysed = True
                index = mine.popleft()
                if index not in finished:
                    yield deliver(index, result)
                check()
                yield from from_helpers()
            if not analysed:
                connection_wait([h.conn for h in helpers if h.indices], timeout=0.1)
    finally:
        for helper in helpers:
            helper.stop()
    if kiwi_problems is not None:
        kiwi_problems.extend(p for p in load_problems() if p not in kiwi_problems)
