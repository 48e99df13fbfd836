"""Finding lexicon entities in a sentence, on Kiwi token boundaries, with source offsets.

Kiwi decides where words start and end; the lexicon decides what they are. A mention is
an alias whose characters (compared without spaces, Latin case folded) run from a token
start to a token end of the sentence, so ``허깅 페이스`` and ``허깅페이스`` match the same
alias even when Kiwi cuts a name into several tokens or glues it into one.

- Left edge: a token start that is not glued to a preceding word (``챗GPT`` holds no
  ``GPT`` mention); punctuation, spaces and Hanja prefixes (``美``) may precede.
- Right edge: a token end followed by a space, punctuation, or a glued particle, ending
  or suffix (``메타가``, ``라마 3.1을``, ``오픈AI의``); a glued noun rejects it
  (``구글링``). Names inside one Kiwi word never match (``메타버스``, ``인텔리전스``).
- Longest match wins (``구글 클라우드`` over ``구글``).
- A parenthesised alias of the same entity, its ancestor or a descendant right after a
  mention joins it: ``제미나이(Gemini)`` is one mention, ``아마존 리인벤트(AWS re:Invent
  2023)`` one mention of the more specific entity.

Unlinked candidates are proper nouns (NNP runs, Latin runs) that no alias covers.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from core.lexicon import TRIE_END, Lexicon, alias_key, load_lexicon
from core.model import EntityMention, Sentence, Token

# Tags that may follow a name without a space: particles, endings, copula, noun suffixes.
_GLUE_AFTER = ("J", "E", "XSN", "VCP", "VCN")
# Particles Kiwi sometimes mistags after a Latin name ('Anthropic은' gives 은/NNG).
_PARTICLE_FORMS = frozenset(
    ["은", "는", "이", "가", "을", "를", "의", "와", "과", "도", "만", "에", "로", "으로"]
    + ["에서", "에게", "까지", "보다"]
)
# A name of one token never has these tags (빙 as an adverb in ``빙 돌아``).
_NOT_A_NAME = ("V", "MA", "J", "E", "IC", "XS", "XP")
# Tokens that may sit glued before a name: Hanja country prefixes (美 오픈AI).
_GLUE_BEFORE = ("SH",)
# Longest parenthesis content looked at for ``name(alias)`` joins.
_MAX_PAREN = 40
# The particle forms by their last character: a token is checked against the few that
# can end it, not all of them (the layout of every sentence looks at every noun).
_PARTICLES_BY_LAST: dict[str, tuple[str, ...]] = {}
for _form in sorted(_PARTICLE_FORMS):
    _PARTICLES_BY_LAST[_form[-1]] = (*_PARTICLES_BY_LAST.get(_form[-1], ()), _form)
del _form
_SPACES = re.compile(r"\s+")  # \s is str.isspace
_START = operator.attrgetter("start")
_END = operator.attrgetter("end")


@dataclass
class _Layout:
    """Where a sentence's tokens start and end, and which characters Kiwi covered."""

    base: int
    covered: bytearray
    starts: dict[int, list[Token]]
    boundaries: set[int]  # token ends, plus ends before a trailing '.' of a token
    swallowed: set[int]  # where a particle Kiwi glued into a noun token begins
    tokens: Sequence[Token]
    glue_ends: set[int] | None = None  # made on the first ``glue_end`` question

    @classmethod
    def of(cls, tokens: Sequence[Token], source_text: str) -> _Layout:
        base = min(map(_START, tokens))
        stop = max(map(_END, tokens))
        covered = bytearray(stop - base)
        starts: dict[int, list[Token]] = {}
        boundaries: set[int] = set()
        swallowed: set[int] = set()
        for token in tokens:
            start, end = token.start, token.end
            covered[start - base : end - base] = b"\1" * (end - start)
            same = starts.get(start)
            if same is None:
                starts[start] = [token]
            else:
                same.append(token)
            boundaries.add(end)
            # Kiwi's serial-number rule swallows a sentence-final dot (``엑사원 3.0.`` gives
            # the token ``3.0.``): the name may end before trailing dots and commas.
            if source_text[end - 1] in ".,":
                stripped = source_text[start:end].rstrip(".,")
                if stripped:
                    boundaries.add(start + len(stripped))
            # Kiwi sometimes reads an unknown name and its particle as one noun
            # ('AI 얼라이언스의' gave '얼라이언스의'); the name may end before the particle.
            # Stems of one syllable are left out: '빙과' is a word, not Bing + 과.
            if end - start > 2 and token.tag in ("NNP", "NNG"):
                for particle in _PARTICLES_BY_LAST.get(source_text[end - 1], ()):
                    if source_text.endswith(particle, start, end) and (
                        end - start - len(particle) >= 2
                    ):
                        swallowed.add(end - len(particle))
        # A span pattern or Kiwi's multi-word dictionary may make one token of several
        # words ('제미나이 프로'); each word end inside it is still a boundary. Such a word end
        # is the start of a run of spaces that a token covers; the sentence has few runs,
        # and fewer still are covered, so only those are checked against the tokens.
        for run in _SPACES.finditer(source_text, base + 1, stop):
            at = run.start()
            if (
                covered[at - base]
                and not source_text[at - 1].isspace()
                and any(t.start < at < t.end for t in tokens)
            ):
                boundaries.add(at)
        boundaries |= swallowed
        return cls(base, covered, starts, boundaries, swallowed, tokens)

    def glue_end(self, pos: int) -> bool:
        """Whether a token that may sit glued before a name (美) ends at ``pos``."""
        if self.glue_ends is None:  # rarely asked: made on the first question
            self.glue_ends = {t.end for t in self.tokens if t.tag.startswith(_GLUE_BEFORE)}
        return pos in self.glue_ends

    def is_covered(self, pos: int) -> bool:
        offset = pos - self.base
        return 0 <= offset < len(self.covered) and bool(self.covered[offset])


