"""The per-article analysis unit (sentences, entity mentions, event mentions) and its map.

Everything after cleaning depends on one article only, so it is one unit of work
(``analyse_article``) that can run in another process and be cached on disk. Cleaning stays
a whole-corpus step (it looks for fragments repeated across articles) and runs before.

``analyse_articles`` runs the unit over many articles, serially or in a pool of processes.
Processes, not Kiwi's own threads: on the 2-core machine only Kiwi's C++ releases the GIL,
and our own Python (segment repairs, entities, events, dates) is about half the time, so
threads leave one core idle for that half; see ``tests/benchmarks/bench_cache.py``. Each
process loads its own Kiwi (1.5 s, 0.5 GB), which is why small corpora stay serial.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from importlib import resources
from multiprocessing import get_context
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
    Severity,
)
from core.resources import user_resource_dir

#: bump whenever the analysis of an unchanged text may change (code of segment, entities,
#: events, dates, merge inputs): cached analyses of another version are never used
PIPELINE_VERSION = "analysis-1"

#: below this many characters to analyse, starting processes (each loading Kiwi) costs
#: more than it saves on two cores: measured break-even near 60k characters
MIN_PARALLEL_CHARS = 60_000

#: whether the process that asked analyses too, next to its helpers (tests turn it off to
#: have the helper processes do every article)
PARENT_ANALYSES = True

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
    """Worker processes by default: the cores, at most 2 (measured on this 2-core machine;
    more processes than cores only add Kiwi copies of 0.5 GB each)."""
    return max(1, min(2, os.cpu_count() or 1))


def analyse_article(article: Article, lexicon: Any = None) -> ArticleAnalysis:
    """Segment ``article`` (cleaned) and find its entity and event mentions.

    Sets ``article.sentences``. A segmentation failure leaves no sentences and a problem
    naming the reason; one bad article must not stop the others.
    """
    from core.entities import find_mentions
    from core.events import extract_events
    from core.lexicon import load_lexicon
    from core.segment import segment_article

    if lexicon is None:
        lexicon = load_lexicon()
    problems: list[Problem] = []
    try:
        sentences = segment_article(article)
    except Cancelled:
        raise
    except Exception as exc:  # noqa: BLE001  (one bad article must not stop the others)
        sentences = []
        problems.append(
            Problem(article.file, f"sentence segmentation failed: {exc}", Severity.ERROR)
        )
    article.sentences = sentences
    entities = [
        found
        for sentence in sentences
        for found in find_mentions(sentence, article.source_text, lexicon, include_unlinked=True)
    ]
    events = extract_events(article, lexicon)
    return ArticleAnalysis(sentences, events, entities, problems)


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


def _worker_init() -> None:
    # one Kiwi thread per process (0 would refuse batch calls): the processes fill the cores
    os.environ["CAMP_TIMELINE_KIWI_THREADS"] = "1"


def _worker_analyse(article: Article) -> tuple[ArticleAnalysis, list[Problem]]:
    from core.kiwi import load_problems

    return analyse_article(article), load_problems()


def _shipped(article: Article) -> Article:
    """The article without what the worker does not need (sentences, problems)."""
    return Article(
        file=article.file,
        path=article.path,
        source_text=article.source_text,
        encoding=article.encoding,
        title=article.title,
        title_source=article.title_source,
        publisher=article.publisher,
        url=article.url,
        published=article.published,
        metadata=article.metadata,
        clean=article.clean,
    )


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
        for index, article in enumerate(articles):
            check()
            result = analyse_article(article, lexicon)
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
    left to hand out, it also does the articles still waiting at a helper (whichever
    finishes first is used: the analysis is deterministic), so a slow helper never
    makes the build slower than a serial one by more than its start.
    """
    from core.kiwi import load_problems
    from core.lexicon import load_lexicon

    lexicon = load_lexicon()
    helpers = workers - 1
    # spawn, not fork: the window's process has Qt and Kiwi threads running
    pool = ProcessPoolExecutor(helpers, mp_context=get_context("spawn"), initializer=_worker_init)
    queue = deque(sorted(range(len(articles)), key=lambda i: -len(articles[i].source_text)))
    flying: dict[Future[tuple[ArticleAnalysis, list[Problem]]], int] = {}
    finished: set[int] = set()
    taken: set[int] = set()  # articles this process does although a helper has them

    def deliver(index: int, result: ArticleAnalysis) -> tuple[int, ArticleAnalysis]:
        finished.add(index)
        articles[index].sentences = result.sentences
        if progress is not None:
            progress(articles[index])
        return index, result

    try:
        while len(finished) < len(articles):
            check()
            while queue and len(flying) < 2 * helpers:  # one running, one waiting
                index = queue.popleft()
                flying[pool.submit(_worker_analyse, _shipped(articles[index]))] = index
            for future in [f for f in flying if f.done()]:
                index = flying.pop(future)
                result, refused = future.result()
                if kiwi_problems is not None:
                    kiwi_problems.extend(p for p in refused if p not in kiwi_problems)
                if index not in finished:
                    yield deliver(index, result)
            if not PARENT_ANALYSES:
                if flying:
                    wait(flying, timeout=0.1, return_when=FIRST_COMPLETED)
                continue
            if queue:
                index = queue.pop()
            else:
                waiting = [i for i in flying.values() if i not in finished | taken]
                if not waiting:
                    if flying:
                        wait(flying, timeout=0.1, return_when=FIRST_COMPLETED)
                    continue
                index = waiting[-1]  # the last handed out: the least likely to have started
                taken.add(index)
            yield deliver(index, analyse_article(articles[index], lexicon))
    except BaseException:
        # cancelled or failed: do not wait for the articles under way (a window waits on it)
        _stop(pool)
        raise
    if flying:
        _stop(pool)  # only articles this process did already: no need to wait for them
    else:
        pool.shutdown(wait=True)
    if kiwi_problems is not None:
        kiwi_problems.extend(p for p in load_problems() if p not in kiwi_problems)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down now, ending its processes (Python 3.11 has no public way)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
