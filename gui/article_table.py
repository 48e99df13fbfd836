"""The article table: one row per article of the corpus, bound to the shared state.

``articles_frame`` turns a corpus into a DataFrame; ``ArticleTableModel`` shows it through
the frame adapter; ``ArticleTable`` is the view, which selects articles in ``AppState`` and
follows the selection made elsewhere.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from core.model import Article, Corpus, DateSource, Published
from gui.frame_model import KEY_ROLE, SIZE_SAMPLE_ROWS, FrameModel, select_view_row
from gui.frame_model import fit_columns as fit_view_columns
from gui.state import VIEW_PREPARERS, AppState

#: how a date's precision is shown after it, when it is coarser than a day
PRECISION_LABELS = {"month": "월", "year": "연"}
#: where a publication date came from, as the table and the viewer say it
DATE_SOURCE_LABELS = {
    DateSource.MANIFEST: "목록(manifest)",
    DateSource.DATELINE: "본문 날짜줄",
    DateSource.UNKNOWN: "모름",
}

ARTICLE_COLUMNS = [
    ("title", "제목"),
    ("publisher", "언론사"),
    ("date", "날짜"),
    ("date_source", "날짜 출처"),
    ("sentences", "문장"),
    ("problems", "문제"),
]


def format_published(published: Published | None) -> str:
    """A publication date no more precise than known: ``2023-12 (월)``, ``2024-01-31``."""
    if published is None:
        return "날짜 모름"
    iso = published.iso().replace("T", " ")
    label = PRECISION_LABELS.get(published.precision)
    return f"{iso} ({label})" if label else iso


def date_source_label(article: Article) -> str:
    return DATE_SOURCE_LABELS.get(article.published_source, str(article.published_source))


def articles_frame(corpus: Corpus | None) -> pd.DataFrame:
    """One row per article, in corpus order, with what the table shows and sorts by."""
    rows = []
    for article in corpus.articles if corpus is not None else []:
        published = article.published
        rows.append(
            {
                "file": article.file,
                "title": article.title or article.file,
                "publisher": article.publisher or "—",
                "date": format_published(published),
                # sorts a month-precision date at its first day, undated articles last
                "date_sort": published.start.isoformat() if published else "9999",
                "date_source": date_source_label(article),
                "sentences": len(article.sentences),
                "problems": len(article.problems),
                "problem_text": "\n".join(p.reason for p in article.problems),
            }
        )
    columns = [
        "file", "title", "publisher", "date", "date_sort", "date_source",
        "sentences", "problems", "problem_text",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


#: the name under which a load prepares the articles frame off the GUI thread
ARTICLE_TABLE_VIEW = "article_table"
# made on the reader thread: on the GUI thread it took ~70 ms of a 10k-article hand-over
VIEW_PREPARERS[ARTICLE_TABLE_VIEW] = lambda corpus, _timeline: articles_frame(corpus)


class ArticleTableModel(FrameModel):
    """Qt model of the articles frame; a row's key is its article's file."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            ARTICLE_COLUMNS,
            key="file",
            tooltips={"title": "file", "problems": "problem_text"},
            parent=parent,
        )

    def set_corpus(self, corpus: Corpus | None, frame: pd.DataFrame | None = None) -> None:
        """Show ``corpus``'s articles: ``frame`` if given (``articles_frame`` of it, made
        beforehand), else its frame made here."""
        self.set_frame(frame if frame is not None else articles_frame(corpus))


class ArticleTable(QTableView):
    """Qt view of the corpus's articles; selecting a row selects the article in the state."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.article_model = ArticleTableModel(self)
        # the view sorts the model itself (``FrameModel.sort``: keys sorted at C speed), not
        # through a sorting proxy, which asks ``data`` in Python twice per comparison
        self.setModel(self.article_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # corpus order until a click
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)  # one line per article; the full title is in the viewer
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        # its columns fit their contents: measured over a sample of rows, not Qt's default
        # thousand (every cell in several roles, over a second when a big corpus is shown)
        header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # fitted once a corpus, when the table is seen, rather than in ResizeToContents
        # mode: that measures again at every layout, and a table in a hidden tab (as it is
        # when a corpus is shown) was measured during the hand-over for nothing
        for column in range(1, len(ARTICLE_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self._fitted = True
        self.selectionModel().currentRowChanged.connect(self._current_row_changed)
        state.corpus_loaded.connect(self._corpus_loaded)
        state.article_selected.connect(self._article_selected)

    def select_row(self, row: int) -> None:
        select_view_row(self, row)

    def _corpus_loaded(self, corpus: Corpus) -> None:
        frame = self._state.prepared_view(ARTICLE_TABLE_VIEW, corpus)
        self.article_model.set_corpus(corpus, frame)
        self._fitted = False
        if self.isVisible():
            self.fit_columns()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            self.fit_columns()

    def fit_columns(self) -> None:
        """Fit the columns after the title to their contents (every row) and names."""
        self._fitted = True
        fit_view_columns(self, self.article_model, range(1, len(ARTICLE_COLUMNS)))

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._state.select_article(current.data(KEY_ROLE) if current.isValid() else None)

    def _article_selected(self, article: Article | None) -> None:
        if article is None:
            return
        row = self.article_model.row_of(article.file)
        if row >= 0 and self.currentIndex().row() != row:
            self.select_row(row)
