"""The window's build sent in pieces: what is put back together is what was built."""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import threading
import time
import weakref
from multiprocessing import Pipe
from multiprocessing.connection import Connection

import pandas as pd
import pytest

from core import child_build
from core.child_build import LoadAssembler, child_command, child_main, result_pieces
from core.model import Cancelled
from core.token_pack import TokenRun


@pytest.fixture(scope="module")
def analysed_seeds(seeds_dir, tmp_path_factory):
    """The seeds as the window builds them (analysed, through a cache), and their timeline."""
    from core.analyse import AnalysedCorpus
    from core.cache import AnalysisCache
    from core.pipeline import build
    from core.timeline import build_timeline

    cache = AnalysisCache(tmp_path_factory.mktemp("cache") / "analyses.sqlite3")
    try:
        corpus = build(seeds_dir, cache=cache)
    finally:
        cache.close()
    assert isinstance(corpus, AnalysedCorpus)
    return corpus, build_timeline(corpus)


def _through_pipe(pieces) -> tuple:
    """Each piece pickled and unpickled on its own, as the pipe carries it, then assembled."""
    assembler = LoadAssembler()
    for piece in pieces:
        assembler.add(pickle.loads(pickle.dumps(piece, protocol=pickle.HIGHEST_PROTOCOL)))
    return assembler.finish()


def _assert_same_result(built, sent) -> None:
    corpus, timeline = built
    got_corpus, got_timeline = sent
    assert type(got_corpus) is type(corpus)
    assert got_corpus.root == corpus.root
    assert got_corpus.problems == corpus.problems
    assert got_corpus.cached == corpus.cached
    assert [a.file for a in got_corpus.articles] == [a.file for a in corpus.articles]
    for got, article in zip(got_corpus.articles, corpus.articles, strict=True):
        assert got.source_text == article.source_text
        assert got.clean == article.clean
        assert got.problems == article.problems
        assert (got.title, got.published, got.metadata) == (
            article.title,
            article.published,
            article.metadata,
        )
        assert got.sentences == article.sentences
        # the tokens travel and arrive as the pipeline keeps them: runs of one compact pack
        assert all(isinstance(s.tokens, TokenRun) for s in got.sentences)
    assert got_corpus.event_mentions == corpus.event_mentions
    assert got_corpus.entity_mentions == corpus.entity_mentions
    for name in ("events", "mentions", "articles", "entities"):
        pd.testing.assert_frame_equal(getattr(got_timeline, name), getattr(timeline, name))
    assert got_timeline.event_list == timeline.event_list


def test_the_seeds_come_back_whole(analysed_seeds):
    _assert_same_result(analysed_seeds, _through_pipe(result_pieces(*analysed_seeds)))


def test_small_pieces_come_back_whole(analysed_seeds, monkeypatch):
    # one article per piece, frames two rows at a time, events two at a time
    monkeypatch.setattr(child_build, "CHARS_PER_PIECE", 1)
    monkeypatch.setattr(child_build, "ROWS_PER_PIECE", 2)
    monkeypatch.setattr(child_build, "EVENTS_PER_PIECE", 2)
    corpus, timeline = analysed_seeds
    pieces = list(result_pieces(corpus, timeline))

    article_pieces = [p for p in pieces if p[0] == "articles"]
    assert [len(p[1]) for p in article_pieces] == [1] * len(corpus.articles)
    event_rows = [p for p in pieces if p[0] == "rows" and p[1] == "events"]
    assert len(event_rows) == (len(timeline.events) + 1) // 2
    _assert_same_result(analysed_seeds, _through_pipe(pieces))


def test_an_article_batch_stops_at_its_character_budget(analysed_seeds, monkeypatch):
    corpus, timeline = analysed_seeds
    sizes = [len(a.source_text) + 1 for a in corpus.articles]
    monkeypatch.setattr(child_build, "CHARS_PER_PIECE", sizes[0] + sizes[1])
    batches = [len(p[1]) for p in result_pieces(corpus, timeline) if p[0] == "articles"]

    assert batches[0] == 2  # the first two fill the budget exactly
    assert sum(batches) == len(corpus.articles)


