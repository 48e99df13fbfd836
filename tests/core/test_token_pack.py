"""Packed tokens: the same tokens as the list they replace, read every way the stages read them."""

from __future__ import annotations

import copy
import pickle
from array import array

import pytest

from core.model import CleanText, Sentence, Token
from core.token_pack import TokenPack, TokenRun, pack_sentences, sentences_pack, split_pack

TOKENS = [
    Token("메타", "NNP", 0, 2),
    Token("는", "JX", 2, 3),
    Token("라마 3.1", "NNP", 4, 10),
    Token("을", "JKO", 10, 11),
    Token("공개", "NNG", 12, 14),
    Token("하", "XSV", 14, 15),
    Token("었", "EP", 14, 15),
    Token("다", "EF", 15, 16),
    Token(".", "SF", 16, 17),
]


def _sentences() -> list[Sentence]:
    return [
        Sentence(0, "메타는 라마 3.1을", 0, 11, 0, 11, TOKENS[:4]),
        Sentence(1, "", 11, 11, 11, 11, []),  # a sentence without tokens keeps its place
        Sentence(2, "공개했다.", 12, 17, 12, 17, TOKENS[4:]),
    ]


def test_a_pack_gives_back_every_token():
    pack = TokenPack.from_tokens(TOKENS)
    pack.check()
    assert len(pack) == len(TOKENS)
    assert [pack.token(i) for i in range(len(pack))] == TOKENS
    assert pack.tag_names.count("NNP") == 1  # one number per tag, not per token


def test_a_run_reads_like_the_list_it_replaces():
    (run,) = split_pack(TokenPack.from_tokens(TOKENS), [len(TOKENS)])
    assert len(run) == len(TOKENS) and bool(run)
    assert run == TOKENS and TOKENS == run and run == tuple(TOKENS)
    assert list(run) == TOKENS
    assert run[0] == TOKENS[0] and run[-1] == TOKENS[-1] and run[-2] == TOKENS[-2]
    assert run[2:5] == TOKENS[2:5] and run[::-1] == TOKENS[::-1]
    assert Token("공개", "NNG", 12, 14) in run
    assert run.index(TOKENS[3]) == 3
    assert sorted(run, key=lambda t: (t.start, -t.end)) == sorted(
        TOKENS, key=lambda t: (t.start, -t.end)
    )
    assert run != TOKENS[:-1] and run != [*TOKENS[:-1], Token(".", "SF", 16, 18)]
    for bad in (len(TOKENS), -len(TOKENS) - 1):
        with pytest.raises(IndexError):
            run[bad]


def test_sentences_share_one_pack_in_their_order():
    sentences = _sentences()
    pack_sentences(sentences)
    runs = [s.tokens for s in sentences]
    assert all(isinstance(r, TokenRun) for r in runs)
    assert len({id(r.pack) for r in runs}) == 1
    assert [list(r) for r in runs] == [TOKENS[:4], [], TOKENS[4:]]
    assert sentences == _sentences()  # equal, field by field, to the unpacked sentences
    # packing again (a cached article) keeps the pack it has
    pack = runs[0].pack
    pack_sentences(sentences)
    assert sentences_pack(sentences) is pack and sentences[2].tokens.pack is pack


def test_a_pack_of_runs_from_other_packs_is_made_anew():
    first, second = _sentences(), _sentences()
    pack_sentences(first)
    pack_sentences(second)
    mixed = [first[0], second[2]]
    pack = sentences_pack(mixed)
    assert pack is not first[0].tokens.pack
    assert [pack.token(i) for i in range(len(pack))] == TOKENS


def test_packed_sentences_survive_pickle_and_copy():
    sentences = _sentences()
    pack_sentences(sentences)
    for copied in (pickle.loads(pickle.dumps(sentences)), copy.deepcopy(sentences)):
        assert copied == sentences
        assert copied[0].tokens.pack is copied[2].tokens.pack  # still one pack


def test_split_pack_refuses_counts_that_do_not_add_up():
    pack = TokenPack.from_tokens(TOKENS)
    for counts in ([4, 4], [4, 6], [-1, 10]):
        with pytest.raises(ValueError):
            split_pack(pack, counts)


def test_check_refuses_columns_that_do_not_fit():
    good = TokenPack.from_tokens(TOKENS)
    bad_packs = [
        TokenPack(
            good.forms, good.form_ends, good.tag_names, good.tags, good.starts[:-1], good.ends
        ),
        TokenPack(
            good.forms + "x", good.form_ends, good.tag_names, good.tags, good.starts, good.ends
        ),
        TokenPack(
            good.forms, good.form_ends, good.tag_names[:2], good.tags, good.starts, good.ends
        ),
        TokenPack(
            good.forms,
            array("i", [0, 3, 1, *good.form_ends[3:]]),
            good.tag_names,
            good.tags,
            good.starts,
            good.ends,
        ),
    ]
    for pack in bad_packs:
        with pytest.raises(ValueError):
            pack.check()


def test_clean_offsets_are_kept_as_an_int_array():
    clean = CleanText("가나 다", [0, 1, 5, 6, 7])
    assert isinstance(clean.offsets, array) and clean.offsets.typecode == "i"
    assert list(clean.offsets) == [0, 1, 5, 6, 7]
    assert clean.to_source(1, 3) == (1, 6) and clean.to_source(2, 2) == (5, 5)
    same = CleanText("가나 다", clean.offsets)
    assert same.offsets is clean.offsets and same == clean  # an int array is kept as it is
