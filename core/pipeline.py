"""The whole chain as one call, shared by ``camp-timeline build``, the window and the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.cleaning import clean_corpus
from core.loading import load_corpus
from core.model import Cancelled, Corpus
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

    Raises ``Cancelled`` as soon as ``cancelled()`` answers True between articles, and
    ``core.loading.CorpusError`` when the folder is missing or unusable.
    """

    def check() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled()

    corpus = load_corpus(Path(root), progress=progress, cancelled=cancelled)
    check()
    clean_corpus(corpus.articles)
    total = len(corpus.articles)
    for done, article in enumerate(corpus.articles, start=1):
        check()
        article.sentences = segment_article(article)
        if progress is not None:
            progress(done, total, f"문장 분리: {article.file}")
    return corpus