def test_missing_pieces_are_refused():
    assembler = LoadAssembler()
    with pytest.raises(ValueError, match="corpus"):
        assembler.add(("articles", []))
    with pytest.raises(ValueError):
        assembler.finish()
    with pytest.raises(ValueError, match="unknown piece"):
        assembler.add(("무엇", 1))


def _until_cancelled(*, progress, cancelled):
    progress(0, 1, "기다리는 중")
    while not cancelled():
        time.sleep(0.005)
    raise Cancelled()
    yield


def _two_pieces(*, progress, cancelled):
    progress(1, 2, "하나")
    yield "첫 조각"
    progress(2, 2, "둘")
    yield "둘째 조각"


def _child_pipes():
    results_ours, results_theirs = Pipe(duplex=False)
    commands_theirs, commands_ours = Pipe(duplex=False)
    return results_ours, results_theirs, commands_theirs, commands_ours


def _messages(results) -> list[tuple]:
    out = []
    while True:
        try:
            out.append(results.recv())
        except EOFError:
            return out


def test_the_child_sends_progress_pieces_and_done_in_order():
    results, results_theirs, commands_theirs, commands = _child_pipes()
    child_main(_two_pieces, (), results_theirs, commands_theirs)

    assert _messages(results) == [
        ("progress", 1, 2, "하나"),
        ("piece", "첫 조각"),
        ("progress", 2, 2, "둘"),
        ("piece", "둘째 조각"),
        ("done",),
    ]
    commands.close()


def test_the_parent_going_away_stops_the_child():
    results, results_theirs, commands_theirs, commands = _child_pipes()
    child = threading.Thread(
        target=child_main, args=(_until_cancelled, (), results_theirs, commands_theirs)
    )
    child.start()
    assert results.recv() == ("progress", 0, 1, "기다리는 중")
    commands.close()  # what the parent's death does to the child's end
    child.join(timeout=30)

    assert not child.is_alive()
    assert _messages(results) == [("cancelled",)]


def test_an_assembled_result_is_freed_without_the_cyclic_collector(analysed_seeds):
    # the window freezes what arrives out of the cyclic collector: it must hold no cycles,
    # or a replaced corpus would never be freed
    gc.disable()
    try:
        corpus, timeline = _through_pipe(result_pieces(*analysed_seeds))
        first = corpus.articles[0]
        assert first.sentences[0].tokens  # unpacked, as the viewer does
        kept = [corpus, timeline, timeline.events, timeline.mentions, *corpus.articles]
        refs = [weakref.ref(x) for x in [*kept, *first.sentences, *timeline.event_list]]
        del corpus, timeline, first, kept
        assert [r for r in refs if r() is not None] == []
    finally:
        gc.enable()


def test_the_build_child_ignores_a_core_package_in_the_current_folder(tmp_path):
    # a user's folder holding a package named like ours, with its own serve()
    decoy = tmp_path / "core"
    decoy.mkdir()
    (decoy / "__init__.py").write_text("", encoding="utf-8")
    (decoy / "child_build.py").write_text(
        "def serve(argv):\n    raise SystemExit('the decoy core was imported')\n",
        encoding="utf-8",
    )
    results_ours, results_theirs = os.pipe()
    commands_theirs, commands_ours = os.pipe()
    # the child imports from where this process does, as gui.process_job starts it
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    child = subprocess.Popen(
        child_command(results_theirs, commands_theirs),
        pass_fds=(results_theirs, commands_theirs),
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
    )
    os.close(results_theirs)
    os.close(commands_theirs)
    results = Connection(results_ours, writable=False)
    commands = Connection(commands_ours, readable=False)
    try:
        commands.send((_two_pieces, ()))
        messages = _messages(results)
    finally:
        commands.close()
        results.close()
        _, err = child.communicate(timeout=60)
    assert b"decoy" not in err
    assert messages[-1] == ("done",), err.decode()
    assert [m[1] for m in messages if m[0] == "piece"] == ["첫 조각", "둘째 조각"]
