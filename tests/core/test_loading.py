"""Loading a corpus folder: the seeds, file discovery and order, manifest fields, dates,
progress and cancelling, and the folders that cannot be a corpus at all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.loading import CorpusError, load_corpus
from core.model import Cancelled, DateSource, Severity

NEWS = (
    "새 모델 공개 경쟁\n"
    "입력 2024.03.07 오전 10:15\n"
    "여러 회사가 새 언어 모델을 앞다퉈 공개했다. 일부는 가중치까지 풀었다.\n"
)
UNDATED = "연구 협력 확대\n두 기관이 인공지능 연구 협력을 넓히기로 했다.\n"


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


# -- the seeds ---------------------------------------------------------------------------

SEED_DATES = {
    "000_adb5c0859fc24b80.txt": ("아시아경제", "2024-01-31", "day"),
    "001_0200a4a0cae8c2e1.txt": ("더테크", "2023-12", "month"),
    "002_66adaed47b9baad8.txt": ("아시아경제", "2023-05-20T18:00", "minute"),
    "003_a39cdc22e6d86e9a.txt": ("", "2024-04-11", "day"),
    "004_ec613ed2d7ce5ee1.txt": ("", "2024-08", "month"),
}


def test_the_seeds_load_cleanly(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    assert [a.file for a in corpus.articles] == sorted(SEED_DATES)
    assert corpus.all_problems() == []
    for a in corpus.articles:
        publisher, iso, precision = SEED_DATES[a.file]
        assert a.publisher == publisher
        assert a.published is not None
        assert (a.published.iso(), a.published.precision) == (iso, precision)
        assert a.published.source is DateSource.MANIFEST
        assert a.encoding == "utf-8"
        assert a.path == seeds_dir / a.file
        assert a.source_text == (seeds_dir / a.file).read_text(encoding="utf-8")


def test_month_precision_is_kept(seeds_dir: Path) -> None:
    by_file = {a.file: a for a in load_corpus(seeds_dir).articles}
    published = by_file["004_ec613ed2d7ce5ee1.txt"].published
    assert published is not None
    assert (published.start, published.end) == (dt.date(2024, 8, 1), dt.date(2024, 8, 31))


def test_seed_002_dateline_agrees_with_its_manifest(seeds_dir: Path) -> None:
    a = next(x for x in load_corpus(seeds_dir).articles if x.file.startswith("002_"))
    start, end = map(int, a.metadata["dateline_span"].split(":"))
    assert a.source_text[start:end] == "2023. 5. 20. 18:00"
    assert a.metadata["dateline"] == "2023-05-20T18:00"
    assert a.problems == []  # no disagreement note
    assert a.metadata["note"] == "dateline in the text"  # unknown manifest column kept
    # the other seeds carry no dateline the loader could mistake one for
    others = [x for x in load_corpus(seeds_dir).articles if not x.file.startswith("002_")]
    assert all("dateline_span" not in x.metadata for x in others)


# -- finding the files -------------------------------------------------------------------


def test_files_are_found_recursively_in_path_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "b.txt": UNDATED,
            "a.md": UNDATED,
            "2024/08/c.txt": NEWS,
            "2024/01/d.TXT": UNDATED,
            ".hidden/e.txt": UNDATED,
            "._a.txt": b"\x00\x05\x16\x07 resource fork",
            "notes.csv": "not,an,article\n",
            "picture.png": b"\x89PNG\r\n",
        },
    )
    corpus = load_corpus(tmp_path)
    assert [a.file for a in corpus.articles] == ["2024/01/d.TXT", "2024/08/c.txt", "a.md", "b.txt"]
    assert corpus.all_problems() == []
    again = load_corpus(tmp_path)
    assert [a.file for a in again.articles] == [a.file for a in corpus.articles]


def test_a_manifest_names_files_in_sub_folders_with_forward_slashes(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "2024/a.txt": UNDATED,
            "manifest.csv": "file,publisher\n./2024/a.txt,가상일보\n",
        },
    )
    (article,) = load_corpus(tmp_path).articles
    assert article.publisher == "가상일보"


# -- manifest fields and dates -------------------------------------------------------------


def test_manifest_fields_and_extra_columns(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.txt": UNDATED,
            "manifest.csv": (
                "File,Title,URL,published,desk,empty_col\r\n"
                "a.txt,기관 협력 확대,https://news.example/1,2024-02,과학부,\r\n"
            ),
        },
    )
    corpus = load_corpus(tmp_path)
    (a,) = corpus.articles
    assert corpus.all_problems() == []
    assert (a.title, a.title_source, a.url) == (
        "기관 협력 확대",
        "manifest",
        "https://news.example/1",
    )
    assert a.metadata == {"desk": "과학부"}  # empty cells are not kept
    assert a.published is not None and a.published.precision == "month"


def test_an_excel_style_manifest_with_bom_is_plain_utf8(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.txt": UNDATED,
            "manifest.csv": "\ufefffile,publisher\r\na.txt,가상일보\r\n".encode(),
        },
    )
    corpus = load_corpus(tmp_path)
    assert corpus.problems == []
    assert corpus.articles[0].publisher == "가상일보"


def test_without_a_manifest_row_the_dateline_dates_the_article(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": NEWS, "b.txt": UNDATED, "manifest.csv": "file\nc.txt\n"})
    corpus = load_corpus(tmp_path)
    by_file = {a.file: a for a in corpus.articles}
    a = by_file["a.txt"]
    assert a.published is not None
    assert a.published.source is DateSource.DATELINE
    assert a.published.iso() == "2024-03-07T10:15"
    assert a.published.text == "입력 2024.03.07 오전 10:15"
    assert by_file["b.txt"].published is None
    assert by_file["b.txt"].published_source is DateSource.UNKNOWN
    (missing,) = corpus.problems
    assert "c.txt" in missing.reason and "line 2" in missing.reason


@pytest.mark.parametrize(
    ("published", "agrees"),
    [
        ("2024-03-07", True),
        ("2024-03", True),  # a partial manifest date containing the dateline
        ("2024", True),
        ("2024-03-07T10:15", True),
        ("2024-03-07T01:15+00:00", True),  # the same moment, in UTC
        ("2024-03-07T11:00", False),  # same day, another time
        ("2024-03-06", False),
        ("2024-04", False),
        ("2023", False),
    ],
)
def test_manifest_and_dateline_agreement(tmp_path: Path, published: str, agrees: bool) -> None:
    write(tmp_path, {"a.txt": NEWS, "manifest.csv": f"file,published\na.txt,{published}\n"})
    (a,) = load_corpus(tmp_path).articles
    assert a.published is not None
    assert a.published.source is DateSource.MANIFEST
    assert a.published.text == published  # the manifest's own precision, never refined
    notes = [p for p in a.problems if p.severity is Severity.NOTE]
    assert (notes == []) is agrees
    if not agrees:
        assert "2024-03-07T10:15" in notes[0].reason and published in notes[0].reason


def test_a_size_limit_can_be_given(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": NEWS, "b.txt": UNDATED})
    limit = len(UNDATED.encode()) + 1
    corpus = load_corpus(tmp_path, max_bytes=limit)
    assert [a.file for a in corpus.articles] == ["b.txt"]
    (problem,) = corpus.problems
    assert problem.file == "a.txt" and "too large" in problem.reason


# -- progress and cancelling ---------------------------------------------------------------


def test_progress_once_per_file(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": NEWS, "b.txt": b"", "c.txt": UNDATED})
    calls: list[tuple[int, int, str]] = []
    load_corpus(tmp_path, progress=lambda d, t, m: calls.append((d, t, m)))
    assert [(d, t) for d, t, _ in calls] == [(1, 3), (2, 3), (3, 3)]
    assert [m.endswith(f) for (_, _, m), f in zip(calls, ["a.txt", "b.txt", "c.txt"])] == [True] * 3


def test_cancelling_between_files(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": NEWS, "b.txt": UNDATED, "c.txt": UNDATED})
    seen: list[int] = []
    with pytest.raises(Cancelled):
        load_corpus(
            tmp_path,
            progress=lambda d, t, m: seen.append(d),
            cancelled=lambda: len(seen) >= 2,
        )
    assert seen == [1, 2]


# -- folders that are not a corpus ---------------------------------------------------------


def test_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus folder not found: .*no-such"):
        load_corpus(tmp_path / "no-such")


def test_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": NEWS})
    with pytest.raises(CorpusError, match="not a folder: .*a.txt"):
        load_corpus(tmp_path / "a.txt")


def test_an_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="folder is empty"):
        load_corpus(tmp_path)


def test_a_folder_without_article_files(tmp_path: Path) -> None:
    write(tmp_path, {"manifest.csv": "file\na.txt\n", "notes.pdf": b"%PDF"})
    with pytest.raises(CorpusError, match=r"no article files \(\*\.txt, \*\.md\)"):
        load_corpus(tmp_path)


def test_a_folder_where_no_article_can_be_read(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": b"", "b.txt": b"\x00\x01\x02\x03"})
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    message = str(caught.value)
    assert "no readable article" in message and "2 article file(s)" in message
    assert "a.txt: empty file" in message and "b.txt: not text" in message
    assert [p.file for p in caught.value.problems] == ["a.txt", "b.txt"]


def test_an_oversized_file_is_refused_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"a.txt": NEWS, "big.txt": "가" * (1024 * 1024)})  # 3 MB of UTF-8
    opened: list[str] = []
    real_open = Path.open

    def recording_open(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", recording_open)
    corpus = load_corpus(tmp_path)
    assert "a.txt" in opened and "big.txt" not in opened
    (problem,) = corpus.problems
    assert problem.file == "big.txt" and "3.0 MB" in problem.reason
