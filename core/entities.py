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

- A version right after a model or product of the lexicon makes a mention of that version,
  not of its family: ``젬마 4`` is ``Gemma 4`` (a discovered entity under Gemma, unless the
  lexicon has it), ``라마 3.1 405B`` is ``Llama 3.1 405B``; two versions never merge.

Unlinked candidates are proper nouns (NNP runs, Latin runs) that no alias covers. With
``discover``, a name the lexicon lacks becomes a *discovered* entity when its context tells
its type (``resources/entity_type_cues.tsv``: ``스타트업 노바젠``, ``노바젠 대표``,
``거대언어모델 '라온-2 9B'``, ``(주)가나다랩``, ``하늘소프트``) or its shape does (Latin
letters with digits, ``R2``, ``X-9``: a model). Candidates are Kiwi's NNP and Latin runs, a
quoted name (``'라온-2 9B'``: Kiwi cuts unknown names into syllables) and the word after a
company prefix (``(주)``). ``이름(Name)`` joins the two spellings into one mention. A name
without a type guess stays an unlinked candidate: it takes no part in events.
"""

from __future__ import annotations

import bisect
import functools
import itertools
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
    discover: bool | None = None,
) -> list[EntityMention]:
    """Lexicon entities in ``sentence``, in text order, with offsets into ``source_text``.

    ``source_text[m.start:m.end] == m.surface`` for every mention. With ``discover``
    (the default when ``include_unlinked``), discovered entities (names the lexicon lacks,
    typed by their context) are mentions too, in text order among the others; their ids
    are not in the lexicon (``Lexicon.with_discovered`` adds them). With
    ``include_unlinked``, unlinked proper-noun candidates (``entity_id == ""``) follow.
    """
    discover = include_unlinked if discover is None else discover
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
        if entity is not None and entity.entity_type in _VERSIONED:
            end, entity_id, entity = _version(start, end, entity, layout, source_text, lexicon)
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
    if not (discover or include_unlinked):
        return mentions
    candidates = find_candidates(sentence, source_text, lexicon, mentions)
    if discover:
        discovered, candidates = _discover(sentence, source_text, lexicon, mentions, candidates)
        mentions = sorted(mentions + discovered, key=_START)
    if include_unlinked:
        mentions.extend(candidates)
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
        # digits count only glued after a name (H100), never as a name of their own; a
        # hyphen glued inside a name joins it (Zeta-7), a trailing one is dropped below
        if tag in _CANDIDATE_TAGS or (
            (tag == "SN" or token.form == "-")
            and current is not None
            and _glued(current[-1], token)
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


# --- versions and discovered entities --------------------------------------------------

#: entity types a version number may follow (엑사원 4.0, 젬마 3 270M)
_VERSIONED = frozenset(["model", "product"])
#: a version after a family name: number, optional letter, edition word, parameter size
_VERSION = re.compile(
    r"(?:[ -]?(?P<number>\d+(?:\.\d+)*[a-z]?)(?![\d.]*[BM])"
    r"(?:[ -]?(?P<word>프로|플래시|울트라|나노|맥스|미니|터보|플러스|Pro|Flash|Ultra|Nano|Max"
    r"|mini|Turbo|Plus))?)?"
    r"(?:[ -]?(?P<size>\d+(?:\.\d+)?[BM]))?"
)
#: number words that go on a number (H100 1만6000대): it was a count, not a version
_NUMERAL_UNITS = ("만", "억", "천", "조", "백", "십", "%", "％", "퍼센트", "포인트")
_EDITIONS = {"프로": "Pro", "플래시": "Flash", "울트라": "Ultra", "나노": "Nano", "맥스": "Max"}
_EDITIONS.update({"미니": "mini", "터보": "Turbo", "플러스": "Plus"})


def _version(
    start: int, end: int, entity: Any, layout: _Layout, text: str, lexicon: Lexicon
) -> tuple[int, str, Any]:
    """The mention extended over a version right after it (``젬마 4``, ``라마 3.1 405B``).

    The version is the lexicon's entity when it has one, else ``<family id> <version>``,
    a discovered entity under the family. Counters (``라마 3마리``, ``젬마 2배``) are not
    versions: the version must end where a name may end.
    """
    if end >= len(text) or text[end] not in " -0123456789(":
        return end, entity.entity_id, entity
    if text[end] == "(":  # 엑사원(1.0): the version in parentheses
        close = text.find(")", end + 1, end + 16)
        match = _VERSION.fullmatch(text, end + 1, close) if close > 0 else None
        if match is None or not match.group("number") or not _right_ok(close + 1, layout, text):
            return end, entity.entity_id, entity
        parts = [p for p in ("number", "word", "size") if match.group(p)]
        return _versioned(entity, match, parts, text[start : close + 1], close + 1, lexicon)
    match = _VERSION.match(text, end)
    if match is None or match.end() == end:
        return end, entity.entity_id, entity
    # the longest reading that ends on a name boundary, shortening by one part at a time
    parts = [p for p in ("number", "word", "size") if match.group(p)]
    while parts:
        stop = match.end(parts[-1])
        if (
            stop in layout.boundaries
            and _right_ok(stop, layout, text)
            and not text.startswith(_NUMERAL_UNITS, stop)
        ):
            break
        parts.pop()
    if not parts:
        return end, entity.entity_id, entity
    return _versioned(entity, match, parts, text[start:stop], stop, lexicon)


def _versioned(
    entity: Any, match: re.Match[str], parts: list[str], surface: str, stop: int, lexicon: Lexicon
) -> tuple[int, str, Any]:
    """(end, id, entity) of a version: the lexicon's when it knows the surface or the id."""
    known = lexicon.resolve(surface)
    if known is not None:
        return stop, known.entity_id, known
    pieces = [match.group(part) for part in parts]
    canonical = " ".join([entity.entity_id, *(_EDITIONS.get(p, p) for p in pieces)])
    known = _resolve_version(canonical, lexicon)
    if known is not None:
        return stop, known.entity_id, known
    return stop, canonical, _Typed(entity.entity_type)


