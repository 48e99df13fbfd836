"""``camp-timeline dates``: JSON lines per expression, texts in order, clear errors."""

from __future__ import annotations

import json

from gui.cli import main


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_contract_example(capsys) -> None:
    text = "LG AI연구원이 지난 7일 엑사원 3.0을 공개했다."
    assert main(["dates", "--published", "2024-08-12", text]) == 0
    rows = _lines(capsys.readouterr().out)
    assert len(rows) == 1
    row = rows[0]
    assert row["text"] == "지난 7일"
    assert text[row["start"]:row["end"]] == "지난 7일"  # type: ignore[misc]
    assert (row["date_start"], row["date_end"], row["precision"]) == (
        "2024-08-07", "2024-08-07", "day")
    for flag in ("local_time", "planned", "approximate"):
        assert row[flag] is False


def test_several_texts_resolved_independently_in_order(capsys) -> None:
    texts = ["지난달 말 라마 3.1을 공개했다.", "오는 6월 추가한다.", "모델은 3.1 버전이다."]
    assert main(["dates", "--published", "2024-08", *texts]) == 0
    rows = _lines(capsys.readouterr().out)
    assert [r["text"] for r in rows] == ["지난달 말", "오는 6월"]
    assert (rows[0]["date_start"], rows[0]["date_end"], rows[0]["part"]) == (
        "2024-07-21", "2024-07-31", "late")
    assert rows[1]["planned"] is True and rows[1]["date_start"] == "2025-06-01"


def test_local_time_flag_and_hangul_unescaped(capsys) -> None:
    assert main(["dates", "--published", "2023-05-20T18:00", "지난 4일(현지시간) 유출됐다."]) == 0
    out = capsys.readouterr().out
    assert "현지시간" in out  # ensure_ascii=False
    row = _lines(out)[0]
    assert row["local_time"] is True and row["date_start"] == "2023-05-04"


def test_bad_published_is_a_clear_error(capsys) -> None:
    assert main(["dates", "--published", "2024-02-30", "지난 7일"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--published" in captured.err and "2024-02-30" in captured.err


def test_text_without_dates_prints_nothing(capsys) -> None:
    assert main(["dates", "--published", "2024", "GPT-4는 12% 빨라졌다."]) == 0
    assert capsys.readouterr().out == ""
