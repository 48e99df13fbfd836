"""Resource tables: user rows extend bundled ones, and an edited user table is read again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.resources import (
    cached_until_user_tables_change,
    parse_table,
    read_table,
    tables_read_once,
)


def test_parse_table_skips_comments_and_keeps_the_source_line() -> None:
    rows = parse_table("# note\nname\tvalue\n\n메타\t1\n# again\n구글\n", "t.tsv")
    assert [(r["name"], r["value"], r["_source"]) for r in rows] == [
        ("메타", "1", "t.tsv:4"),
        ("구글", "", "t.tsv:6"),
    ]


def test_user_rows_follow_the_bundled_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = read_table("camp_cues.tsv")
    first = next(k for k in bundled[0] if k != "_source")
    (tmp_path / "camp_cues.tsv").write_text(f"{first}\n사용자단서\n", encoding="utf-8")
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(tmp_path))
    rows = read_table("camp_cues.tsv")
    assert len(rows) == len(bundled) + 1
    assert rows[-1][first] == "사용자단서"


def test_a_cached_loader_reads_an_edited_user_table_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(tmp_path))
    calls: list[int] = []

    @cached_until_user_tables_change("demo.tsv")
    def load() -> int:
        calls.append(1)
        return len(read_table("demo.tsv"))

    assert load() == 0
    assert load() == 0
    assert len(calls) == 1  # unchanged: served from the cache
    table = tmp_path / "demo.tsv"
    table.write_text("name\n하나\n", encoding="utf-8")
    assert load() == 1
    table.write_text("name\n하나\n둘\n", encoding="utf-8")
    os.utime(table, ns=(1, 1))  # a different mtime even on a coarse clock
    assert load() == 2
    assert len(calls) == 3
    load.cache_clear()  # type: ignore[attr-defined]
    assert load() == 2
    assert len(calls) == 4


def test_within_a_build_the_user_tables_are_looked_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(tmp_path))
    table = tmp_path / "demo.tsv"
    table.write_text("name\n하나\n", encoding="utf-8")

    @cached_until_user_tables_change("demo.tsv")
    def load() -> int:
        return len(read_table("demo.tsv"))

    stamps: dict = {}
    with tables_read_once(stamps):
        assert load() == 1
        table.write_text("name\n하나\n둘\n", encoding="utf-8")
        os.utime(table, ns=(1, 1))
        assert load() == 1  # the first look stands until the block ends
        with tables_read_once():  # nested: the outer block decides
            assert load() == 1
    with tables_read_once(stamps):  # a later step of the same build shares the look
        assert load() == 1
    assert load() == 2  # outside: the edit is seen at once
    with tables_read_once():  # a new build looks again
        assert load() == 2
