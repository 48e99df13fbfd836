"""The source viewer: the selected article's header and its text, cleaned or as written.

The cleaned text is what the pipeline analyses. "원문 보기" shows the source text instead,
with every span that cleaning removed greyed out (the exact ``Removal`` spans, each with
its rule as a tooltip), so a reader can check what was dropped and why.

Over either text the viewer marks what the analysis found: the sentences that report an
event (a click on one selects its event), entity mentions (underlined in their camp's
colour) and date expressions. The selected event's sentence is an extra selection, scrolled
into view. Marks are computed once per article (``article_marks``) and cached until the
next timeline; offsets are the model's source offsets, mapped to the shown text.
"""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from itertools import accumulate

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QMouseEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.model import Article
from core.search import UNLINKED_PREFIX
from core.timeline import Timeline
from gui.article_table import date_source_label, format_published
from gui.camp_colors import camp_qcolor
from gui.source_marks import Mark, article_marks
from gui.state import VIEW_PREPARERS, AppState

#: the name under which a load marks the corpus's first article (the window shows it first)
FIRST_MARKS_VIEW = "source_first_marks"
VIEW_PREPARERS[FIRST_MARKS_VIEW] = lambda corpus, _timeline: {
    a.file: article_marks(a) for a in corpus.articles[:1]
}

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


def shown_offsets(article: Article, source_mode: bool) -> list[int] | None:
    """For the shown text, the source offset of each of its code points (None: identity)."""
    if source_mode or article.clean is None:
        return None
    return article.clean.offsets


