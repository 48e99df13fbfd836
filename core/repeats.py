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
from bisect import bisect_right
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
#: glued words per Kiwi call: one call holds the GIL for its whole run (about 0.1-0.3 ms a
#: word measured), so a batch this size keeps a window's thread waiting well under 100 ms
KIWI_BATCH = 256
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
    lines = _LineStarts(texts)
    # every sign but Kiwi's verdict, on all occurrences: a candidate failing here cannot
    # pass below, where earlier fragments' claims only take occurrences away
    promising = [
        (fragment, occurrences)
        for fragment, positions in _repeated(texts, blocked, _anchor_prefixes(texts))
        if (occurrences := _promising(texts, fragment, positions, lines)) is not None
    ]
    # so every verdict the loop below can need is asked of Kiwi in one batch
    _ask_kiwi(
        [
            _glued_word(texts[o.doc], o)
            for _, occs in promising
            for o in occs
            if o.evidence == "glued"
        ]
    )
    claimed: list[bytearray] = [bytearray(len(text)) for text in texts]
    claimed_docs: set[int] = set()
    splices: list[Splice] = []
    for fragment, found in promising:
        occurrences = [
            _Occurrence(o.doc, o.start, o.end, o.evidence)
            for o in found
            if o.doc not in claimed_docs or claimed[o.doc].find(1, o.start, o.end) < 0
        ]
        if len(occurrences) < MIN_OCCURRENCES:
            continue
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
            splice = _splice_for(texts[occ.doc], occ, fragment, lines)
            if splice is None:
                continue
            splices.append(splice)
            claimed[occ.doc][splice.start : splice.end] = b"\x01" * (splice.end - splice.start)
            claimed_docs.add(occ.doc)
    splices.sort(key=lambda s: (s.doc, s.start))
    return splices


def _promising(
    texts: Sequence[str],
    fragment: str,
    positions: Sequence[tuple[int, int]],
    lines: _LineStarts,
) -> list[_Occurrence] | None:
    """The occurrences with their surface evidence, or None if Kiwi's verdicts cannot help.

    Each test is one that ``_find_unique`` makes later on fewer occurrences (some taken
    by longer fragments, glued ones Kiwi rejects), and none of them can pass on fewer
    occurrences after failing on all: repetition, a glued occurrence, two interrupted
    ones, two following words, and a splice showing on both sides.
    """
    if not fragment[-1].isalnum():
        return None  # nothing can be glued after it
    size = len(fragment)
    glued = False
    for d, i in positions:
        text = texts[d]
        if i + size < len(text) and text[i + size].isalnum():
            glued = True
            break
    if not glued:
        return None
    occurrences = [
        _Occurrence(d, i, i + size, _surface_evidence(texts[d], i, i + size, fragment, lines, d))
        for d, i in positions
    ]
    interrupted = [o for o in occurrences if o.evidence]
    if len(interrupted) < 2:
        return None
    if len({_next_word(texts[o.doc], o.end) for o in interrupted}) < 2:
        return None
    if any(o.evidence == "standalone" for o in interrupted):
        return occurrences
    if len(fragment.split()) < 2:
        return None
    tight = sum(1 for o in interrupted if _stuck_to_punctuation(texts[o.doc], o.start))
    return occurrences if tight >= 2 else None


def _blocked_mask(text: str, spans: Sequence[tuple[int, int]]) -> bytearray:
    mask = bytearray(len(text))
    for start, end in spans:
        start, end = max(0, start), min(len(text), end)
        if end > start:
            mask[start:end] = b"\x01" * (end - start)
    return mask


#: a word start: a letter or digit (``str.isalnum``) not preceded by one
_WORD_START = re.compile(r"(?<![^\W_])[^\W_]")
#: a word start right after punctuation (no space between): where a tight splice starts
_AFTER_PUNCTUATION = re.compile(r"(?<=[^\w\s]|_)[^\W_]")
#: a word start opening its line (after spaces at most), and the rest of that line
_LINE_OPENING = re.compile(r"^[^\S\n]*(?=[^\W_])([^\n]*)", re.MULTILINE)


