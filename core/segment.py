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

import itertools
import re
import threading
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

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


#: per thread: (clean text, its lines, Kiwi's analysis of them) that ``segment_stream``
#: got ahead for the article it is handing to ``segment_or_report``
_ahead = threading.local()


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


def segment_stream(
    articles: Iterable[Article], cancelled: Callable[[], bool] | None = None
) -> Iterator[tuple[Article, list[Sentence], list[Problem]]]:
    """(article, sentences, problems) for every article, in the order given, as
    ``segment_or_report`` gives them, with the lines of all the articles going through one
    Kiwi call.

    Kiwi analyses an iterable of lines on its own threads (without the GIL) a few dozen
    lines ahead of the one handed back, so while the caller works on an article the next
    ones are being analysed: one call per article would leave Kiwi's threads a short batch
    at a time and idle while Python runs. ``articles`` may be a generator: it is read on
    this thread, as Kiwi asks for lines, a little ahead of what is handed back. When
    ``cancelled()`` answers True no more articles are read, and ``Cancelled`` is raised
    once those already read are handed back. Should Kiwi fail on the stream, the articles not yet
    handed back are segmented one at a time, so that the failure lands on the one article
    that causes it.
    """
    source = iter(articles)
    first = next(source, None)
    if first is None:  # nothing to analyse: do not load Kiwi for an empty stream
        return
    source = itertools.chain([first], source)
    # (article, its lines) of the articles read so far and not yet handed back, oldest
    # first; filled from inside Kiwi's iteration, which pulls lines on this thread
    fed: deque[tuple[Article, list[tuple[int, str]]]] = deque()

    stopped = False  # whether cancelled() stopped the reading
    # what reading ``articles`` raised: the caller's error, not Kiwi's, so it must not be
    # taken for a line Kiwi failed on (that would end the stream early without a word)
    source_error: Exception | None = None

    def lines_to_analyse() -> Iterator[str]:
        nonlocal stopped, source_error
        while not stopped:
            stopped = cancelled is not None and cancelled()  # before taking another
            try:
                article = None if stopped else next(source, None)
            except Exception as exc:
                source_error = exc
                raise
            if article is None:
                return
            clean = article.clean
            lines = list(_lines(clean.text)) if clean is not None else []
            fed.append((article, lines))
            for _, line in lines:
                yield line

    def finish(
        article: Article, lines: list[tuple[int, str]], batches: list[Any]
    ) -> tuple[Article, list[Sentence], list[Problem]]:
        # through segment_or_report as for one article, with Kiwi's answer already there
        _ahead.analysis = (article.clean, lines, batches)
        try:
            return article, *segment_or_report(article)
        finally:
            _ahead.analysis = None

    batches: list[Any] = []
    try:
        for batch in _analysed_lines(lines_to_analyse()):
            while not fed[0][1]:  # articles without a line to analyse
                yield finish(*fed.popleft(), [])
            batches.append(batch)
            if len(batches) == len(fed[0][1]):
                yield finish(*fed.popleft(), batches)
                batches = []
    except Cancelled:
        raise
    except Exception:  # noqa: BLE001  (Kiwi failed on some line: find whose, one by one)
        if source_error is not None:
            raise source_error from None
        pending = [article for article, _ in fed]
        fed.clear()
        for article in itertools.chain(pending, source):
            if cancelled is not None and cancelled():
                raise Cancelled() from None
            yield article, *segment_or_report(article)
        return
    while fed:  # trailing articles without a line to analyse
        yield finish(*fed.popleft(), [])
    if stopped:
        raise Cancelled()


def segment_clean(clean: CleanText) -> list[Sentence]:
    """The sentences of one cleaned text; see ``segment_article``."""
    ahead = getattr(_ahead, "analysis", None)
    if ahead is not None and ahead[0] is clean:
        return _sentences(clean, ahead[1], ahead[2])
    lines = list(_lines(clean.text))
    if not lines:
        return []
    return _sentences(clean, lines, list(_analysed_lines(line for _, line in lines)))


def _analysed_lines(lines: Iterable[str]) -> Iterator[list[list[Any]]]:
    """Kiwi's sentences (token lists) of every line, in order.

    ``tokenize(split_sents=True)`` is what ``split_into_sents(return_tokens=True)`` calls,
    without the latter's Python pass over every token to build sub-sentences we never read.
    """
    return get_kiwi().tokenize(lines, split_sents=True)


def _sentences(
    clean: CleanText, lines: list[tuple[int, str]], batches: list[list[list[Any]]]
) -> list[Sentence]:
    """The sentences of ``clean`` from Kiwi's analysis of its ``lines`` (one batch each)."""
    text = clean.text
    pieces: list[_Piece] = []
    for (line_start, _line), sents in zip(lines, batches, strict=True):
        line_pieces: list[_Piece] = []
        for sent in sents:
            tokens = [(t.form, t.tag, (a := line_start + t.start), a + t.len) for t in sent]
            piece = _Piece(tokens[0][2], tokens[-1][3], tokens)
            for part in _split_serial_stops(piece, text):
                line_pieces.extend(_split_after_endings(part))
        pieces.extend(_merge_glued_fragments(line_pieces))
    offsets = clean.offsets
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
                # CleanText.to_source inlined: it runs once per token (140k per 300 articles)
                tokens=[
                    Token(form, tag, offsets[a], offsets[b - 1] + 1)
                    if b > a
                    else Token(form, tag, offsets[a], offsets[a])
                    for form, tag, a, b in piece.tokens
                ],
            )
        )
    return sentences


def _lines(text: str) -> Iterable[tuple[int, str]]:
    """(offset, line) for every line of ``text`` holding more than whitespace; a line longer
    than ``MAX_LINE`` comes in pieces (see ``_pieces``)."""
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        if len(body) > MAX_LINE:
            yield from _pieces(pos, body)
        elif body.strip():
            yield pos, body
        pos += len(line)


#: Kiwi's time on one line grows faster than its length, so a longer line (a page saved
#: without line breaks) goes to Kiwi in pieces of at most this many characters
MAX_LINE = 2000
#: where a piece may end: after a sentence's stop, its closing quotes and the spaces after
_PIECE_END = re.compile(r"[.?!。][\"'”’)\]」』]*\s+")


def _pieces(pos: int, line: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) of a long line cut after the last sentence end within each
    ``MAX_LINE`` characters, else after the last space, else at ``MAX_LINE``."""
    start = 0
    while start < len(line):
        end = len(line)
        if end - start > MAX_LINE:
            end = start + MAX_LINE
            stops = [m.end() for m in _PIECE_END.finditer(line, start, end)]
            space = line.rfind(" ", start, end)
            if stops and stops[-1] > start:
                end = stops[-1]
            elif space > start:
                end = space + 1
        piece = line[start:end]
        if piece.strip():
            yield pos + start, piece
        start = end


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
    # whether out[-1] is a piece made here, whose token list may grow in place: a long line
    # of fragments that all join would otherwise copy the tokens so far at every join
    joined = False
    for piece in pieces:
        if out and out[-1].end == piece.start and not _ends_sentence(out[-1]):
            if not joined:
                prev = out[-1]
                out[-1] = _Piece(prev.start, prev.end, list(prev.tokens))
                joined = True
            out[-1].tokens.extend(piece.tokens)
            out[-1].end = piece.end
        else:
            out.append(piece)
            joined = False
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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
