"""The analysis cache: same results, only changed files analysed, bad files set aside."""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest

from core import analyse
from core.cache import FILE_NAME, AnalysisCache, cache_dir
from core.cache_codec import DECODE_ERRORS, decode, decode_cleaning, encode, encode_cleaning
from core.model import CleanText, Problem, Severity
from core.pipeline import build
from core.timeline import build_timeline
from core.token_pack import TokenRun
from gui.build_command import run_build

ROOT = Path(__file__).resolve().parents[2]

#: our own short articles: file -> lines
ARTICLES = {
    "b01.txt": [
        "네이버, 하이퍼클로바X 공개",
        "",
        "네이버는 24일 초대규모 언어모델 하이퍼클로바X를 공개했다.",
        "회사는 기업용 서비스도 함께 내놓겠다고 밝혔다.",
    ],
    "b02.txt": [
        "미스트랄, 새 모델 내놔",
        "",
        "프랑스 미스트랄AI는 지난 10일 가중치를 공개한 새 모델을 내놓았다.",
        "이 모델은 누구나 내려받을 수 있다.",
    ],
    "b03.txt": [
        "마이크로소프트와 오픈AI 협력 확대",
        "",
        "마이크로소프트는 오픈AI와의 협력을 확대한다고 23일 발표했다.",
    ],
    "b04.txt": [
        "삼성, 가우스 발표",
        "",
        "삼성전자는 8일 생성형 AI 모델 가우스를 발표했다.",
        "가우스는 내년 갤럭시 기기에 탑재될 예정이다.",
    ],
}
PUBLISHED = {"b01.txt": "2023-08-25", "b02.txt": "2024-02-27", "b03.txt": "2023-01-24"}


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in ARTICLES.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["file,publisher,published,note"]
    rows += [f"{name},시험신문,{PUBLISHED.get(name, '2023-11-09')}," for name in ARTICLES]
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _cached_build(root: Path):
    cache = AnalysisCache()
    try:
        corpus = build(root, analyse=True, workers=1, cache=cache)
    finally:
        cache.close()
    return corpus, build_timeline(corpus)


def _same(corpus, timeline, reference, reference_timeline) -> None:
    def sentences(c) -> list:
        return [(a.file, s) for a in c.articles for s in a.sentences]

    assert sentences(corpus) == sentences(reference)
    assert [a.problems for a in corpus.articles] == [a.problems for a in reference.articles]
    for name in ("events", "mentions", "articles", "entities"):
        assert getattr(timeline, name).equals(getattr(reference_timeline, name)), name


def _notes(corpus) -> list[str]:
    return [p.reason for p in corpus.problems if "cache" in p.reason]


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def reference(corpus_dir):
    """The corpus analysed without any cache, the way it always was."""
    corpus = build(corpus_dir)
    return corpus, build_timeline(corpus)


def test_cache_dir_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMP_TIMELINE_CACHE_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
    monkeypatch.delenv("CAMP_TIMELINE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "camp-timeline"


def test_second_build_reads_the_cache_and_gives_the_same_timeline(corpus_dir, reference):
    first, first_timeline = _cached_build(corpus_dir)
    second, second_timeline = _cached_build(corpus_dir)
    assert (first.cached, second.cached) == (0, len(ARTICLES))
    assert len(reference[1].events) > 0
    _same(first, first_timeline, *reference)
    _same(second, second_timeline, *reference)
    assert _notes(second) == []
    assert (cache_dir() / FILE_NAME).is_file()
    assert [a.clean for a in second.articles] == [a.clean for a in reference[0].articles]
    assert [a.title for a in second.articles] == [a.title for a in reference[0].articles]


def test_changed_file_is_analysed_again_and_only_it(corpus_dir):
    _cached_build(corpus_dir)
    changed = corpus_dir / "b04.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "삼성전자는 가우스를 사내에서 먼저 쓰고 있다.\n",
        encoding="utf-8",
    )
    again, again_timeline = _cached_build(corpus_dir)
    assert again.cached == len(ARTICLES) - 1
    fresh = build(corpus_dir)
    _same(again, again_timeline, fresh, build_timeline(fresh))
    assert any("먼저 쓰고" in s.text for a in again.articles for s in a.sentences)


