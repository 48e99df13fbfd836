"""CSV cells that a spreadsheet would run as a formula get a leading ``'``; the JSON stays raw."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from core.export import write_csv
from core.pipeline import build
from core.timeline import build_timeline
from gui.cli import main

#: our own article: each sentence starts with a character a spreadsheet reads as a formula
ARTICLE = (
    "=메타는 2024년 3월 1일 라마 4를 오픈소스로 공개했다.\n"
    "+구글은 2024년 3월 2일 제미나이 2를 공개했다.\n"
    "-오픈AI는 2024년 3월 3일 GPT-5를 공개했다.\n"
    "@네이버는 2024년 3월 4일 하이퍼클로바X를 공개했다.\n"
)


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "=b.txt").write_text("엘지는 2024년 3월 6일 엑사원 4를 공개했다.\n", encoding="utf-8")
    return folder


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_formula_cells_are_quoted_in_the_csv_and_raw_in_the_json(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    out_csv, out_json = tmp_path / "t.csv", tmp_path / "t.json"
    assert main(["build", str(folder), "--csv", str(out_csv), "--json", str(out_json),
                 "--no-cache"]) == 0
    rows = read_csv(out_csv)
    sentences = sorted(row["sentence"] for row in rows)
    assert [s[:2] for s in sentences] == ["'+", "'-", "'=", "'@", "엘지"]
    assert [row["sources"] for row in rows if row["sentence"].startswith("엘지")] == ["'=b.txt"]
    source = ARTICLE
    for row in rows:
        if row["sources"] == "a.txt":
            # the one exception to text[char_start:char_end] == sentence: the added quote
            start, end = int(row["char_start"]), int(row["char_end"])
            assert "'" + source[start:end] == row["sentence"]
    events = json.loads(out_json.read_text(encoding="utf-8"))["events"]
    assert sorted(e["sentence"][0] for e in events) == ["+", "-", "=", "@", "엘"]
    assert ["=b.txt"] in [e["sources"] for e in events]
    for event in events:
        if event["sources"] == ["a.txt"]:
            assert source[event["char_start"]:event["char_end"]] == event["sentence"]


def test_tab_and_carriage_return_cells_are_quoted(tmp_path: Path) -> None:
    timeline = build_timeline(build(corpus(tmp_path)))
    events = timeline.events.copy()
    events.loc[events.index[0], "title"] = "\t탭으로 시작"
    events.loc[events.index[1], "title"] = "\r캐리지 리턴"
    timeline.events = events
    write_csv(timeline, tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes().decode("utf-8-sig")
    assert ",'\t탭으로 시작," in raw
    assert ",'\r캐리지 리턴," in raw
    assert ",\t" not in raw and ",\r" not in raw
