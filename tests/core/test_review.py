"""The analyst's review: its file, how it lies over a timeline, and ``build`` with it."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from core.loading import load_corpus
from core.review import (
    ACCEPTED,
    ADDED,
    ENTITY,
    EVENT,
    MERGE,
    REJECTED,
    SPLIT,
    ReviewError,
    added_event,
    apply_review,
    event_keys,
    mention_key,
    normalise_date,
    validate_edits,
    without_rejected,
)
from core.review_store import (
    REVIEW_FOLDER,
    ReviewStore,
    corpus_review_path,
    fallback_review_path,
    review_path,
)
from gui.cli import main


@pytest.fixture(scope="module")
def timeline(seeds_corpus):
    from core.timeline import build_timeline

    return build_timeline(seeds_corpus)


@pytest.fixture()
def corpus_copy(tmp_path: Path, seeds_dir: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(seeds_dir, target)
    return target


# -- the file ---------------------------------------------------------------------------------


def test_the_file_is_made_on_the_first_write_only(corpus_copy: Path) -> None:
    path = review_path(corpus_copy)
    assert path == corpus_copy / ".camp-timeline" / "review.sqlite"
    store = ReviewStore(path)
    assert store.read() == {}
    assert not path.exists() and not path.parent.exists()
    store.put(EVENT, "k", {"starred": True})
    store.close()
    assert path.exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ReviewStore(path).read() == {(EVENT, "k"): {"starred": True}}


def test_a_writer_and_a_reader_at_once_both_work(corpus_copy: Path) -> None:
    path = corpus_review_path(corpus_copy)
    writer, reader = ReviewStore(path), ReviewStore(path)
    writer.put(EVENT, "a", {"note": "첫째"})
    assert reader.read() == {(EVENT, "a"): {"note": "첫째"}}
    writer.put(EVENT, "b", {"note": "둘째"})  # the reader's connection is still open
    assert set(reader.read()) == {(EVENT, "a"), (EVENT, "b")}
    writer.put(EVENT, "a", None)
    assert set(reader.read()) == {(EVENT, "b")}
    writer.close()
    reader.close()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_bytes(b"this is not a database at all" * 100), "damaged"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)").connection.commit(),
         "other tables"),
        ("newer", "newer"),
    ],
)  # fmt: skip
def test_a_file_not_ours_is_set_aside_and_a_fresh_one_started(corpus_copy, make, reason) -> None:
    path = corpus_review_path(corpus_copy)
    path.parent.mkdir()
    if make == "newer":
        store = ReviewStore(path)
        store.put(EVENT, "x", {"starred": True})
        store.close()
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE meta SET value = '99' WHERE key = 'version'")
    else:
        make(path)
    before = path.read_bytes()
    store = ReviewStore(path)
    assert store.read() == {}
    assert len(store.problems) == 1 and reason in store.problems[0].reason
    aside = [p for p in path.parent.iterdir() if ".set-aside-" in p.name and p.suffix != "-wal"]
    assert [p.read_bytes() for p in aside if not p.name.endswith(("-wal", "-shm"))] == [before]
    store.put(EVENT, "y", {"note": "새로"})
    store.close()
    assert ReviewStore(path).read() == {(EVENT, "y"): {"note": "새로"}}


def test_a_corpus_that_cannot_hold_the_folder_keeps_its_review_in_the_data_folder(
    corpus_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CAMP_TIMELINE_DATA_DIR", str(tmp_path / "data"))
    (corpus_copy / REVIEW_FOLDER).write_text("in the way", encoding="utf-8")
    path = review_path(corpus_copy)
    assert path == fallback_review_path(corpus_copy)
    assert path.is_relative_to(tmp_path / "data")
    store = ReviewStore(path)
    store.put(EVENT, "k", {"starred": True})
    store.close()
    assert review_path(corpus_copy) == path  # found again


def test_a_read_only_corpus_keeps_its_review_in_the_data_folder(
    corpus_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    import os

    monkeypatch.setenv("CAMP_TIMELINE_DATA_DIR", str(tmp_path / "data"))
    real_access = os.access
    # root may write anywhere: the corpus folder is made to answer as read-only
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == corpus_copy else real_access(p, mode)
    )
    assert review_path(corpus_copy) == fallback_review_path(corpus_copy)


def test_the_corpus_walk_never_takes_the_review_for_an_article(corpus_copy: Path) -> None:
    before = [a.file for a in load_corpus(corpus_copy).articles]
    store = ReviewStore(review_path(corpus_copy))
    store.put(EVENT, "k", {"note": "메모.txt"})
    store.close()
    (corpus_copy / REVIEW_FOLDER / "stray.txt").write_text("숨은 폴더의 글", encoding="utf-8")
    corpus = load_corpus(corpus_copy)
    assert [a.file for a in corpus.articles] == before
    assert not any(".camp-timeline" in p.file for p in corpus.all_problems())


# -- corrections --------------------------------------------------------------------------------


def test_partial_dates_widen_to_their_whole_period() -> None:
    assert normalise_date("2024-08") == {
        "date_start": "2024-08-01", "date_end": "2024-08-31", "precision": "month"
    }  # fmt: skip
    assert normalise_date("2024") == {
        "date_start": "2024-01-01", "date_end": "2024-12-31", "precision": "year"
    }  # fmt: skip
    assert normalise_date("2024-02", "2024-03") == {
        "date_start": "2024-02-01", "date_end": "2024-03-31", "precision": "range"
    }  # fmt: skip
    assert normalise_date("2024-07-21", "2024-07-31", "month")["precision"] == "month"
    assert normalise_date("")["precision"] == "unknown"


@pytest.mark.parametrize(
    ("edits", "reason"),
    [
        ({"date_start": "2024-08-07", "date_end": "2024-08-01"}, "앞섭니다"),
        ({"date_start": "2024-13"}, "읽을 수 없습니다"),
        ({"date_start": "2024", "precision": "fortnight"}, "정밀도"),
        ({"camp": "purple"}, "진영"),
        ({"event_type": "party"}, "유형"),
        ({"title": "  "}, "제목"),
        ({"sentence": "x"}, "고칠 수 없는"),
    ],
)
def test_invalid_edits_are_refused_with_the_reason(edits, reason) -> None:
    with pytest.raises(ReviewError, match=reason):
        validate_edits(edits)


# -- applying -----------------------------------------------------------------------------------


def test_annotations_mark_and_correct_events_and_keep_the_machine_values(timeline) -> None:
    keys = event_keys(timeline)
    machine = timeline.events.copy()
    first, second = keys[0], keys[1]
    reviewed = apply_review(
        timeline,
        {
            (EVENT, first): {"review": REJECTED},
            (EVENT, second): {
                "review": ACCEPTED,
                "starred": True,
                "tags": ["중요", "확인"],
                "note": "두 줄\n메모",
                "edits": {"camp": "crossover", "date_start": "2022-05"},
            },
        },
    )
    events = reviewed.timeline.events
    assert reviewed.applied == 2 and reviewed.orphans == []
    assert list(events["review"][:3]) == [REJECTED, ACCEPTED, "unreviewed"]
    row = events.iloc[1]
    assert row["starred"] and row["tags"] == "중요;확인" and row["note"] == "두 줄\n메모"
    assert (row["camp"], row["date_start"], row["date_end"], row["precision"]) == (
        "crossover", "2022-05-01", "2022-05-31", "month",
    )  # fmt: skip
    assert row["edited"] == "date_start;date_end;precision;camp"
    assert row["original"]["camp"] == machine.iloc[1]["camp"]
    assert row["original"]["date_start"] == machine.iloc[1]["date_start"]
    # the machine's timeline is untouched
    assert timeline.events.equals(machine)
    assert len(without_rejected(reviewed.timeline).events) == len(machine) - 1


def test_an_annotation_without_its_event_is_orphaned_with_its_text(timeline) -> None:
    reviewed = apply_review(
        timeline, {(EVENT, "gone.txt|1|2|release|"): {"starred": True, "label": "사라진 사건"}}
    )
    assert reviewed.applied == 0
    assert [(o.key, o.label) for o in reviewed.orphans] == [
        ("gone.txt|1|2|release|", "사라진 사건")
    ]


def test_merge_and_split_move_mentions_between_events(timeline) -> None:
    keys = event_keys(timeline)
    events = timeline.events
    merged = events.index[events["mention_count"] > 1][0]
    event_id = events.loc[merged, "event_id"]
    mentions = timeline.mentions[timeline.mentions["event_id"] == event_id]
    other = mentions[~mentions["primary"].astype(bool)].iloc[0]
    split_key = mention_key(other.to_dict())
    split = apply_review(timeline, {(SPLIT, split_key): {"from": keys[merged]}}).timeline
    assert len(split.events) == len(events) + 1
    assert split.events.loc[merged, "mention_count"] == events.loc[merged, "mention_count"] - 1
    new = split.events.iloc[-1]
    assert (new["sources"], new["char_start"], new["sentence"]) == (
        other["file"], other["char_start"], other["sentence"],
    )  # fmt: skip
    assert (split.mentions["event_id"] == new["event_id"]).sum() == 1

    a, b = 0, 1 if merged != 1 else 2
    joined = apply_review(timeline, {(MERGE, keys[b]): {"into": keys[a]}}).timeline
    assert len(joined.events) == len(events) - 1
    kept = joined.events[joined.events["event_id"] == events.loc[a, "event_id"]].iloc[0]
    assert kept["mention_count"] == events.loc[a, "mention_count"] + events.loc[b, "mention_count"]
    for file in events.loc[b, "sources"].split(";"):
        assert file in kept["sources"].split(";")
    assert events.loc[b, "event_id"] not in set(joined.mentions["event_id"])


def test_an_added_event_carries_its_sentence_as_provenance(seeds_corpus, timeline) -> None:
    article = seeds_corpus.articles[0]
    sentence = article.sentences[3]
    key, data = added_event(
        article.file, sentence.start, sentence.end, article.source_text[sentence.start : sentence.end],
        "분석가가 찾은 사건", "announcement", "open", {"date_start": "2023-12"},
    )  # fmt: skip
    texts = {a.file: a.source_text for a in seeds_corpus.articles}
    reviewed = apply_review(timeline, {(ADDED, key): data}, texts)
    row = reviewed.timeline.events.iloc[-1]
    assert row["title"] == "분석가가 찾은 사건"
    assert article.source_text[row["char_start"] : row["char_end"]] == row["sentence"]
    assert row["sources"] == article.file and row["date_end"] == "2023-12-31"
    # the same annotation against an edited article no longer matches: orphaned, not placed
    edited = dict(texts, **{article.file: "앞에 끼운 글. " + article.source_text})
    again = apply_review(timeline, {(ADDED, key): data}, edited)
    assert len(again.timeline.events) == len(timeline.events)
    assert [o.label for o in again.orphans] == [data["label"]]


def test_entity_edits_set_a_camp_link_a_name_and_add_an_alias(timeline) -> None:
    events = timeline.events
    alone = events.index[events["actors"] == "Google"]
    reviewed = apply_review(timeline, {(ENTITY, "Google"): {"camp": "open"}}).timeline
    assert set(reviewed.events.loc[alone, "camp"]) == {"open"}
    assert set(reviewed.events.loc[alone, "edited"]) == {"camp"}
    assert reviewed.entities.set_index("entity_id").loc["Google", "camp"] == "open"
    # an alias: every event whose sentence holds the name now involves the entity
    with_name = {
        e for e, s in zip(events["event_id"], events["sentence"], strict=True) if "해자" in s
    }
    aliased = apply_review(timeline, {(ENTITY, "Meta"): {"aliases": ["해자"]}}).timeline
    for event_id, cell in zip(aliased.events["event_id"], aliased.events["entities"], strict=True):
        assert ("Meta" in cell.split(";")) == (
            event_id in with_name
            or "Meta" in events.set_index("event_id").loc[event_id, "entities"]
        )
    # an entity this corpus does not have is orphaned, not dropped
    gone = apply_review(timeline, {(ENTITY, "Nobody"): {"camp": "open", "label": "아무도"}})
    assert [o.label for o in gone.orphans] == ["아무도"]


# -- build ------------------------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_build_applies_the_review_and_survives_an_edited_article(
    corpus_copy: Path, tmp_path: Path, timeline, capsys
) -> None:
    keys = event_keys(timeline)
    events = timeline.events
    files = [s.split(";")[0] for s in events["sources"]]
    kept = next(i for i, f in enumerate(files) if f != files[0])
    store = ReviewStore(review_path(corpus_copy))
    store.put(EVENT, keys[0], {"review": REJECTED, "label": "거부한 사건"})
    store.put(EVENT, keys[kept], {"starred": True, "tags": ["핵심"], "edits": {"camp": "open"}})
    store.close()

    out_csv, out_json = tmp_path / "out.csv", tmp_path / "out.json"
    assert main(["build", str(corpus_copy), "--csv", str(out_csv), "--json", str(out_json)]) == 0
    summary = capsys.readouterr().out.splitlines()[-3]
    assert "2 annotations applied" in summary
    assert summary.endswith(f"{len(events) - 1} events")
    rows = _rows(out_csv)
    assert len(rows) == len(events) - 1  # the rejected event left the CSV
    assert events.loc[0, "event_id"] not in {r["event_id"] for r in rows}
    starred = next(r for r in rows if r["event_id"] == events.loc[kept, "event_id"])
    assert (starred["starred"], starred["tags"], starred["camp"], starred["edited"]) == (
        "True", "핵심", "open", "camp",
    )  # fmt: skip
    assert {r["review"] for r in rows} == {"unreviewed"}
    document = json.loads(out_json.read_text(encoding="utf-8"))
    record = next(e for e in document["events"] if e["event_id"] == events.loc[kept, "event_id"])
    assert record["original"] == {"camp": events.loc[kept, "camp"]}
    assert record["tags"] == ["핵심"] and record["edited"] == ["camp"]

    assert main(["build", str(corpus_copy), "--csv", str(out_csv), "--include-rejected"]) == 0
    rows = _rows(out_csv)
    assert len(rows) == len(events)
    assert next(r for r in rows if r["event_id"] == events.loc[0, "event_id"])["review"] == REJECTED
    capsys.readouterr()
    assert main(["build", str(corpus_copy), "--csv", str(out_csv), "--no-review"]) == 0
    out = capsys.readouterr().out
    assert "applied" not in out
    raw = _rows(out_csv)
    assert len(raw) == len(events) and {r["starred"] for r in raw} == {"False"}

    # the first event's article is edited so that its sentence moves: that annotation is
    # orphaned (listed with its text), the other re-attaches
    article = corpus_copy / files[0]
    article.write_text("새로 끼운 첫 줄입니다.\n" + article.read_text(encoding="utf-8"), "utf-8")
    assert main(["build", str(corpus_copy), "--csv", str(out_csv)]) == 0
    out = capsys.readouterr().out
    assert "1 annotation applied" in out
    assert f"orphaned event annotation ({keys[0]}): 거부한 사건" in out
    rows = _rows(out_csv)
    assert (
        next(r for r in rows if r["event_id"] == events.loc[kept, "event_id"])["starred"] == "True"
    )
    # nothing was dropped from the file
    assert len(ReviewStore(review_path(corpus_copy)).read()) == 2