def test_pipeline_version_bump_invalidates(corpus_dir, monkeypatch):
    _cached_build(corpus_dir)
    monkeypatch.setattr(analyse, "PIPELINE_VERSION", analyse.PIPELINE_VERSION + "-next")
    assert _cached_build(corpus_dir)[0].cached == 0
    assert _cached_build(corpus_dir)[0].cached == len(ARTICLES)


def test_edited_resource_table_invalidates(corpus_dir):
    _cached_build(corpus_dir)
    user_dir = Path(os.environ["CAMP_TIMELINE_RESOURCES"])
    (user_dir / "entities.tsv").write_text(
        "entity_id\ttype\tname_ko\n시험연구소\torganisation\t시험연구소\n", encoding="utf-8"
    )
    assert _cached_build(corpus_dir)[0].cached == 0


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\x13not a database at all\xff" * 100)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _foreign(path: Path) -> None:
    path.unlink()
    db = sqlite3.connect(path)
    with db:
        db.execute("CREATE TABLE songs (title TEXT, artist TEXT)")
        db.execute("INSERT INTO songs VALUES ('봄날', '누군가')")
    db.close()


def _old_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    with db:
        db.execute("PRAGMA user_version = 99")
    db.close()


@pytest.mark.parametrize(
    "damage, reason",
    [
        (_garbage, "not an SQLite file"),
        (_truncated, "SQLite file"),
        (_foreign, "another program's SQLite file"),
        (_old_schema, "cache schema 99"),
    ],
)
def test_bad_cache_file_is_set_aside_and_rebuilt(corpus_dir, reference, damage, reason):
    _cached_build(corpus_dir)
    path = cache_dir() / FILE_NAME
    damage(path)
    corpus, timeline = _cached_build(corpus_dir)
    notes = [p for p in corpus.problems if "set aside" in p.reason]
    assert len(notes) == 1, corpus.problems
    assert reason in notes[0].reason
    assert notes[0].severity == Severity.NOTE
    assert corpus.cached == 0
    _same(corpus, timeline, *reference)
    aside = [p for p in path.parent.iterdir() if ".bad-" in p.name and not p.name.endswith("m")]
    assert len(aside) == 1
    # the fresh file is ours and works
    again = _cached_build(corpus_dir)[0]
    assert again.cached == len(ARTICLES)
    assert _notes(again) == []


def test_unreadable_entry_is_a_miss_with_a_note(corpus_dir, reference):
    _cached_build(corpus_dir)
    db = sqlite3.connect(cache_dir() / FILE_NAME)
    with db:
        db.execute("UPDATE analyses SET data = ? WHERE file = 'b02.txt'", (b"\x78\x9cbroken",))
    db.close()
    corpus, timeline = _cached_build(corpus_dir)
    assert corpus.cached == len(ARTICLES) - 1
    assert any("unreadable" in n for n in _notes(corpus))
    _same(corpus, timeline, *reference)


def test_entries_round_trip(corpus_dir):
    corpus = build(corpus_dir, analyse=True)
    for article in corpus.articles:
        original = analyse.ArticleAnalysis(
            article.sentences,
            corpus.event_mentions[article.file],
            corpus.entity_mentions[article.file],
            article.problems,
        )
        decoded = decode(encode(original))
        assert decoded == original
        # tokens come back as runs of one pack, equal token by token to the analysed ones
        runs = [s.tokens for s in decoded.sentences]
        assert all(isinstance(r, TokenRun) for r in runs)
        assert len({id(r.pack) for r in runs}) <= 1
        assert [list(r) for r in runs] == [list(s.tokens) for s in article.sentences]
    assert any(corpus.event_mentions.values())
    assert any(m.date is not None for ms in corpus.event_mentions.values() for m in ms)


def _entry_parts(data: bytes) -> tuple[dict, bytes]:
    raw = zlib.decompress(data)
    (size,) = struct.unpack_from("<I", raw)
    return json.loads(raw[4 : 4 + size]), raw[4 + size :]