@functools.lru_cache(maxsize=4096)
def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PSZ"


def _left_ok(pos: int, layout: _Layout, text: str) -> bool:
    offset = pos - 1 - layout.base
    if pos == 0 or not (0 <= offset < len(layout.covered) and layout.covered[offset]):
        return True
    before = text[pos - 1]
    if before.isspace() or _is_punct(before):
        return True
    return layout.glue_end(pos)


def _right_ok(pos: int, layout: _Layout, text: str) -> bool:
    if pos >= len(text) or not layout.is_covered(pos):
        return True
    after = text[pos]
    if after.isspace() or _is_punct(after) or pos in layout.swallowed:
        return True
    following = layout.starts.get(pos, [])
    return bool(following) and all(
        t.tag.startswith(_GLUE_AFTER) or t.form in _PARTICLE_FORMS for t in following
    )


@functools.lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    # per character, the same folding as alias_key (cached: the matcher calls it per char)
    return alias_key(ch) if not ch.isspace() else ""


def _walk(start: int, layout: _Layout, text: str, trie: dict[str, Any]) -> tuple[int, str] | None:
    """The longest alias starting at ``start`` and ending on a boundary: (end, entity id)."""
    node: dict[str, Any] | None = trie
    pos = start
    best: tuple[int, str] | None = None
    base, covered, boundaries = layout.base, layout.covered, layout.boundaries
    limit = base + len(covered)
    while pos < limit:  # from a token start, so base <= pos < limit: an index of covered
        ch = text[pos]
        if ch.isspace():
            pos += 1
            continue
        if not covered[pos - base]:
            break  # a fragment cleaning removed, or text Kiwi skipped: names do not span it
        for folded in _fold(ch):
            node = node.get(folded) if node is not None else None
        if node is None:
            return best
        pos += 1
        if TRIE_END in node and pos in boundaries and _right_ok(pos, layout, text):
            best = (pos, node[TRIE_END])
    return best


_OPENING_QUOTES = "'\"‘“'「『<《〈"
_CLOSING_QUOTES = "'\"’”'」』>》〉"


def _looks_like_name(start: int, end: int, layout: _Layout, text: str) -> bool:
    """False when the match is one token tagged as a verb, adverb, particle or ending.

    A quoted word is a name whatever Kiwi thinks (``‘빙’`` is tagged as an adverb).
    """
    if _quoted(start, end, text):
        return True
    first = layout.starts.get(start, [])
    if not first or any(t.end < end for t in first):
        return True  # several tokens: a multi-token alias is specific enough
    if not all(t.tag.startswith(_NOT_A_NAME) for t in first):
        return True
    # An "adverb" carrying a case particle is a noun Kiwi misread ('빙이', '빙의').
    return any(t.tag.startswith("J") for t in layout.starts.get(end, []))