def _resolve_version(canonical: str, lexicon: Lexicon) -> Any:
    """The lexicon's entity for ``Llama 3.0`` (or ``Llama 3``: a ``.0`` changes nothing)."""
    known = lexicon.resolve(canonical)
    if known is None and canonical.endswith(".0"):
        known = lexicon.resolve(canonical[:-2])
    return known


@dataclass(frozen=True)
class _Typed:
    """The type of a discovered version (its family's), where an Entity is expected."""

    entity_type: str


#: Latin letters with digits: a model's shape (R2, X-9, V4), not a word's
_MODEL_SHAPE = re.compile(r"[A-Za-z][A-Za-z.]*-?\d|\d+(?:\.\d+)?[BM]\b")
#: quoted text: a name when it is short and made of nouns, numbers and symbols
_QUOTED = re.compile(r"['\"‘“「『]([^'\"‘’“”「」『』\n]{2,30})['\"’”」』]")
_NAME_TAGS = ("NN", "SL", "SN", "SH", "SO", "SW", "SP", "NR", "XSN", "XPN", "W_")
#: tags that end a noun phrase looked at for a cue word next to a name
_CUE_TAGS = ("NNG", "NNP", "SL")
_QUOTE_CHARS = frozenset("'\"‘’“”「」『』′″")
_QUOTE_SEARCH = re.compile("[" + re.escape("".join(sorted(_QUOTE_CHARS))) + "]")


def _discover(
    sentence: Sentence,
    text: str,
    lexicon: Lexicon,
    mentions: list[EntityMention],
    candidates: list[EntityMention],
) -> tuple[list[EntityMention], list[EntityMention]]:
    """(discovered mentions, candidates left unlinked) of one sentence."""
    cues = lexicon.type_cues
    prefixes = cues.get("prefix", {})
    first, last = sentence.start, sentence.end
    # most sentences have no candidate, quote or company prefix: nothing to sort or scan
    quoted = _QUOTE_SEARCH.search(text, first, last) is not None
    prefixed = any(text.find(p, first, last) >= 0 for p in prefixes)
    if not (candidates or quoted or prefixed):
        return [], candidates
    tokens = sorted((t for t in sentence.tokens if t.end > t.start), key=_START)
    if not tokens:
        return [], candidates
    taken = [(m.start, m.end) for m in mentions]
    spans: list[tuple[int, int]] = [(c.start, c.end) for c in candidates]
    if quoted:
        spans += _quoted_spans(tokens, text, taken)
    if prefixed:
        spans += _prefixed_spans(tokens, text, prefixes)
    spans = _outermost(spans)
    found: list[EntityMention] = []
    typed: dict[tuple[int, int], str] = {}
    by_start = {m.start: i for i, m in enumerate(mentions)}
    absorbed: list[tuple[int, int]] = []
    for start, end in spans:
        if any(s < end and start < e for s, e in taken):
            continue
        known = by_start.get(end + 1) if text.startswith("(", end) else None
        if known is not None and text.startswith(")", mentions[known].end):
            # 왓슨(Watsonx): the lexicon's name in parentheses names the one before it
            m = mentions[known]
            stop = m.end + 1
            mentions[known] = EntityMention(
                m.entity_id, text[start:stop], start, stop, m.entity_type, m.sentence_index
            )
            taken.append((start, stop))
            absorbed.append((start, stop))
            continue
        typed[(start, end)] = _guess_type(start, end, tokens, text, cues)
    _pair_person_and_employer(typed, tokens, text, cues)
    _person_before_known_employer(typed, mentions, lexicon, tokens, text)
    joined: set[tuple[int, int]] = set()
    for (start, end), kind in sorted(typed.items()):
        if (start, end) in joined:
            continue
        partner = _paren_partner(end, typed, text)
        if partner is not None:
            joined.add(partner)
            kind = kind or typed[partner]
        if not kind:
            continue
        surface = " ".join(text[start:end].split())
        stop = partner[1] + 1 if partner is not None else end
        if lexicon.is_noise(surface) or len(alias_key(surface)) < 2:
            continue
        found.append(EntityMention(surface, text[start:stop], start, stop, kind, sentence.index))
    covered = [(m.start, m.end) for m in found] + absorbed
    left = [c for c in candidates if not any(s < c.end and c.start < e for s, e in covered)]
    return found, left


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans not inside another (a quoted name over the NNP run inside it)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if out and start < out[-1][1]:
            continue
        out.append((start, end))
    return out


