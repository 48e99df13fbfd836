"""The window remembers: the last corpus opens again with no folder given, and a corpus
comes back with the filters, search and time range it was left with (issue 14)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from core.search import EventFilter
from gui.corpus_view import CorpusView
from gui.settings import LAST_CORPUS


def test_no_folder_reopens_the_last_corpus_while_it_exists(settings, tmp_path):
    seeds = Path("/nonexistent/seeds")
    assert settings.startup_corpus(seeds) == seeds  # nothing opened yet
    last = tmp_path / "내 코퍼스"
    last.mkdir()
    settings.set(LAST_CORPUS, str(last))
    assert settings.startup_corpus(seeds) == last
    last.rmdir()
    assert settings.startup_corpus(seeds) == seeds  # gone: the seeds again


def test_the_command_with_no_folder_leaves_the_choice_to_the_app(monkeypatch):
    import gui.app
    from gui import cli

    opened = []
    monkeypatch.setattr(gui.app, "run_app", lambda corpus: opened.append(corpus) or 0)
    assert cli.main([]) == 0
    assert cli.main(["open", "/some/where"]) == 0
    assert opened == [None, Path("/some/where")]


def test_a_loaded_corpus_sets_the_last_corpus(open_seeds, settings, seeds_corpus):
    open_seeds()
    assert settings.startup_corpus(Path("/x")) == seeds_corpus.root.resolve()


def test_a_corpus_comes_back_with_its_filters_search_and_range(open_seeds, settings, qtbot):
    window = open_seeds()
    chosen = dataclasses.replace(
        window.state.filter, camps=frozenset({"closed"}), query="구글", only_matches=True
    )
    window.state.set_filter(chosen)
    lo, hi = window.timeline_view.x_range()
    window.timeline_view.view_box.setXRange(lo + (hi - lo) / 3, hi - (hi - lo) / 3, padding=0.0)
    kept_range = window.timeline_view.x_range()
    window.close()

    again = open_seeds(settings)
    assert again.state.filter == chosen
    assert again.filter_bar.search_box.text() == "구글"
    assert not again.filter_bar.camp_buttons["open"].isChecked()
    assert again.timeline_view.x_range() == pytest.approx(kept_range)


def test_an_unreadable_stored_view_is_no_view():
    assert CorpusView.from_json("{not json") is None
    assert CorpusView.from_json('{"x_range": [5, 1]}') == CorpusView(EventFilter(), None)
    view = CorpusView(EventFilter(camps=frozenset({"open"}), query="메타"), (1.0, 2.0))
    assert CorpusView.from_json(view.to_json()) == view