class SourceViewer(QWidget):
    """Qt view of the selected article: header, then cleaned or source text, with marks."""

    #: the shown mode changed: True when the source text is shown
    source_mode_changed = Signal(bool)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._article: Article | None = None
        self._marks: dict[str, list[Mark]] = {}
        self._entity_camps: dict[str, str] = {}
        # the shown text: its document positions and the source offset of each code point
        self._positions: list[int] = [0]
        self._offsets: list[int] | None = None
        # the event sentence last clicked: (event id, source start, end)
        self._clicked: tuple[str, int, int] | None = None
        # document span of the selected event's sentence, when the shown article has it
        self._sentence: tuple[int, int] | None = None
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setOpenExternalLinks(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.viewport().installEventFilter(self)
        self.mode_label = QLabel()
        self.mode_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.show_source_action = QAction("원문 보기", self)
        self.show_source_action.setCheckable(True)
        self.show_source_action.setToolTip(
            "정제 전 원문을 보이고, 정제로 지운 부분을 회색으로 표시"
        )
        self.show_source_action.toggled.connect(self._mode_toggled)
        toggle = QToolButton()
        toggle.setDefaultAction(self.show_source_action)
        # the platform style barely marks a checked tool button; the mode must be obvious
        toggle.setStyleSheet(
            "QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); font-weight: bold; }"
        )

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.mode_label)
        layout.addWidget(self.text_view, 1)
        state.article_selected.connect(self.show_article)
        state.event_selected.connect(self._event_selected)
        state.entity_selected.connect(lambda _key: self._apply_selections())
        state.timeline_loaded.connect(self._timeline_loaded)
        self.show_article(None)

    @property
    def article(self) -> Article | None:
        return self._article

    def is_source_mode(self) -> bool:
        return self.show_source_action.isChecked()

    def set_source_mode(self, on: bool) -> None:
        self.show_source_action.setChecked(on)

    def show_article(self, article: Article | None) -> None:
        if article is not self._article:
            self._clicked = None
        self._article = article
        self._render()

    def marks(self, article: Article) -> list[Mark]:
        """The article's entity and date marks, computed on first use."""
        if article.file not in self._marks:
            self._marks[article.file] = article_marks(article)
        return self._marks[article.file]

    # -- offsets ------------------------------------------------------------------------

    def document_span(self, start: int, end: int) -> tuple[int, int]:
        """Document positions of the source span ``[start, end)`` in the shown text."""
        if self._offsets is not None:  # clean text: source offsets back to clean indexes
            start, end = bisect_left(self._offsets, start), bisect_left(self._offsets, end)
        last = len(self._positions) - 1
        return self._positions[max(0, min(start, last))], self._positions[max(0, min(end, last))]

    def source_offset(self, position: int) -> int:
        """The source offset of the character at document ``position``."""
        index = max(0, bisect_right(self._positions, position) - 1)
        if self._offsets is not None:
            return self._offsets[min(index, len(self._offsets) - 1)]
        return index

    def mention_at(self, position: int) -> tuple[str, int, int] | None:
        """(event id, source start, end) of the event sentence covering document ``position``."""
        if self._article is None:
            return None
        offset = self.source_offset(position)
        mentions = self._state.article_mentions(self._article.file)
        for event_id, start, end in zip(
            mentions["event_id"], mentions["char_start"], mentions["char_end"], strict=True
        ):
            if int(start) <= offset < int(end):
                return str(event_id), int(start), int(end)
        return None

    def event_at(self, position: int) -> str | None:
        """The event whose sentence (in the shown article) covers document ``position``."""
        found = self.mention_at(position)
        return found[0] if found else None

    def click_at(self, position: int) -> None:
        """A click on document ``position``: selects the event whose sentence is there.

        An event reported twice in one article is highlighted at the sentence clicked.
        """
        found = self.mention_at(position)
        if found is None:
            return
        self._clicked = found
        if self._state.selected_event == found[0]:
            self._event_selected(found[0])
        else:
            self._state.select_event(found[0])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.text_view.viewport()
            and event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and not self.text_view.textCursor().hasSelection()  # a drag to copy text
        ):
            cursor = self.text_view.cursorForPosition(event.position().toPoint())
            self.click_at(cursor.position())
        return super().eventFilter(watched, event)

    def reveal_selection(self) -> None:
        """Scroll the selected event's sentence into view and give the text the focus."""
        self._event_selected(self._state.selected_event)
        self.text_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def changeEvent(self, event: QEvent) -> None:
        # marks take their colours from the palette: redraw when the system goes dark/light
        if event.type() == QEvent.Type.PaletteChange and self._article is not None:
            self._render()
        super().changeEvent(event)

    def selected_span(self) -> tuple[int, int] | None:
        """Document span of the highlighted event sentence, if one is shown."""
        return self._sentence

    # -- rendering ----------------------------------------------------------------------

    def _timeline_loaded(self, timeline: Timeline) -> None:
        # the first article's marks, if the load made them off the GUI thread
        self._marks = dict(self._state.prepared_view(FIRST_MARKS_VIEW, timeline) or {})
        entities = timeline.entities
        self._entity_camps = (
            {str(i): str(c) for i, c in zip(entities["entity_id"], entities["camp"], strict=True)}
            if len(entities)
            else {}
        )

    def _mode_toggled(self, on: bool) -> None:
        self._render()
        self.source_mode_changed.emit(on)

    def _render(self) -> None:
        article = self._article
        self.text_view.setExtraSelections([])
        self._sentence = None
        if article is None:
            self.header.setText("<i>선택한 기사가 없습니다</i>")
            self.mode_label.clear()
            self.text_view.clear()
            self._positions, self._offsets = [0], None
            return
        self.header.setText(_header_html(article))
        source_mode = self.is_source_mode() or article.clean is None
        text = article.source_text if source_mode else article.clean.text  # type: ignore[union-attr]
        self.text_view.setPlainText(text)
        self._positions = document_positions(text)
        self._offsets = shown_offsets(article, source_mode)
        if source_mode:
            self._show_removals(article)
        else:
            removed = len(article.clean.removals)  # type: ignore[union-attr]
            self.mode_label.setText(f"정제된 본문 · 제거된 구간 {removed}곳")
        self._mark_analysis(article)
        self._event_selected(self._state.selected_event)

    def _mark_analysis(self, article: Article) -> None:
        palette = self.palette()
        cursor = QTextCursor(self.text_view.document())
        cursor.beginEditBlock()
        # event sentences: a faint wash of the palette's highlight, readable light or dark
        wash = QColor(palette.color(QPalette.ColorRole.Highlight))
        wash.setAlpha(40)
        mentions = self._state.article_mentions(article.file)
        for event_id, start, end in zip(
            mentions["event_id"], mentions["char_start"], mentions["char_end"], strict=True
        ):
            row = self._state.event_row(str(event_id)) or {}
            fmt = QTextCharFormat()
            fmt.setBackground(wash)
            fmt.setToolTip(f"사건: {row.get('title', event_id)} (누르면 선택)")
            self._merge(cursor, int(start), int(end), fmt)
        link = palette.color(QPalette.ColorRole.Link)
        for mark in self.marks(article):
            fmt = QTextCharFormat()
            if mark.kind == "entity":
                fmt.setFontWeight(700)
                fmt.setFontUnderline(True)
                camp = self._entity_camps.get(mark.key, "")
                fmt.setUnderlineColor(camp_qcolor(camp) if camp else link)
            else:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(link)
            fmt.setToolTip(mark.tip)
            self._merge(cursor, mark.start, mark.end, fmt)
        cursor.endEditBlock()

    def _merge(self, cursor: QTextCursor, start: int, end: int, fmt: QTextCharFormat) -> None:
        first, last = self.document_span(start, end)
        if last <= first:
            return
        cursor.setPosition(first)
        cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    def _event_span(self, event_id: str) -> tuple[int, int] | None:
        """Source span of ``event_id``'s sentence in the shown article, if it is there."""
        if self._article is None:
            return None
        if self._clicked is not None and self._clicked[0] == event_id:
            return self._clicked[1], self._clicked[2]
        mentions = self._state.article_mentions(self._article.file)
        hits = mentions[mentions["event_id"] == event_id] if len(mentions) else mentions
        if len(hits):
            primary = hits[hits["primary"]] if "primary" in hits.columns else hits
            row = (primary if len(primary) else hits).iloc[0]
            return int(row["char_start"]), int(row["char_end"])
        event = self._state.event_row(event_id)
        if event is not None and str(event.get("sources", "")).split(";")[0] == self._article.file:
            return int(event["char_start"]), int(event["char_end"])  # type: ignore[call-overload]
        return None

    def _event_selected(self, event_id: str | None) -> None:
        span = self._event_span(event_id) if event_id else None
        self._sentence = self.document_span(*span) if span is not None else None
        self._apply_selections()
        if self._sentence is not None:
            caret = QTextCursor(self.text_view.document())
            caret.setPosition(self._sentence[0])
            self.text_view.setTextCursor(caret)
            self.text_view.centerCursor()

    def entity_spans(self, key: str | None) -> list[tuple[int, int]]:
        """Source spans of entity ``key`` (an id, or ``?name``) in the shown article."""
        article = self._article
        if not key or article is None:
            return []
        if key.startswith(UNLINKED_PREFIX):
            name = key[len(UNLINKED_PREFIX) :]
            text, spans, at = article.source_text, [], 0
            while name and (at := text.find(name, at)) >= 0:
                spans.append((at, at + len(name)))
                at += len(name)
            return spans
        return [
            (m.start, m.end) for m in self.marks(article) if m.kind == "entity" and m.key == key
        ]

    def _apply_selections(self) -> None:
        """The event sentence first, then the selected entity's mentions."""
        palette = self.palette()
        selections = []
        if self._sentence is not None:
            fmt = QTextCharFormat()
            fmt.setBackground(palette.color(QPalette.ColorRole.Highlight))
            fmt.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
            selections.append(self._selection(*self._sentence, fmt))
        outline = QColor(palette.color(QPalette.ColorRole.Link))
        outline.setAlpha(90)
        for start, end in self.entity_spans(self._state.selected_entity):
            fmt = QTextCharFormat()
            fmt.setBackground(outline)
            selections.append(self._selection(*self.document_span(start, end), fmt))
        self.text_view.setExtraSelections(selections)

    def _selection(self, first: int, last: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.text_view.document())
        cursor.setPosition(first)
        cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor  # type: ignore[attr-defined]
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
        selection.format = fmt  # type: ignore[attr-defined]
        return selection

    def _show_removals(self, article: Article) -> None:
        text = article.source_text
        if article.clean is None:
            self.mode_label.setText("원문 (정제되지 않음)")
            return
        removals = article.clean.removals
        cursor = QTextCursor(self.text_view.document())
        cursor.beginEditBlock()
        for removal in removals:
            start = self._positions[max(0, min(removal.start, len(text)))]
            end = self._positions[max(0, min(removal.end, len(text)))]
            if end <= start:
                continue
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(removed_format(removal.rule))
        cursor.endEditBlock()
        self.mode_label.setText(f"원문 · 회색은 정제로 제거된 부분 ({len(removals)}곳)")
