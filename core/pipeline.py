"""The whole chain as one call, shared by ``camp-timeline build``, the window and the tests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.cleaning import clean_corpus
from core.dateline import default_finder
from core.kiwi import load_problems as kiwi_problems
from core.loading import load_corpus
from core.model import Article, Cancelled, Corpus, Problem
from core.progress import CancelledFn, ProgressFn
from core.titles import detect_title
from core.token_pack import pack_sentences

if TYPE_CHECKING:
    from core.analyse import AnalysedCorpus, ArticleAnalysis
    from core.cache import AnalysisCache

#: analyses waiting to be written to the cache are written at least this often, so a
#: killed build loses no more than this much of its work
CACHE_WRITE_S = 0.5


def build(
    root: Path | str,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    cache: AnalysisCache | None = None,
    analyse: bool = True,
) -> AnalysedCorpus:
    """Load, clean, segment and analyse the corpus in ``root``: every article gets its
    sentences and its entity and event mentions (``build_timeline`` merges them).

    The per-article analysis runs where ``core.engines.analyse_articles`` puts it: in this
    process (``workers`` 1 or None), in ``workers`` local processes, or on the Dask cluster
    at ``scheduler`` (``"local"``: one started here). With a ``cache``, analyses stored
    there are reused and new ones are written as they arrive, so a killed build keeps what
    it finished. ``analyse`` is accepted for callers written when it was optional; every
    build analyses.

    Progress counts one step per file while loading, then one per article for cleaning
    and one per article for the analysis, so a bar fills evenly across the stages.
    Raises ``Cancelled`` as soon as ``cancelled()`` answers True between steps, and
    ``core.loading.CorpusError`` when the folder is missing or unusable. An article whose
    segmentation fails keeps no sentences and carries a problem naming the reason.
    """

    def report(done: int, total: int, message: str) -> None:
        if progress is not None:
            progress(done, total, message)

    loaded_files = 0

    def loading_progress(done: int, total: int, message: str) -> None:
        # the article count is not known yet: assume every file becomes an article
        nonlocal loaded_files
        loaded_files = max(loaded_files, total)
        report(done, 3 * total, message)

    corpus = load_corpus(Path(root), progress=loading_progress, cancelled=cancelled)
    if cancelled is not None and cancelled():
        raise Cancelled()
    articles = corpus.articles
    done = loaded_files
    total = loaded_files + 2 * len(articles)

    fingerprint = ""
    if cache is not None:
        from core.analyse import resources_fingerprint

        fingerprint = resources_fingerprint()
    _clean(corpus, cache, fingerprint)
    # skipped rows of the user's lexicon, predicate and cue tables: shown with the corpus's
    # problems (the timeline reads the same tables)
    table_problems = _table_problems(cache, fingerprint)
    corpus.problems.extend(p for p in table_problems if p not in corpus.problems)
    # titles are read after cleaning, so a site banner on the first line is not taken
    finder = default_finder()
    for article in articles:
        if article.title_source != "manifest" or not article.title:
            article.title, article.title_source = detect_title(article, finder)
    done += len(articles)
    report(done, total, "정리 완료")
    return _analyse(
        corpus, workers or 1, scheduler, cache, fingerprint, done, total, report, cancelled
    )


def _table_problems(cache: AnalysisCache | None, fingerprint: str) -> list[Problem]:
    """Rows of the user-extendable analysis tables that were skipped, each with file and line.

    With a cache they are stored under the tables' fingerprint, so a fully cached build
    need not import the event extraction (and compile its patterns) only to list them.
    """

    def computed() -> list[Problem]:
        from core.events import table_problems
        from core.lexicon import load_lexicon

        return list(load_lexicon().problems) + table_problems()

    if cache is None:
        return computed()
    return _stored_problems(cache, f"table-problems:{fingerprint}", computed)


def _stored_problems(
    cache: AnalysisCache, name: str, compute: Callable[[], list[Problem]]
) -> list[Problem]:
    """The problems stored in the cache's meta table under ``name``; when none are (or the
    stored ones do not read), ``compute()``'s, stored there for the next build."""
    from core.cache_codec import problems_in, problems_out

    stored = cache.get_meta(name)
    if stored is not None:
        try:
            return problems_in(json.loads(stored))
        except (ValueError, TypeError):
            pass  # computed again and overwritten
    problems = compute()
    cache.set_meta(name, json.dumps(problems_out(problems), ensure_ascii=False))
    return problems


