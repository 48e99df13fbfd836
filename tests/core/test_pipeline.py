"""The whole chain: progress across stages, cancelling, titles, per-article failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import core.segment
from core.loading import CorpusError
from core.model import Article, Cancelled, Sentence
from core.pipeline import build


def write_corpus(root: Path, texts: dict[str, str], manifest: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (root / name).write_text(text, encoding="utf-8")
    if manifest is not None:
        (root / "manifest.csv").write_text(manifest, encoding="utf-8")
    return root


def user_table(name: str, text: str) -> None:
    """Write a user's copy of table ``name`` into the empty user folder conftest gives."""
    (Path(os.environ["CAMP_TIMELINE_RESOURCES"]) / name).write_text(text, encoding="utf-8")


TWO_ARTICLES = {
    "a.txt": "새 언어 모델 공개\n한 연구소가 지난 3일 새 언어 모델을 공개했다. 모델은 누구나 쓸 수 있다.\n",
    "b.txt": "두 회사 협력 발표\n두 회사가 인공지능 반도체를 함께 만들기로 했다. 발표는 서울에서 열렸다.\n",
}


def test_progress_fills_evenly_across_the_stages(seeds_dir: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    corpus = build(seeds_dir, progress=lambda d, t, m: calls.append((d, t, m)))
    assert calls, "no progress reported"
    fractions = [done / total for done, total, _ in calls]
    assert fractions == sorted(fractions), "progress went backwards"
    assert all(0 <= f <= 1 for f in fractions)
    assert calls[-1][0] == calls[-1][1]
    analysing = [m for _, _, m in calls if m.startswith("분석")]
    assert analysing == [f"분석: {a.file}" for a in corpus.articles]
    # loading and cleaning report before the analysis starts, so the bar moves early
    first_segment = next(i for i, (_, _, m) in enumerate(calls) if m.startswith("분석"))
    assert first_segment >= 2
    assert calls[first_segment - 1][0] / calls[first_segment - 1][1] < 1


def test_cancelling_stops_between_articles(seeds_dir: Path) -> None:
    analysed: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("분석"):
            analysed.append(message)

    with pytest.raises(Cancelled):
        build(seeds_dir, progress=progress, cancelled=lambda: len(analysed) >= 2)
    assert len(analysed) == 2


def test_cancelling_before_anything_runs(seeds_dir: Path) -> None:
    with pytest.raises(Cancelled):
        build(seeds_dir, cancelled=lambda: True)


def test_a_failing_article_becomes_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = core.segment.segment_article

    def segment_or_fail(article: Article) -> list[Sentence]:
        if article.file == "a.txt":
            raise RuntimeError("analyser gave up")
        return real(article)

    monkeypatch.setattr(core.segment, "segment_article", segment_or_fail)
    corpus = build(write_corpus(tmp_path / "corpus", TWO_ARTICLES))
    by_file = {a.file: a for a in corpus.articles}
    assert by_file["a.txt"].sentences == []
    reasons = [p for p in by_file["a.txt"].problems if "segmentation" in p.reason]
    assert len(reasons) == 1
    assert reasons[0].file == "a.txt"
    assert "analyser gave up" in reasons[0].reason
    assert len(by_file["b.txt"].sentences) == 3
    assert reasons[0] in corpus.all_problems()


def test_titles_come_from_the_text_when_the_manifest_has_none(tmp_path: Path) -> None:
    manifest = "file,published,title\na.txt,2024-03-05,매니페스트 제목\nb.txt,2024-03-06,\n"
    corpus = build(write_corpus(tmp_path / "corpus", TWO_ARTICLES, manifest))
    by_file = {a.file: a for a in corpus.articles}
    assert (by_file["a.txt"].title, by_file["a.txt"].title_source) == (
        "매니페스트 제목",
        "manifest",
    )
    assert by_file["b.txt"].title_source == "text"
    assert by_file["b.txt"].title == "두 회사 협력 발표"


def test_sentences_of_a_small_corpus(tmp_path: Path) -> None:
    corpus = build(write_corpus(tmp_path / "corpus", TWO_ARTICLES))
    article = next(a for a in corpus.articles if a.file == "a.txt")
    texts = [s.text for s in article.sentences]
    assert "한 연구소가 지난 3일 새 언어 모델을 공개했다." in texts
    for sentence in article.sentences:
        assert article.source_text[sentence.start : sentence.end] == sentence.text


def test_a_missing_folder_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError):
        build(tmp_path / "no-such-folder")


def test_a_bad_user_cleaning_rule_is_a_corpus_problem(tmp_path: Path) -> None:
    user_table("boilerplate.tsv", "name\tscope\tpattern\n깨진규칙\tline\t([\n")
    corpus = build(write_corpus(tmp_path / "corpus", TWO_ARTICLES))
    bad = [p for p in corpus.problems if "깨진규칙" in p.reason]
    assert len(bad) == 1
    assert "boilerplate.tsv" in bad[0].file
    assert all(not any("깨진규칙" in p.reason for p in a.problems) for a in corpus.articles)
    assert all(a.sentences for a in corpus.articles)


def test_bad_user_lexicon_and_predicate_rows_are_corpus_problems(tmp_path: Path) -> None:
    # an entity with an unknown type, and a predicate row with no event type
    user_table("entities.tsv", "entity_id\ttype\tname_ko\nZetaLab\t우주선\t제타랩\n")
    user_table("event_predicates.tsv", "lemma\tmorphs\tevent_type\n띄우다\t띄우/VV\t\n")
    corpus = build(write_corpus(tmp_path / "corpus", TWO_ARTICLES))
    files = [p.file for p in corpus.problems]
    assert any("entities.tsv" in f for f in files), corpus.problems
    assert any("event_predicates.tsv" in f for f in files), corpus.problems
    assert all(a.sentences for a in corpus.articles)


def test_the_timeline_merges_what_the_build_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import core.analyse
    from core.loading import load_corpus
    from core.timeline import build_timeline

    root = write_corpus(tmp_path / "corpus", TWO_ARTICLES)
    corpus = build(root)
    assert set(corpus.event_mentions) == {"a.txt", "b.txt"}

    def no_second_extraction(*args: object, **kwargs: object) -> None:
        raise AssertionError("extracted again")

    monkeypatch.setattr(core.analyse, "extract", no_second_extraction)
    timeline = build_timeline(corpus)
    assert list(timeline.articles["file"]) == ["a.txt", "b.txt"]
    # a corpus that was only loaded has nothing to merge: refused, not extracted here
    with pytest.raises(TypeError, match="analysed corpus"):
        build_timeline(load_corpus(root))
