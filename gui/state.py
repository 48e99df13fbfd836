"""What the window's widgets share: the current corpus and the selected article.

Widgets never call each other; they write here and listen to the signals. That keeps the
article table, the source viewer and the problems panel independent of one another.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from core.model import Article, Corpus


class AppState(QObject):
    """The shared state of one main window."""

    #: a corpus finished loading and is now current
    corpus_loaded = Signal(object)  # Corpus
    #: the selected article changed (None when nothing is selected)
    article_selected = Signal(object)  # Article | None
    #: a load of this folder started
    load_started = Signal(str)
    #: a load progressed: done, total, message
    load_progressed = Signal(int, int, str)
    #: a load of this folder failed; the previous corpus stays current
    load_failed = Signal(str, str)  # folder, reason
    #: a load was cancelled; the previous corpus stays current
    load_cancelled = Signal(str)  # folder

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._corpus: Corpus | None = None
        self._article: Article | None = None

    @property
    def corpus(self) -> Corpus | None:
        return self._corpus

    @property
    def corpus_root(self) -> Path | None:
        return self._corpus.root if self._corpus is not None else None

    @property
    def selected_article(self) -> Article | None:
        return self._article

    def set_corpus(self, corpus: Corpus) -> None:
        """Make ``corpus`` current; the selection is cleared until someone selects again."""
        had_selection = self._article is not None
        self._corpus = corpus
        self._article = None
        # cleared first, so that a listener selecting on corpus_loaded has the last word
        if had_selection:
            self.article_selected.emit(None)
        self.corpus_loaded.emit(corpus)

    def article_by_file(self, file: str) -> Article | None:
        if self._corpus is None:
            return None
        for article in self._corpus.articles:
            if article.file == file:
                return article
        return None

    def select_article(self, file: str | None) -> None:
        """Select the article whose ``file`` is given (None or unknown clears it)."""
        article = self.article_by_file(file) if file else None
        if article is self._article:
            return
        self._article = article
        self.article_selected.emit(article)