def _entry(body: dict, columns: bytes) -> bytes:
    text = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return zlib.compress(struct.pack("<I", len(text)) + text + columns)


def test_entries_with_damaged_tokens_or_an_old_layout_are_refused(corpus_dir):
    corpus = build(corpus_dir, analyse=True)
    article = corpus.articles[0]
    entry = encode(
        analyse.ArticleAnalysis(article.sentences, corpus.event_mentions[article.file], [], [])
    )
    body, columns = _entry_parts(entry)
    assert decode(_entry(body, columns)) is not None  # taken apart and put back: still good
    count, chars, size, tags = body["t"]
    damaged = [
        _entry(body, columns[:-3]),  # forms cut short
        _entry(body, columns + b"x"),  # something after the forms
        _entry({**body, "t": [count + 1, chars, size, tags]}, columns),
        _entry({**body, "t": [-1, chars, size, tags]}, columns),
        _entry({**body, "t": [count, chars + 1, size, tags]}, columns),
        _entry({**body, "t": [count, chars, size, tags[:1]]}, columns),  # tags off the table
        _entry({**body, "s": [[*row[:6], row[6] + 1] for row in body["s"]]}, columns),
        _entry({**body, "v": body["v"] - 1}, columns),
        # the first layout: one JSON list per token, nothing after the JSON
        zlib.compress(
            json.dumps({"v": 1, "s": [[0, "문장", 0, 2, 0, 2, [["문장", "NNG", 0, 2]]]],
                        "m": [], "e": [], "p": []}).encode()
        ),
    ]  # fmt: skip
    for data in damaged:
        with pytest.raises(DECODE_ERRORS):
            decode(data)


def test_cleaning_round_trip_on_the_seeds(seeds_corpus):
    cleans = [a.clean for a in seeds_corpus.articles]
    assert any(c.removals for c in cleans)  # the seeds have boilerplate: offsets with gaps
    problems = [Problem("boilerplate.tsv:3", "시험 문제", Severity.WARNING)]
    assert decode_cleaning(encode_cleaning(cleans, problems)) == (cleans, problems)


def test_stored_cleaning_with_bad_offsets_is_refused():
    clean = CleanText("가나 다라", [0, 1, 4, 5, 6, 7])
    body = json.loads(zlib.decompress(encode_cleaning([clean], [])))
    text, length, runs, removals = body["c"][0]
    assert runs == [0, 0, 2, 4]  # a run starts where the offsets jump
    assert decode_cleaning(encode_cleaning([clean], []))[0] == [clean]
    for bad in ([1, 0, 2, 4], [0, 0, 2], [0, 0, 9, 4], [0, 0, 2, "4"], [0, 0, 2, -9], []):
        data = zlib.compress(json.dumps({**body, "c": [[text, length, bad, removals]]}).encode())
        with pytest.raises(DECODE_ERRORS):
            decode_cleaning(data)


def test_cleaning_cache_follows_the_seeds_folder(seeds_dir, seeds_corpus):
    first = _cached_build(seeds_dir)[0]
    second, timeline = _cached_build(seeds_dir)
    assert second.cached == len(seeds_corpus.articles)
    assert [a.clean for a in first.articles] == [a.clean for a in seeds_corpus.articles]
    assert [a.clean for a in second.articles] == [a.clean for a in seeds_corpus.articles]
    assert second.all_problems() == first.all_problems()
    assert len(timeline.events) > 0


def test_no_cache_bypasses_the_cache(corpus_dir):
    out = io.StringIO()
    args = argparse.Namespace(corpus=corpus_dir, workers=1, no_cache=True)
    assert run_build(args, out, io.StringIO()) == 0
    assert not (cache_dir() / FILE_NAME).exists()
    cached_out = io.StringIO()
    args = argparse.Namespace(corpus=corpus_dir, workers=1, no_cache=False)
    assert run_build(args, cached_out, io.StringIO()) == 0
    assert (cache_dir() / FILE_NAME).exists()
    again = io.StringIO()
    assert run_build(args, again, io.StringIO()) == 0
    assert out.getvalue() == cached_out.getvalue() == again.getvalue()


