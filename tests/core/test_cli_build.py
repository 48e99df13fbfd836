"""``camp-timeline build``: the headless run, its table aligned for Hangul, its exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from core.report import display_width, format_table
from gui.cli import main


def column_starts(line: str, cells: list[str]) -> list[int]:
    """Display column at which each of ``cells`` starts in ``line`` (searched in order)."""
    starts = []
    pos = 0
    for cell in cells:
        pos = line.index(cell, pos)
        starts.append(display_width(line[:pos]))
        pos += len(cell)
    return starts


def test_display_width_counts_hangul_twice() -> None:
    assert display_width("abc") == 3
    assert display_width("아시아경제") == 10
    assert display_width("LG AI연구원") == 5 + 6
    assert display_width("（）") == 4  # full-width brackets
    assert display_width("e\u0301") == 1  # a combining accent takes no column


def test_table_columns_line_up_with_mixed_scripts() -> None:
    rows = [["a.txt", "아시아경제", "12"], ["long_name.txt", "-", "3"], ["b.txt", "KBS", "1234"]]
    lines = format_table(["file", "publisher", "n"], rows, [False, False, True])
    assert len(lines) == 5
    starts = [column_starts(line, row[:2]) for line, row in zip(lines[2:], rows, strict=True)]
    assert len({tuple(s) for s in starts}) == 1
    # right-aligned numbers end in the same column
    ends = {display_width(line) for line in lines[2:]}
    assert len(ends) == 1


def test_build_prints_a_row_per_seed_and_a_summary(seeds_dir: Path, capsys, seeds_corpus) -> None:
    assert main(["build", str(seeds_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    files = [a.file for a in seeds_corpus.articles]
    rows = [line for line in out if line.split(" ", 1)[0] in files]
    assert len(rows) == 5
    # the published column starts at the same terminal column on every row
    starts = set()
    for line, article in zip(rows, seeds_corpus.articles, strict=True):
        cell = f"{article.published.iso()} ({article.published.precision}, "
        starts.add(display_width(line[: line.index(cell)]))
    assert len(starts) == 1
    month_row = next(r for r in rows if r.startswith("001_"))
    assert "2023-12 (month, manifest)" in month_row
    sentences = sum(len(a.sentences) for a in seeds_corpus.articles)
    problems = len(seeds_corpus.all_problems())
    summary = re.fullmatch(
        rf"5 articles, {sentences} sentences, {problems} problems?, (\d+) events?", out[-1]
    )
    assert summary is not None, out[-1]
    assert int(summary.group(1)) > 0
    for problem in seeds_corpus.all_problems():
        assert any(line.strip().startswith(str(problem)) for line in out)


def test_a_missing_folder_exits_non_zero_with_its_name(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nowhere"
    assert main(["build", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nowhere" in captured.err


def test_a_folder_without_a_readable_article_exits_non_zero(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    assert main(["build", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    # each unreadable file is named with its reason
    assert "empty.txt: empty file" in captured.err
    assert "binary.txt: not text" in captured.err


def test_build_runs_without_importing_qt(seeds_dir: Path) -> None:
    script = (
        "import contextlib, io, json, sys\n"
        "from gui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    code = main(['build', {str(seeds_dir)!r}])\n"
        "qt = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]\n"
        "print(json.dumps({'code': code, 'qt': qt, 'lines': len(out.getvalue().splitlines())}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"code": 0, "qt": [], "lines": report["lines"]}
    assert report["lines"] >= 9  # header, rule, five rows, blank, summary


def test_a_refused_user_kiwi_word_is_listed_with_the_problems(
    seeds_dir: Path, tmp_path: Path
) -> None:
    # Kiwi is loaded once per process, so the user's table is read in a fresh one
    user = tmp_path / "user-resources"
    user.mkdir()
    (user / "kiwi_words.tsv").write_text("form\ttag\tscore\n새낱말\tNNP\t높음\n", encoding="utf-8")
    env = {**os.environ, "CAMP_TIMELINE_RESOURCES": str(user)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from gui.cli import main; sys.exit(main(sys.argv[1:]))",
            "build",
            str(seeds_dir),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    listed = [line for line in lines if "kiwi_words.tsv:2" in line]
    assert len(listed) == 1
    assert lines[-1].startswith("5 articles, ") and ", 1 problem," in lines[-1]
