"""The source viewer: the selected article's header and its text, cleaned or as written.

The cleaned text is what the pipeline analyses. "원문 보기" shows the source text instead,
with every span that cleaning removed greyed out (the exact ``Removal`` spans, each with
its rule as a tooltip), so a reader can check what was dropped and why.
"""

from __future__ import annotations

import html
from itertools import accumulate

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.model import Article
from gui.article_table import date_source_label, format_published
from gui.state import AppState

#: a publication date's precision, said in full in the header
PRECISION_WORDS = {"minute": "분 단위", "day": "일 단위", "month": "월 단위", "year": "연 단위"}
#: the colour of removed text in source mode
REMOVED_FOREGROUND = QColor(150, 150, 150)
REMOVED_BACKGROUND = QColor(240, 240, 240)


def removed_format(rule: str = "") -> QTextCharFormat:
    """The character format of a span that cleaning removed."""
    fmt = QTextCharFormat()
    fmt.setForeground(REMOVED_FOREGROUND)
    fmt.setBackground(REMOVED_BACKGROUND)
    if rule:
        fmt.setToolTip(f"제거됨: {rule}")
    return fmt


def document_positions(text: str) -> list[int]:
    """``positions[i]`` is where code point ``i`` of ``text`` sits in a QTextDocument.

    The document counts UTF-16 units and turns ``\\r\\n`` into one paragraph break, while
    the model's offsets are code points of the text as decoded; this maps one to the other.
    """

    def width(i: int, ch: str) -> int:
        if ch == "\r" and text.startswith("\n", i + 1):
            return 0
        return 2 if ord(ch) > 0xFFFF else 1

    return [0, *accumulate(width(i, ch) for i, ch in enumerate(text))]


def _header_html(article: Article) -> str:
    esc = html.escape
    published = article.published
    if published is None:
        date, date_note = format_published(None), date_source_label(article)
    else:
        date = published.iso().replace("T", " ")
        precision = PRECISION_WORDS.get(published.precision, published.precision)
        date_note = f"{precision} · {date_source_label(article)}"
        if published.text:
            date_note += f": “{published.text}”"
    rows = [
        ("언론사", esc(article.publisher or "—")),
        ("날짜", f"{esc(date)} <span style='color:gray'>({esc(date_note)})</span>"),
    ]
    if article.url:
        rows.append(("주소", f"<a href='{esc(article.url, quote=True)}'>{esc(article.url)}</a>"))
    rows.append(("파일", esc(article.file)))
    cells = "".join(
        f"<tr><td style='color:gray; padding-right:8px'>{name}</td><td>{value}</td></tr>"
        for name, value in rows
    )
    title = esc(article.title or article.file)
    return f"<b style='font-size:large'>{title}</b><table>{cells}</table>"


class SourceViewer(QWidget):
    """Qt view of the selected article: header, then cleaned or source text."""

    #: the shown mode changed: True when the source text is shown
    source_mode_changed = Signal(bool)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._article: Article | None = None
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setOpenExternalLinks(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.mode_label = QLabel()
        self.mode_label.setStyleSheet("color: gray")

        self.show_source_action = QAction("원문 보기", self)
        self.show_source_action.setCheckable(True)
        self.show_source_action.setToolTip(
            "정제 전 원문을 보이고, 정제로 지운 부분을 회색으로 표시"
        )
        self.show_source_action.toggled.connect(self._mode_toggled)
        toggle = QToolButton()
        toggle.setDefaultAction(self.show_source_action)
        # the platform style barely marks a checked tool button; the mode must be obvious
        toggle.setStyleSheet("QToolButton:checked { background: #dbe7f5; font-weight: bold; }")

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.mode_label)
        layout.addWidget(self.text_view, 1)
        state.article_selected.connect(self.show_article)
        self.show_article(None)

    @property
    def article(self) -> Article | None:
        return self._article

    def is_source_mode(self) -> bool:
        return self.show_source_action.isChecked()

    def set_source_mode(self, on: bool) -> None:
        self.show_source_action.setChecked(on)

    def show_article(self, article: Article | None) -> None:
        self._article = article
        self._render()

    def _mode_toggled(self, on: bool) -> None:
        self._render()
        self.source_mode_changed.emit(on)

    def _render(self) -> None:
        article = self._article
        if article is None:
            self.header.setText("<i>선택한 기사가 없습니다</i>")
            self.mode_label.clear()
            self.text_view.clear()
            return
        self.header.setText(_header_html(article))
        if self.is_source_mode() or article.clean is None:
            self._show_source(article)
        else:
            self.text_view.setPlainText(article.clean.text)
            removed = len(article.clean.removals)
            self.mode_label.setText(f"정제된 본문 · 제거된 구간 {removed}곳")

    def _show_source(self, article: Article) -> None:
        text = article.source_text
        self.text_view.setPlainText(text)
        if article.clean is None:
            self.mode_label.setText("원문 (정제되지 않음)")
            return
        removals = article.clean.removals
        positions = document_positions(text)
        cursor = QTextCursor(self.text_view.document())
        cursor.beginEditBlock()
        for removal in removals:
            start = positions[max(0, min(removal.start, len(text)))]
            end = positions[max(0, min(removal.end, len(text)))]
            if end <= start:
                continue
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(removed_format(removal.rule))
        cursor.endEditBlock()
        self.mode_label.setText(f"원문 · 회색은 정제로 제거된 부분 ({len(removals)}곳)")
