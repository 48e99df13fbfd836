"""Linked selection on the seeds: timeline, event table, entity panel and source viewer agree.

The seeds' timeline is built once for the module through the real pipeline; each test opens
a window whose load job hands it over (the job still runs on the worker, as in the app).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from gui.main_window import MainWindow
from gui.source_viewer import document_positions


@pytest.fixture()
def window(open_seeds) -> MainWindow:
    return open_seeds()


def _selected_text(window: MainWindow) -> str:
    (selection,) = window.source_viewer.text_view.extraSelections()
    return selection.cursor.selectedText().replace("\u2029", "\n")


def _expected_clean_span(article, start: int, end: int) -> tuple[int, int]:
    """Document span of a source span in the clean text, computed from the model alone."""
    offsets = article.clean.offsets
    positions = document_positions(article.clean.text)
    return positions[bisect_left(offsets, start)], positions[bisect_left(offsets, end)]


def _dated_event_with_one_sentence(events):
    """An event shown on the timeline whose sentence carries no removed fragment."""
    for row in events.to_dict("records"):
        if row["date_start"] and "\n" not in row["sentence"]:
            return row
    raise AssertionError("the seeds have dated events")


def test_selecting_a_table_row_highlights_the_sentence_and_the_timeline_event(
    window, seeds_corpus, seeds_timeline
):
    row = _dated_event_with_one_sentence(seeds_timeline.events.iloc[3:])
    view_row = window.event_table.view_row_of(row["event_id"])
    window.event_table.select_row(view_row)

    state = window.state
    primary = row["sources"].split(";")[0]
    assert state.selected_event == row["event_id"]
    assert state.selected_article.file == primary
    assert window.timeline_view.selected_id == row["event_id"]
    article = state.selected_article
    span = window.source_viewer.selected_span()
    assert span == _expected_clean_span(article, row["char_start"], row["char_end"])
    clean = article.clean
    first = bisect_left(clean.offsets, row["char_start"])
    last = bisect_left(clean.offsets, row["char_end"])
    assert _selected_text(window) == clean.text[first:last]
    assert row["sentence"].startswith(clean.text[first:last][:10])
    # the sentence is scrolled into view: the caret sits at its start
    assert window.source_viewer.text_view.textCursor().position() == span[0]

    # in source mode the selection is exactly the contract's char_start..char_end
    window.source_viewer.set_source_mode(True)
    positions = document_positions(article.source_text)
    assert window.source_viewer.selected_span() == (
        positions[row["char_start"]],
        positions[row["char_end"]],
    )
    assert _selected_text(window) == row["sentence"]


def test_a_timeline_click_selects_the_table_row_and_shows_the_source(window, seeds_timeline):
    events = seeds_timeline.events
    target = events.iloc[-1]
    other = events.iloc[0]
    window.event_table.select_row(window.event_table.view_row_of(other["event_id"]))

    window.timeline_view.event_clicked.emit(target["event_id"])

    assert window.state.selected_event == target["event_id"]
    table = window.event_table
    assert table.event_at(table.currentIndex().row()) == target["event_id"]
    assert window.state.selected_article.file == target["sources"].split(";")[0]
    assert window.timeline_view.selected_id == target["event_id"]
    assert window.source_viewer.selected_span() is not None
    assert target["sentence"][:8] in _selected_text(window)


def test_clicking_another_event_sentence_in_the_viewer_selects_its_event(
    window, qtbot, seeds_timeline
):
    mentions = seeds_timeline.mentions
    per_file = mentions.groupby("file")["event_id"].nunique()
    file = per_file[per_file >= 2].index[0]
    in_file = mentions[mentions["file"] == file].drop_duplicates("event_id")
    first, second = in_file.iloc[0], in_file.iloc[1]
    window.state.select_event(first["event_id"])
    window.source_viewer.set_source_mode(True)
    assert window.source_viewer.selected_span() is not None

    viewer = window.source_viewer
    positions = document_positions(viewer.article.source_text)
    inside = positions[(second["char_start"] + second["char_end"]) // 2]
    cursor = QTextCursor(viewer.text_view.document())
    cursor.setPosition(inside)
    viewer.text_view.setTextCursor(cursor)
    viewer.text_view.ensureCursorVisible()
    point = viewer.text_view.cursorRect(cursor).center()
    qtbot.mouseClick(viewer.text_view.viewport(), Qt.MouseButton.LeftButton, pos=point)

    assert window.state.selected_event == second["event_id"]
    assert _selected_text(window) == second["sentence"]
    assert window.timeline_view.selected_id == second["event_id"]
    # text outside every event sentence selects nothing new
    assert viewer.event_at(0) is None


def test_checking_an_entity_filters_the_table_and_the_timeline(window, seeds_timeline):
    events = seeds_timeline.events
    involved = {
        e
        for e, ents, actors in zip(events["event_id"], events["entities"], events["actors"])
        if "Meta" in ents.split(";") or "Meta" in actors.split(";")
    }
    assert 0 < len(involved) < len(events)

    window.entity_panel.set_checked("Meta", True)

    assert window.state.filter.entities == {"Meta"}
    assert set(window.event_table.shown_ids()) == involved
    dated = {e for e in involved if events.set_index("event_id").at[e, "date_start"]}
    assert window.timeline_view.drawn_ids() == dated
    assert "1개로 거르는 중" in window.entity_panel.summary.text()

    window.entity_panel.clear_button.click()
    assert len(window.event_table.shown_ids()) == len(events)
    assert len(window.timeline_view.drawn_ids()) == sum(1 for s in events["date_start"] if s)


def test_selecting_an_entity_highlights_its_events(window, seeds_timeline):
    window.entity_panel.select("Google")
    events = seeds_timeline.events
    expected = {
        e
        for e, ents, actors in zip(events["event_id"], events["entities"], events["actors"])
        if "Google" in ents.split(";") or "Google" in actors.split(";")
    }
    assert expected
    assert window.state.highlighted_ids == expected
    model = window.event_table.event_model
    bold = {
        model.frame.at[r, "event_id"]
        for r in range(model.rowCount())
        if (font := model.data(model.index(r, 2), Qt.ItemDataRole.FontRole)) is not None
        and font.bold()
    }
    assert bold == expected
    assert window.timeline_view._highlighted == expected  # what the view outlines


@pytest.mark.parametrize("query", ["메타가", "메타는", "Meta"])
def test_search_with_a_particle_or_alias_finds_the_entity(window, query, seeds_timeline):
    window.filter_bar.set_query(query)

    matched = window.state.matched_ids
    events = seeds_timeline.events.set_index("event_id")
    assert matched
    for event_id in matched:
        row = events.loc[event_id]
        assert "Meta" in row["entities"].split(";") + row["actors"].split(";") or "메타" in (
            row["sentence"] + row["title"]
        )
    assert window.state.highlighted_ids == matched
    assert "일치 " in window.filter_bar.count_label.text()
    # matches are highlighted, not filtered, until 일치만 is ticked
    assert len(window.event_table.shown_ids()) == len(events)
    window.filter_bar.only_matches.setChecked(True)
    assert set(window.event_table.shown_ids()) == matched


def _date_order(events) -> list[str]:
    rows = events.to_dict("records")
    rows.sort(key=lambda r: (r["date_start"] == "", r["date_start"], r["date_end"]))
    return [r["event_id"] for r in rows]


def test_keyboard_walks_the_events_in_date_order(window, qtbot, seeds_timeline):
    expected = _date_order(seeds_timeline.events)
    window.activateWindow()
    # (focusing the table would make its first row current, which selects that event)
    window.timeline_view.setFocus()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5_000)

    seen = []
    for _ in expected:
        qtbot.keyClick(window.timeline_view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
        seen.append(window.state.selected_event)
    assert seen == expected
    # at the end it stays; K (previous) walks back
    qtbot.keyClick(window.timeline_view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.state.selected_event == expected[-1]
    qtbot.keyClick(window.timeline_view, Qt.Key.Key_K)
    assert window.state.selected_event == expected[-2]
    window.previous_action.trigger()
    assert window.state.selected_event == expected[-3]
    # a date-sorted table shows the same order
    assert window.event_table.shown_ids() == expected


def test_navigation_skips_events_the_filters_hide(window, seeds_timeline):
    window.filter_bar.camp_buttons["closed"].setChecked(False)
    events = seeds_timeline.events
    expected = [
        e for e in _date_order(events) if events.set_index("event_id").at[e, "camp"] != "closed"
    ]

    seen = [window.state.step_event(1) for _ in expected]

    assert seen == expected
    assert "closed" not in set(events.set_index("event_id").loc[seen, "camp"])


def test_selecting_an_entity_marks_its_mentions_in_the_viewer(window, seeds_corpus):
    article = seeds_corpus.articles[0]
    window.state.select_article(article.file)
    viewer = window.source_viewer
    viewer.set_source_mode(True)

    window.entity_panel.select("Google")

    selections = viewer.text_view.extraSelections()
    assert {s.cursor.selectedText() for s in selections} == {"구글"}
    positions = document_positions(article.source_text)
    found = sorted((s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in selections)
    expected = sorted(
        (positions[m.start], positions[m.end])
        for m in viewer.marks(article)
        if m.kind == "entity" and m.key == "Google"
    )
    assert found == expected and len(expected) >= 2
    window.entity_panel.select(None)
    assert viewer.text_view.extraSelections() == []


def test_enter_in_the_search_box_walks_the_matches_in_date_order(window, qtbot, seeds_timeline):
    box = window.filter_bar.search_box
    # typed where a user types: the box has the focus (after a load the timeline has it)
    window.activateWindow()
    window.filter_bar.focus_search()
    qtbot.waitUntil(box.hasFocus)
    box.setText("구글의")
    order = [e for e in _date_order(seeds_timeline.events)]

    seen = []
    for _ in range(8):
        qtbot.keyClick(box, Qt.Key.Key_Return)
        seen.append(window.state.selected_event)

    matched = window.state.matched_ids
    expected = [e for e in order if e in matched]
    assert len(expected) >= 3
    walk = (expected * 3)[: len(seen)]  # wraps around after the last match
    assert seen == walk
    assert window.event_table.event_at(window.event_table.currentIndex().row()) == seen[-1]


def test_a_search_step_from_an_unmatched_event_goes_to_the_next_match_after_it(
    window, seeds_timeline
):
    state = window.state
    state.set_filter(replace(state.filter, query="구글의"))
    order = _date_order(seeds_timeline.events)
    matched = state.matched_ids
    positions = [k for k, e in enumerate(order) if e in matched]
    assert len(positions) >= 2
    # an unmatched event after the first match and before the last one
    gaps = [k for k in range(positions[0] + 1, positions[-1]) if order[k] not in matched]
    assert gaps, "the seeds have no unmatched event between two matches"
    start = order[gaps[0]]
    expected_next = order[next(p for p in positions if p > gaps[0])]
    assert expected_next != order[positions[0]]  # not the wrap-around answer
    state.select_event(start)
    assert state.step_match(1) == expected_next
    state.select_event(start)
    assert state.step_match(-1) == order[positions[-1]]  # backwards: the last match
