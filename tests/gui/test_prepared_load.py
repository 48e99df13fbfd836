"""Showing a loaded corpus: what the reader thread prepares is what the window shows.

A load's result carries ``prepare_load``'s rows, order, search index and the widgets'
frames, made off the GUI thread; the window must show exactly what it would have derived
itself, use what was prepared rather than make it again, and ignore what was prepared
for another corpus.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from core.child_build import result_pieces
from core.search import EventFilter
from gui.article_table import ARTICLE_TABLE_VIEW, articles_frame
from gui.entity_panel import ENTITY_PANEL_VIEW
from gui.event_table import EVENT_TABLE_VIEW
from gui.frame_model import SIZE_SAMPLE_ROWS, FrameModel
from gui.load_job import _WindowAssembler
from gui.source_marks import Mark, article_marks
from gui.source_viewer import FIRST_MARKS_VIEW
from gui.state import AppState, prepare_load


def _assembled(corpus, timeline):
    assembler = _WindowAssembler()
    for piece in result_pieces(corpus, timeline):
        assembler.add(piece)
    return assembler.finish()


def test_the_assembled_load_carries_what_the_window_derives(qtbot, seeds_corpus, seeds_timeline):
    corpus, timeline, prepared = _assembled(seeds_corpus, seeds_timeline)
    plain, ready = AppState(), AppState()
    plain.set_corpus(corpus, timeline)
    ready.set_corpus(corpus, timeline, prepared)

    assert prepared.corpus is corpus and prepared.timeline is timeline
    assert ready.event_order() == plain.event_order() and len(ready.event_order()) == 26
    for event_id in plain.event_order():
        assert ready.event_row(event_id) == plain.event_row(event_id)
    for state in (plain, ready):
        state.set_filter(EventFilter(query="메타가"))  # a particle: the lexicon's search
    assert ready.matched_ids == plain.matched_ids and ready.matched_ids
    assert ready.article_by_file(corpus.articles[0].file) is corpus.articles[0]
    sentences = sum(len(a.sentences) for a in seeds_corpus.articles)
    assert (
        ready.corpus_counts()
        == plain.corpus_counts()
        == (
            sentences,
            len(seeds_corpus.all_problems()),
        )
    )
    assert sentences > 0
    # the widgets' frames were made too, and are handed to them for this timeline only
    assert ready.prepared_view(EVENT_TABLE_VIEW, timeline) is prepared.views[EVENT_TABLE_VIEW]
    assert ready.prepared_view(ENTITY_PANEL_VIEW, timeline) is not None
    assert ready.prepared_view(EVENT_TABLE_VIEW, seeds_timeline) is None
    assert plain.prepared_view(EVENT_TABLE_VIEW, timeline) is None  # nothing prepared
    # the articles frame is made from the corpus, and handed over for that corpus only
    articles = ready.prepared_view(ARTICLE_TABLE_VIEW, corpus)
    assert articles is prepared.views[ARTICLE_TABLE_VIEW]
    pd.testing.assert_frame_equal(articles, articles_frame(corpus))
    assert ready.prepared_view(ARTICLE_TABLE_VIEW, seeds_corpus) is None
    assert plain.prepared_view(ARTICLE_TABLE_VIEW, corpus) is None


def test_the_window_shows_the_prepared_frames(open_seeds, seeds_corpus, seeds_timeline):
    window = open_seeds()
    prepared = prepare_load(seeds_corpus, seeds_timeline)
    # marked copies: if the widgets made their own frames, the marks would not show
    table = prepared.views[EVENT_TABLE_VIEW].copy()
    table["title"] = [f"준비됨 {t}" for t in table["title"]]
    panel = prepared.views[ENTITY_PANEL_VIEW].copy()
    panel["label"] = [f"준비됨 {t}" for t in panel["label"]]
    articles = prepared.views[ARTICLE_TABLE_VIEW].copy()
    articles["title"] = [f"준비됨 {t}" for t in articles["title"]]
    prepared.views[EVENT_TABLE_VIEW] = table
    prepared.views[ENTITY_PANEL_VIEW] = panel
    prepared.views[ARTICLE_TABLE_VIEW] = articles

    window.state.set_corpus(seeds_corpus, seeds_timeline, prepared)

    model = window.event_table.event_model
    titles = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert len(titles) == 26 and all(t.startswith("준비됨 ") for t in titles)
    labels = window.entity_panel.model.frame["label"].tolist()
    assert labels and all(label.startswith("준비됨 ") for label in labels)
    shown = window.article_table.article_model.shown("title")
    assert len(shown) == len(seeds_corpus.articles) and all(t.startswith("준비됨 ") for t in shown)


def test_the_viewer_shows_the_first_article_with_the_prepared_marks(
    open_seeds, seeds_corpus, seeds_timeline
):
    window = open_seeds()
    first = seeds_corpus.articles[0]
    prepared = prepare_load(seeds_corpus, seeds_timeline)
    assert prepared.views[FIRST_MARKS_VIEW] == {first.file: article_marks(first)}
    assert article_marks(first)  # the seed has marks: the comparison means something
    # a marked stand-in: if the viewer computed the marks itself, it would not show
    stand_in = [Mark(0, 2, "entity", "준비됨", "개체: 준비됨")]
    prepared.views[FIRST_MARKS_VIEW] = {first.file: stand_in}

    window.state.set_corpus(seeds_corpus, seeds_timeline, prepared)

    assert window.state.selected_article is first
    assert window.source_viewer.marks(first) is stand_in
    second = seeds_corpus.articles[1]
    assert window.source_viewer.marks(second) == article_marks(second)  # made when needed
    window.state.set_corpus(seeds_corpus, seeds_timeline)  # nothing prepared: made here
    assert window.source_viewer.marks(first) == article_marks(first)


def test_a_load_prepared_for_other_objects_is_not_used(qtbot, seeds_corpus, seeds_timeline):
    prepared = prepare_load(seeds_corpus, seeds_timeline)
    state = AppState()
    state.set_corpus(seeds_corpus, None, prepared)  # a corpus without analysis: no events
    assert state.event_order() == []
    assert state.prepared_view(EVENT_TABLE_VIEW, seeds_timeline) is None

    fewer = replace(seeds_corpus, articles=seeds_corpus.articles[:1])  # another corpus
    state.set_corpus(fewer, seeds_timeline, prepared)
    assert state.article_by_file(seeds_corpus.articles[1].file) is None
    assert len(state.event_order()) == 26  # its own timeline's events, derived here
    assert state.prepared_view(EVENT_TABLE_VIEW, seeds_timeline) is None
    assert state.prepared_view(ARTICLE_TABLE_VIEW, fewer) is None


def test_the_article_table_ignores_a_frame_prepared_for_another_corpus(
    open_seeds, seeds_corpus, seeds_timeline
):
    window = open_seeds()
    fewer = replace(seeds_corpus, articles=seeds_corpus.articles[:1])
    prepared = prepare_load(seeds_corpus, seeds_timeline)
    window.state.set_corpus(fewer, seeds_timeline, prepared)  # made for another corpus
    model = window.article_table.article_model
    assert model.shown("file") == [fewer.articles[0].file]


def test_frame_model_cells_follow_a_new_frame():
    model = FrameModel([("name", "이름"), ("count", "수")], key="name")
    model.set_frame(pd.DataFrame({"name": ["가", "나"], "count": [3, None]}))
    assert model.shown("count") == ["3.0", ""]
    assert model.row_of("나") == 1
    model.set_frame(pd.DataFrame({"name": ["다"], "count": [7]}))
    assert model.shown("name") == ["다"] and model.index(0, 1).data() == "7"
    assert model.row_of("나") == -1 and model.row_of("다") == 0
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )


@pytest.mark.parametrize("table", ["event_table", "article_table"])
def test_tables_size_columns_from_a_sample_of_rows(open_seeds, table):
    header = getattr(open_seeds(), table).horizontalHeader()
    assert header.resizeContentsPrecision() == SIZE_SAMPLE_ROWS
