"""The whole chain as one call, shared by ``camp-timeline build``, the window and the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.cleaning import clean_corpus
from core.dateline import DatelineFinder
from core.kiwi import load_problems as kiwi_problems
from core.loading import detect_title, load_corpus
from core.model import Cancelled, Corpus, Problem, Severity
from core.segment import segment_article

#: progress(done, total, message); total counts every step of every stage
ProgressFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]


def build(
    root: Path | str,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Corpus:
    """Load, clean and segment the corpus in ``root``.

    Progress counts one step per file while loading, then one per article for cleaning
    and one per article for segmentation, so a bar fills evenly across the stages.
    Raises ``Cancelled`` as soon as ``cancelled()`` answers True between steps, and
    ``core.loading.CorpusError`` when the folder is missing or unusable. An article whose
    segmentation fails keeps no sentences and carries a problem naming the reason.
    """

    def check() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled()

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
    check()
    articles = corpus.articles
    done = loaded_files
    total = loaded_files + 2 * len(articles)

    clean_corpus(articles, corpus.problems)  # a bad user rule is the corpus's problem
    # titles are read after cleaning, so a site banner on the first line is not taken
    finder = DatelineFinder()
    for article in articles:
        if article.title_source != "manifest" or not article.title:
            article.title, article.title_source = detect_title(article, finder)
    done += len(articles)
    report(done, total, "정리 완료")

    for article in articles:
        check()
        try:
            article.sentences = segment_article(article)
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001  (one bad article must not stop the others)
            article.sentences = []
            article.problems.append(
                Problem(article.file, f"sentence segmentation failed: {exc}", Severity.ERROR)
            )
        done += 1
        report(done, total, f"문장 분리: {article.file}")
    # rows of the user's Kiwi tables that Kiwi refused: shown with the corpus's problems
    corpus.problems.extend(p for p in kiwi_problems() if p not in corpus.problems)
    return corpus
