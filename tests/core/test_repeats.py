"""The repeated-fragment search (core/repeats.py): its shortcuts change no result.

``test_cleaning.py`` checks what gets removed; these tests check that the fast paths
(hash-grouped prefix walk, the prune before Kiwi, one batched Kiwi call) agree with the
plain definitions on our own small corpora.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import repeats
from core.kiwi import get_kiwi

AD = "주말 특가 쿠폰"
NEWS = "속보 알림 받기"
SPLICED = [
    f"첫째 기사다. 공급망,{AD}수요가 늘었다.\n{NEWS}\n반도체 투자,{NEWS}전망도 밝다.\n",
    f"둘째 기사다. 배터리,{AD}충전 속도가 관건이다.\n전기차 판매,{NEWS}실적이 좋다.\n",
    f"셋째 기사다. 센서,{AD}제어 기술이 발전했다.\n{NEWS}\n로봇 시장은 커진다.\n",
    "넷째 기사다. 인공지능반도체 수요와 인공지능칩 가격, 인공지능서버 투자가 늘었다.\n",
]


# -- the prefix walk ------------------------------------------------------------------


def brute_force_repeated(
    texts: Sequence[str], blocked: Sequence[bytearray]
) -> list[tuple[str, list[tuple[int, int]]]]:
    """``_repeated`` by its definition: every prefix of every key, counted one by one."""
    keys: list[tuple[str, int, int]] = []
    for d, text in enumerate(texts):
        for i in range(len(text)):
            if blocked[d][i] or not text[i].isalnum() or (i > 0 and text[i - 1].isalnum()):
                continue
            key = text[i : i + repeats.MAX_CHARS].split("\n", 1)[0]
            for k, flag in enumerate(blocked[d][i : i + len(key)]):
                if flag:
                    key = key[:k]
                    break
            if len(key) >= repeats.MIN_CHARS:
                keys.append((key, d, i))
    keys.sort()
    found = []
    for fragment in sorted({key[:n] for key, _, _ in keys for n in range(1, len(key) + 1)}):
        having = [(key, d, i) for key, d, i in keys if key.startswith(fragment)]
        following = {key[len(fragment)] if len(key) > len(fragment) else "" for key, _, _ in having}
        right_maximal = len(following) > 1 or following == {""}
        if (
            right_maximal
            and len(having) >= repeats.MIN_OCCURRENCES
            and repeats.MIN_CHARS <= len(fragment) < repeats.MAX_CHARS
            and fragment == fragment.rstrip()
            and sum(ch.isalnum() for ch in fragment) >= 3
            and not repeats._INNER_SENTENCE_END.search(fragment)
        ):
            found.append((fragment, [(d, i) for _, d, i in having]))
    found.sort(key=lambda c: (-len(c[0]), c[0]))
    return found


PIECES = [
    "오픈", "소스", "모델", "모델은", " ", " ", ",", ".", "\n", "칩", "반도체", "AI", "공개",
    "했다. ", "쿠폰", "주말 특가", "3", "-",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), min_size=1, max_size=4),
    st.data(),
)
def test_prefix_walk_matches_the_definition(texts: list[str], data: st.DataObject) -> None:
    blocked = []
    for text in texts:
        mask = bytearray(len(text))
        if text:
            start = data.draw(st.integers(0, len(text) - 1))
            end = data.draw(st.integers(start, min(len(text), start + 6)))
            mask[start:end] = b"\x01" * (end - start)
        blocked.append(mask)
    assert repeats._repeated(texts, blocked) == brute_force_repeated(texts, blocked)


def test_prefix_walk_on_copies_and_nested_fragments() -> None:
    # the same key many times, a key that is a prefix of others, and a removed span
    texts = [
        "오픈 모델 공개\n오픈 모델 공개했다\n오픈 모델\n",
        "오픈 모델 공개. 오픈 모델은 좋다\n",
    ] * 3
    blocked = [bytearray(len(t)) for t in texts]
    blocked[1][3:5] = b"\x01\x01"
    found = dict(repeats._repeated(texts, blocked))
    assert list(found.items()) == brute_force_repeated(texts, blocked)
    # doc 1 lost "모델" of its first line to the removed span; the others keep theirs
    assert sorted(found["오픈 모델 공개"]) == [
        (0, 0), (0, 9), (2, 0), (2, 9), (3, 0), (4, 0), (4, 9), (5, 0)
    ]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), max_size=4))
def test_walk_from_anchors_finds_the_anchored_fragments(texts: list[str]) -> None:
    blocked = [bytearray(len(text)) for text in texts]
    prefixes = repeats._anchor_prefixes(texts)
    every = repeats._repeated(texts, blocked)
    assert repeats._repeated(texts, blocked, prefixes) == [
        (fragment, positions)
        for fragment, positions in every
        if fragment[: repeats.MIN_CHARS] in prefixes
    ]


def test_anchors_are_where_a_splice_can_show() -> None:
    # short lines not ending like a sentence, and words right after punctuation; not a
    # sentence line, nor a line too long to be a promo's own headline
    long_line = "긴 줄 " * 25
    text = (
        "본문은 길게 이어지는 문장이다.\n  속보 알림 받기\n자료,쿠폰 받기\n"
        f"끝맺는 말이다.\n{long_line}\n(사진)\n"
    )
    assert repeats._anchor_prefixes([text]) == {"속보 알", "자료,쿠", "쿠폰 받", "사진)\n"}


# -- Kiwi's verdicts --------------------------------------------------------------------


class CountingKiwi:
    """Kiwi, counting the tokenize calls and the texts it was asked about."""

    def __init__(self) -> None:
        self.calls = 0
        self.texts: list[str] = []
        self.sizes: list[int] = []

    def tokenize(self, texts: Sequence[str]) -> Iterator[object]:
        self.calls += 1
        self.texts.extend(texts)
        self.sizes.append(len(texts))
        return iter(get_kiwi().tokenize(list(texts)))


@pytest.fixture
def counting_kiwi(monkeypatch: pytest.MonkeyPatch) -> CountingKiwi:
    counter = CountingKiwi()
    get_kiwi()  # the real one, loaded before the patch
    monkeypatch.setattr("core.kiwi.get_kiwi", lambda: counter)
    monkeypatch.setattr(repeats, "GLUED_VERDICTS", {})
    return counter


def test_all_verdicts_of_a_corpus_come_from_one_kiwi_call(counting_kiwi: CountingKiwi) -> None:
    splices = repeats.find_spliced_fragments(SPLICED)
    assert {s.fragment for s in splices} == {AD, NEWS}
    assert {(s.doc, s.kind, s.evidence) for s in splices if s.fragment == NEWS} == {
        (0, "line", "standalone"),
        (0, "fragment", "glued"),
        (1, "fragment", "glued"),
        (2, "line", "standalone"),
    }
    assert counting_kiwi.calls == 1
    # the glued words of both fragments were in that one call
    assert {"쿠폰수요가", "받기전망도"} <= set(counting_kiwi.texts)
    # known verdicts are not asked again
    assert repeats.find_spliced_fragments(SPLICED) == splices
    assert counting_kiwi.calls == 1


def test_many_verdicts_are_asked_in_batches(
    counting_kiwi: CountingKiwi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a Kiwi call holds the GIL throughout: many words go in several bounded calls
    whole = repeats.find_spliced_fragments(SPLICED)
    asked = list(counting_kiwi.texts)
    monkeypatch.setattr(repeats, "GLUED_VERDICTS", {})
    monkeypatch.setattr(repeats, "KIWI_BATCH", 2)
    assert repeats.find_spliced_fragments(SPLICED) == whole
    assert sorted(counting_kiwi.texts) == sorted(asked * 2)
    assert counting_kiwi.sizes[1:] == [2] * (len(asked) // 2) + [1] * (len(asked) % 2)


def test_kiwi_is_not_asked_about_fragments_that_cannot_be_splices(
    counting_kiwi: CountingKiwi,
) -> None:
    # one word glued to various nouns, never alone on a line: a compound, whatever Kiwi says
    texts = [SPLICED[3], SPLICED[3].replace("넷째", "다섯째"), "인공지능로봇 개발도 한다.\n"]
    assert repeats.find_spliced_fragments(texts) == []
    assert counting_kiwi.calls == 0
    assert counting_kiwi.texts == []


AD_PIECES = [
    "공급망", "배터리", "수요가", "전망도", "늘었다.", " ", " ", ",", "\n", "\n", AD, NEWS,
    "인공지능", "칩", "반도체", "모델은", "가격",
]  # fmt: skip


def unpruned(
    texts: Sequence[str],
    fragment: str,
    positions: Sequence[tuple[int, int]],
    lines: repeats._LineStarts,
) -> list[repeats._Occurrence]:
    """Every candidate's occurrences with their surface evidence: no candidate pruned."""
    return [
        repeats._Occurrence(
            d,
            i,
            i + len(fragment),
            repeats._surface_evidence(texts[d], i, i + len(fragment), fragment, lines, d),
        )
        for d, i in positions
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(AD_PIECES), max_size=25).map("".join), max_size=5))
def test_the_prune_before_kiwi_changes_no_result(texts: list[str]) -> None:
    pruned = repeats.find_spliced_fragments(texts)
    with pytest.MonkeyPatch.context() as patch:
        # every candidate goes on to Kiwi and the full check
        patch.setattr(repeats, "_promising", unpruned)
        patch.setattr(repeats, "_anchor_prefixes", lambda texts: None)
        assert repeats.find_spliced_fragments(texts) == pruned


def test_the_prune_keeps_the_splices_of_our_corpus() -> None:
    pruned = repeats.find_spliced_fragments(SPLICED)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(repeats, "_promising", unpruned)
        patch.setattr(repeats, "_anchor_prefixes", lambda texts: None)
        assert repeats.find_spliced_fragments(SPLICED) == pruned
    assert len(pruned) == 7
