"""The article table's columns fit their contents once a corpus, when the table is seen."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from gui.article_table import ARTICLE_COLUMNS
from gui.frame_model import KEY_ROLE, SORT_ROLE


def _fitted_width(table, column: int) -> int:
    """What ``resizeColumnToContents`` gives: the widest sampled cell or the column's name."""
    return max(table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column))


def test_columns_fit_their_contents_when_the_articles_tab_is_shown(
    open_seeds, qtbot, seeds_corpus, seeds_timeline
):
    window = open_seeds()  # the events tab is current: the article table is hidden
    table = window.article_table
    assert not table.isVisible()
    window.tables.setCurrentWidget(table)
    qtbot.waitUntil(table.isVisible)
    header = table.horizontalHeader()
    for column in range(1, len(ARTICLE_COLUMNS)):
        assert header.sectionSize(column) == _fitted_width(table, column) > 0

    # the user may still widen a column by hand; a new corpus fits it again at once
    # when the table is in view
    header.resizeSection(1, header.sectionSize(1) + 123)
    widened = header.sectionSize(1)
    fewer = replace(seeds_corpus, articles=seeds_corpus.articles[:1])
    window.state.set_corpus(fewer, seeds_timeline)
    assert table.article_model.rowCount() == 1
    assert header.sectionSize(1) == _fitted_width(table, 1) != widened


def test_a_corpus_shown_while_the_table_is_hidden_is_fitted_when_it_is_seen(
    open_seeds, qtbot, seeds_corpus, seeds_timeline
):
    window = open_seeds()
    table = window.article_table
    header = table.horizontalHeader()
    header.resizeSection(2, 333)  # a width no content gives
    window.state.set_corpus(seeds_corpus, seeds_timeline)  # the table is hidden
    assert header.sectionSize(2) == 333  # not measured in the hand-over
    window.tables.setCurrentWidget(table)
    qtbot.waitUntil(table.isVisible)
    assert header.sectionSize(2) == _fitted_width(table, 2) != 333


def test_a_sort_by_date_holds_for_the_next_corpus_and_selects_by_shown_row(
    open_seeds, seeds_corpus, seeds_timeline
):
    window = open_seeds()
    table = window.article_table
    shown = table.model()  # what the view shows, sorted

    def column(role) -> list:
        return [shown.index(r, 2).data(role) for r in range(shown.rowCount())]

    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # the date column
    keys = column(SORT_ROLE)
    assert keys == sorted(keys, reverse=True) and len(set(keys)) > 1
    dates = column(Qt.ItemDataRole.DisplayRole)

    window.state.set_corpus(seeds_corpus, seeds_timeline)  # a new frame, the same sort
    assert column(SORT_ROLE) == keys and column(Qt.ItemDataRole.DisplayRole) == dates
    bottom = len(keys) - 1  # the oldest article, not the corpus's last one
    table.select_row(bottom)
    shown_file = shown.index(bottom, 0).data(KEY_ROLE)
    assert shown_file != seeds_corpus.articles[bottom].file
    assert window.state.selected_article.file == shown_file
