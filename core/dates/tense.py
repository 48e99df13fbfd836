"""Tense and modality of the clause a date sits in, read from Kiwi morphemes.

A bare ``27일`` means the latest 27th on or before publication in a past-tense sentence
and the next one in a planned sentence; which one is decided by the last tense cue after
the date up to the end of its sentence (``었``/``았`` past; ``예정``, ``계획``, ``-ㄹ 것``,
``겠`` future). The last cue wins because the matrix predicate of a Korean sentence comes
last: ``제공할 예정이라고 밝혔다`` reports a past statement. A coordinating ending
(``-며``, ``-고``) closes the date's clause once that clause has shown its tense.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.dates.patterns import Cues, load_cues
from core.model import Token

PAST = "past"
FUTURE = "future"
PRESENT = "present"
NONE = "none"  # no predicate after the date: a heading, a caption, a list item

#: tags a present-tense ending must follow to count as an action (not 이다, not adjectives)
_VERBS = ("VV", "XSV", "VX")  # Kiwi adds -R/-I for regular/irregular stems
_ETM_FUTURE = {"ᆯ", "을", "ㄹ", "를"}
#: endings that close one of several coordinated clauses (``출시할 예정이며 ... 받았다``)
_COORDINATING = {"고", "며", "으며", "면서", "으면서", "지만", "는데", "은데", "ᆫ데", "으나", "나"}


def tokenize(text: str) -> list[Token]:
    """Kiwi morphemes of ``text`` with offsets into it (the shared Kiwi)."""
    from core.kiwi import get_kiwi

    return [
        Token(t.form, t.tag, t.start, t.start + t.len) for t in get_kiwi().tokenize(text)
    ]


def clause_tense(
    text: str, tokens: Sequence[Token], after: int, cues: Cues | None = None, first: int = 0
) -> str:
    """The tense of the sentence from offset ``after`` to its end.

    past, future, present (a predicate with neither mark), or none (no predicate at all).
    ``cues`` are the loaded cue tables when the caller already holds them; ``first`` is an
    index of ``tokens`` before which every token starts before ``after`` (so that a text
    with many dates is not rescanned from its start for each).
    """
    tense_cues = (load_cues() if cues is None else cues).tense
    verdict = NONE
    reported_future = False  # -ㄹ 것으로 알려졌다/보인다: the report's verb is not the event's
    previous_end = after
    for index in range(first, len(tokens)):
        token = tokens[index]
        if token.start < after:
            continue
        if "\n" in text[previous_end:token.start]:
            break  # a line break ends a sentence even without punctuation
        previous_end = token.end
        kind = tense_cues.get((token.form, token.tag))
        if kind is None and token.tag == "ETM" and token.form in _ETM_FUTURE:
            following = tokens[index + 1:index + 3]
            if following and following[0].tag == "NNB" and following[0].form == "것":
                kind = FUTURE
                if len(following) > 1 and following[1].form in ("으로", "로"):
                    reported_future = True
        if reported_future:
            verdict = FUTURE
        elif kind is not None:
            verdict = kind
        elif verdict == NONE and token.tag in ("EF", "EC") and index > 0 and (
            tokens[index - 1].tag.startswith(_VERBS)
        ):
            verdict = PRESENT  # a verb without past or future marking (설립한다)
        if token.tag == "SF":
            break
        if token.tag == "EC" and token.form in _COORDINATING and verdict in (PAST, FUTURE):
            break  # the date's own clause is marked; later clauses have their own times
    return verdict