def _quoted(start: int, end: int, text: str) -> bool:
    return (
        0 < start < end < len(text)
        and text[start - 1] in _OPENING_QUOTES
        and text[end] in _CLOSING_QUOTES
    )


def _confirm(
    mentions: list[EntityMention], tentative: set[int], lexicon: Lexicon
) -> list[EntityMention]:
    """Keep an ordinary-word alias only when the sentence also names one of its ancestors."""
    named = {m.entity_id for i, m in enumerate(mentions) if i not in tentative}
    return [
        m
        for i, m in enumerate(mentions)
        if i not in tentative or named.intersection(lexicon.ancestors(m.entity_id))
    ]


def _paren_join(
    end: int, entity_id: str, layout: _Layout, text: str, lexicon: Lexicon
) -> tuple[int, str]:
    """Extend a mention over ``(alias)`` right after it when the alias is the same thing."""
    if end >= len(text) or text[end] != "(":
        return end, entity_id
    close = text.find(")", end + 1, end + 2 + _MAX_PAREN)
    if close < 0 or "(" in text[end + 1 : close] or not layout.is_covered(close):
        return end, entity_id
    inner = lexicon.resolve(text[end + 1 : close].strip())
    if inner is None:
        return end, entity_id
    # Only the same entity or a more specific one joins: '안드로이드(구글)' names two
    # things (the product, then its maker), '라마(Llama)' one.
    if inner.entity_id == entity_id:
        return close + 1, entity_id
    if lexicon.is_within(inner.entity_id, entity_id):  # more specific inside: take it
        return close + 1, inner.entity_id
    return end, entity_id


def find_mentions(
    sentence: Sentence,
    source_text: str,
    lexicon: Lexicon | None = None,
    *,
    include_unlinked: bool = False,
) -> list[EntityMention]:
    """Lexicon entities in ``sentence``, in text order, with offsets into ``source_text``.

    ``source_text[m.start:m.end] == m.surface`` for every mention. With
    ``include_unlinked``, unlinked proper-noun candidates (``entity_id == ""``) follow.
    """
    lexicon = load_lexicon() if lexicon is None else lexicon
    tokens = [t for t in sentence.tokens if t.end > t.start]
    if not tokens:
        return []
    layout = _Layout.of(tokens, source_text)
    trie = lexicon.trie()
    starters = lexicon.alias_starters()
    mentions: list[EntityMention] = []
    tentative: set[int] = set()  # indexes of ordinary-word aliases still needing context
    cursor = -1
    for start in sorted(layout.starts):
        if start < cursor:
            continue
        # most tokens begin with a character no alias begins with: _walk would find nothing
        # there, so the boundary checks are skipped (a space is left to _walk, which skips it)
        first = source_text[start]
        starts_alias = starters.get(first)
        if starts_alias is None:
            starts_alias = starters[first] = _fold(first)[:1] in trie or first.isspace()
        if not starts_alias:
            continue
        if not _left_ok(start, layout, source_text):
            continue
        found = _walk(start, layout, source_text, trie)
        if found is None or not _looks_like_name(start, found[0], layout, source_text):
            continue
        end, entity_id = _paren_join(found[0], found[1], layout, source_text, lexicon)
        entity = lexicon.get(entity_id)
        if (
            end == found[0]
            and lexicon.is_ambiguous(entity_id, source_text[start:end])
            and not _quoted(start, end, source_text)
        ):
            tentative.add(len(mentions))
        mentions.append(
            EntityMention(
                entity_id=entity_id,
                surface=source_text[start:end],
                start=start,
                end=end,
                entity_type=entity.entity_type if entity else "",
                sentence_index=sentence.index,
            )
        )
        cursor = end
    if tentative:
        mentions = _confirm(mentions, tentative, lexicon)
    if include_unlinked:
        mentions.extend(find_candidates(sentence, source_text, lexicon, mentions))
    return mentions


# --- unlinked candidates -------------------------------------------------------------

