"""Splitting an article's cleaned text into sentences with their Kiwi tokens.

Kiwi ignores line breaks, so the text is cut into lines first and every line is split into
sentences in one batch call that also returns the tokens (one pass instead of split, then
tokenise: see ``tests/benchmarks/bench_load.py``). Offsets come back relative to a line;
they are moved to the cleaned text and then, through ``CleanText.offsets``, to the source.

Three of Kiwi's boundary mistakes on news text are repaired on its tokens: a sentence-final
version number swallowing the stop (``엑사원 3.0.``), a sentence running on when a Latin
letter is glued after the stop (``공개했다.GPT``), and a boundary placed after the quoted
word that opens the next sentence (``발표했다. '제미나이'`` + ``는 ...``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from core.kiwi import get_kiwi
from core.model import Article, Cancelled, CleanText, Problem, Sentence, Severity, Token

#: Kiwi's serial-number matcher reads a sentence-final ``3.0.`` as one W_SERIAL token, so
#: the sentence runs on into the next one; such a token is cut into number + full stop.
_SERIAL_WITH_STOP = re.compile(r"\d+(?:\.\d+)+\.")
#: ``2024.8.7.`` is a date, not a version at a sentence end: its stop does not end a sentence
_DOTTED_DATE = re.compile(r"\d{4}\.\d{1,2}\.\d{1,2}\.")
#: closing quotes and brackets that may follow a sentence's stop; straight quotes are left
#: to Kiwi's tag (SSO or SSC), since the same character opens and closes
_CLOSERS = frozenset("”’′″」』》〉)]")
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


def segment_or_report(article: Article) -> tuple[list[Sentence], list[Problem]]:
    """(sentences, []) for ``article``, or ([], the problem naming why segmentation
    failed): one bad article must not stop the others."""
    try:
        return segment_article(article), []
    except Cancelled:
        raise
    except Exception as exc:  # noqa: BLE001  (one bad article must not stop the others)
        reason = f"sentence segmentation failed: {exc}"
        return [], [Problem(article.file, reason, Severity.ERROR)]


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
        line_pieces: list[_Piece] = []
        for sent in sents:
            tokens = [
                (t.form, t.tag, line_start + t.start, line_start + t.start + t.len)
                for t in sent.tokens
            ]
            piece = _Piece(line_start + sent.start, line_start + sent.end, tokens)
            for part in _split_serial_stops(piece, text):
                line_pieces.extend(_split_after_endings(part))
        pieces.extend(_merge_glued_fragments(line_pieces))
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


def _is_closer(token: tuple[str, str, int, int]) -> bool:
    """A closing quote or bracket (Kiwi tags some curly quotes SW, hence the forms)."""
    return token[1] == "SSC" or token[0] in _CLOSERS


def _split_after_endings(piece: _Piece) -> list[_Piece]:
    """End a sentence after a final ending and its stop that Kiwi ran on from.

    Kiwi does not split ``공개했다.GPT,제미나이에 ...`` (a Latin letter glued after the
    stop); a final ending (EF) + stop (SF) followed by anything but a closing quote ends
    the sentence whatever comes next.
    """
    tokens = piece.tokens
    out: list[_Piece] = []
    first = 0
    start = piece.start
    for i in range(1, len(tokens) - 1):
        if tokens[i][1] == "SF" and tokens[i - 1][1] == "EF" and not _is_closer(tokens[i + 1]):
            out.append(_Piece(start, tokens[i][3], tokens[first : i + 1]))
            first = i + 1
            start = tokens[i + 1][2]
    if not out:
        return [piece]
    out.append(_Piece(start, piece.end, tokens[first:]))
    return out


def _ends_sentence(piece: _Piece) -> bool:
    """Whether the piece closes with a stop, possibly inside closing quotes."""
    i = len(piece.tokens) - 1
    while i >= 0 and _is_closer(piece.tokens[i]):
        i -= 1
    return i >= 0 and piece.tokens[i][1] == "SF"


def _merge_glued_fragments(pieces: list[_Piece]) -> list[_Piece]:
    """Join a piece that does not end a sentence to the next one when nothing separates them.

    Kiwi sometimes puts a boundary after a quoted word that opens the next sentence
    (``발표했다. '제미나이'`` + ``는 클라우드 ...``); once the stop has been split off by
    ``_split_after_endings``, the quoted word is a fragment glued to its sentence.
    """
    out: list[_Piece] = []
    for piece in pieces:
        if out and out[-1].end == piece.start and not _ends_sentence(out[-1]):
            prev = out[-1]
            out[-1] = _Piece(prev.start, piece.end, prev.tokens + piece.tokens)
        else:
            out.append(piece)
    return out


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


def sentence_tokens(article: Article, sentence: Sentence) -> list[Token]:
    """A sentence's tokens with offsets into ``sentence.text`` (what the date resolver reads).

    Token offsets are source offsets; the sentence text is clean text, which may lack a
    removed fragment, so the offsets go through the clean-to-source map backwards.
    """
    if article.clean is None:
        shift = sentence.start
        return [Token(t.form, t.tag, t.start - shift, t.end - shift) for t in sentence.tokens]
    offsets, base = article.clean.offsets, sentence.clean_start
    return [
        Token(
            t.form, t.tag, bisect_left(offsets, t.start) - base, bisect_left(offsets, t.end) - base
        )
        for t in sentence.tokens
    ]
