"""Splitting an article's cleaned text into sentences with their Kiwi tokens.

Kiwi ignores line breaks, so the text is cut into lines first and every line is split into
sentences in one batch call that also returns the tokens (one pass instead of split, then
tokenise: see ``tests/benchmarks/bench_load.py``). Offsets come back relative to a line;
they are moved to the cleaned text and then, through ``CleanText.offsets``, to the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from core.kiwi import get_kiwi
from core.model import Article, CleanText, Sentence, Token

#: Kiwi's serial-number matcher reads a sentence-final ``3.0.`` as one W_SERIAL token, so
#: the sentence runs on into the next one; such a token is cut into number + full stop.
_SERIAL_WITH_STOP = re.compile(r"\d+(?:\.\d+)+\.")
#: ``2024.8.7.`` is a date, not a version at a sentence end: its stop does not end a sentence
_DOTTED_DATE = re.compile(r"\d{4}\.\d{1,2}\.\d{1,2}\.")
#: a number with one decimal point is what Kiwi tags SN when no stop is glued to it
_DECIMAL = re.compile(r"\d+\.\d+")


@dataclass
class _Piece:
    """A sentence while it is being built: clean-text span and tokens in clean offsets."""

    start: int
    end: int
    tokens: list[tuple[str, str, int, int]]


def segment_article(article: Article) -> list[Sentence]:
    """The sentences of ``article.clean`` with tokens, in source and clean offsets.

    Raises ``ValueError`` when the article has not been cleaned.
    """
    if article.clean is None:
        raise ValueError("not cleaned before segmentation")
    return segment_clean(article.clean)


def segment_clean(clean: CleanText) -> list[Sentence]:
    """The sentences of one cleaned text; see ``segment_article``."""
    text = clean.text
    lines = list(_lines(text))
    if not lines:
        return []
    kiwi = get_kiwi()
    pieces: list[_Piece] = []
    batches = kiwi.split_into_sents((line for _, line in lines), return_tokens=True)
    for (line_start, _line), sents in zip(lines, batches, strict=True):
        for sent in sents:
            tokens = [
                (t.form, t.tag, line_start + t.start, line_start + t.start + t.len)
                for t in sent.tokens
            ]
            piece = _Piece(line_start + sent.start, line_start + sent.end, tokens)
            pieces.extend(_split_serial_stops(piece, text))
    sentences: list[Sentence] = []
    for piece in pieces:
        start, end = _strip(text, piece.start, piece.end)
        if start >= end:
            continue
        src_start, src_end = clean.to_source(start, end)
        sentences.append(
            Sentence(
                index=len(sentences),
                text=text[start:end],
                start=src_start,
                end=src_end,
                clean_start=start,
                clean_end=end,
                tokens=[_source_token(clean, tok) for tok in piece.tokens],
            )
        )
    return sentences


def _lines(text: str) -> Iterable[tuple[int, str]]:
    """(offset, line) for every line of ``text`` holding more than whitespace."""
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        if body.strip():
            yield pos, body
        pos += len(line)


def _split_serial_stops(piece: _Piece, text: str) -> list[_Piece]:
    """Cut W_SERIAL tokens like ``3.0.`` into ``3.0`` + ``.`` and end the sentence there."""
    out: list[_Piece] = []
    current: list[tuple[str, str, int, int]] = []
    start = piece.start
    for form, tag, t_start, t_end in piece.tokens:
        if tag != "W_SERIAL" or not _SERIAL_WITH_STOP.fullmatch(form):
            current.append((form, tag, t_start, t_end))
            continue
        number = form[:-1]
        current.append((number, "SN" if _DECIMAL.fullmatch(number) else tag, t_start, t_end - 1))
        current.append((".", "SF", t_end - 1, t_end))
        if _DOTTED_DATE.fullmatch(form):
            continue
        out.append(_Piece(start, t_end, current))
        current = []
        start = t_end
    if out:
        if current:
            out.append(_Piece(start, piece.end, current))
        elif text[start : piece.end].strip():
            # text Kiwi gave no token (unlikely): keep it in the last sentence
            out[-1].end = piece.end
        return out
    return [piece]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _source_token(clean: CleanText, token: tuple[str, str, int, int]) -> Token:
    form, tag, start, end = token
    src_start, src_end = clean.to_source(start, end)
    return Token(form, tag, src_start, src_end)
