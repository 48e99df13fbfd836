"""The shortcuts of the extraction hot paths give what the plain way gives.

Entity placement bisects ordered tokens, the quote mask skips sentences without double
quotes, the event dater skips sentences that cannot hold a date and hands the resolver its
tokens only on demand. Each is checked against the plain computation on the seeds.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace

import pytest

from core.clauses import quote_mask
from core.dates import resolve
from core.dates.tense import tokenize
from core.entities import find_mentions
from core.event_roles import place_mentions
from core.events import extract_events
from core.lexicon import load_lexicon
from core.model import DateSource, Published, Sentence, Token
from core.predicates import find_triggers
from core.segment import sentence_tokens


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def _overlapping(tokens: list[Token], start: int, end: int) -> list[int]:
    return [i for i, t in enumerate(tokens) if t.start < end and t.end > start]


def test_placed_spans_are_the_tokens_each_mention_overlaps(seeds_corpus, lexicon):
    placed_count = 0
    for article in seeds_corpus.articles:
        for sentence in article.sentences:
            mentions = find_mentions(sentence, article.source_text, lexicon)
            # in Kiwi's order (bisection) and backwards (not ordered: the plain scan)
            for tokens in (list(sentence.tokens), list(reversed(sentence.tokens))):
                quoted = [False] * len(tokens)
                for p in place_mentions(tokens, mentions, set(), quoted):
                    span = _overlapping(tokens, p.mention.start, p.mention.end)
                    assert (p.first, p.last) == (span[0], span[-1])
                    placed_count += 1
    assert placed_count > 100  # the seeds name many entities: the check checked something


def test_placing_skips_a_mention_no_token_overlaps(lexicon):
    tokens = [Token("메타", "NNP", 0, 2), Token("가", "JKS", 2, 3)]
    [mention] = find_mentions_of("메타가", tokens, lexicon)
    moved = replace(mention, start=10, end=12)
    assert [p.first for p in place_mentions(tokens, [mention], set(), [False, False])] == [0]
    assert place_mentions(tokens, [moved], set(), [False, False]) == []


def find_mentions_of(text: str, tokens: list[Token], lexicon):
    sentence = Sentence(0, text, 0, len(text), 0, len(text), tokens)
    return find_mentions(sentence, text, lexicon)


def _plain_quote_mask(tokens: list[Token]) -> list[bool]:
    mask, inside = [], False
    for token in tokens:
        if token.form == "“" or (token.form == '"' and not inside):
            inside = True
            mask.append(True)
        elif token.form == "”" or (token.form == '"' and inside):
            inside = False
            mask.append(True)
        else:
            mask.append(inside)
    return mask


def test_quote_mask_with_and_without_quotes(seeds_corpus):
    with_quotes = 0
    for article in seeds_corpus.articles:
        for sentence in article.sentences:
            tokens = list(sentence.tokens)
            assert quote_mask(tokens) == _plain_quote_mask(tokens)
            with_quotes += any(quote_mask(tokens))
    assert with_quotes > 0  # both ways were taken
    tokens = [Token("“", "SS", 0, 1), Token("공개", "NNG", 1, 3), Token("”", "SS", 3, 4)]
    assert quote_mask(tokens) == [True, True, True]
    assert quote_mask([Token("공개", "NNG", 0, 2)]) == [False]


def test_triggers_take_the_longest_match_and_skip_what_it_covers():
    # 출범/NNG 시키/XSV: one trigger over both tokens; nothing else starts inside it
    tokens = [
        Token("동맹", "NNG", 0, 2),
        Token("을", "JKO", 2, 3),
        Token("출범", "NNG", 4, 6),
        Token("시키", "XSV", 6, 8),
        Token("었", "EP", 8, 9),
        Token("다", "EF", 9, 10),
    ]
    [trigger] = find_triggers(tokens)
    assert (trigger.lemma, trigger.first, trigger.last) == ("출범하다", 2, 3)


def test_events_are_the_same_without_the_dating_shortcuts(seeds_corpus, lexicon):
    """A resolver other than the default gets no shortcut (every sentence, tokens given as a
    list): the seeds' events come out the same either way."""

    def plain(text, published, *, tokens=None, anchor=None):
        assert tokens is None or isinstance(tokens, list)
        return resolve(text, published, tokens=tokens, anchor=anchor)

    total = 0
    for article in seeds_corpus.articles:
        fast = extract_events(copy.deepcopy(article), lexicon)
        slow = extract_events(copy.deepcopy(article), lexicon, resolve=plain)
        assert fast == slow
        total += len(fast)
    assert total > 10


def test_resolver_reads_tokens_only_when_a_date_needs_them(seeds_corpus):
    published = Published(dt.date(2024, 4, 20), dt.date(2024, 4, 20), "day", DateSource.MANIFEST)
    calls = []
    compared = 0
    for article in seeds_corpus.articles:
        for sentence in article.sentences[:40]:
            tokens = sentence_tokens(article, sentence)

            def given(tokens=tokens):
                calls.append(1)
                return tokens

            lazy = resolve(sentence.text, published, tokens=given)
            assert lazy == resolve(sentence.text, published, tokens=tokens)
            compared += bool(lazy)
    assert compared > 5
    calls.clear()
    assert resolve("메타가 새 모델을 공개했다.", published, tokens=lambda: calls.append(1)) == []
    assert calls == []
    # digits that are no date pass the early exit but need no tokens either
    for text in ("메타는 라마 3.1 모델을 공개했다.", "엔비디아는 H100 칩 100개를 팔았다."):
        assert resolve(text, published, tokens=lambda: calls.append(1)) == []
    assert calls == []
    # two dates needing a tense: the tokens are made once for the text
    text = "메타는 3일 새 모델을 공개했고 5일 또 공개했다."
    made = tokenize(text)

    def counted():
        calls.append(1)
        return made

    lazy = resolve(text, published, tokens=counted)
    assert [e.text for e in lazy] == ["3일", "5일"]
    assert lazy == resolve(text, published, tokens=made)
    assert calls == [1]
