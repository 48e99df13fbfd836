"""The article table's columns fit their contents once a corpus, when the table is seen."""

from __future__ import annotations

from dataclasses import replace

from gui.article_table import ARTICLE_COLUMNS


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
