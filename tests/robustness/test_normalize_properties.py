"""Properties of the one Japanese normaliser, over generated text (hypothesis)."""

from __future__ import annotations

import os
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.text.normalize import content_words, has_content, normalize, search_key
from tests.robustness.strategies import ANY_CHARACTER, TRICKY

# More examples for a deeper search: CHIZAI_FUZZ_EXAMPLES=20000 (about 4 minutes).
EXAMPLES = int(os.environ.get("CHIZAI_FUZZ_EXAMPLES", "400"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

TEXTS = st.one_of(
    st.text(ANY_CHARACTER, max_size=60),
    st.text(st.sampled_from(TRICKY), max_size=60),
    st.text(st.one_of(st.sampled_from(TRICKY), ANY_CHARACTER), max_size=60),
)

INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


@FUZZ
@given(TEXTS)
def test_normalize_never_raises_and_gives_a_string(text):
    assert isinstance(normalize(text), str)
    assert isinstance(has_content(normalize(text)), bool)


@FUZZ
@given(TEXTS)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@FUZZ
@given(TEXTS)
def test_the_output_has_no_control_surrogate_or_invisible_characters(text):
    out = normalize(text)
    bad = [c for c in out if unicodedata.category(c) in ("Cc", "Cs") or INVISIBLE.match(c)]
    assert bad == []


@FUZZ
@given(TEXTS)
def test_the_output_has_no_surrounding_or_repeated_whitespace(text):
    out = normalize(text)
    assert out == out.strip()
    assert not re.search(r"\s\s", out)
    assert not re.search(r"\s", out.replace(" ", ""))  # every space left is a plain one


@FUZZ
@given(TEXTS)
def test_the_output_is_nfkc(text):
    out = normalize(text)
    assert unicodedata.normalize("NFKC", out) == out


@settings(max_examples=150, deadline=None, database=None)
@given(TEXTS)
def test_sudachi_keys_never_raise(text):
    assert isinstance(search_key(text), str)
    assert all(isinstance(word, str) for word in content_words(text))