def _anchor_prefixes(texts: Sequence[str]) -> set[str]:
    """The first ``MIN_CHARS`` characters after every word start where a splice can show.

    ``_promising`` keeps a fragment only if one of its occurrences stands alone on a short
    line or two are stuck to the punctuation before them, so every fragment it can keep
    has an occurrence starting with one of these prefixes; the others need no prefix walk.
    The set may hold more (removed text is not left out): it only has to miss none.
    """
    prefixes: set[str] = set()
    longest_line = MAX_CHARS - 1 + STANDALONE_EXTRA
    for text in texts:
        for match in _AFTER_PUNCTUATION.finditer(text):
            prefixes.add(text[match.start() : match.start() + MIN_CHARS])
        for match in _LINE_OPENING.finditer(text):
            line = match.group(1).strip()
            if len(line) <= longest_line and not line.endswith(_SENTENCE_END):
                prefixes.add(text[match.start(1) : match.start(1) + MIN_CHARS])
    return prefixes


def _repeated(
    texts: Sequence[str], blocked: Sequence[bytearray], prefixes: set[str] | None = None
) -> list[tuple[str, list[tuple[int, int]]]]:
    """Right-maximal fragments starting at word starts that occur ``MIN_OCCURRENCES`` times.

    The text after every word start (up to ``MAX_CHARS``, a line end or a removed span) is
    a key; identical keys (repeated passages, copied sentences) are grouped by a hash
    first, so that only distinct keys are sorted. Runs of neighbours sharing a prefix are
    the nodes of a prefix tree (LCP intervals), each a fragment whose occurrences stop
    sharing the next character there. Fragments come longest first. With ``prefixes``,
    only fragments starting with one of them are looked for (a fragment's occurrences all
    share its first ``MIN_CHARS`` characters, so those it has are all found).
    """
    groups: dict[str, list[tuple[int, int]]] = {}
    for d, text in enumerate(texts):
        mask = blocked[d]
        masked = 1 in mask
        size = len(text)
        for match in _WORD_START.finditer(text, 0, max(0, size - MIN_CHARS + 1)):
            i = match.start()
            if prefixes is not None and text[i : i + MIN_CHARS] not in prefixes:
                continue  # a key this short or starting otherwise is not wanted either
            if masked and mask[i]:
                continue
            stop = min(size, i + MAX_CHARS)
            line_end = text.find("\n", i, stop)
            if line_end >= 0:
                stop = line_end
            if masked:
                cut = mask.find(1, i, stop)
                if cut >= 0:
                    stop = cut
            if stop - i >= MIN_CHARS:
                key = text[i:stop]
                group = groups.get(key)
                if group is None:
                    groups[key] = [(d, i)]
                else:
                    group.append((d, i))
    keys = sorted(groups)
    positions: list[tuple[int, int]] = []  # every key's positions, in key order
    firsts: list[int] = []  # where each key's positions start in it
    for key in keys:
        firsts.append(len(positions))
        positions.extend(groups[key])
    found: list[tuple[str, list[tuple[int, int]]]] = []

    def report(length: int, first: int, key: int, last: int) -> None:
        if last - first + 1 < MIN_OCCURRENCES or not MIN_CHARS <= length < MAX_CHARS:
            return  # at the cap the text was cut, not branching
        fragment = keys[key][:length]
        if (
            fragment == fragment.rstrip()
            and sum(ch.isalnum() for ch in fragment) >= 3
            and not _INNER_SENTENCE_END.search(fragment)
        ):
            found.append((fragment, positions[first : last + 1]))

    # the classic stack walk over the shared-prefix lengths of neighbouring positions;
    # within one key's positions they all equal the key's length, and a run of equal
    # lengths acts like its first one, so each key is one step plus one for its copies
    stack: list[tuple[int, int, int]] = [(0, 0, 0)]  # (prefix length, first position, key)

    def step(shared: int, k: int, key: int) -> None:
        first, first_key = k - 1, key
        while shared < stack[-1][0]:
            length, first, first_key = stack.pop()
            report(length, first, first_key, k - 1)
        if shared > stack[-1][0]:
            stack.append((shared, first, first_key))

    for g, key in enumerate(keys):
        if len(groups[key]) > 1:
            step(len(key), firsts[g] + 1, g)
        following = g + 1 < len(keys)
        end = firsts[g + 1] if following else len(positions)
        step(_common_prefix(key, keys[g + 1]) if following else 0, end, g)
    found.sort(key=lambda c: (-len(c[0]), c[0]))
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


