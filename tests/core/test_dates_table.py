"""Table-driven tests of the date resolver: one row per phrase in a sentence.

``date_cases.tsv`` holds the seeds' expressions and our own news phrasing for every class
the resolver covers; ``date_cases_heldout.tsv`` was written before the resolver was tuned
on it and measures accuracy on text it never saw (it must stay >= 90%).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.dates import resolve
from core.dates.intervals import agrees
from core.model import TimeExpr
from core.published import parse_partial_date
from core.resources import parse_table

HERE = Path(__file__).resolve().parent
FLAGS = ("local", "planned", "approx", "open_start", "open_end", "early", "mid", "late")


def load_cases(name: str) -> list[dict[str, str]]:
    """The rows of a case table, read like the resource tables (each knows its line)."""
    return parse_table((HERE / name).read_text(encoding="utf-8"), name)


def flags_of(expr: TimeExpr) -> set[str]:
    out = {
        name for name, on in (
            ("local", expr.local_time), ("planned", expr.planned), ("approx", expr.approximate),
            ("open_start", expr.open_start), ("open_end", expr.open_end),
        ) if on
    }
    if expr.part:
        out.add(expr.part)
    return out


def check(row: dict[str, str]) -> str | None:
    """None when the resolver reads the row's phrase as expected, else what went wrong."""
    published = None if row["published"] == "unknown" else parse_partial_date(row["published"])
    sentence, text = row["sentence"], row["text"]
    assert text in sentence, f"bad row: {text!r} not in {sentence!r}"
    exprs = resolve(sentence, published)
    dishonest = [e.to_dict() for e in exprs if not agrees(e.precision, e.date_start, e.date_end)]
    if dishonest:
        return f"interval disagrees with its precision: {dishonest}"
    if row["precision"] == "none":
        at = sentence.index(text)
        hits = [e for e in exprs if e.start < at + len(text) and at < e.end]
        return f"non-date read as {[e.to_dict() for e in hits]}" if hits else None
    matching = [e for e in exprs if e.text == text]
    if not matching:
        return f"{text!r} not found; found {[e.text for e in exprs]}"
    expr = matching[0]
    got = (
        expr.date_start.isoformat() if expr.date_start else "",
        expr.date_end.isoformat() if expr.date_end else "",
        expr.precision,
        ",".join(sorted(flags_of(expr))),
    )
    wanted_flags = {f.strip() for f in (row.get("flags") or "").split(",") if f.strip()}
    unknown = wanted_flags - set(FLAGS)
    assert not unknown, f"bad flags in row: {unknown}"
    wanted = (row["date_start"], row["date_end"], row["precision"], ",".join(sorted(wanted_flags)))
    return None if got == wanted else f"{text!r}: got {got}, wanted {wanted} (rule {expr.rule})"


CASES = load_cases("date_cases.tsv")


@pytest.mark.parametrize(
    "row", CASES, ids=[f"{i:03d}-{r['text']}" for i, r in enumerate(CASES)]
)
def test_phrase(row: dict[str, str]) -> None:
    problem = check(row)
    assert problem is None, f"{row['_source']}: {row['published']} | {row['sentence']}\n{problem}"


def test_table_is_big_enough_and_covers_every_precision() -> None:
    assert len(CASES) >= 150
    precisions = {row["precision"] for row in CASES}
    assert {"day", "week", "month", "quarter", "half", "year", "decade", "range", "unknown",
            "none"} <= precisions


def test_heldout_accuracy_at_least_90_percent() -> None:
    rows = load_cases("date_cases_heldout.tsv")
    assert len(rows) >= 40
    failures = [(row["sentence"], problem) for row in rows if (problem := check(row))]
    accuracy = 1 - len(failures) / len(rows)
    assert accuracy >= 0.9, f"held-out accuracy {accuracy:.1%}; failures: {failures}"


