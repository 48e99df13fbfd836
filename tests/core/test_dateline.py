"""Datelines: one row per way a Korean news site writes one, and the dates that are not one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.dateline import DatelineFinder, ends_like_sentence, find_dateline
from core.model import DateSource

HEAD = "반도체 동맹 새 국면\n"
BODY = "두 회사가 차세대 메모리를 함께 개발하기로 했다. 양측은 구체적인 일정은 밝히지 않았다.\n"


@pytest.mark.parametrize(
    ("text", "iso", "written", "kind"),
    [
        # the seed 002 style: author name, spaced dots, time
        (
            HEAD + "홍길동 2023. 5. 20. 18:00\n" + BODY,
            "2023-05-20T18:00",
            "2023. 5. 20. 18:00",
            "unlabelled",
        ),
        (HEAD + "2024.04.19 08:52\n" + BODY, "2024-04-19T08:52", "2024.04.19 08:52", "unlabelled"),
        (HEAD + "입력 2024-08-12\n" + BODY, "2024-08-12", "입력 2024-08-12", "published"),
        (
            HEAD + "입력 2024.08.12 오전 9:30\n" + BODY,
            "2024-08-12T09:30",
            "입력 2024.08.12 오전 9:30",
            "published",
        ),
        (
            HEAD + "기사입력 2024.08.12. 오후 3:05\n" + BODY,
            "2024-08-12T15:05",
            "기사입력 2024.08.12. 오후 3:05",
            "published",
        ),
        (
            HEAD + "입력 : 2024년 08월 12일(월) 09:30\n" + BODY,
            "2024-08-12T09:30",
            "입력 : 2024년 08월 12일(월) 09:30",
            "published",
        ),
        (
            HEAD + "등록 2024/02/29 23:59\n" + BODY,
            "2024-02-29T23:59",
            "등록 2024/02/29 23:59",
            "published",
        ),
        # noon and midnight in the 12-hour clock
        (
            HEAD + "입력 2024.08.12 오후 12:10\n" + BODY,
            "2024-08-12T12:10",
            "입력 2024.08.12 오후 12:10",
            "published",
        ),
        (
            HEAD + "입력 2024.08.12 오전 12:10\n" + BODY,
            "2024-08-12T00:10",
            "입력 2024.08.12 오전 12:10",
            "published",
        ),
        # publication beats revision, on one line in either order, and across lines
        (
            HEAD + "입력 2024.08.12 09:30 수정 2024.08.13 10:00\n" + BODY,
            "2024-08-12T09:30",
            "입력 2024.08.12 09:30",
            "published",
        ),
        (
            HEAD + "수정 2024.08.13 10:00 | 입력 2024.08.12 09:30\n" + BODY,
            "2024-08-12T09:30",
            "입력 2024.08.12 09:30",
            "published",
        ),
        (
            HEAD + "수정 2024-08-13\n" + BODY + "입력 2024-08-12\n",
            "2024-08-12",
            "입력 2024-08-12",
            "published",
        ),
        # an unlabelled date beats a revision date
        (
            HEAD + "수정 2024-08-13\n" + "김기자 2024-08-11 07:00\n" + BODY,
            "2024-08-11T07:00",
            "2024-08-11 07:00",
            "unlabelled",
        ),
        # a revision date alone is better than nothing
        (
            HEAD + "최종수정 2024.08.13 11:00\n" + BODY,
            "2024-08-13T11:00",
            "최종수정 2024.08.13 11:00",
            "modified",
        ),
        # at the bottom, after the body
        (
            HEAD + BODY + "홍길동 기자 2024.01.31 06:00\n",
            "2024-01-31T06:00",
            "2024.01.31 06:00",
            "unlabelled",
        ),
    ],
)
def test_datelines(text: str, iso: str, written: str, kind: str) -> None:
    dateline = find_dateline(text)
    assert dateline is not None
    assert dateline.published.iso() == iso
    assert dateline.published.source is DateSource.DATELINE
    assert dateline.published.text == written
    assert dateline.kind == kind
    assert text[dateline.start : dateline.end].strip() == written
    assert dateline.span == f"{dateline.start}:{dateline.end}"


@pytest.mark.parametrize(
    "text",
    [
        # a date in a body sentence is an event date, not the dateline
        HEAD + "두 회사는 2024.04.19 08:52에 계약서에 서명했다.\n" + BODY,
        HEAD + "발표는 2024년 3월 5일 서울에서 열렸고 참석자가 많았다\n" + BODY,
        # a short line, but it is a sentence
        HEAD + "행사는 2024.04.19에 열린다.\n" + BODY,
        # a date on a long line of text is not a dateline even without a sentence end
        HEAD
        + "관련 일정 정리 2024.04.19 반도체 공동 개발 착수, 이후 설계 검증과 시제품 제작, 양산 준비 순서\n"
        + BODY,
        # impossible dates and times
        HEAD + "입력 2024.02.30 09:00\n" + BODY,
        HEAD + "입력 2024.13.01\n" + BODY,
        # version numbers and figures are not dates
        HEAD + "모델 3.1.5 공개\n" + BODY,
        HEAD + "매출 12345.06.07\n" + BODY,
        # nothing at all
        HEAD + BODY,
    ],
)
def test_not_datelines(text: str) -> None:
    assert find_dateline(text) is None


def test_a_date_in_the_middle_of_a_long_article_is_not_its_dateline() -> None:
    middle = [f"{n}번째 문단은 짧은 설명문이다." for n in range(30)]
    middle[15] = "2024.04.19 08:52"
    assert find_dateline(HEAD + "\n".join(middle) + "\n") is None
    middle[1] = "2024.04.18 07:00"  # near the top: that one counts
    dateline = find_dateline(HEAD + "\n".join(middle) + "\n")
    assert dateline is not None and dateline.published.start == dt.date(2024, 4, 18)


def test_users_extend_the_labels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + "첫게시 2024.05.01 08:00 고침 2024.05.02 09:00 최종수정 2024.05.03\n" + BODY
    assert DatelineFinder().find(text) is not None  # unlabelled: 05-01 comes first anyway
    user = tmp_path / "user"
    user.mkdir()
    (user / "dateline_labels.tsv").write_text("label\tkind\n첫게시\tpublished\n고침\tmodified\n")
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(user))
    dateline = DatelineFinder().find(text)
    assert dateline is not None
    assert (dateline.label, dateline.kind) == ("첫게시", "published")
    assert dateline.published.iso() == "2024-05-01T08:00"


def test_the_default_finder_follows_an_edited_user_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # find_dateline keeps one finder per version of the table: an edit must reach it
    text = HEAD + "첫게시 2024.05.01 08:00 고침 2024.05.02 09:00 최종수정 2024.05.03\n" + BODY
    user = tmp_path / "user"
    user.mkdir()
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(user))
    before = find_dateline(text)
    assert before is not None and before.kind == "unlabelled"
    table = user / "dateline_labels.tsv"
    table.write_text("label\tkind\n첫게시\tpublished\n", encoding="utf-8")
    first = find_dateline(text)
    assert first is not None and (first.label, first.kind) == ("첫게시", "published")
    table.write_text("label\tkind\n첫게시\tmodified\n고침\tpublished\n", encoding="utf-8")
    edited = find_dateline(text)
    assert edited is not None and (edited.label, edited.kind) == ("고침", "published")
    assert edited.published.iso() == "2024-05-02T09:00"


def test_labels_given_directly_replace_the_table() -> None:
    finder = DatelineFinder({"올림": "published"})
    dateline = finder.find(HEAD + "입력 2024.05.02\n올림 2024.05.01\n" + BODY)
    assert dateline is not None and dateline.label == "올림"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("모델을 공개했다.", True),
        ("누구나 쓸 수 있습니다.", True),
        ("그렇죠?", True),
        ("“곧 대세가 될 것”이라고 주장했다.”", True),
        ("왜 구글은 'AI 해자'가 없다고 했을까", False),
        ("오픈소스·폐쇄소스 이번 승자는", False),
        ("메타, 라마 3.1 공개", False),
    ],
)
def test_ends_like_sentence(line: str, expected: bool) -> None:
    assert ends_like_sentence(line) is expected
