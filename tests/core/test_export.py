"""CSV and JSON export of a hand-built timeline: contract columns, BOM, offsets, atomicity."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from core.export import CONTRACT_COLUMNS, ExportError, write_csv, write_json
from core.model import Article, Corpus, DateSource, EntityMention, EventMention, Published, TimeExpr
from core.timeline import assemble_timeline
from tests.core.builders import event_mention as build_mention

# our own phrases, in the style of the seeds, with a boilerplate line between them
TEXT_A = (
    "알파랩, 새 모델 공개\n"
    "알파랩이 지난 3일 언어 모델 '누리 2'를 오픈소스로 공개했다. 베타클라우드와 협약도 맺었다.\n"
    "무단전재 배포금지\n"
)
TEXT_B = "지난달 알파랩은 '누리 2'를 내놨다.\n"


def article(file: str, text: str, published: dt.date) -> Article:
    return Article(
        file=file,
        path=Path(file),
        source_text=text,
        encoding="utf-8",
        published=Published(published, published, "day", DateSource.MANIFEST),
    )


def event_mention(
    art: Article,
    index: int,
    sentence: str,
    trigger: str,
    event_type: str,
    actors,
    objects,
    date: TimeExpr | None,
    camp: str,
    title: str,
) -> EventMention:
    start = art.source_text.index(sentence)
    t = art.source_text.index(trigger, start)
    return build_mention(
        art.file,
        index,
        sentence,
        start,
        (t, t + len(trigger)),
        event_type,
        actors,
        objects,
        date,
        predicate=trigger,
        camp=camp,
        title=title,
        camp_evidence=["오픈소스로"] if camp == "open" else [],
        confidence=0.7,
    )


@pytest.fixture()
def timeline():
    a = article("a.txt", TEXT_A, dt.date(2024, 3, 10))
    b = article("b.txt", TEXT_B, dt.date(2024, 4, 2))
    s1 = "알파랩이 지난 3일 언어 모델 '누리 2'를 오픈소스로 공개했다."
    s2 = "베타클라우드와 협약도 맺었다."
    s3 = "지난달 알파랩은 '누리 2'를 내놨다."
    day = TimeExpr(
        a.source_text.index("지난 3일"),
        a.source_text.index("지난 3일") + 5,
        "지난 3일",
        dt.date(2024, 3, 3),
        dt.date(2024, 3, 3),
        "day",
    )
    month = TimeExpr(0, 3, "지난달", dt.date(2024, 3, 1), dt.date(2024, 3, 31), "month")
    mentions = {
        "a.txt": [
            event_mention(
                a,
                1,
                s1,
                "공개",
                "open_release",
                ["Alpha Lab"],
                ["Nuri 2"],
                day,
                "open",
                "알파랩, 누리 2 오픈소스 공개",
            ),
            event_mention(
                a,
                2,
                s2,
                "맺",
                "partnership",
                ["Alpha Lab"],
                ["Beta Cloud"],
                None,
                "neutral",
                "알파랩, 베타클라우드와 협약; 공동연구",
            ),
        ],
        "b.txt": [
            event_mention(b, 0, s3, "내놨", "release", ["Alpha Lab"], ["Nuri 2"], month, "open", "")
        ],
    }
    entities = {
        "a.txt": [EntityMention("Alpha Lab", "알파랩", 0, 3), EntityMention("", "감마", 5, 7)],
        "b.txt": [EntityMention("Alpha Lab", "알파랩", 4, 7)],
    }
    corpus = Corpus(root=Path("."), articles=[a, b])
    return corpus, assemble_timeline(corpus, mentions, None, entities)


def test_csv_round_trip_through_pandas(tmp_path, timeline):
    corpus, tl = timeline
    out = tmp_path / "timeline.csv"
    write_csv(tl, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for spreadsheet programs
    frame = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert set(CONTRACT_COLUMNS) <= set(frame.columns)
    assert len(frame) == 2  # the two reports of 누리 2 are one event
    first = frame.iloc[0]
    assert (first["date_start"], first["date_end"], first["precision"]) == (
        "2024-03-03",
        "2024-03-03",
        "day",
    )
    assert first["sources"] == "a.txt;b.txt"
    assert first["actors"] == "Alpha Lab"
    assert first["camp"] == "open"
    assert first["event_type"] == "open_release"
    assert first["title"] == "알파랩, 누리 2 오픈소스 공개"
    second = frame.iloc[1]
    assert (
        second["date_start"] == ""
        and second["precision"] == "unknown"
        and second["date_text"] == ""
    )
    assert (
        second["title"] == "알파랩, 베타클라우드와 협약; 공동연구"
    )  # a ';' inside a cell survives quoting
    texts = {a.file: a.source_text for a in corpus.articles}
    for row in frame.itertuples():
        primary = row.sources.split(";")[0]
        assert texts[primary][row.char_start : row.char_end] == row.sentence
    assert "무단전재" not in " ".join(frame["sentence"])


def test_json_has_events_articles_and_entities(tmp_path, timeline):
    _corpus, tl = timeline
    out = tmp_path / "timeline.json"
    write_json(tl, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [e["sources"] for e in doc["events"]] == [["a.txt", "b.txt"], ["a.txt"]]
    event = doc["events"][0]
    assert set(CONTRACT_COLUMNS) <= set(event)
    assert event["char_start"] == TEXT_A.index("알파랩이")
    assert [m["file"] for m in event["mentions"]] == ["a.txt", "b.txt"]
    assert event["notes"] and "2024-03-01..2024-03-31" in event["notes"][0]
    assert [a["file"] for a in doc["articles"]] == ["a.txt", "b.txt"]
    assert doc["articles"][0]["events"] == 2
    linked = {e["entity_id"]: e for e in doc["entities"] if e["linked"]}
    assert linked["Alpha Lab"]["mentions"] == 2 and linked["Alpha Lab"]["articles"] == 2
    assert any(not e["linked"] and e["name"] == "감마" for e in doc["entities"])


def test_a_failed_export_keeps_the_previous_file(tmp_path, timeline, monkeypatch):
    _, tl = timeline
    out = tmp_path / "timeline.csv"
    write_csv(tl, out)
    before = out.read_bytes()

    def explode(*args, **kwargs):
        raise RuntimeError("row writer failed")

    monkeypatch.setattr(pd.DataFrame, "to_csv", explode)
    with pytest.raises(RuntimeError):
        write_csv(tl, out)
    assert out.read_bytes() == before
    assert os.listdir(tmp_path) == ["timeline.csv"]


def test_an_unwritable_output_raises_export_error(tmp_path, timeline):
    _, tl = timeline
    with pytest.raises(ExportError) as info:
        write_json(tl, tmp_path / "missing" / "t.json")
    assert info.value.path == tmp_path / "missing" / "t.json"


def test_an_empty_timeline_exports_a_header(tmp_path):
    corpus = Corpus(root=Path("."), articles=[])
    tl = assemble_timeline(corpus, {})
    out = tmp_path / "empty.csv"
    write_csv(tl, out)
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert len(frame) == 0 and set(CONTRACT_COLUMNS) <= set(frame.columns)


def test_an_empty_timeline_exports_valid_json(tmp_path):
    tl = assemble_timeline(Corpus(root=Path("."), articles=[]), {})
    out = tmp_path / "empty.json"
    write_json(tl, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["events"] == [] and doc["articles"] == [] and doc["entities"] == []
    assert doc["format"] == "camp-timeline"
