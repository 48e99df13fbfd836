"""The window's words: Korean names for the codes the pipeline writes, in one place.

Exports and the command line keep the codes (``open_release``, ``Meta``) and the English
reasons; the window shows what this module makes of them, so that one language reads
throughout. A new event type code needs one row in ``EVENT_TYPE_WORDS``; a reason with no
pattern below is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: event type codes in Korean, as every view of the window names them
EVENT_TYPE_WORDS: dict[str, str] = {
    "release": "출시",
    "open_release": "오픈소스 공개",
    "partnership": "제휴",
    "alliance": "연합",
    "announcement": "발표",
    "statement": "입장",
    "meeting": "회동",
    "conference": "행사",
    "leak": "유출",
    "plan": "계획",
    "investment": "투자",
    "funding": "투자 유치",
    "acquisition": "인수",
    "merger": "합병",
    "launch": "출범",
    "lawsuit": "소송",
    "regulation": "규제",
    "policy": "정책",
    "founding": "설립",
    "apply": "적용",
    "market": "시장",
    "hiring": "영입",
    "departure": "퇴진",
    "benchmark": "성능 평가",
    "research": "연구",
    "other": "기타",
}


def type_word(event_type: object) -> str:
    """The Korean word for an event type code (the code itself if none is known yet)."""
    code = str(event_type or "")
    return EVENT_TYPE_WORDS.get(code, code)


def actor_names(cell: object, names: Mapping[str, str]) -> str:
    """A ``;``-joined cell of entity ids (``Meta;Mark Zuckerberg``) as the entities'
    display names (``메타, 마크 저커버그``); an id with no name is shown as it is."""
    if not isinstance(cell, str) or not cell:
        return ""
    return ", ".join(names.get(part, part) for part in cell.split(";") if part)


def entity_names(entities: object) -> dict[str, str]:
    """Entity id -> display name from a timeline's entities frame (``entity_id``, ``name``)."""
    columns = getattr(entities, "columns", ())
    if "entity_id" not in columns or "name" not in columns:
        return {}
    pairs: Iterable = zip(entities["entity_id"], entities["name"], strict=True)
    return {str(i): str(n) for i, n in pairs if isinstance(n, str) and n and isinstance(i, str)}


# the reasons the pipeline gives (English, for the command line), as the window says them
_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"corpus folder not found: (?P<p>.+)"), "코퍼스 폴더가 없습니다: {p}"),
    (re.compile(r"not a folder: (?P<p>.+)"), "폴더가 아닙니다: {p}"),
    (
        re.compile(r"cannot read the corpus folder (?P<p>.+?): (?P<e>.+)"),
        "코퍼스 폴더를 읽을 수 없습니다: {p} ({e})",
    ),
    (re.compile(r"the corpus folder is empty: (?P<p>.+)"), "코퍼스 폴더가 비어 있습니다: {p}"),
    (
        re.compile(r"no article files \((?P<s>[^)]*)\) in (?P<p>.+)"),
        "기사 파일({s})이 없습니다: {p}",
    ),
    (
        re.compile(
            r"no readable article in (?P<p>.+?): (?P<n>\d+) article file\(s\), none could be read: (?P<d>.+)",
            re.DOTALL,
        ),
        "읽을 수 있는 기사가 없습니다: {p} (기사 파일 {n}개 모두 읽지 못함: {d})",
    ),
    (re.compile(r"folder cannot be read: (?P<e>.+)"), "폴더를 읽을 수 없습니다 ({e})"),
    (re.compile(r"cannot be read: (?P<e>.+)"), "파일을 읽을 수 없습니다 ({e})"),
    (
        re.compile(
            r"too large for a news article: (?P<s>[^(]+) \((?P<b>[^)]*)\), over the (?P<l>.+) limit; not loaded"
        ),
        "뉴스 기사로 보기에 너무 큽니다: {s}({b}), 한도 {l} 초과라 불러오지 않음",
    ),
    (
        re.compile(
            r"manifest date (?P<m>\S+) and dateline '(?P<t>.*)' \((?P<d>[^)]*)\) disagree; the manifest's date is used"
        ),
        "목록(manifest)의 날짜 {m}와 기사 날짜줄 '{t}'({d})가 다릅니다. 목록의 날짜를 씁니다",
    ),
    (
        re.compile(
            r"line (?P<n>\d+): '(?P<f>.*)' is not an article file \(\*\.txt, \*\.md\); row ignored"
        ),
        "{n}행: '{f}'은(는) 기사 파일(*.txt, *.md)이 아니라 이 행을 무시합니다",
    ),
    (
        re.compile(r"line (?P<n>\d+): '(?P<f>.*)' is a hidden file, never loaded; row ignored"),
        "{n}행: '{f}'은(는) 숨김 파일이라 불러오지 않고 이 행을 무시합니다",
    ),
    (
        re.compile(r"line (?P<n>\d+): names '(?P<f>.*)', which is not in the corpus folder"),
        "{n}행: '{f}' 파일이 코퍼스 폴더에 없습니다",
    ),
    (re.compile(r"sentence segmentation failed: (?P<e>.+)"), "문장 나누기에 실패했습니다: {e}"),
]


def reason_text(reason: object) -> str:
    """A problem's or a failed load's reason in Korean, where its pattern is known."""
    text = str(reason)
    for pattern, korean in _REASONS:
        found = pattern.fullmatch(text.strip())
        if found:
            return korean.format(**found.groupdict())
    return text