class _LineStarts:
    """Where each line of each text starts, worked out once per text when first asked: a
    search back and forth for line breaks per occurrence would read a long line again each
    time."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts
        self._starts: dict[int, list[int]] = {}
        self._visible: dict[tuple[int, int], int] = {}

    def bounds(self, doc: int, i: int) -> tuple[int, int]:
        """(start, end) of the line holding offset ``i`` of text ``doc``, without its break."""
        text = self._texts[doc]
        starts = self._starts.get(doc)
        if starts is None:
            starts = self._starts[doc] = [0] + [m.end() for m in re.finditer("\n", text)]
        k = bisect_right(starts, i) - 1
        end = starts[k + 1] - 1 if k + 1 < len(starts) else len(text)
        return starts[k], end

    def first_visible(self, doc: int, line_start: int, line_end: int) -> int:
        """Offset of the first non-space character of a line (``line_end`` if none)."""
        key = (doc, line_start)
        found = self._visible.get(key)
        if found is None:
            match = _VISIBLE.search(self._texts[doc], line_start, line_end)
            found = self._visible[key] = match.start() if match else line_end
        return found


def _surface_evidence(
    text: str, start: int, end: int, fragment: str, lines: _LineStarts, doc: int
) -> str:
    """``glued`` when a letter follows without a space, ``standalone`` for a short line."""
    if end < len(text) and text[end].isalnum() and fragment[-1].isalnum():
        return "glued"
    line_start, line_end = lines.bounds(doc, start)
    if lines.first_visible(doc, line_start, line_end) < start:
        return ""
    # the line is the fragment and what follows it; past this many characters only
    # whitespace may follow (searched, not sliced: the line may be long)
    limit = len(fragment) + STANDALONE_EXTRA
    if _VISIBLE.search(text, start + limit, line_end):
        return ""
    line = text[start:line_end].rstrip()
    if len(line) <= limit and not line.endswith(_SENTENCE_END):
        return "standalone"
    return ""


def _stuck_to_punctuation(text: str, start: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    return not before.isalnum() and not before.isspace()


_VISIBLE = re.compile(r"\S")
#: a word longer than this is not a word; the cap keeps a long line without spaces from
#: being read again for every occurrence in it
MAX_WORD = 100
_NON_SPACE = re.compile(rf"\S{{0,{MAX_WORD}}}")


def _next_word(text: str, end: int) -> str:
    match = _NON_SPACE.match(text, end)
    return match.group() if match else ""


def _glued_word(text: str, occ: _Occurrence) -> tuple[str, int]:
    """The whitespace-delimited word holding the end of a glued occurrence, and the cut."""
    word_start = occ.end
    while word_start > occ.start and not text[word_start - 1].isspace():
        word_start -= 1
    return text[word_start : occ.end] + _next_word(text, occ.end), occ.end - word_start


def _ask_kiwi(keys: Sequence[tuple[str, int]]) -> None:
    """Put Kiwi's verdicts on the (glued word, cut) pairs it has not judged yet in
    ``GLUED_VERDICTS``: one call per ``KIWI_BATCH`` words, which Kiwi spreads over its own
    threads (a call holds the GIL throughout, hence the batches)."""
    asked = sorted(set(keys) - GLUED_VERDICTS.keys())
    if not asked:
        return
    from core.kiwi import get_kiwi  # loaded only when a candidate needs it

    kiwi = get_kiwi()
    for first in range(0, len(asked), KIWI_BATCH):
        batch = asked[first : first + KIWI_BATCH]
        tokenized = kiwi.tokenize([word for word, _ in batch])
        GLUED_VERDICTS.update(
            (key, any(t.start == key[1] and t.tag in _CONTENT_TAGS for t in tokens))
            for key, tokens in zip(batch, tokenized, strict=True)
        )


def _confirm_glued(texts: Sequence[str], glued: list[_Occurrence]) -> list[_Occurrence]:
    """The glued occurrences after which Kiwi starts a content word (not a particle)."""
    keys = [_glued_word(texts[occ.doc], occ) for occ in glued]
    _ask_kiwi(keys)  # already asked in the batch, unless the verdicts were cleared meanwhile
    return [occ for occ, key in zip(glued, keys, strict=True) if GLUED_VERDICTS[key]]


def _splice_for(
    text: str, occ: _Occurrence, fragment: str, lines: _LineStarts
) -> Splice | None:
    """What to cut for one occurrence of a confirmed fragment, or None to keep it."""
    if occ.evidence == "glued":
        return Splice(occ.doc, occ.start, occ.end, "fragment", fragment, "glued")
    if occ.evidence == "standalone":
        line_start, line_end = lines.bounds(occ.doc, occ.start)
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
