"""Hostile folders and outputs (issue 11), through the command line.

Every corpus is built here at run time: names that normalise alike, links inside, outside,
dangling and in a loop, names that are not UTF-8, a very deep tree, broken manifests.
Nothing may be lost in silence, read from outside the corpus, or written where it must not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.cache import FILE_NAME, AnalysisCache, cache_dir
from core.loading import load_corpus
from core.pipeline import build
from gui.cli import main

#: one-line articles, each with one dated event of its own
SENTENCES = (
    "네이버는 2024년 3월 5일 새 AI 모델 하이퍼클로바X를 공개했다.\n",
    "카카오는 2024년 4월 2일 새 AI 모델 코GPT를 공개했다.\n",
    "LG AI연구원은 2024년 5월 7일 엑사원을 공개했다.\n",
    "업스테이지는 2024년 6월 4일 새 AI 모델 솔라를 공개했다.\n",
    "삼성전자는 2024년 7월 9일 생성형 AI 모델 가우스를 공개했다.\n",
)
DATES = ("2024-03-05", "2024-04-02", "2024-05-07", "2024-06-04", "2024-07-09")


def write(path: Path, index: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SENTENCES[index], encoding="utf-8")
    return path


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def built(corpus: Path, tmp_path: Path, capsys, *extra: str) -> tuple[dict, str]:
    """Build ``corpus`` to JSON; the document and what was printed."""
    out = tmp_path / "out.json"
    code, printed, err = run(
        ["build", str(corpus), "--no-cache", "--json", str(out), *extra], capsys
    )
    assert code == 0, err
    return json.loads(out.read_text(encoding="utf-8")), printed


def dates_by_source(document: dict) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for event in document["events"]:
        for source in event["sources"]:
            found.setdefault(source, set()).add(event["date_start"])
    return found


def test_names_that_normalise_alike_all_load_and_are_reported(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", 0)
    write(corpus / " a.txt", 1)
    nfc = unicodedata.normalize("NFC", "기사.txt")
    nfd = unicodedata.normalize("NFD", "기사.txt")
    write(corpus / nfc, 2)
    write(corpus / nfd, 3)
    (corpus / "manifest.csv").write_text("file,publisher\na.txt,한빛일보\n", encoding="utf-8")
    document, printed = built(corpus, tmp_path, capsys)
    files = [a["file"] for a in document["articles"]]
    assert sorted(files) == sorted(["a.txt", " a.txt", nfc, nfd])  # shown as written
    assert dates_by_source(document) == {
        "a.txt": {DATES[0]},
        " a.txt": {DATES[1]},
        nfc: {DATES[2]},
        nfd: {DATES[3]},
    }
    publishers = {a["file"]: a["publisher"] for a in document["articles"]}
    assert publishers["a.txt"] == "한빛일보" and not publishers[" a.txt"]
    collisions = [line for line in printed.splitlines() if "differ only in" in line]
    assert len(collisions) == 2, printed


def test_links_are_followed_inside_and_named_otherwise(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    write(corpus / "real" / "a.txt", 0)
    (corpus / "linked").symlink_to("real", target_is_directory=True)
    secret = write(tmp_path / "outside" / "secret.txt", 4)
    (corpus / "out.txt").symlink_to(secret)
    (corpus / "outdir").symlink_to(secret.parent, target_is_directory=True)
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (corpus / "real" / "up").symlink_to("..", target_is_directory=True)
    (corpus / "x.txt").symlink_to("y.txt")
    (corpus / "y.txt").symlink_to("x.txt")
    document, printed = built(corpus, tmp_path, capsys)
    assert sorted(a["file"] for a in document["articles"]) == ["linked/a.txt", "real/a.txt"]
    assert DATES[4] not in {e["date_start"] for e in document["events"]}  # outside: not read
    problems = [line.strip() for line in printed.splitlines() if "link" in line]
    for name, target in (
        ("out.txt", str(secret)),
        ("outdir", str(secret.parent)),
        ("gone.txt", str(tmp_path / "nowhere.txt")),
        ("real/up", ".."),
        ("x.txt", "y.txt"),
        ("y.txt", "x.txt"),
    ):
        assert any(p.startswith(f"{name}: ") and f"-> {target})" in p for p in problems), (
            name,
            printed,
        )


def test_names_that_are_not_utf8_load_and_export(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    write(corpus / os.fsdecode(b"bad\xff.txt"), 0)
    write(corpus / os.fsdecode(b"bad\xfe.txt"), 1)
    write(corpus / "good.txt", 2)
    csv = tmp_path / "out.csv"
    document, printed = built(corpus, tmp_path, capsys, "--csv", str(csv))
    # the JSON escapes the byte as \udcff: read back, the names keep their bytes
    assert dates_by_source(document) == {
        os.fsdecode(b"bad\xff.txt"): {DATES[0]},
        os.fsdecode(b"bad\xfe.txt"): {DATES[1]},
        "good.txt": {DATES[2]},
    }
    assert "bad\\udcff.txt" in csv.read_text(encoding="utf-8-sig")
    assert "bad\ufffd.txt" in printed and "\udcff" not in printed
    assert sum("not valid UTF-8" in line for line in printed.splitlines()) == 2
    # the same through the cache, twice (stored, then read)
    for _ in range(2):
        code, _out, err = run(["build", str(corpus), "--json", str(tmp_path / "c.json")], capsys)
        assert code == 0, err
        cached = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
        assert dates_by_source(cached) == dates_by_source(document)


def test_a_deep_tree_loads(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    write(corpus / "top.txt", 1)
    folders = [str(corpus)]
    try:
        for _ in range(1100):  # one folder at a time: os.makedirs itself recurses
            folders.append(folders[-1] + "/d")
            os.mkdir(folders[-1])
        with open(folders[-1] + "/deep.txt", "w", encoding="utf-8") as stream:
            stream.write(SENTENCES[0])
        document, _ = built(corpus, tmp_path, capsys)
    finally:
        # bottom up: pytest's clean-up (shutil.rmtree) recurses and would fail on this tree
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folders[-1] + "/deep.txt")
        for folder in reversed(folders[1:]):
            with contextlib.suppress(FileNotFoundError):
                os.rmdir(folder)
    assert len(document["articles"]) == 2
    assert {DATES[0], DATES[1]} <= {e["date_start"] for e in document["events"]}


def test_names_with_control_characters_reach_the_terminal_escaped(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    write(corpus / "red\x1b[31m.txt", 0)
    write(corpus / "two\nlines.txt", 1)
    document, printed = built(corpus, tmp_path, capsys)
    assert len(document["articles"]) == 2
    assert "\x1b" not in printed
    assert not any(line.startswith("lines.txt") for line in printed.splitlines())
    assert "red\\x1b[31m.txt" in printed and "two\\nlines.txt" in printed


def test_an_unterminated_quote_in_the_manifest_is_reported_with_its_line(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    for i in range(4):
        write(corpus / f"{i}.txt", i)
    (corpus / "manifest.csv").write_text(
        'file,published,title\n0.txt,2024-03-06,"열린 따옴표\n1.txt,2024-04-03,둘\n'
        "2.txt,2024-05-08,셋\n3.txt,2024-06-05,넷\n",
        encoding="utf-8",
    )
    _, printed = built(corpus, tmp_path, capsys)
    assert any(
        line.strip().startswith("manifest.csv: line 2:") and "quote" in line
        for line in printed.splitlines()
    ), printed


def test_a_manifest_linked_to_outside_is_not_read_nor_echoed(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", 0)
    private = tmp_path / "private.csv"
    private.write_text("root:x:0:0:비밀 행\n", encoding="utf-8")
    (corpus / "manifest.csv").symlink_to(private)
    _, printed = built(corpus, tmp_path, capsys)
    assert "비밀" not in printed and "root:x" not in printed
    assert any(
        line.strip().startswith("manifest.csv: link to outside") for line in printed.splitlines()
    )


def test_rows_outside_the_corpus_read_alike_whether_or_not_the_file_exists(
    tmp_path, capsys
) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", 0)
    write(tmp_path / "exists.txt", 1)
    (corpus / "manifest.csv").write_text("file\n../exists.txt\n../missing.txt\n", encoding="utf-8")
    _, printed = built(corpus, tmp_path, capsys)
    lines = [line.strip() for line in printed.splitlines() if "manifest.csv: line" in line]
    assert len(lines) == 2, printed
    assert lines[0].replace("exists", "X").replace("line 2", "line N") == lines[1].replace(
        "missing", "X"
    ).replace("line 3", "line N")


def test_a_manifest_that_is_a_folder_is_reported(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", 0)
    (corpus / "manifest.csv").mkdir()
    _, printed = built(corpus, tmp_path, capsys)
    assert any(
        line.strip().startswith("manifest.csv: is a folder") for line in printed.splitlines()
    )


def test_implausible_years_are_warned_about(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", 0)
    write(corpus / "b.txt", 1)
    (corpus / "manifest.csv").write_text(
        "file,published\na.txt,2099-01-02\nb.txt,0001-01-01\n", encoding="utf-8"
    )
    _, printed = built(corpus, tmp_path, capsys)
    for line_no in (2, 3):
        assert any(
            f"manifest.csv: line {line_no}:" in line and "unlikely year" in line
            for line in printed.splitlines()
        ), printed


def test_utf32_without_a_mark_is_named_not_called_binary(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", 0)
    (corpus / "b.txt").write_bytes(SENTENCES[1].encode("utf-32-le"))
    _, printed = built(corpus, tmp_path, capsys)
    line = next(line for line in printed.splitlines() if line.strip().startswith("b.txt:"))
    assert "UTF-32" in line and "binary" not in line


# --- outputs ------------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "c"
    write(folder / "a.txt", 0)
    (folder / "manifest.csv").write_text("file,published\na.txt,2024-03-06\n", encoding="utf-8")
    return folder


def refused(args: list[str], capsys) -> str:
    """The one error of a build refused before its analysis (nothing else printed)."""
    code, out, err = run(args, capsys)
    assert code == 1, (out, err)
    assert out == "", out  # refused before any analysis: no table, no summary
    return err


def test_a_fifo_is_not_replaced(corpus, tmp_path, capsys) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    err = refused(["build", str(corpus), "--no-cache", "--csv", str(fifo)], capsys)
    assert str(fifo) in err and "FIFO" in err
    assert fifo.is_fifo()


def test_a_symlink_is_not_replaced(corpus, tmp_path, capsys) -> None:
    target = tmp_path / "target.csv"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    err = refused(["build", str(corpus), "--no-cache", "--csv", str(link)], capsys)
    assert "symbolic link" in err
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("name", ["a.txt", "manifest.csv", "new.txt", "sub/new.md"])
def test_nothing_the_build_reads_is_written(corpus, capsys, name) -> None:
    (corpus / "sub").mkdir(exist_ok=True)
    before = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    err = refused(["build", str(corpus), "--no-cache", "--json", str(corpus / name)], capsys)
    assert "corpus" in err
    assert {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()} == before


def test_an_export_inside_the_corpus_that_is_not_an_article_is_allowed(
    corpus, capsys, monkeypatch
) -> None:
    monkeypatch.chdir(corpus)
    code, _out, err = run(["build", ".", "--no-cache", "--csv", "out.csv"], capsys)
    assert code == 0, err
    assert DATES[0] in (corpus / "out.csv").read_text(encoding="utf-8-sig")


def test_the_same_path_twice_is_refused(corpus, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    err = refused(
        [
            "build",
            str(corpus),
            "--no-cache",
            "--csv",
            str(out),
            "--json",
            str(tmp_path / "." / "out"),
        ],
        capsys,
    )
    assert "same file" in err
    assert not out.exists()


def test_dash_writes_to_standard_output_and_the_report_to_standard_error(corpus, capsys) -> None:
    code, out, err = run(["build", str(corpus), "--no-cache", "--json", "-"], capsys)
    assert code == 0, err
    document = json.loads(out)
    assert [a["file"] for a in document["articles"]] == ["a.txt"]
    assert "1 article" in err.splitlines()[-2] or "1 article" in err


def test_stale_temp_files_of_killed_exports_are_swept(corpus, tmp_path, capsys) -> None:
    stale = tmp_path / ".out.csv.k1ll3d_x.tmp"
    live = tmp_path / ".out.csv.l1v3_exp.tmp"
    for path in (stale, live):
        path.write_text("half", encoding="utf-8")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    code, _out, err = run(
        ["build", str(corpus), "--no-cache", "--csv", str(tmp_path / "out.csv")], capsys
    )
    assert code == 0, err
    assert not stale.exists() and live.exists()


def test_workers_are_bounded_where_arguments_are_parsed(tmp_path, capsys) -> None:
    # the folder does not exist: an unbounded count would only fail later, on the folder
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(tmp_path / "none"), "--workers", "100000"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--workers" in err and "at most" in err and "core" in err


# --- interrupt and cache ------------------------------------------------------------------


def wait_for_library(pid: int, fragment: str, timeout: float = 120.0) -> None:
    """Return once process ``pid`` has loaded a shared library whose path has ``fragment``."""
    deadline = time.monotonic() + timeout
    maps = Path(f"/proc/{pid}/maps")
    while time.monotonic() < deadline:
        if fragment in maps.read_text(errors="replace"):
            return
        time.sleep(0.005)
    pytest.fail(f"{fragment} never loaded")


# numpy: main() is importing the build's modules; kiwipiepy: the analysis has started
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/PID/maps")
@pytest.mark.parametrize(
    "moment",
    [
        "numpy",
        pytest.param(
            "kiwi",
            marks=pytest.mark.xfail(
                strict=False,
                reason="issue 11 open: interrupted while Kiwi analyses, the build prints "
                "'interrupted' but the process sometimes still ends by SIGINT (-2)",
            ),
        ),
    ],
)
def test_ctrl_c_says_interrupted_and_exits_130(corpus, tmp_path, moment) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "gui.cli", "build", str(corpus), "--no-cache"]
        + ["--csv", str(out / "t.csv")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    wait_for_library(process.pid, moment)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert err.strip().endswith("interrupted") and "Traceback" not in err
    assert [p.name for p in out.iterdir()] == []


def test_a_cache_entry_is_used_only_for_its_own_article(tmp_path, capsys) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", 0)
    (corpus / "b.txt").write_text(SENTENCES[1] + SENTENCES[3], encoding="utf-8")
    code, _, err = run(["build", str(corpus)], capsys)
    assert code == 0, err
    # two valid entries swapped between the articles' keys
    db = sqlite3.connect(cache_dir() / FILE_NAME)
    with db:
        (a_key, a_data), (b_key, b_data) = db.execute(
            "SELECT key, data FROM analyses ORDER BY file"
        ).fetchall()
        db.execute("UPDATE analyses SET data = ? WHERE key = ?", (b_data, a_key))
        db.execute("UPDATE analyses SET data = ? WHERE key = ?", (a_data, b_key))
    db.close()
    out = tmp_path / "out.json"
    code, _, err = run(["build", str(corpus), "--json", str(out)], capsys)
    assert code == 0, err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert {a["file"]: a["sentences"] for a in document["articles"]} == {"a.txt": 1, "b.txt": 2}
    assert dates_by_source(document) == {"a.txt": {DATES[0]}, "b.txt": {DATES[1], DATES[3]}}


def test_copies_of_a_bad_cache_do_not_pile_up(tmp_path) -> None:
    path = tmp_path / "cache" / FILE_NAME
    path.parent.mkdir()
    for _ in range(6):
        path.write_bytes(b"not a cache at all")
        cache = AnalysisCache(path)
        assert cache.get_many(["k"]) == {}
        cache.close()
        time.sleep(0.01)
    copies = [p for p in path.parent.iterdir() if ".bad-" in p.name]
    assert 1 <= len(copies) <= 3, copies


def test_a_read_only_cache_is_still_read(tmp_path) -> None:
    corpus = tmp_path / "c"
    for i in range(2):
        write(corpus / f"{i}.txt", i)
    cache_path = tmp_path / "cache" / FILE_NAME
    first = AnalysisCache(cache_path)
    build(corpus, cache=first)
    first.close()
    folder = cache_path.parent
    files = list(folder.iterdir())
    frozen = _read_only(folder, files)
    try:
        cache = AnalysisCache(cache_path)
        again = build(corpus, cache=cache)
        cache.close()
    finally:
        frozen()
    assert again.cached == 2
    assert any("cannot be written" in str(p) for p in again.problems)


def _read_only(folder: Path, files: list[Path]):
    """Make ``folder`` and ``files`` read-only for this process; return the undo."""
    if os.geteuid() != 0:
        for path in [*files, folder]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return lambda: [p.chmod(0o755) for p in [folder, *files]]
    # root ignores permission bits: the immutable attribute binds even root
    done = subprocess.run(["chattr", "+i", *map(str, files), str(folder)], check=False)
    if done.returncode != 0:
        pytest.skip("running as root without chattr: no way to make a folder read-only")
    return lambda: subprocess.run(["chattr", "-i", str(folder), *map(str, files)], check=True)


# --- manifest offsets ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    year=st.sampled_from([1, 2, 1999, 2024, 9998, 9999]),
    month=st.sampled_from([1, 12]),
    day=st.sampled_from([1, 31]),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    sign=st.sampled_from("+-"),
    offset_hours=st.integers(0, 99),
    offset_minutes=st.integers(0, 99),
)
def test_manifest_offsets_are_iso_8601_and_never_crash(
    year, month, day, hour, minute, sign, offset_hours, offset_minutes
) -> None:
    stamp = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"
    offset = f"{sign}{offset_hours:02d}:{offset_minutes:02d}"
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder)
        # a dateline too, so the manifest's moment is compared with it in Korea time
        (corpus / "a.txt").write_text("입력 2024.04.19 08:52\n" + SENTENCES[0], encoding="utf-8")
        (corpus / "manifest.csv").write_text(
            f"file,published\na.txt,{stamp}{offset}\n", encoding="utf-8"
        )
        loaded = load_corpus(corpus)
    (article,) = loaded.articles
    warnings = [p.reason for p in loaded.problems if p.file == "manifest.csv"]
    if offset_hours <= 23 and offset_minutes <= 59:
        expected = dt.timedelta(hours=offset_hours, minutes=offset_minutes)
        assert article.published.utc_offset == (expected if sign == "+" else -expected)
        assert article.published.start == dt.date(year, month, day)
    else:
        assert article.published.source.value != "manifest"
        assert any(w.startswith("line 2: published") and offset in w for w in warnings), warnings
