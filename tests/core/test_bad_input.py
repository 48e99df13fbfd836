"""A corpus of everything that goes wrong with real folders: each bad file is a problem
naming the file and the reason, every good file loads with the right text, nothing raises."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from core.loading import load_corpus
from core.model import Corpus, DateSource, Problem, Severity

#: our own test article: a headline, a dateline, two body sentences (CRLF-free)
KOREAN = (
    "작은 연구소, 한국어 요약 모델 공개\n"
    "입력 2024.03.07 오전 10:15\n"
    "한 작은 연구소가 한국어 기사를 요약하는 모델을 공개했다. "
    "연구진은 누구나 모델을 내려받아 고쳐 쓸 수 있다고 밝혔다.\n"
)
PLAIN = (
    "두 대학의 공동 연구\n두 대학이 반도체 설계를 함께 연구하기로 했다. 첫 성과는 내년에 나온다.\n"
)
#: bytes that are valid UTF-8 up to a stray 0x80, which no encoding we read accepts there
BROKEN_PREFIX = "깨진 파일의 앞부분은 멀쩡하다.\n".encode()
#: valid CP949, but Hanja only: decoding it as Korean would be a guess, so it is refused
HANJA_ONLY = "漢字文化圈 東亞細亞 學術論文 目錄\n".encode("cp949")


def problem_for(corpus: Corpus, file: str) -> list[Problem]:
    return [p for p in corpus.all_problems() if p.file == file]


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """Built and loaded once: the 20 MB file need not be written for every test."""
    root = tmp_path_factory.mktemp("bad")
    files: dict[str, bytes] = {
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        "empty.txt": b"",
        "blank.md": " \n\n\t\u3000\n".encode(),
        "broken.txt": BROKEN_PREFIX + b"\x80\xff\x80 \xea\xb0",
        "hanja.txt": HANJA_ONLY,
        "utf16le.txt": codecs.BOM_UTF16_LE + KOREAN.replace("\n", "\r\n").encode("utf-16-le"),
        "utf16be.txt": codecs.BOM_UTF16_BE + PLAIN.encode("utf-16-be"),
        "utf8bom.txt": codecs.BOM_UTF8 + PLAIN.encode(),
        "cp949.txt": KOREAN.encode("cp949"),
        "nfd.txt": unicodedata.normalize("NFD", PLAIN).encode(),
        "huge.txt": ("가나다라마바사 아자차카타파하.\n" * 700_000).encode()[: 20 * 1024 * 1024],
        "disagree.txt": KOREAN.encode(),
        "baddate.txt": KOREAN.encode(),
        "plain.txt": PLAIN.encode(),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    (root / "manifest.csv").write_text(
        "file,published,publisher\n"
        "plain.txt,2024-03-01,가상일보\n"
        "gone.txt,2024-03-02,가상일보\n"
        "baddate.txt,2024-13-45,가상일보\n"
        "disagree.txt,2024-03-05,가상일보\n"
        "plain.txt,2025-01-01,다른신문\n",
        encoding="utf-8",
    )
    # module scope runs before conftest's per-test guard: keep user tables out here too
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAMP_TIMELINE_RESOURCES", str(tmp_path_factory.mktemp("no-user-tables")))
        return load_corpus(root)


def test_every_bad_file_is_one_error_naming_it(bad_corpus: Corpus) -> None:
    expected_reason = {
        "binary.txt": "NUL",
        "empty.txt": "empty",
        "blank.md": "empty",
        "broken.txt": "UTF-8",
        "hanja.txt": "Korean",
        "huge.txt": "too large",
    }
    for file, words in expected_reason.items():
        problems = problem_for(bad_corpus, file)
        assert len(problems) == 1, (file, problems)
        assert problems[0].severity is Severity.ERROR
        assert words in problems[0].reason, (file, problems[0].reason)
    loaded = {a.file for a in bad_corpus.articles}
    assert not loaded & set(expected_reason)


def test_undecodable_bytes_say_where(bad_corpus: Corpus) -> None:
    (problem,) = problem_for(bad_corpus, "broken.txt")
    assert f"at byte {len(BROKEN_PREFIX)}" in problem.reason
    assert "0x80" in problem.reason
    assert "line 2" in problem.reason
    assert "CP949" in problem.reason


def test_a_cp949_decode_that_is_not_korean_is_refused_with_the_reason(bad_corpus: Corpus) -> None:
    (problem,) = problem_for(bad_corpus, "hanja.txt")
    assert "Hangul" in problem.reason


def test_the_size_limit_names_size_and_limit(bad_corpus: Corpus) -> None:
    (problem,) = problem_for(bad_corpus, "huge.txt")
    assert "20.0 MB" in problem.reason
    assert "2.0 MB" in problem.reason
    assert f"{20 * 1024 * 1024:,} bytes" in problem.reason


@pytest.mark.parametrize(
    ("file", "encoding", "text"),
    [
        ("utf16le.txt", "utf-16-le", KOREAN),
        ("utf16be.txt", "utf-16-be", PLAIN),
        ("utf8bom.txt", "utf-8-sig", PLAIN),
        ("cp949.txt", "cp949", KOREAN),
        ("nfd.txt", "utf-8", PLAIN),
        ("plain.txt", "utf-8", PLAIN),
    ],
)
def test_good_files_load_with_the_right_text(
    bad_corpus: Corpus, file: str, encoding: str, text: str
) -> None:
    article = next(a for a in bad_corpus.articles if a.file == file)
    assert article.encoding == encoding
    assert article.source_text == text  # no BOM, no CR, NFC
    assert [p for p in article.problems if p.severity is not Severity.NOTE] == []


def test_normalisations_are_recorded(bad_corpus: Corpus) -> None:
    by_file = {a.file: a for a in bad_corpus.articles}
    assert by_file["nfd.txt"].metadata.get("nfc_normalised") == "yes"
    assert unicodedata.is_normalized("NFC", by_file["nfd.txt"].source_text)
    assert "nfc_normalised" not in by_file["plain.txt"].metadata
    assert by_file["utf16le.txt"].metadata.get("line_endings") == "crlf"
    assert "line_endings" not in by_file["utf16be.txt"].metadata


def test_dateline_offsets_index_the_normalised_text(bad_corpus: Corpus) -> None:
    # the CRLF file: offsets must point into the \n text, not the file's bytes
    article = next(a for a in bad_corpus.articles if a.file == "utf16le.txt")
    start, end = map(int, article.metadata["dateline_span"].split(":"))
    assert article.source_text[start:end] == "입력 2024.03.07 오전 10:15"
    assert article.published is not None
    assert article.published.source is DateSource.DATELINE
    assert article.published.iso() == "2024-03-07T10:15"


def test_manifest_problems_name_the_manifest_and_the_line(bad_corpus: Corpus) -> None:
    problems = problem_for(bad_corpus, "manifest.csv")
    assert all(p.severity is Severity.WARNING for p in problems)
    reasons = [p.reason for p in problems]
    assert any("line 3" in r and "gone.txt" in r and "not in the corpus" in r for r in reasons)
    assert any("line 4" in r and "2024-13-45" in r and "baddate.txt" in r for r in reasons)
    assert any("line 6" in r and "plain.txt" in r and "first at line 2" in r for r in reasons)
    assert len(problems) == 3


def test_a_duplicate_row_loses_to_the_first(bad_corpus: Corpus) -> None:
    article = next(a for a in bad_corpus.articles if a.file == "plain.txt")
    assert article.publisher == "가상일보"
    assert article.published is not None and article.published.iso() == "2024-03-01"


def test_a_malformed_manifest_date_falls_back_to_the_dateline(bad_corpus: Corpus) -> None:
    article = next(a for a in bad_corpus.articles if a.file == "baddate.txt")
    assert article.publisher == "가상일보"  # the rest of the row still counts
    assert article.published is not None
    assert article.published.source is DateSource.DATELINE
    assert article.published.iso() == "2024-03-07T10:15"


def test_manifest_and_dateline_disagreeing_is_a_note_and_the_manifest_wins(
    bad_corpus: Corpus,
) -> None:
    article = next(a for a in bad_corpus.articles if a.file == "disagree.txt")
    assert article.published is not None
    assert article.published.source is DateSource.MANIFEST
    assert article.published.iso() == "2024-03-05"
    (note,) = article.problems
    assert note.severity is Severity.NOTE
    assert note.file == "disagree.txt"
    assert "2024-03-05" in note.reason and "2024-03-07" in note.reason


def test_a_non_utf8_manifest_is_read_by_evidence_with_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "cp949-manifest"
    root.mkdir()
    (root / "plain.txt").write_text(PLAIN, encoding="utf-8")
    (root / "manifest.csv").write_bytes(
        "file,published,publisher,title\nplain.txt,2024-03-01,가상일보,두 대학 공동 연구\n".encode(
            "cp949"
        )
    )
    corpus = load_corpus(root)
    (warning,) = corpus.problems
    assert warning.file == "manifest.csv"
    assert warning.severity is Severity.WARNING
    assert "not UTF-8" in warning.reason and "CP949" in warning.reason
    (article,) = corpus.articles
    assert (article.publisher, article.title, article.title_source) == (
        "가상일보",
        "두 대학 공동 연구",
        "manifest",
    )


def test_an_undecodable_manifest_is_ignored_with_the_reason(tmp_path: Path) -> None:
    root = tmp_path / "binary-manifest"
    root.mkdir()
    (root / "a.txt").write_text(KOREAN, encoding="utf-8")
    (root / "manifest.csv").write_bytes(b"file\x00published\x00\x01\x02")
    corpus = load_corpus(root)
    (warning,) = corpus.problems
    assert warning.file == "manifest.csv"
    assert "NUL" in warning.reason and "manifest ignored" in warning.reason
    (article,) = corpus.articles
    assert article.published is not None and article.published.source is DateSource.DATELINE


def test_a_manifest_without_a_file_column_is_ignored_and_says_so(tmp_path: Path) -> None:
    root = tmp_path / "no-file-column"
    root.mkdir()
    (root / "a.txt").write_text(KOREAN, encoding="utf-8")
    (root / "manifest.csv").write_text("name,published\na.txt,2020-01-01\n", encoding="utf-8")
    corpus = load_corpus(root)
    (warning,) = corpus.problems
    assert warning.file == "manifest.csv"
    assert "no 'file' column" in warning.reason
    assert "name, published" in warning.reason
    (article,) = corpus.articles
    assert article.published is not None and article.published.iso() == "2024-03-07T10:15"


def test_utf16_without_a_byte_order_mark_is_named_as_such(tmp_path: Path) -> None:
    root = tmp_path / "no-bom"
    root.mkdir()
    (root / "a.txt").write_bytes(PLAIN.encode("utf-16-le"))
    (root / "b.txt").write_text(PLAIN, encoding="utf-8")
    corpus = load_corpus(root)
    (problem,) = corpus.problems
    assert problem.file == "a.txt"
    assert "UTF-16 without a byte order mark" in problem.reason


def test_a_control_character_soup_is_not_text(tmp_path: Path) -> None:
    root = tmp_path / "controls"
    root.mkdir()
    # valid UTF-8 and no NUL, but one character in ten is a control code
    (root / "a.txt").write_bytes(("가나다라마바사아자\x07" * 50).encode())
    (root / "b.txt").write_text(PLAIN, encoding="utf-8")
    corpus = load_corpus(root)
    (problem,) = corpus.problems
    assert problem.file == "a.txt"
    assert "control characters" in problem.reason
