"""The analyst's review in the window: keys, dialogs, undo, files, exports (real key presses)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QComboBox, QLineEdit

from core.model import Corpus
from core.review import KEY_COLUMN
from core.review_store import ReviewStore, corpus_review_path
from core.timeline import Timeline
from gui import exports
from gui.main_window import MainWindow


@pytest.fixture()
def corpus_dir(tmp_path: Path, seeds_dir: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(seeds_dir, target)
    return target


@pytest.fixture()
def open_review(qtbot, settings, seeds_corpus, seeds_timeline, corpus_dir):
    """A shown window over a copy of the seeds in tmp_path (the seeds' own analysis, so no
    build runs); ``timeline`` may give another analysis (a rebuild)."""

    def make(timeline: Timeline = seeds_timeline) -> MainWindow:
        window = MainWindow(
            settings=settings,
            build=lambda root, progress, cancelled: Corpus(
                Path(root), seeds_corpus.articles, list(seeds_corpus.problems)
            ),
            analyse=lambda corpus, progress, cancelled: timeline,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        with qtbot.waitSignal(window.state.corpus_loaded, timeout=10_000):
            window.load_corpus(corpus_dir)
        return window

    return make


def focus_table(qtbot, window: MainWindow) -> None:
    window.tables.setCurrentWidget(window.event_table)
    window.event_table.setFocus()
    qtbot.waitUntil(window.event_table.hasFocus)


def press(qtbot, window: MainWindow, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.focusWidget(), key, modifier)


def row(window: MainWindow, event_id: str) -> dict:
    found = window.state.event_row(event_id)
    assert found is not None
    return found


def test_the_review_walk_by_keys(qtbot, open_review, corpus_dir) -> None:
    window = open_review()
    total = len(window.state.events)
    assert window.review.status_label.text().startswith(f"검토 0/{total}")
    assert "첫 검토 때 만듦" in window.review.status_label.text()
    assert not corpus_review_path(corpus_dir).exists()
    focus_table(qtbot, window)

    press(qtbot, window, Qt.Key.Key_J)
    first = window.state.selected_event
    press(qtbot, window, Qt.Key.Key_A)
    assert row(window, first)["review"] == "accepted"
    assert window.review.status_label.text().startswith(f"검토 1/{total}")
    assert str(corpus_review_path(corpus_dir)) in window.review.status_label.text()
    assert corpus_review_path(corpus_dir).exists()

    press(qtbot, window, Qt.Key.Key_J)
    second = window.state.selected_event
    assert second != first
    press(qtbot, window, Qt.Key.Key_S)
    assert row(window, second)["starred"]
    cell = window.event_table.model().index(window.event_table.view_row_of(second), 7)
    assert "★" in cell.data()
    press(qtbot, window, Qt.Key.Key_X)
    # rejected: hidden by default, and the walk moves on to the next event
    assert row(window, second)["review"] == "rejected"
    assert second not in window.state.visible_ids
    assert second not in window.event_table.shown_ids()
    third = window.state.selected_event
    assert third not in (None, first, second)
    assert window.review.status_label.text().startswith(f"검토 2/{total}")

    # 미검토만: the accepted and rejected events are not in the queue
    window.review.unreviewed_action.trigger()
    assert window.state.filter.review == "unreviewed"
    assert not {first, second} & window.state.visible_ids
    assert len(window.state.visible_ids) == total - 2
    # 거부됨: only the rejected one
    window.review.rejected_action.trigger()
    assert window.state.visible_ids == {second}
    assert not window.review.unreviewed_action.isChecked()
    window.review.rejected_action.trigger()
    assert len(window.state.visible_ids) == total - 1

    # T and N open their dialogs; what is typed is kept
    window.state.select_event(third)
    focus_table(qtbot, window)
    press(qtbot, window, Qt.Key.Key_T)
    dialog = window.review.dialog
    dialog.setTextValue("중요, 재확인")
    dialog.accept()
    assert row(window, third)["tags"] == "중요;재확인"
    focus_table(qtbot, window)
    press(qtbot, window, Qt.Key.Key_N)
    window.review.dialog.setTextValue("첫 줄\n둘째 줄")
    window.review.dialog.accept()
    assert row(window, third)["note"] == "첫 줄\n둘째 줄"
    # the tag dialog completes from the tags already used
    focus_table(qtbot, window)
    press(qtbot, window, Qt.Key.Key_T)
    completer = window.review.dialog.findChild(QLineEdit).completer()
    assert completer.model().stringList() == ["재확인", "중요"]
    window.review.dialog.reject()


def test_edit_undo_and_redo(qtbot, open_review, seeds_timeline) -> None:
    window = open_review()
    focus_table(qtbot, window)
    press(qtbot, window, Qt.Key.Key_J)
    event_id = window.state.selected_event
    machine = seeds_timeline.events.set_index("event_id").loc[event_id]
    new_camp = "crossover" if machine["camp"] != "crossover" else "open"

    press(qtbot, window, Qt.Key.Key_E)
    dialog = window.review.dialog
    # an end before its start is refused, with the reason, and the dialog stays open
    dialog.edits["date_start"].setText("2024-08-07")
    dialog.edits["date_end"].setText("2024-08-01")
    dialog.accept()
    assert dialog.isVisible() and "앞섭니다" in dialog.reason.text()
    assert row(window, event_id).get("edited", "") == ""
    dialog.edits["date_end"].setText(str(machine["date_end"]))  # left as it was
    dialog.edits["date_start"].setText("2024-08")
    camp_box: QComboBox = dialog.edits["camp"]
    camp_box.setCurrentIndex(camp_box.findData(new_camp))
    dialog.edits["title"].setText("분석가가 고친 제목")
    dialog.accept()
    edited = row(window, event_id)
    assert (edited["camp"], edited["title"], edited["date_start"], edited["date_end"]) == (
        new_camp, "분석가가 고친 제목", "2024-08-01", "2024-08-31",
    )  # fmt: skip
    # the table marks the corrected cells; the tooltip gives the machine's value
    model = window.event_table.model()
    view_row = window.event_table.view_row_of(event_id)
    camp_cell = model.index(view_row, 4)
    assert camp_cell.data(Qt.ItemDataRole.FontRole).italic()
    assert f"camp={machine['camp']}" in camp_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert not model.index(view_row, 6).data(Qt.ItemDataRole.FontRole)  # sources untouched

    focus_table(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = row(window, event_id)
    for name in ("camp", "title", "date_start", "date_end", "precision"):
        assert restored[name] == machine[name]
    assert restored["edited"] == ""
    press(
        qtbot, window, Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )  # fmt: skip
    assert row(window, event_id)["camp"] == new_camp
    assert window.state.selected_event == event_id


def test_merge_and_split(qtbot, open_review, seeds_timeline) -> None:
    window = open_review()
    total = len(window.state.events)
    events = seeds_timeline.events
    a, b = events["event_id"][0], events["event_id"][1]
    focus_table(qtbot, window)
    window.state.select_event(a)
    press(qtbot, window, Qt.Key.Key_M)
    window.state.select_event(b)
    press(qtbot, window, Qt.Key.Key_M)
    assert len(window.state.events) == total - 1
    assert a not in set(window.state.events["event_id"])
    merged = row(window, b)
    assert merged["mention_count"] == events["mention_count"][0] + events["mention_count"][1]
    assert set(events["sources"][0].split(";")) <= set(merged["sources"].split(";"))

    # split the mention back out of the merged event
    window.state.select_event(b)
    choices = window.review.split_choices()
    assert len(choices) >= 1
    window.review.split_action.trigger()
    window.review.dialog.setTextValue(choices[0][1])
    window.review.dialog.accept()
    assert len(window.state.events) == total
    assert row(window, b)["mention_count"] == merged["mention_count"] - 1

    # undoing both restores the machine's events exactly
    window.review.undo_action.trigger()
    window.review.undo_action.trigger()
    shown = window.state.events[list(events.columns)].reset_index(drop=True)
    pd.testing.assert_frame_equal(shown, events.reset_index(drop=True), check_dtype=False)


def test_adding_an_event_from_a_selection_in_the_source(qtbot, open_review, seeds_corpus) -> None:
    window = open_review()
    total = len(window.state.events)
    article = seeds_corpus.articles[2]
    sentence = article.sentences[4]
    window.state.select_article(article.file)
    viewer = window.source_viewer
    viewer.set_source_mode(True)
    start, end = viewer.document_span(sentence.start + 2, sentence.start + 8)
    cursor = viewer.text_view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    viewer.text_view.setTextCursor(cursor)
    viewer.text_view.setFocus()
    qtbot.waitUntil(viewer.text_view.hasFocus)
    press(
        qtbot, window, Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )  # fmt: skip
    dialog = window.review.dialog
    dialog.edits["title"].setText("손으로 넣은 사건")
    dialog.edits["date_start"].setText("2024-04")
    dialog.accept()
    assert dialog.reason.text() == ""
    events = window.state.events
    assert len(events) == total + 1
    added = events[events["title"] == "손으로 넣은 사건"].iloc[0]
    assert (added["sources"], added["char_start"], added["char_end"]) == (
        article.file, sentence.start, sentence.end,
    )  # fmt: skip
    assert added["sentence"] == article.source_text[sentence.start : sentence.end]
    assert added["date_end"] == "2024-04-30"


def test_the_review_survives_closing_and_reopening(qtbot, open_review) -> None:
    window = open_review()
    focus_table(qtbot, window)
    press(qtbot, window, Qt.Key.Key_J)
    starred = window.state.selected_event
    press(qtbot, window, Qt.Key.Key_S)
    press(qtbot, window, Qt.Key.Key_J)
    accepted = window.state.selected_event
    press(qtbot, window, Qt.Key.Key_A)
    window.review.save_view("내 보기")
    window.close()

    again = open_review()
    assert row(again, starred)["starred"]
    assert row(again, accepted)["review"] == "accepted"
    assert again.review.status_label.text().startswith("검토 1/")
    assert again.review.view_names() == ["내 보기"]
    assert [a.text() for a in again.review.views_menu.actions()] == ["내 보기"]


def test_saved_views_restore_the_filter_search_and_range(qtbot, open_review) -> None:
    window = open_review()
    window.filter_bar.camp_buttons["open"].setChecked(False)
    window.filter_bar.set_query("메타")
    window.timeline_view.view_box.setXRange(1.6e9, 1.7e9, padding=0.0)
    chosen = window.state.filter
    window.review.save_view("메타 보기")
    window.filter_bar.camp_buttons["open"].setChecked(True)
    window.filter_bar.set_query("")
    window.timeline_view.fit()
    (action,) = window.review.views_menu.actions()
    action.trigger()
    assert window.state.filter == chosen
    lo, hi = window.timeline_view.x_range()
    assert abs(lo - 1.6e9) < 1e3 and abs(hi - 1.7e9) < 1e3


def test_after_a_rebuild_annotations_reattach_or_are_listed_as_orphans(
    qtbot, open_review, seeds_timeline, corpus_dir
) -> None:
    window = open_review()
    events = seeds_timeline.events
    gone, kept = events["event_id"][0], events["event_id"][1]
    focus_table(qtbot, window)
    for event_id in (gone, kept):
        window.state.select_event(event_id)
        press(qtbot, window, Qt.Key.Key_S)
    gone_title = events["title"][0]
    window.close()

    # the rebuild no longer finds the first event (its article was edited)
    rebuilt = Timeline(
        events=events.iloc[1:].reset_index(drop=True),
        mentions=seeds_timeline.mentions[seeds_timeline.mentions["event_id"] != gone],
        articles=seeds_timeline.articles,
        entities=seeds_timeline.entities,
    )
    again = open_review(rebuilt)
    assert row(again, kept)["starred"]
    orphans = [p for p in again.state.corpus.all_problems() if "연결이 끊긴" in p.reason]
    assert len(orphans) == 1 and gone_title in orphans[0].reason
    assert again.problems_panel.model.rowCount() >= 1
    # and it is still in the file, so it attaches again when its event comes back
    assert len(ReviewStore(corpus_review_path(corpus_dir)).read()) == 2


def test_a_damaged_review_file_is_set_aside_and_reported(qtbot, open_review, corpus_dir) -> None:
    path = corpus_review_path(corpus_dir)
    path.parent.mkdir()
    path.write_bytes(b"garbage" * 100)
    window = open_review()
    reported = [p for p in window.state.corpus.all_problems() if "set aside" in p.reason]
    assert len(reported) == 1
    assert any(".set-aside-" in p.name for p in path.parent.iterdir())
    focus_table(qtbot, window)
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_S)
    assert len(ReviewStore(path).read()) == 1


def test_exports_leave_rejected_events_out_or_write_what_is_shown(
    qtbot, open_review, tmp_path, monkeypatch
) -> None:
    window = open_review()
    total = len(window.state.events)
    focus_table(qtbot, window)
    press(qtbot, window, Qt.Key.Key_J)
    rejected = window.state.selected_event
    press(qtbot, window, Qt.Key.Key_X)
    target = tmp_path / "out.csv"
    monkeypatch.setattr(
        exports.QFileDialog, "getSaveFileName", lambda *args: (str(target), "CSV (*.csv)")
    )
    window.exporter.csv_action.trigger()
    frame = pd.read_csv(target, encoding="utf-8-sig", keep_default_na=False)
    assert len(frame) == total - 1 and rejected not in set(frame["event_id"])
    assert set(frame["review"]) == {"unreviewed"}
    # the events now shown: with 거부됨 on, only the rejected one
    window.review.rejected_action.trigger()
    window.exporter.shown_only_action.setChecked(True)
    window.exporter.csv_action.trigger()
    frame = pd.read_csv(target, encoding="utf-8-sig", keep_default_na=False)
    assert list(frame["event_id"]) == [rejected] and list(frame["review"]) == ["rejected"]
    assert KEY_COLUMN not in frame.columns


def test_entity_edits_belong_to_this_corpus_review(qtbot, open_review, corpus_dir) -> None:
    import os

    window = open_review()
    events = window.state.events
    sole = events[events["actors"] == "Google"]
    assert len(sole) and set(sole["camp"]) == {"closed"}
    window.entity_dock.raise_()
    window.entity_panel.select("Google")
    assert window.state.selected_entity == "Google"
    window.review.entity_camp_action.trigger()
    window.review.dialog.setTextValue("open")
    window.review.dialog.accept()
    entities = window.state.timeline.entities
    assert entities.set_index("entity_id").loc["Google", "camp"] == "open"
    for event_id in sole["event_id"]:
        assert row(window, event_id)["camp"] == "open"
        assert row(window, event_id)["edited"] == "camp"

    # a discovered name linked to a known entity: its events now involve that entity
    unlinked = entities[~entities["linked"].astype(bool)]
    meta_before = window.state.entity_event_ids("Meta")

    def holding(name: str) -> set[str]:
        sentences = zip(events["event_id"], events["sentence"], strict=True)
        return {e for e, s in sentences if name in s} - meta_before

    name = next(str(n) for n in unlinked["name"] if holding(str(n)))
    named = holding(name)
    window.entity_panel.select(f"?{name}")
    window.review.entity_link_action.trigger()
    window.review.dialog.setTextValue("Meta")
    window.review.dialog.accept()
    assert named <= window.state.entity_event_ids("Meta")

    # kept in the corpus's review, never in the user's tables (part of every cache key)
    assert len(ReviewStore(corpus_review_path(corpus_dir)).read()) == 2
    assert os.listdir(os.environ["CAMP_TIMELINE_RESOURCES"]) == []
    window.review.undo_action.trigger()
    window.review.undo_action.trigger()
    assert window.state.timeline.entities.set_index("entity_id").loc["Google", "camp"] == "closed"


def test_a_read_only_corpus_keeps_its_review_in_the_data_folder_and_says_where(
    qtbot, open_review, corpus_dir, tmp_path, monkeypatch
) -> None:
    import os

    data = tmp_path / "data"
    monkeypatch.setenv("CAMP_TIMELINE_DATA_DIR", str(data))
    real_access = os.access
    # the tests run as root, who may write anywhere: the corpus answers as read-only
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == corpus_dir else real_access(p, mode)
    )
    window = open_review()
    assert str(data) in window.review.status_label.text()
    focus_table(qtbot, window)
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_S)
    assert not (corpus_dir / ".camp-timeline").exists()
    (made,) = (data / "reviews").glob("*.sqlite")
    assert len(ReviewStore(made).read()) == 1
    assert str(made) in window.review.status_label.text()


def test_the_real_load_reads_the_review_off_the_gui_thread(
    qtbot, settings, corpus_dir, seeds_timeline
) -> None:
    from core.review import event_keys
    from gui.event_table import EVENT_TABLE_VIEW

    key = event_keys(seeds_timeline)[3]
    store = ReviewStore(corpus_review_path(corpus_dir))
    store.put("event", key, {"starred": True, "review": "accepted"})
    store.put("event", "gone.txt|0|9|release|", {"note": "x", "label": "없어진 사건"})
    store.close()
    window = MainWindow(settings=settings)  # the real pipeline, in a child process
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.state.corpus_loaded, timeout=180_000):
        window.load_corpus(corpus_dir)
    event_id = seeds_timeline.events["event_id"][3]
    assert row(window, event_id)["starred"] and row(window, event_id)["review"] == "accepted"
    assert any("없어진 사건" in p.reason for p in window.state.corpus.all_problems())
    # what the reader thread prepared is what is shown (nothing made again on the GUI thread)
    assert window.state.prepared_view(EVENT_TABLE_VIEW, window.state.timeline) is not None
    assert window.review.status_label.text().startswith(f"검토 1/{len(seeds_timeline.events)}")


def test_the_timeline_context_menu_reviews_the_event_under_the_pointer(
    qtbot, open_review
) -> None:
    window = open_review()
    event_id = str(window.state.events["event_id"].iloc[-1])
    menu = window.timeline_view.make_context_menu(event_id)
    texts = [action.text() for action in menu.actions()]
    assert window.review.accept_action.text() in texts
    assert window.review.star_action.text() in texts
    assert window.state.selected_event == event_id  # the menu acts on this event
    window.review.accept_action.trigger()
    assert row(window, event_id)["review"] == "accepted"
    # no event under the pointer: nothing to review
    empty = window.timeline_view.make_context_menu("")
    assert window.review.accept_action.text() not in [a.text() for a in empty.actions()]