def test_discourse_anchor_moves_this_day_words_but_not_publication_relative_ones() -> None:
    import datetime as dt

    pub = parse_partial_date("2023-12")
    text = (
        "AI얼라이언스 발족한 바로 다음 7일에는 구글이 제미나이를 공개했고 "
        "이날 전날 지난 6일도 언급됐다."
    )
    found = {e.text: e for e in resolve(text, pub, anchor=dt.date(2023, 12, 5))}
    assert found["바로 다음 7일"].date_start == dt.date(2023, 12, 7)
    assert found["이날"].date_start == dt.date(2023, 12, 5)
    assert found["전날"].date_start == dt.date(2023, 12, 4)
    assert found["지난 6일"].date_start == dt.date(2023, 12, 6)  # publication, not anchor
    later = {e.text: e for e in resolve(text, pub, anchor=dt.date(2023, 12, 8))}
    assert later["바로 다음 7일"].date_start == dt.date(2024, 1, 7)
    # without an anchor, 이날 with a month-precision publication is the month, never a day
    alone = {e.text: e for e in resolve(text, pub)}
    assert (alone["이날"].precision, alone["이날"].date_start, alone["이날"].date_end) == (
        "month", dt.date(2023, 12, 1), dt.date(2023, 12, 31))


def test_given_tokens_give_the_same_answer_as_tokenising() -> None:
    from core.dates.tense import tokenize

    pub = parse_partial_date("2024-04-11")
    text = "11일 발표에 따르면 회사는 20일 새 모델을 출시할 예정이며 최근 투자도 받았다."
    own = [e.to_dict() for e in resolve(text, pub)]
    assert own == [e.to_dict() for e in resolve(text, pub, tokens=tokenize(text))]
    assert [e["date_start"] for e in own] == ["2024-04-11", "2024-04-20", ""]


def test_user_table_extends_vague_words(tmp_path, monkeypatch) -> None:
    from core.dates.patterns import load_cues

    (tmp_path / "date_vague.tsv").write_text("form\tplanned\n한때\t0\n", encoding="utf-8")
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(tmp_path))
    load_cues.cache_clear()
    try:
        exprs = resolve("메타는 한때 폐쇄형 전략을 검토했다.", parse_partial_date("2024-08-12"))
        assert [(e.text, e.approximate, e.date_start) for e in exprs] == [("한때", True, None)]
    finally:
        load_cues.cache_clear()


def test_discourse_years_need_the_anchor() -> None:
    import datetime as dt

    pub = parse_partial_date("2024-08-12")
    text = "같은 해 12월 상장했고 이듬해 흑자로 돌아섰다."
    alone = {e.text: e for e in resolve(text, pub)}
    assert alone["같은 해 12월"].date_start is None and alone["이듬해"].date_start is None
    anchored = {e.text: e for e in resolve(text, pub, anchor=dt.date(2019, 3, 4))}
    assert (anchored["같은 해 12월"].date_start, anchored["같은 해 12월"].date_end) == (
        dt.date(2019, 12, 1), dt.date(2019, 12, 31))
    assert anchored["이듬해"].date_start == dt.date(2020, 1, 1)


@pytest.mark.parametrize(
    ("sentence", "expected", "planned"),
    [
        ("삼성은 27일 새 모델을 공개했다.", "2024-01-27", False),  # past: latest 27th
        ("삼성은 27일 새 모델을 공개할 예정이다.", "2024-02-27", True),  # plan: next 27th
        ("삼성은 27일 새 모델을 공개할 것으로 알려졌다.", "2024-02-27", True),  # reported plan
        ("삼성은 27일 새 모델을 공개하겠다고 했다.", "2024-01-27", False),  # the saying is past
        ("삼성은 27일 새 모델을 공개할 계획이며 지난해 실적도 밝혔다.", "2024-02-27", True),
    ],
)
def test_kiwi_tense_decides_a_bare_day(sentence: str, expected: str, planned: bool) -> None:
    exprs = [e for e in resolve(sentence, parse_partial_date("2024-02-03")) if e.text == "27일"]
    assert len(exprs) == 1
    assert exprs[0].date_start is not None and exprs[0].date_start.isoformat() == expected
    assert exprs[0].planned is planned


def test_each_sentence_of_a_paragraph_keeps_its_own_tense() -> None:
    text = (
        "A사는 5일 새 모델을 공개했다. B사는 20일 경쟁 모델을 출시할 예정이다\n"
        "C사는 9일 투자를 유치했다"
    )
    exprs = resolve(text, parse_partial_date("2024-08-12"))
    got = [(e.text, e.date_start.isoformat() if e.date_start else "", e.planned) for e in exprs]
    assert got == [("5일", "2024-08-05", False), ("20일", "2024-08-20", True),
                   ("9일", "2024-08-09", False)]