def _words_printed(code: str) -> list[str]:
    """What ``code`` prints, split in words, run in a fresh interpreter (must succeed)."""
    run = _python(code)
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    return out.split()


def _python(code: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_at_once(corpus_dir):
    writer = """
        import sys
        from core.analyse import ArticleAnalysis
        from core.cache import AnalysisCache
        from core.model import Problem
        cache = AnalysisCache()
        for batch in range(20):
            cache.put_many(
                (f"{sys.argv[1]}-{batch}-{i}", "x.txt", ArticleAnalysis(problems=[Problem("x", str(i))]))
                for i in range(10)
            )
        cache.close()
        print(repr([str(note) for note in cache.notes]))
    """
    runs = [_python(writer.replace("sys.argv[1]", repr(name))) for name in ("a", "b")]
    outs = [run.communicate(timeout=120) for run in runs]  # both end before any assert
    for run, (out, err) in zip(runs, outs, strict=True):
        assert run.returncode == 0, err
        assert out.strip() == "[]", out  # the notes say why, should one appear
    cache = AnalysisCache()
    keys = [f"{n}-{b}-{i}" for n in "ab" for b in range(20) for i in range(10)]
    found = cache.get_many(keys)
    cache.close()
    assert len(found) == 400
    assert found["b-3-7"].problems[0].reason == "7"
    assert cache.notes == []


def test_fully_cached_build_does_not_load_kiwi(corpus_dir):
    code = f"""
        import core.kiwi
        from core.cache import AnalysisCache
        from core.pipeline import build
        from core.timeline import build_timeline
        corpus = build({str(corpus_dir)!r}, analyse=True, cache=AnalysisCache())
        build_timeline(corpus)
        print(corpus.cached, core.kiwi._kiwi is not None)
    """
    answers = [_words_printed(code), _words_printed(code)]
    assert answers == [["0", "True"], [str(len(ARTICLES)), "False"]]


def test_fully_cached_build_lists_table_problems_without_the_extraction_code(corpus_dir):
    user_dir = Path(os.environ["CAMP_TIMELINE_RESOURCES"])
    (user_dir / "event_predicates.tsv").write_text(
        "lemma\tmorphs\tevent_type\n쏘다\t쏘/VV\tlaunch\n", encoding="utf-8"
    )
    code = f"""
        import sys
        from core.cache import AnalysisCache
        from core.pipeline import build
        from core.timeline import build_timeline
        corpus = build({str(corpus_dir)!r}, analyse=True, cache=AnalysisCache())
        build_timeline(corpus)
        bad_rows = [p for p in corpus.problems if "event_predicates.tsv" in str(p)]
        print(corpus.cached, "core.events" in sys.modules, len(bad_rows))
    """
    answers = [_words_printed(code), _words_printed(code)]
    # the second build lists the skipped row from the cache and never imports core.events
    assert answers == [["0", "True", "1"], [str(len(ARTICLES)), "False", "1"]]


def test_a_busy_cache_is_not_taken_for_a_damaged_one(corpus_dir):
    cache = AnalysisCache()
    cache.put_many([("k1", "x.txt", analyse.ArticleAnalysis(problems=[Problem("x", "1")]))])
    # another connection holds the write lock, and our wait for it is short
    other = sqlite3.connect(cache.path, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert cache._db is not None
        cache._db.execute("PRAGMA busy_timeout = 50")
        cache.put_many([("k2", "x.txt", analyse.ArticleAnalysis())])
    finally:
        other.rollback()
        other.close()
    assert [n.severity for n in cache.notes] == [Severity.WARNING]
    assert "busy" in cache.notes[0].reason
    assert not list(cache.path.parent.glob(f"{FILE_NAME}.bad-*"))  # the file stayed
    assert set(cache.get_many(["k1", "k2"])) == {"k1"}  # the old entry is still served
    cache.close()