def _quoted_spans(
    tokens: Sequence[Token], text: str, taken: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Quoted names: at most four words of nouns, numbers and symbols, no lexicon name."""
    first, last = tokens[0].start, tokens[-1].end
    out = []
    for match in _QUOTED.finditer(text, first, last):
        start, end = match.span(1)
        inner = text[start:end]
        if inner != inner.strip() or len(inner.split()) > 4:
            continue
        inside = [t for t in tokens if start <= t.start and t.end <= end]
        if not inside or not all(t.tag.startswith(_NAME_TAGS) for t in inside):
            continue
        if any(s < end and start < e for s, e in taken):
            continue  # '구글 제미나이 앱': a lexicon name inside is the mention
        out.append((start, end))
    return out


def _prefixed_spans(
    tokens: Sequence[Token], text: str, prefixes: dict[str, str]
) -> list[tuple[int, int]]:
    """The word after a company prefix (``(주)가나다랩은``), without its particles."""
    out = []
    for prefix in prefixes:
        at = text.find(prefix, tokens[0].start, tokens[-1].end)
        while at >= 0:
            start = at + len(prefix)
            while start < len(text) and text[start] == " ":
                start += 1
            word = [t for t in tokens if t.start >= start and _same_word(start, t, text)]
            while word and word[-1].tag.startswith(("J", "E", "VCP", "SF", "SP", "SS")):
                word.pop()
            if word and word[0].start == start:
                out.append((start, word[-1].end))
            at = text.find(prefix, start, tokens[-1].end)
    return out


def _same_word(start: int, token: Token, text: str) -> bool:
    """Whether ``token`` lies in the space-delimited word that begins at ``start``."""
    return not any(ch.isspace() for ch in text[start : token.end])


def _guess_type(
    start: int, end: int, tokens: Sequence[Token], text: str, cues: dict[str, dict[str, str]]
) -> str:
    """The type a name's context or shape tells, or "" when nothing does."""
    name = text[start:end]
    folded = name.casefold()
    for cue, kind in cues.get("suffix", {}).items():
        if folded.endswith(cue) and len(folded) > len(cue):
            return kind
    before = _noun_before(start, tokens, text)
    if before is not None:
        word = text[before.start : before.end].casefold()
        for cue, kind in cues.get("before", {}).items():
            if word.endswith(cue):
                return kind
    for prefix, kind in cues.get("prefix", {}).items():
        if text[max(0, start - len(prefix) - 1) : start].strip() == prefix:
            return kind
    after = _noun_after(end, tokens, text)
    if after is not None:
        kind = cues.get("after", {}).get(text[after.start : after.end].casefold(), "")
        if kind:
            return kind
    return "model" if _MODEL_SHAPE.search(name) else ""


def _noun_before(start: int, tokens: Sequence[Token], text: str) -> Token | None:
    """The noun right before a name, across spaces and an opening quote (``모델 'X'``)."""
    index = bisect.bisect_left([t.start for t in tokens], start) - 1
    while index >= 0 and text[tokens[index].start : tokens[index].end] in _QUOTE_CHARS:
        index -= 1
    if index < 0:
        return None
    token = tokens[index]
    between = text[token.end : start]
    if between.strip(" " + "".join(_QUOTE_CHARS)):
        return None
    return token if token.tag.startswith(_CUE_TAGS) else None


def _noun_after(end: int, tokens: Sequence[Token], text: str) -> Token | None:
    """The noun right after a name, across a closing quote and 라는/이라는 (``'X'라는 모델``)."""
    index = bisect.bisect_left([t.start for t in tokens], end)
    while index < len(tokens) and (
        text[tokens[index].start : tokens[index].end] in _QUOTE_CHARS
        or tokens[index].form in {"이", "라는", "이라는", "라고", "ᆫ", "는", "이라", "라"}
        and tokens[index].tag.startswith(("VCP", "ETM", "EC", "JKQ", "E"))
    ):
        index += 1
    if index >= len(tokens):
        return None
    token = tokens[index]
    return token if token.tag.startswith(_CUE_TAGS + ("NNB",)) else None


def _pair_person_and_employer(
    typed: dict[tuple[int, int], str],
    tokens: Sequence[Token],
    text: str,
    cues: dict[str, dict[str, str]],
) -> None:
    """``김철수 노바젠 대표``: the name before the title is the employer, the one before
    it the person."""
    spans = sorted(typed)
    for before, after in itertools.pairwise(spans):
        if typed[after] != "person" or text[before[1] : after[0]] != " ":
            continue
        if typed[before] in ("", "person"):
            typed[before], typed[after] = "person", "organisation"


def _person_before_known_employer(
    typed: dict[tuple[int, int], str],
    mentions: list[EntityMention],
    lexicon: Lexicon,
    tokens: Sequence[Token],
    text: str,
) -> None:
    """``박지훈 네이버 대표``: an untyped name before a lexicon organisation and a title."""
    after = lexicon.type_cues.get("after", {})
    by_start = {m.start: m for m in mentions if m.entity_type == "organisation"}
    for (start, end), kind in typed.items():
        if kind or not text.startswith(" ", end):
            continue
        employer = by_start.get(end + 1)
        if employer is None:
            continue
        title = _noun_after(employer.end, tokens, text)
        if title is not None and after.get(text[title.start : title.end].casefold()) == "person":
            typed[(start, end)] = "person"


def _paren_partner(
    end: int, typed: dict[tuple[int, int], str], text: str
) -> tuple[int, int] | None:
    """The span written in parentheses right after a name (``하늘소프트(HanulSoft)``)."""
    if end >= len(text) or text[end] != "(":
        return None
    close = text.find(")", end + 1, end + 2 + _MAX_PAREN)
    if close < 0:
        return None
    span = (end + 1, close)
    return span if span in typed else None


# --- a whole article ------------------------------------------------------------------

#: ``3.5 버전``: a version named without its family, which the article named shortly before
_BARE_VERSION = re.compile(r"(\d+\.\d+)\s?버전")
#: how many sentences back the family of a bare version may have been named
_BARE_VERSION_REACH = 3


def article_mentions(
    sentences: Sequence[Sentence], source_text: str, lexicon: Lexicon | None = None
) -> list[EntityMention]:
    """Every mention of an article's sentences (lexicon, discovered, unlinked), in order.

    Besides ``find_mentions`` per sentence, a bare version (``3.5 버전의 새 모델``) is a
    mention of that version of the model family named last, at most three sentences
    before (``엑사원 3.0 ... 3.5 버전`` gives EXAONE 3.5).
    """
    lexicon = load_lexicon() if lexicon is None else lexicon
    out: list[EntityMention] = []
    family: tuple[int, Any] | None = None  # (sentence index, entity) of the last model named
    for sentence in sentences:
        found = find_mentions(sentence, source_text, lexicon, include_unlinked=True)
        if family is not None and sentence.index - family[0] > _BARE_VERSION_REACH:
            family = None
        bare = _bare_versions(sentence, source_text, found, family, lexicon)
        if bare:
            found = sorted(found + bare, key=lambda m: (not m.entity_id, m.start))
        for mention in found:
            entity = lexicon.get(mention.entity_id) if mention.entity_id else None
            if entity is None and mention.entity_id and mention.entity_type == "model":
                entity = lexicon.get(lexicon.version_parent(mention.entity_id))  # 라마 3.0
                family = (sentence.index, entity) if entity is not None else family
            elif entity is not None and entity.entity_type == "model":
                parent = lexicon.get(entity.parent)
                if parent is not None and parent.entity_type == "model":
                    entity = parent  # 엑사원 3.0 names the family EXAONE
                family = (sentence.index, entity)
        out.extend(found)
    return out


def _bare_versions(
    sentence: Sentence,
    text: str,
    found: list[EntityMention],
    family: tuple[int, Any] | None,
    lexicon: Lexicon,
) -> list[EntityMention]:
    if family is None or "버전" not in text[sentence.start : sentence.end]:
        return []
    starts = {t.start for t in sentence.tokens}
    out = []
    for match in _BARE_VERSION.finditer(text, sentence.start, sentence.end):
        start, end = match.span(1)
        if start not in starts or any(m.start < end and start < m.end for m in found):
            continue
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".-"):
            continue  # 엑사원 3.5 버전 is already a mention; v3.5 is not bare
        canonical = f"{family[1].entity_id} {match.group(1)}"
        known = _resolve_version(canonical, lexicon)
        entity_id = known.entity_id if known is not None else canonical
        out.append(EntityMention(entity_id, text[start:end], start, end, "model", sentence.index))
    return out
