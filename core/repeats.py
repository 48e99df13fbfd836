"""Finding fragments spliced into articles: ads or teasers repeated inside the body text.

Scraped pages sometimes carry a promo phrase (a quiz title, a "live update" teaser) that the
scraper pastes into the body several times, often glued to the next word without a space:
``학습할 때 사용한 데이터,드림카 월드컵매개변수``. No table can list such phrases in advance,
so they are found from two signs together:

* repetition: a fragment of at least ``MIN_CHARS`` characters, starting at a word start,
  occurs at least ``MIN_OCCURRENCES`` times in one article or across the corpus;
* interruption: in at least two occurrences it breaks the word flow, either glued to a
  following content word (Kiwi sees a noun, verb, ... start right where the fragment ends,
  not a particle or an ending: ``월드컵매개변수`` but not ``오픈소스는``), or as a short
  standalone line that is not a sentence. At least one occurrence must be glued;
* and the splice shows on both sides: either some occurrence stands alone as a short line
  (the promo's own headline), or the fragment has several words and at least two glued
  occurrences are also stuck to the punctuation before them (``데이터,드림카 월드컵매개변수``).

Repetition alone is not enough: a body phrase such as ``오픈소스`` or ``폐쇄형 AI 모델``
repeats a lot but is followed by particles (``오픈소스는``, ``모델을``) or spaces, never
glued to the next word. The last condition keeps compounds written without a space
(``인공지능반도체``, ``인공지능칩``): one word glued to various nouns is normal Korean.
Removing a glued occurrence leaves the following word standing after a space or
punctuation, i.e. better-formed text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

#: shortest fragment (characters, spaces included) worth considering
MIN_CHARS = 4
#: longest fragment followed; longer promos are caught by their first MAX_CHARS characters
MAX_CHARS = 40
#: how often a fragment must occur (in one article or across the corpus)
MIN_OCCURRENCES = 3
#: a standalone line may hold this many characters besides the fragment ("- 실시간 업데이트")
STANDALONE_EXTRA = 30

#: Kiwi tags that start a new word of content; particles (J*), endings (E*), suffixes (XS*),
#: the copula and bound nouns continue the previous word instead, and so do numbers
#: (``라마3``, ``판0``: a digit glued to a word is normal writing)
_CONTENT_TAGS = frozenset(
    {"NNG", "NNP", "NR", "NP", "VV", "VA", "MM", "MAG", "MAJ", "XR", "XPN", "SL", "SH", "IC"}
)
#: a promo phrase does not run across a sentence end; a repeated passage of a copied
#: article does
_INNER_SENTENCE_END = re.compile(r"[.?!。][\"'”’)]*\s")
_SENTENCE_END = tuple(".?!。…\"'”’")
#: Kiwi's verdict per (glued word, cut): does a content word start at the cut? Kept for the
#: process, and across runs by ``core.pipeline`` in the analysis cache, so that cleaning an
#: unchanged corpus does not load Kiwi
GLUED_VERDICTS: dict[tuple[str, int], bool] = {}


@dataclass(frozen=True)
class Splice:
    """One occurrence of a spliced fragment to remove from document ``doc``.

    ``start``/``end`` are offsets in that document's text; ``kind`` is ``"fragment"`` (cut
    out of a line) or ``"line"`` (the whole line it stands on, without its line break).
    """

    doc: int
    start: int
    end: int
    kind: str
    fragment: str
    evidence: str  # glued | standalone | after-comma | line-start


@dataclass
class _Occurrence:
    doc: int
    start: int
    end: int
    evidence: str = ""  # "", glued, standalone


def find_spliced_fragments(
    texts: Sequence[str],
    excluded: Sequence[Sequence[tuple[int, int]]] | None = None,
) -> list[Splice]:
    """The occurrences of spliced fragments in ``texts`` (one text per article).

    ``excluded[d]`` lists spans of text ``d`` already removed by other rules; occurrences
    touching them are not counted. Splices come sorted by document and offset and never
    overlap. Identical articles (the same file saved twice) are looked at once, so a copy
    does not make its own phrases look repeated.
    """
    first_copy: dict[tuple[str, tuple[tuple[int, int], ...]], int] = {}
    copy_of: list[int] = []
    unique: list[int] = []
    for d, text in enumerate(texts):
        key = (text, tuple(sorted(excluded[d])) if excluded else ())
        if key not in first_copy:
            first_copy[key] = len(unique)
            unique.append(d)
        copy_of.append(first_copy[key])
    found = _find_unique(
        [texts[d] for d in unique], [excluded[d] for d in unique] if excluded else None
    )
    by_unique: dict[int, list[Splice]] = {}
    for splice in found:
        by_unique.setdefault(splice.doc, []).append(splice)
    return [
        replace(splice, doc=d) for d, u in enumerate(copy_of) for splice in by_unique.get(u, [])
    ]


def _find_unique(
    texts: Sequence[str], excluded: Sequence[Sequence[tuple[int, int]]] | None
) -> list[Splice]:
    blocked = [_blocked_mask(text, excluded[d] if excluded else ()) for d, text in enumerate(texts)]
    claimed: list[bytearray] = [bytearray(len(text)) for text in texts]
    candidates = sorted(_repeated(texts, blocked), key=lambda c: (-len(c[0]), c[0]))
    splices: list[Splice] = []
    for fragment, positions in candidates:
        occurrences = [
            _Occurrence(d, i, i + len(fragment))
            for d, i in positions
            if not any(claimed[d][i : i + len(fragment)])
        ]
        if len(occurrences) < MIN_OCCURRENCES:
            continue
        for occ in occurrences:
            occ.evidence = _surface_evidence(texts[occ.doc], occ, fragment)
        glued = [o for o in occurrences if o.evidence == "glued"]
        standalone = [o for o in occurrences if o.evidence == "standalone"]
        if not glued or len(glued) + len(standalone) < 2:
            continue
        if len({_next_word(texts[o.doc], o.end) for o in glued + standalone}) < 2:
            continue  # always the same context: a duplicated article, not a splice
        confirmed = _confirm_glued(texts, glued)
        for occ in glued:
            if occ not in confirmed:
                occ.evidence = ""
        if not confirmed or len(confirmed) + len(standalone) < 2:
            continue
        if len({_next_word(texts[o.doc], o.end) for o in confirmed + standalone}) < 2:
            continue  # always the same context: a duplicated article, not a splice
        tight = [o for o in confirmed if _stuck_to_punctuation(texts[o.doc], o.start)]
        if not standalone and not (len(fragment.split()) > 1 and len(tight) >= 2):
            continue
        for occ in occurrences:
            splice = _splice_for(texts[occ.doc], occ, fragment)
            if splice is None:
                continue
            splices.append(splice)
            for k in range(splice.start, splice.end):
                claimed[occ.doc][k] = 1
    splices.sort(key=lambda s: (s.doc, s.start))
    return splices


def _blocked_mask(text: str, spans: Sequence[tuple[int, int]]) -> bytearray:
    mask = bytearray(len(text))
    for start, end in spans:
        for k in range(max(0, start), min(len(text), end)):
            mask[k] = 1
    return mask


def _is_word_start(text: str, i: int) -> bool:
    return text[i].isalnum() and (i == 0 or not text[i - 1].isalnum())


def _repeated(
    texts: Sequence[str], blocked: Sequence[bytearray]
) -> list[tuple[str, list[tuple[int, int]]]]:
    """Right-maximal fragments starting at word starts that occur ``MIN_OCCURRENCES`` times.

    The text after every word start (up to ``MAX_CHARS``, a line end or a removed span) is
    sorted; runs of neighbours sharing a prefix are the nodes of a prefix tree (LCP
    intervals), each a fragment whose occurrences stop sharing the next character there.
    """
    keys: list[tuple[str, int, int]] = []
    for d, text in enumerate(texts):
        mask = blocked[d]
        for i in range(len(text) - MIN_CHARS + 1):
            if _is_word_start(text, i) and not mask[i]:
                key = text[i : i + MAX_CHARS].split("\n", 1)[0]
                if 1 in mask[i : i + len(key)]:
                    key = key[: mask.index(1, i) - i]
                if len(key) >= MIN_CHARS:
                    keys.append((key, d, i))
    keys.sort()
    found: list[tuple[str, list[tuple[int, int]]]] = []

    def report(length: int, first: int, last: int) -> None:
        fragment = keys[first][0][:length]
        if (
            last - first + 1 >= MIN_OCCURRENCES
            and MIN_CHARS <= length < MAX_CHARS  # at the cap the text was cut, not branching
            and fragment == fragment.rstrip()
            and sum(ch.isalnum() for ch in fragment) >= 3
            and not _INNER_SENTENCE_END.search(fragment)
        ):
            found.append((fragment, [(d, i) for _, d, i in keys[first : last + 1]]))

    stack: list[tuple[int, int]] = [(0, 0)]  # (shared prefix length, first key index)
    for k in range(1, len(keys) + 1):
        shared = _common_prefix(keys[k - 1][0], keys[k][0]) if k < len(keys) else 0
        first = k - 1
        while shared < stack[-1][0]:
            length, first = stack.pop()
            report(length, first, k - 1)
        if shared > stack[-1][0]:
            stack.append((shared, first))
    return found


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix of two short strings (binary search on slices)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _line_bounds(text: str, i: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, i) + 1
    end = text.find("\n", i)
    return start, (len(text) if end < 0 else end)


def _surface_evidence(text: str, occ: _Occurrence, fragment: str) -> str:
    """``glued`` when a letter follows without a space, ``standalone`` for a short line."""
    end = occ.end
    if end < len(text) and text[end].isalnum() and fragment[-1].isalnum():
        return "glued"
    line_start, line_end = _line_bounds(text, occ.start)
    line = text[line_start:line_end].strip()
    if (
        not text[line_start : occ.start].strip()
        and len(line) <= len(fragment) + STANDALONE_EXTRA
        and not line.endswith(_SENTENCE_END)
    ):
        return "standalone"
    return ""


def _stuck_to_punctuation(text: str, start: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    return not before.isalnum() and not before.isspace()


def _next_word(text: str, end: int) -> str:
    stop = end
    while stop < len(text) and not text[stop].isspace():
        stop += 1
    return text[end:stop]


def _confirm_glued(texts: Sequence[str], glued: list[_Occurrence]) -> list[_Occurrence]:
    """The glued occurrences after which Kiwi starts a content word (not a particle)."""
    from core.kiwi import get_kiwi  # loaded only when a candidate needs it

    words: list[str] = []
    cuts: list[int] = []
    for occ in glued:
        text = texts[occ.doc]
        word_start = occ.end
        while word_start > occ.start and not text[word_start - 1].isspace():
            word_start -= 1
        word_end = occ.end
        while word_end < len(text) and not text[word_end].isspace():
            word_end += 1
        words.append(text[word_start:word_end])
        cuts.append(occ.end - word_start)
    # copied articles repeat the same words: ask Kiwi once per distinct word and cut
    asked = sorted(set(zip(words, cuts)) - GLUED_VERDICTS.keys())
    if asked:
        GLUED_VERDICTS.update(
            (key, any(t.start == key[1] and t.tag in _CONTENT_TAGS for t in tokens))
            for key, tokens in zip(asked, get_kiwi().tokenize(w for w, _ in asked), strict=True)
        )
    verdict = GLUED_VERDICTS
    return [
        occ for occ, key in zip(glued, zip(words, cuts, strict=True), strict=True) if verdict[key]
    ]


def _splice_for(text: str, occ: _Occurrence, fragment: str) -> Splice | None:
    """What to cut for one occurrence of a confirmed fragment, or None to keep it."""
    if occ.evidence == "glued":
        return Splice(occ.doc, occ.start, occ.end, "fragment", fragment, "glued")
    if occ.evidence == "standalone":
        line_start, line_end = _line_bounds(text, occ.start)
        return Splice(occ.doc, line_start, line_end, "line", fragment, "standalone")
    # weaker signs count only once the fragment is known to be spliced elsewhere
    before = text[occ.start - 1] if occ.start > 0 else "\n"
    after_end = occ.end
    while after_end < len(text) and text[after_end] in " \t\u00a0":
        after_end += 1
    if before in ",·" and after_end > occ.end:
        return Splice(occ.doc, occ.start, after_end, "fragment", fragment, "after-comma")
    if before == "\n" and after_end > occ.end:
        return Splice(occ.doc, occ.start, after_end, "fragment", fragment, "line-start")
    return None
