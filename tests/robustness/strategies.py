"""Hypothesis strategies shared by the robustness tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Characters the normaliser has rules for, so generated text hits those rules often.
TRICKY = (
    "特許商標意匠著作権とっきょトッキョﾄｯｷｮｻｰﾊﾞサーバーｶﾞﾊﾟ"  # kanji, kana, half-width kana
    "ＡＢＣａｂｃ０１２３"  # full-width letters and digits
    "ー－—―‐‑‒–−〜～~-"  # long-vowel look-alikes after katakana
    " \u3000\t\n\r\x0b\x0c\x85\u2028\u2029\u00a0"  # spaces and line breaks
    "\x00\x01\x1b\x7f\x9f"  # control characters
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2060\u2066\u2069\ufeff"  # zero-width, bidi
    "\ud800\udfff"  # lone surrogates
    "\ue000\ufffe\uffff\ufffd"  # private use, noncharacters, replacement
    "\u3099\u309a\u0301\u0308"  # combining marks (dakuten, accents)
    "👨👩👧🇯🇵🏽️⃣🙏"  # emoji parts
    "<>&'\";%{}/"
)
ANY_CHARACTER = st.characters(exclude_categories=())  # every code point, surrogates included
