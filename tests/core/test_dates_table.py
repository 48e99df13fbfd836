"""Table-driven tests of the date resolver: one row per phrase in a sentence.

``date_cases.tsv`` holds the seeds' expressions and our own news phrasing for every class
the resolver covers; ``date_cases_heldout.tsv`` was written before the resolver was tuned
on it and measures accuracy on text it never saw (it must stay >= 90%).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from core.dates import resolve
from core.model import TimeExpr
from core.published import parse_partial_date

HERE = Path(__file__).resolve().parent
FLAGS = ("local", "planned", "approx", "open_start", "open_end", "early", "mid", "late")


def load_cases(name: str) -> list[dict[str, str]]:
    lines = [
        line for line in (HERE / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


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
    assert problem is None, f"{row['published']} | {row['sentence']}\n{problem}"


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