_CANDIDATE_TAGS = ("NNP", "SL")


def _is_latin(text: str) -> bool:
    return any("a" <= ch.casefold() <= "z" for ch in text)


def _keep_candidate(surface: str, lexicon: Lexicon) -> bool:
    key = alias_key(surface)
    if len(key) < 2 or key.isdigit() or lexicon.is_noise(surface):
        return False
    letters = [ch for ch in surface if ch.isalpha()]
    if letters and all("a" <= ch <= "z" for ch in letters):
        return False  # all-lowercase Latin is an ordinary word (moat, beta), not a name
    return lexicon.resolve(surface) is None


def find_candidates(
    sentence: Sentence,
    source_text: str,
    lexicon: Lexicon | None = None,
    mentions: Iterable[EntityMention] | None = None,
) -> list[EntityMention]:
    """Proper nouns of ``sentence`` that no lexicon mention covers (``entity_id == ""``).

    A candidate is a run of NNP and Latin (SL) tokens glued together (``하이퍼클로바X``),
    Latin words joined by single spaces (``Synergy Research``), with digits glued after a
    Latin or NNP token (``H100``). Noise words from ``entity_noise.tsv`` (AI, LLM, GPU,
    CEO, countries and cities ...), single letters and all-lowercase Latin are dropped.
    """
    lexicon = load_lexicon() if lexicon is None else lexicon
    if mentions is None:
        mentions = find_mentions(sentence, source_text, lexicon)
    taken = [(m.start, m.end) for m in mentions]
    runs: list[list[Token]] = []
    current: list[Token] | None = None  # the run a following token may join
    last_end = -1
    tokens = sentence.tokens
    starts = [t.start for t in tokens]
    if not all(map(operator.lt, starts, starts[1:])):  # else already in this order
        tokens = sorted(tokens, key=lambda t: (t.start, -t.end))
    for token in tokens:
        if token.start < last_end:
            continue  # Kiwi's overlapping pieces of one contracted syllable
        last_end = token.end
        tag = token.tag
        # digits count only glued after a name (H100), never as a name of their own
        if tag in _CANDIDATE_TAGS or (
            tag == "SN" and current is not None and _glued(current[-1], token)
        ):
            if current is not None and _joins(current[-1], token, source_text):
                current.append(token)
            else:
                current = [token]
                runs.append(current)
        else:
            current = None
    out: list[EntityMention] = []
    for run in runs:
        while run and not any(ch.isalnum() for ch in source_text[run[-1].start : run[-1].end]):
            run = run[:-1]  # a symbol Kiwi tags as Latin ('Copyright ©')
        if not run:
            continue
        start, end = run[0].start, run[-1].end
        if any(s < end and start < e for s, e in taken):
            continue
        surface = source_text[start:end]
        if _keep_candidate(surface, lexicon):
            out.append(EntityMention("", surface, start, end, "", sentence.index))
    return out


def _glued(before: Token, after: Token) -> bool:
    return after.start == before.end


def _joins(before: Token, after: Token, text: str) -> bool:
    if _glued(before, after):
        return True
    # Latin names are written with spaces (Hugging Face); Hangul neighbours usually are
    # separate names (미국 라스베이거스), so only Latin runs cross a space.
    return before.tag == "SL" and after.tag == "SL" and text[before.end : after.start] == " "


def unlinked_candidates(
    sentences: Iterable[Sentence], source_text: str, lexicon: Lexicon | None = None
) -> Counter[str]:
    """How often each unlinked proper-noun candidate occurs across ``sentences``."""
    lexicon = load_lexicon() if lexicon is None else lexicon
    counts: Counter[str] = Counter()
    for sentence in sentences:
        for candidate in find_candidates(sentence, source_text, lexicon):
            counts[" ".join(candidate.surface.split())] += 1
    # Kiwi may glue a particle into an unknown name ('노바젠테크가' as one NNP): count such a
    # form under the bare name when the bare name occurs too.
    for surface in list(counts):
        for particle in _PARTICLE_FORMS:
            stem = surface[: -len(particle)]
            if surface.endswith(particle) and len(stem) >= 2 and stem in counts:
                counts[stem] += counts.pop(surface)
                break
    return counts
