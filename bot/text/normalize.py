"""The one Japanese normaliser: every path text enters goes through here.

``normalize`` is cheap, idempotent and safe on any string; the gateway calls it
before Rasa, the Rasa pipeline calls it first (so training data and direct
``/model/parse`` calls get the same text), and catalogue search builds its keys
with ``search_key``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

# Characters removed outright: zero-width and bidirectional controls, BOM.
_INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Dash-like marks that stand for the long vowel after katakana (サ－バ, サ—バ, サ〜バ).
_LONG_VOWEL_LIKE = re.compile("(?<=[\u30a1-\u30fa\u30fc])[\u2010-\u2015\u2212\u301c\uff5e~\\-]+")
_REPEATED_LONG_VOWEL = re.compile("ー{2,}")
# Dash-like marks between digits (IME phone numbers: ０３ー１２３４ー５６７８, 03−1234−5678) are hyphens.
_DIGIT_DASH = re.compile("(?<=\\d)[\u2010-\u2015\u2212\u30fc\uff0d](?=\\d)")
_SPACES = re.compile(r"\s+")
_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6
_KANA_OFFSET = 0x60


def _drop_controls(text: str) -> str:
    """Turn control characters into spaces, keeping the ZWJ of emoji sequences."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" or category in ("Cs", "Co", "Cn"):
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def normalize(text: str) -> str:
    """Return ``text`` in the canonical form all components expect.

    NFKC (full-width letters and digits to half-width, half-width kana to
    full-width), long-vowel variants unified to ``ー``, dashes between digits to ``-``, invisible and control
    characters removed, whitespace collapsed to single spaces.
    """
    text = _INVISIBLE.sub("", text)
    text = _drop_controls(text)
    text = unicodedata.normalize("NFKC", text)
    text = _LONG_VOWEL_LIKE.sub("ー", text)
    text = _REPEATED_LONG_VOWEL.sub("ー", text)
    text = _DIGIT_DASH.sub("-", text)
    return _SPACES.sub(" ", text).strip()


def has_content(text: str) -> bool:
    """True when ``text`` holds at least one letter, digit, kana, kanji or symbol."""
    return any(unicodedata.category(char)[0] in "LNS" for char in text)


def has_words(text: str) -> bool:
    """True when ``text`` holds a letter, kana, kanji or digit: an answer, not only emoji or marks."""
    return any(unicodedata.category(char)[0] in "LN" for char in text)


def is_stray_keys(text: str) -> bool:
    """True for one kana, Latin letter or punctuation mark alone or typed three times or more
    (「ｋ」「ん」「いいいい」「？？？」, normalised): a slip on the keyboard, not an answer.

    Digits, kanji and emoji are not (a number, a one-kanji surname, 👍); nor is the same kana
    twice (「ええ」「いい」 are words).
    """
    chars = text.replace(" ", "")
    if not chars or len(set(chars)) != 1 or len(chars) == 2:
        return False
    char = chars[0]
    kana = "\u3041" <= char <= "\u30ff"
    return kana or (char.isascii() and char.isalpha()) or unicodedata.category(char).startswith("P")


def to_hiragana(text: str) -> str:
    """Convert katakana to hiragana (other characters unchanged)."""
    return "".join(
        chr(ord(c) - _KANA_OFFSET) if _KATAKANA_START <= ord(c) <= _KATAKANA_END else c for c in text
    )


_CONTENT_POS = ("名詞", "動詞", "形容詞", "接頭辞")
_LIGHT_WORDS = frozenset(
    {"する", "ある", "いる", "なる", "ない", "こと", "もの", "よう", "ため", "れる", "られる"}
)


@lru_cache(maxsize=1)
def _dictionary():
    """Sudachi's core dictionary, loaded once and shared by every thread."""
    from sudachipy import Dictionary

    return Dictionary(dict="core")


_per_thread = threading.local()


def _tokenizer(mode: str = "C"):
    """This thread's Sudachi tokenizer in split mode ``mode`` (a tokenizer cannot be shared by threads)."""
    from sudachipy import SplitMode

    tokenizers = _per_thread.__dict__.setdefault("tokenizers", {})
    if mode not in tokenizers:
        tokenizers[mode] = _dictionary().tokenizer(mode=getattr(SplitMode, mode))
    return tokenizers[mode]


def reading(text: str) -> str:
    """Katakana reading of ``text`` by Sudachi (特許, とっきょ and ﾄｯｷｮ all give トッキョ)."""
    morphemes = _tokenizer().tokenize(normalize(text))
    return "".join(m.reading_form() or m.surface() for m in morphemes if m.surface().strip())


def normalized_tokens(text: str) -> list[str]:
    """Sudachi normalized forms of the words in ``text`` (打合せ → 打ち合わせ)."""
    return [m.normalized_form() for m in _tokenizer().tokenize(normalize(text)) if m.surface().strip()]


def search_key(text: str) -> str:
    """A key for matching names and phrases regardless of spelling variants."""
    return "".join(normalized_tokens(text)).lower()


def content_words(text: str) -> list[str]:
    """Normalized forms of the nouns, verbs and adjectives in ``text``, finely split (mode A).

    外国特許出願費用助成 → 外国, 特許, 出願, 費用, 助成: the unit catalogue and FAQ search match on.
    """
    words = []
    for m in _tokenizer("A").tokenize(normalize(text)):
        word = m.normalized_form().lower()
        if m.part_of_speech()[0] in _CONTENT_POS and word not in _LIGHT_WORDS:
            words.append(word)
    return words
