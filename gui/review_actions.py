"""The window's review actions: accept, reject, star, tag, note, correct, merge, split, add.

``ReviewController`` owns the ``ReviewSession`` of the window's corpus and the actions
(menu 검토, keys A X S T N E M, Ctrl+Z / Ctrl+Shift+Z), the 미검토만 / 거부됨 filters, the
reviewed/total count and the review file's path in the status bar, and saved views. The
window calls ``on_load`` with each corpus it is about to show, and the timeline's context
menu takes the review actions through ``add_to_menu``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCompleter,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
)

from core.model import Corpus
from core.review import (
    ACCEPTED,
    ADDED,
    ENTITY,
    EVENT,
    KEY_COLUMN,
    MERGE,
    REJECTED,
    SPLIT,
    VIEW,
    Reviewed,
    ReviewError,
    added_event,
    event_label,
    mention_key,
    reviewed_count,
    updated,
    validate_edits,
)
from core.search import EventFilter
from core.timeline import Timeline
from gui.review_dialogs import EventEditDialog
from gui.review_session import ReviewSession
from gui.state import PreparedLoad

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class ReviewController(QObject):
    """The review of one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.session = ReviewSession(self)
        self.session.changed.connect(self._show)
        self.session.failed.connect(self._save_failed)
        #: the event marked to be merged into the next one chosen (its key)
        self.merge_from: str | None = None
        #: the last dialog opened (kept alive; tests drive it)
        self.dialog: Any = None

        self.accept_action = self._action("검토 완료 (수락)", ["A"], self.accept)
        self.reject_action = self._action("거부 (사건 아님/틀림)", ["X"], self.reject)
        self.star_action = self._action("별표", ["S"], self.star)
        self.tag_action = self._action("태그…", ["T"], self.tag)
        self.note_action = self._action("메모…", ["N"], self.note)
        self.edit_action = self._action("고치기…", ["E", "F2"], self.edit)
        self.merge_action = self._action("병합 (두 사건을 하나로)", ["M"], self.merge)
        self.split_action = self._action("언급 분리…", [], self.split)
        self.add_action = self._action("사건 추가 (원문에서 고른 문장)", ["Ctrl+Shift+A"], self.add)
        self.undo_action = self.session.undo_stack.createUndoAction(self, "되돌리기")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.session.undo_stack.createRedoAction(self, "다시 하기")
        self.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
        self.unreviewed_action = QAction("미검토만", self)
        self.unreviewed_action.setCheckable(True)
        self.unreviewed_action.setToolTip("아직 수락도 거부도 하지 않은 사건만 보입니다")
        self.unreviewed_action.toggled.connect(lambda on: self._set_review_filter("unreviewed", on))
        self.rejected_action = QAction("거부됨", self)
        self.rejected_action.setCheckable(True)
        self.rejected_action.setToolTip("거부한 사건만 보입니다 (평소에는 숨김)")
        self.rejected_action.toggled.connect(lambda on: self._set_review_filter("rejected", on))
        self.save_view_action = QAction("지금 보기 저장…", self)
        self.save_view_action.triggered.connect(self.save_view)
        self.orphans_action = QAction("연결이 끊긴 주석…", self)
        self.orphans_action.triggered.connect(self.show_orphans)

        menu = window.menuBar().addMenu("검토(&R)")
        for action in (self.undo_action, self.redo_action):
            menu.addAction(action)
        menu.addSeparator()
        self.add_to_menu(menu)
        menu.addAction(self.add_action)
        menu.addSeparator()
        menu.addAction(self.unreviewed_action)
        menu.addAction(self.rejected_action)
        menu.addSeparator()
        menu.addAction(self.save_view_action)
        self.views_menu = menu.addMenu("저장한 보기")
        menu.addSeparator()
        menu.addAction(self.orphans_action)
        self.menu = menu
        self.entity_camp_action = QAction("이 개체의 진영 지정…", self)
        self.entity_camp_action.triggered.connect(self.set_entity_camp)
        self.entity_link_action = QAction("알려진 개체에 연결…", self)
        self.entity_link_action.triggered.connect(self.link_entity)
        self.entity_alias_action = QAction("별칭 추가…", self)
        self.entity_alias_action.triggered.connect(self.add_alias)
        window.entity_panel.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        window.entity_panel.addActions(
            [self.entity_camp_action, self.entity_link_action, self.entity_alias_action]
        )
        window.event_table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        window.event_table.addActions(self.event_actions())

        self.status_label = QLabel()
        self.status_label.setObjectName("review_status")
        window.statusBar().addPermanentWidget(self.status_label)
        self.state.filters_changed.connect(self._filters_changed)
        self.state.corpus_loaded.connect(lambda _c: self._update_status())
        self.state.event_selected.connect(lambda _e: self._update_enabled())
        self._update_status()
        self._update_enabled()

    # -- construction -------------------------------------------------------------------

    def _action(self, text: str, shortcuts: list[str], slot: Any) -> QAction:
        """An action whose keys work outside the filter bar (A, X… are letters there)."""
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(lambda _checked=False: slot())
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.window.main_splitter.addAction(action)
        self.window.entity_dock.addAction(action)
        return action

    def event_actions(self) -> list[QAction]:
        """The actions on the selected event, in menu order."""
        return [
            self.accept_action,
            self.reject_action,
            self.star_action,
            self.tag_action,
            self.note_action,
            self.edit_action,
            self.merge_action,
            self.split_action,
        ]

    def add_to_menu(self, menu: QMenu) -> None:
        """Add the review actions to ``menu`` (the timeline's context menu calls this)."""
        for action in self.event_actions():
            menu.addAction(action)

    # -- loading ------------------------------------------------------------------------

    def on_load(
        self, corpus: Corpus, timeline: Timeline, prepared: PreparedLoad | None
    ) -> tuple[Corpus, Timeline, PreparedLoad | None]:
        """What the window shows of a corpus just loaded: its timeline with the review.

        The load's reader thread has usually read the review and prepared what it shows
        (``prepared.review``); otherwise it is read here. Without a review (no file yet) the
        machine's timeline goes through as it is; otherwise the reviewed timeline, with the
        orphans and any review file set aside among the corpus's problems.
        """
        self.merge_from = None
        read = self.session.load(corpus, timeline, getattr(prepared, "review", None))
        self._fill_views_menu()
        made_for_it = prepared is not None and prepared.corpus is read.corpus
        if made_for_it and prepared.timeline is read.timeline:
            return read.corpus, read.timeline, prepared
        return read.corpus, read.timeline, None

    # -- what the actions act on --------------------------------------------------------

    def selected_key(self) -> str | None:
        """The provenance key of the selected event."""
        event_id = self.state.selected_event
        if event_id is None:
            return None
        events = self.state.events
        if KEY_COLUMN in events.columns:
            row = self.state.event_row(event_id)
            return str(row[KEY_COLUMN]) if row is not None else None
        return self.session.machine_key(event_id)

    def _selected(self) -> tuple[str, dict[str, Any], dict[str, Any] | None] | None:
        key = self.selected_key()
        row = self.state.event_row(self.state.selected_event)
        if key is None or row is None:
            return None
        return key, row, self.session.annotation(EVENT, key)

    def _set_event(self, key: str, row: dict[str, Any], data: dict[str, Any] | None, text: str):
        if data is not None:
            data["label"] = event_label(self._machine_row(row))
        self.session.set(EVENT, key, data, text)

    def _machine_row(self, row: dict[str, Any]) -> dict[str, Any]:
        original = row.get("original") or {}
        return {**row, **original} if isinstance(original, dict) else row

    # -- the actions --------------------------------------------------------------------

    def accept(self) -> None:
        self._set_review(ACCEPTED, "수락")

    def reject(self) -> None:
        self._set_review(REJECTED, "거부")

    def _set_review(self, verdict: str, text: str) -> None:
        found = self._selected()
        if found is None:
            return
        key, row, data = found
        state = "" if (data or {}).get("review") == verdict else verdict
        self._set_event(key, row, updated(data, review=state), f"{text}: {row.get('title')}")

    def star(self) -> None:
        found = self._selected()
        if found is None:
            return
        key, row, data = found
        on = not (data or {}).get("starred")
        self._set_event(key, row, updated(data, starred=on), f"별표: {row.get('title')}")

    def used_tags(self) -> list[str]:
        tags = set()
        for (kind, _key), data in self.session.annotations.items():
            if kind == EVENT:
                tags.update(data.get("tags") or [])
        return sorted(tags)

    def tag(self) -> None:
        found = self._selected()
        if found is None:
            return
        key, row, data = found
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("태그")
        dialog.setLabelText("태그 (쉼표로 구분; 이미 쓴 태그는 자동 완성)")
        dialog.setTextValue(", ".join((data or {}).get("tags") or []))
        line = dialog.findChild(QLineEdit)
        if line is not None:
            completer = QCompleter(self.used_tags(), dialog)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            line.setCompleter(completer)

        def chosen(text: str) -> None:
            tags = []
            for part in text.replace(";", ",").split(","):
                if part.strip() and part.strip() not in tags:
                    tags.append(part.strip())
            self._set_event(key, row, updated(data, tags=tags), f"태그: {row.get('title')}")

        dialog.textValueSelected.connect(chosen)
        self._open(dialog)

    def note(self) -> None:
        found = self._selected()
        if found is None:
            return
        key, row, data = found
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("메모")
        dialog.setLabelText(f"메모: {row.get('title')}")
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        dialog.setTextValue(str((data or {}).get("note") or ""))
        dialog.textValueSelected.connect(
            lambda text: self._set_event(
                key, row, updated(data, note=text.strip()), f"메모: {row.get('title')}"
            )
        )
        self._open(dialog)

    def edit(self) -> None:
        found = self._selected()
        if found is None:
            return
        key, row, data = found
        machine = self._machine_row(row)

        def chosen(edits: dict[str, str]) -> None:
            merged = dict((data or {}).get("edits") or {})
            merged.update(validate_edits(edits))
            # a field set back to the machine's value is no longer an edit
            merged = {k: v for k, v in merged.items() if v != machine.get(k)}
            self._set_event(key, row, updated(data, edits=merged), f"고치기: {row.get('title')}")

        self._open(EventEditDialog("사건 고치기", row, machine, chosen, self.window))

    def edit_event(self, edits: dict[str, str]) -> None:
        """Correct the selected event at once (``ReviewError`` when refused)."""
        found = self._selected()
        if found is None:
            return
        key, row, data = found
        machine = self._machine_row(row)
        merged = dict((data or {}).get("edits") or {})
        merged.update(validate_edits(edits))
        merged = {k: v for k, v in merged.items() if v != machine.get(k)}
        self._set_event(key, row, updated(data, edits=merged), f"고치기: {row.get('title')}")

    def merge(self) -> None:
        """First press marks the selected event; the next, on another, merges it there."""
        key = self.selected_key()
        if key is None:
            return
        if self.merge_from is None or self.merge_from == key:
            self.merge_from = key
            self.window.statusBar().showMessage(
                "병합할 사건을 표시했습니다. 합칠 곳의 사건을 고르고 M을 누르세요.", 8000
            )
            return
        absorbed, self.merge_from = self.merge_from, None
        events = self.state.events
        rows = (
            events[events[KEY_COLUMN] == absorbed] if KEY_COLUMN in events.columns else events[:0]
        )
        label = event_label(rows.iloc[0].to_dict()) if len(rows) else ""
        self.session.set(MERGE, absorbed, {"into": key, "label": label}, "병합")

    def split_choices(self) -> list[tuple[str, str]]:
        """(mention key, shown text) of the selected event's mentions that can be split."""
        event_id = self.state.selected_event
        mentions = self.state.timeline.mentions
        if event_id is None or not len(mentions):
            return []
        own = mentions[(mentions["event_id"] == event_id) & ~mentions["primary"].astype(bool)]
        return [(mention_key(m), f"{m['file']}: {m['sentence']}") for m in own.to_dict("records")]

    def split(self) -> None:
        key = self.selected_key()
        choices = self.split_choices()
        if key is None or not choices:
            self.window.statusBar().showMessage(
                "분리할 언급이 없습니다 (출처가 하나뿐인 사건)", 5000
            )
            return
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("언급 분리")
        dialog.setLabelText("따로 떼어 낼 언급")
        dialog.setComboBoxItems([shown for _, shown in choices])
        dialog.setComboBoxEditable(False)

        def chosen(text: str) -> None:
            mention = next(k for k, shown in choices if shown == text)
            self.split_mention(mention, key, text)

        dialog.textValueSelected.connect(chosen)
        self._open(dialog)

    def split_mention(self, mention: str, event_key: str, label: str = "") -> None:
        self.session.set(SPLIT, mention, {"from": event_key, "label": label}, "언급 분리")

    def add(self) -> None:
        """사건 추가: an event from the sentence under the source viewer's selection."""
        found = self.selection_sentence()
        if found is None:
            self.window.statusBar().showMessage("원문에서 사건 문장의 일부를 먼저 고르세요", 5000)
            return
        article, start, end, chosen = found
        sentence = article.source_text[start:end]
        published = article.published.iso() if article.published else ""
        current = {
            "title": chosen.strip()[:60],
            "date_start": published[:10] if published else "",
            "event_type": "other",
            "camp": "neutral",
        }

        def accepted(fields: dict[str, str]) -> None:
            self.add_event(article.file, start, end, sentence, fields)

        self._open(
            EventEditDialog("사건 추가", current, {}, accepted, self.window, all_fields=True)
        )

    def add_event(self, file: str, start: int, end: int, sentence: str, fields: dict) -> None:
        date = {k: fields[k] for k in ("date_start", "date_end", "precision") if k in fields}
        key, data = added_event(
            file, start, end, sentence, fields.get("title", ""),
            fields.get("event_type", "other"), fields.get("camp", "neutral"), date,
            fields.get("actors", ""),
        )  # fmt: skip
        self.session.set(ADDED, key, data, f"사건 추가: {data.get('title')}")

    def selection_sentence(self) -> tuple[Any, int, int, str] | None:
        """(article, sentence start, end, selected text) of the viewer's selection."""
        viewer = self.window.source_viewer
        article = viewer.article
        cursor = viewer.text_view.textCursor()
        if article is None or not cursor.hasSelection():
            return None
        first = viewer.source_offset(cursor.selectionStart())
        last = viewer.source_offset(max(cursor.selectionEnd() - 1, cursor.selectionStart()))
        for sentence in article.sentences:
            if sentence.start <= first < sentence.end or sentence.start <= last < sentence.end:
                return article, sentence.start, sentence.end, cursor.selectedText()
        return None

    # -- entities -----------------------------------------------------------------------

    def _entity(self) -> str | None:
        return self.state.selected_entity

    def set_entity_camp(self) -> None:
        key = self._entity()
        if key is None:
            return
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("개체 진영")
        dialog.setLabelText(f"{key.lstrip('?')}의 진영 (이 코퍼스에만)")
        dialog.setComboBoxItems(["open", "closed", "neutral"])
        dialog.textValueSelected.connect(lambda camp: self.entity_edit(key, camp=camp))
        self._open(dialog)

    def link_entity(self) -> None:
        key = self._entity()
        if key is None or not key.startswith("?"):
            self.window.statusBar().showMessage("발견한 이름(연결되지 않은 개체)을 고르세요", 5000)
            return
        entities = self.state.timeline.entities
        known = sorted({str(e) for e in entities["entity_id"] if e})
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("알려진 개체에 연결")
        dialog.setLabelText(f"{key[1:]}을(를) 어느 개체로 볼까요? (이 코퍼스에만)")
        dialog.setComboBoxItems(known)
        dialog.textValueSelected.connect(lambda target: self.entity_edit(key, link_to=target))
        self._open(dialog)

    def add_alias(self) -> None:
        key = self._entity()
        if key is None or key.startswith("?"):
            self.window.statusBar().showMessage("별칭을 붙일 알려진 개체를 고르세요", 5000)
            return
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("별칭 추가")
        dialog.setLabelText(f"{key}의 다른 이름 (이 코퍼스에만)")

        def chosen(text: str) -> None:
            aliases = list((self.session.annotation(ENTITY, key) or {}).get("aliases") or [])
            if text.strip() and text.strip() not in aliases:
                self.entity_edit(key, aliases=[*aliases, text.strip()])

        dialog.textValueSelected.connect(chosen)
        self._open(dialog)

    def entity_edit(self, key: str, **changes: Any) -> None:
        data = dict(self.session.annotation(ENTITY, key) or {})
        data.update(changes)
        data["label"] = key.lstrip("?")
        self.session.set(ENTITY, key, data, f"개체: {key.lstrip('?')}")

    # -- saved views --------------------------------------------------------------------

    def save_view(self, name: str | None = None) -> None:
        if name is None:
            dialog = QInputDialog(self.window)
            dialog.setWindowTitle("보기 저장")
            dialog.setLabelText("이 보기(필터, 검색, 보이는 기간)의 이름")
            dialog.textValueSelected.connect(lambda text: text.strip() and self.save_view(text))
            self._open(dialog)
            return
        chosen = self.state.filter
        lo, hi = self.window.timeline_view.x_range()
        data = {
            "camps": sorted(chosen.camps),
            "event_types": sorted(chosen.event_types),
            "entities": sorted(chosen.entities),
            "date_from": chosen.date_from.isoformat() if chosen.date_from else "",
            "date_to": chosen.date_to.isoformat() if chosen.date_to else "",
            "query": chosen.query,
            "only_matches": chosen.only_matches,
            "review": chosen.review,
            "x_range": [lo, hi],
        }
        self.session.set(VIEW, name, data, f"보기 저장: {name}")
        self._fill_views_menu()

    def restore_view(self, name: str) -> None:
        data = self.session.annotation(VIEW, name)
        if data is None:
            return

        def day(text: str) -> dt.date | None:
            return dt.date.fromisoformat(text) if text else None

        self.state.set_filter(
            EventFilter(
                camps=frozenset(data.get("camps") or []),
                event_types=frozenset(data.get("event_types") or []),
                entities=frozenset(data.get("entities") or []),
                date_from=day(data.get("date_from") or ""),
                date_to=day(data.get("date_to") or ""),
                query=str(data.get("query") or ""),
                only_matches=bool(data.get("only_matches")),
                review=str(data.get("review") or ""),
            )
        )
        lo, hi = data.get("x_range") or (None, None)
        if lo is not None and hi is not None and hi > lo:
            self.window.timeline_view.view_box.setXRange(lo, hi, padding=0.0)

    def view_names(self) -> list[str]:
        return sorted(key for kind, key in self.session.annotations if kind == VIEW)

    def _fill_views_menu(self) -> None:
        self.views_menu.clear()
        for name in self.view_names():
            action = self.views_menu.addAction(name)
            action.triggered.connect(lambda _checked=False, n=name: self.restore_view(n))
        self.views_menu.setEnabled(bool(self.view_names()))

    # -- orphans ------------------------------------------------------------------------

    def show_orphans(self) -> None:
        reviewed = self.session.reviewed
        orphans = reviewed.orphans if reviewed is not None else []
        text = "\n".join(f"• {o.label or o.key}" for o in orphans) or "없습니다."
        self.window.show_message(QMessageBox.Icon.Information, "연결이 끊긴 주석", text)

    # -- reactions ----------------------------------------------------------------------

    def _open(self, dialog: Any) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()

    def _show(self, reviewed: Reviewed) -> None:
        """Show the timeline an action (or its undo) made, keeping selection and zoom."""
        view = self.window.timeline_view
        x_range = view.x_range()
        selected = self.state.selected_event
        before = self.state.event_order()
        ids = self.session.patched_ids
        # the first action on a corpus shown without a review brings the review's columns
        if ids is not None and KEY_COLUMN in self.state.events.columns:
            changed = self.state.update_events(reviewed.timeline, ids)
            if changed & {"date_start", "date_end", "precision", "title", "camp", "event_type"}:
                view.set_events(reviewed.timeline.events)  # what the view draws changed
                view.set_visible_ids(self.state.visible_ids_or_none())
                view.set_highlighted_ids(self.state.highlighted_ids)
                view.select_event(selected)
                view.view_box.setXRange(*x_range, padding=0.0)
        else:
            self.state.replace_timeline(reviewed.timeline)
            if len(view.events):
                view.view_box.setXRange(*x_range, padding=0.0)
        # an event the action hid (rejected, or accepted under 미검토만): go to the next one
        if selected is not None and selected not in self.state.visible_ids:
            shown = self.state.visible_ids
            later = before[before.index(selected) + 1 :] if selected in before else []
            following = next((e for e in later if e in shown), None)
            self.state.select_event(following)
        self._update_status()
        self._fill_views_menu()

    def _update_status(self) -> None:
        events = self.state.events
        path = self.session.path
        if self.state.corpus is None or path is None:
            self.status_label.setText("")
            return
        made = "" if path.exists() else " (첫 검토 때 만듦)"
        self.status_label.setText(f"검토 {reviewed_count(events)}/{len(events)} · {path}{made}")
        self.status_label.setToolTip(f"검토 파일: {path}{made}")

    def _update_enabled(self) -> None:
        has = self.state.selected_event is not None
        for action in self.event_actions():
            action.setEnabled(has)

    def _set_review_filter(self, mode: str, on: bool) -> None:
        current = self.state.filter.review
        wanted = mode if on else ("" if current == mode else current)
        if wanted != current:
            self.state.set_filter(dataclasses.replace(self.state.filter, review=wanted))

    def _filters_changed(self, chosen: EventFilter) -> None:
        for action, mode in (
            (self.unreviewed_action, "unreviewed"),
            (self.rejected_action, "rejected"),
        ):
            action.blockSignals(True)
            action.setChecked(chosen.review == mode)
            action.blockSignals(False)

    def _save_failed(self, message: str) -> None:
        self.window.show_message(QMessageBox.Icon.Warning, "검토를 저장하지 못했습니다", message)

    def close(self) -> None:
        self.session.close()


__all__ = ["ReviewController", "ReviewError"]