def _analyse(
    corpus: Corpus,
    workers: int,
    scheduler: str | None,
    cache: AnalysisCache | None,
    fingerprint: str,
    done: int,
    total: int,
    report: ProgressFn,
    cancelled: CancelledFn | None,
) -> AnalysedCorpus:
    """The per-article stage over a cleaned corpus: cached analyses first, the rest run."""
    from core.analyse import AnalysedCorpus
    from core.cache import article_key

    result = AnalysedCorpus(corpus.root, corpus.articles, corpus.problems)
    articles = corpus.articles
    keys: list[str] = []
    found: dict[str, ArticleAnalysis] = {}
    if cache is not None:
        keys = [article_key(a, fingerprint) for a in articles]
        found = cache.get_many(keys)
    missing = []
    for index, article in enumerate(articles):
        analysis = found.get(keys[index]) if keys else None
        if analysis is None:
            missing.append(index)
            continue
        _keep(result, article, analysis)
        result.cached += 1
    done += result.cached
    report(done, total, f"저장된 분석 {result.cached}건")

    refused: list[Problem] = []
    pending: list[tuple[str, str, ArticleAnalysis]] = []
    written = time.monotonic()
    todo = [articles[i] for i in missing]
    if todo:
        # imported only here: a fully cached build needs no engine (nor Kiwi, nor Dask)
        from core.engines import analyse_articles

        stage = analyse_articles(
            todo, workers=workers, scheduler=scheduler, cancelled=cancelled, kiwi_problems=refused
        )
        try:
            for position, analysis in stage:
                article = todo[position]
                _keep(result, article, analysis)
                done += 1
                report(done, total, f"분석: {article.file}")
                if cache is not None:
                    pending.append((keys[missing[position]], article.file, analysis))
                    if time.monotonic() - written >= CACHE_WRITE_S:
                        cache.put_many(pending)  # a killed build keeps what it finished
                        pending, written = [], time.monotonic()
        finally:
            if cache is not None:
                cache.put_many(pending)  # a cancelled or failed build keeps it too
    # file order, whatever order the engine and the cache answered in (the entity table's
    # surfaces are listed in the order they are met)
    result.event_mentions = {a.file: result.event_mentions[a.file] for a in articles}
    result.entity_mentions = {a.file: result.entity_mentions[a.file] for a in articles}
    if cache is not None:
        refused = _kiwi_problems(cache, fingerprint, refused if todo else None)
    # rows of the user's Kiwi tables that Kiwi refused: shown with the corpus's problems
    result.problems.extend(p for p in refused if p not in result.problems)
    if cache is not None:
        result.problems.extend(cache.notes)
    return result


def _keep(corpus: AnalysedCorpus, article: Article, analysis: ArticleAnalysis) -> None:
    # tokens as columns: a tenth of the memory of Token objects (core.token_pack)
    pack_sentences(analysis.sentences)
    article.sentences = analysis.sentences
    article.problems.extend(p for p in analysis.problems if p not in article.problems)
    corpus.event_mentions[article.file] = analysis.events
    corpus.entity_mentions[article.file] = analysis.entities


def _kiwi_problems(
    cache: AnalysisCache, fingerprint: str, refused: list[Problem] | None
) -> list[Problem]:
    """Kiwi's refusals of the user's tables, stored with the cache so that a fully cached
    build need not load Kiwi only to list them."""
    name = f"kiwi-problems:{fingerprint}"
    if refused is None:
        return _stored_problems(cache, name, lambda: list(kiwi_problems()))
    from core.cache_codec import problems_out

    cache.set_meta(name, json.dumps(problems_out(refused), ensure_ascii=False))
    return refused


def _clean(corpus: Corpus, cache: AnalysisCache | None, fingerprint: str) -> None:
    """Clean every article; with a cache, reuse the stored cleaning of the very same texts.

    Cleaning is corpus-wide (fragments repeated across articles), so it is stored per
    folder for the whole corpus, and any changed, added or removed file cleans anew.
    """
    if cache is None:
        clean_corpus(corpus.articles, corpus.problems)  # a bad user rule is the corpus's
        return
    from core.cache import cleaning_key

    root = str(Path(corpus.root).resolve())
    key = cleaning_key(corpus.articles, fingerprint)
    stored = cache.get_cleaning(root, key)
    if stored is not None and len(stored[0]) == len(corpus.articles):
        for article, clean in zip(corpus.articles, stored[0], strict=True):
            article.clean = clean
        corpus.problems.extend(stored[1])
        return
    problems: list[Problem] = []
    glued = _recall_glued(cache, fingerprint)
    clean_corpus(corpus.articles, problems)
    _keep_glued(cache, fingerprint, glued)
    corpus.problems.extend(problems)
    cleans = [a.clean for a in corpus.articles if a.clean is not None]
    cache.put_cleaning(root, key, cleans, problems)


def _recall_glued(cache: AnalysisCache, fingerprint: str) -> int:
    """Put the stored Kiwi verdicts of cleaning in ``core.repeats``; how many it knows."""
    from core import repeats

    stored = cache.get_meta(f"glued-verdicts:{fingerprint}")
    if stored:
        try:
            repeats.GLUED_VERDICTS.update(
                ((str(word), int(cut)), bool(verdict)) for word, cut, verdict in json.loads(stored)
            )
        except (ValueError, TypeError):
            pass  # a bad entry is asked of Kiwi again and overwritten
    return len(repeats.GLUED_VERDICTS)


def _keep_glued(cache: AnalysisCache, fingerprint: str, known: int) -> None:
    """Store cleaning's Kiwi verdicts when it asked Kiwi anything new."""
    from core import repeats

    if len(repeats.GLUED_VERDICTS) == known:
        return
    rows = [[word, cut, verdict] for (word, cut), verdict in repeats.GLUED_VERDICTS.items()]
    cache.set_meta(f"glued-verdicts:{fingerprint}", json.dumps(rows, ensure_ascii=False))
