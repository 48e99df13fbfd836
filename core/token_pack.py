"""Kiwi tokens kept column by column: one article's tokens in a few arrays, read as ``Token``.

A 10k-article corpus holds about 4.7M tokens. As ``Token`` objects, each with its own form
and tag strings and two Python ints, they cost about 150 bytes apiece and make every
garbage collection walk millions of objects; a cached build spent most of its time
creating them. Packed, a token costs about 15 bytes (its form's characters, a tag number
and two 32-bit offsets), a cache entry decodes into this layout without one Python object
per token, and it pickles at memory speed.

``TokenPack`` holds the tokens of one article; each sentence reads its own stretch of it
through a ``TokenRun``, a read-only sequence of ``Token`` that builds each token when it is
read (equal to the ``Token`` it was packed from).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain
from operator import eq
from typing import Any, overload

from core.model import Sentence, Token


def tag_typecode(count: int) -> str:
    """The array typecode of tag numbers for a table of ``count`` tags (packing and the cache
    codec agree on it through this one function)."""
    return "B" if count <= 256 else "H"


class TokenPack:
    """The tokens of one article, in order, as columns.

    ``forms`` is every token's form, concatenated; token ``i``'s form is
    ``forms[form_ends[i]:form_ends[i + 1]]`` (``form_ends`` starts with 0). ``tags[i]``
    numbers ``tag_names``; ``starts``/``ends`` are the tokens' source offsets.
    """

    __slots__ = ("ends", "form_ends", "forms", "starts", "tag_names", "tags")

    def __init__(
        self,
        forms: str,
        form_ends: array,
        tag_names: tuple[str, ...],
        tags: array,
        starts: array,
        ends: array,
    ) -> None:
        self.forms = forms
        self.form_ends = form_ends
        self.tag_names = tag_names
        self.tags = tags
        self.starts = starts
        self.ends = ends

    @classmethod
    def from_tokens(cls, tokens: Iterable[Token]) -> TokenPack:
        """Pack ``tokens`` (any iterable of ``Token``)."""
        forms: list[str] = []
        numbers: dict[str, int] = {}
        tags: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        for token in tokens:
            forms.append(token.form)
            tags.append(numbers.setdefault(token.tag, len(numbers)))
            starts.append(token.start)
            ends.append(token.end)
        form_ends = array("i", [0])
        form_ends.extend(accumulate(map(len, forms)))
        names = tuple(sys.intern(name) for name in numbers)
        return cls(
            "".join(forms),
            form_ends,
            names,
            array(tag_typecode(len(names)), tags),
            array("i", starts),
            array("i", ends),
        )

    def check(self) -> None:
        """Raise ValueError unless the columns fit together (a pack read from disk)."""
        count = len(self.starts)
        ends = self.form_ends
        if len(self.ends) != count or len(self.tags) != count or len(ends) != count + 1:
            raise ValueError("token columns of different lengths")
        if ends[0] != 0 or ends[-1] != len(self.forms):
            raise ValueError("token forms do not fit their text")
        listed = ends.tolist()
        if listed != sorted(listed):  # sorting sorted numbers is one pass, in C
            raise ValueError("token forms out of order")
        if count and max(self.tags) >= len(self.tag_names):
            raise ValueError("token tag outside the tag table")

    def __len__(self) -> int:
        return len(self.starts)

    def token(self, index: int) -> Token:
        """Token ``index`` (0 <= index < len(self); not checked)."""
        ends = self.form_ends
        return Token(
            self.forms[ends[index] : ends[index + 1]],
            self.tag_names[self.tags[index]],
            self.starts[index],
            self.ends[index],
        )


class TokenRun(Sequence[Token]):
    """Tokens ``lo``..``hi`` of a ``TokenPack``: one sentence's tokens, read-only.

    Reads like the list of ``Token`` it replaces (index, slice, iterate, ``len``) and
    compares equal to a list or tuple of the same tokens.
    """

    __slots__ = ("hi", "lo", "pack")

    def __init__(self, pack: TokenPack, lo: int, hi: int) -> None:
        self.pack = pack
        self.lo = lo
        self.hi = hi

    def __len__(self) -> int:
        return self.hi - self.lo

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...

    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        if isinstance(index, slice):
            token = self.pack.token
            return [token(i) for i in range(self.lo, self.hi)[index]]
        size = self.hi - self.lo
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("token index out of range")
        return self.pack.token(self.lo + index)

    def __iter__(self) -> Iterator[Token]:
        pack = self.pack
        forms, ends, names, tags = pack.forms, pack.form_ends, pack.tag_names, pack.tags
        starts, stops = pack.starts, pack.ends
        for i in range(self.lo, self.hi):
            yield Token(forms[ends[i] : ends[i + 1]], names[tags[i]], starts[i], stops[i])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (TokenRun, list, tuple)):
            return NotImplemented
        return len(self) == len(other) and all(map(eq, self, other))

    __hash__ = None  # type: ignore[assignment]  # equal to a list, so unhashable like one

    def __repr__(self) -> str:
        return f"TokenRun({list(self)!r})"


def split_pack(pack: TokenPack, counts: Sequence[int]) -> list[TokenRun]:
    """``pack`` cut into consecutive runs of ``counts`` tokens (which must add up to it)."""
    if sum(counts) != len(pack) or any(c < 0 for c in counts):
        raise ValueError("token counts do not add up to the pack")
    out = []
    lo = 0
    for count in counts:
        out.append(TokenRun(pack, lo, lo + count))
        lo += count
    return out


def sentences_pack(sentences: Sequence[Sentence]) -> TokenPack:
    """One pack of all the tokens of ``sentences``, in order; reused when they already
    read consecutive runs of one whole pack (an article packed before, or from the cache)."""
    if sentences and all(isinstance(s.tokens, TokenRun) for s in sentences):
        first: Any = sentences[0].tokens
        pack, at = first.pack, 0
        for sentence in sentences:
            run: Any = sentence.tokens
            if run.pack is not pack or run.lo != at:
                break
            at = run.hi
        else:
            if at == len(pack) and first.lo == 0:
                return pack  # type: ignore[no-any-return]
    return TokenPack.from_tokens(chain.from_iterable(s.tokens for s in sentences))


def pack_sentences(sentences: Sequence[Sentence]) -> None:
    """Give every sentence of one article its tokens as a run of one shared pack."""
    pack = sentences_pack(sentences)
    first = sentences[0].tokens if sentences else None
    if isinstance(first, TokenRun) and first.pack is pack:
        return  # packed already (from the cache)
    for sentence, run in zip(sentences, split_pack(pack, [len(s.tokens) for s in sentences])):
        sentence.tokens = run  # type: ignore[assignment]  # a read-only list stand-in
