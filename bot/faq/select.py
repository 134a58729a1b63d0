"""Pick the knowledge-base entry that answers a question, or none.

Two opinions over the whole knowledge base, chosen by measurement (scripts/evaluate_answers.py,
docs/answers.md): BM25 over Sudachi's normalized words of each entry's title and question variants,
and a classifier over the question variants (character n-grams of the text and of its Sudachi
reading, so kana-only questions find their kanji entries, and Sudachi words). The classified intent is a prior,
not a filter, so a question the intent got wrong can still find its answer; below the threshold
the honest answer is that this chat does not know.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline

from bot.catalogue.search import search_words
from bot.core.config import ROOT
from bot.core.db import with_retries
from bot.faq import store
from bot.faq.knowledge import TOPIC_INTENTS, Entry, load_knowledge
from bot.text.normalize import content_words, normalize, reading

logger = logging.getLogger(__name__)
CACHE_DIR = ROOT / "build" / "cache"
CACHE_VERSION = 2  # raise when _features or the classifier change


@dataclass(frozen=True)
class Weights:
    """How the opinions are mixed: the classifier's probability, plus BM25's support (the share of
    the best BM25 score, saturating at ``bm25_saturation``), plus the intent prior. The defaults
    are the measured choice (docs/answers.md)."""

    bm25: float = 0.33
    classifier: float = 1.0
    intent_prior: float = 0.033
    threshold: float = 0.4
    bm25_saturation: float = 12.0


@dataclass(frozen=True)
class Choice:
    entry: Entry
    score: float


def _words(text: str) -> list[str]:
    return search_words(text) or [normalize(text).lower()]


def _folded(text: str) -> str:
    return normalize(text).lower()


def _reading_folded(text: str) -> str:
    return reading(text).lower()


def _features() -> FeatureUnion:
    """Character n-grams of the text and of its reading, and Sudachi's normalized words; those
    seen fewer than three times are left out (a third of the features, a fifth of the training time)."""
    common = {"sublinear_tf": True, "min_df": 3}
    return FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), preprocessor=_folded, **common),
            ),
            (
                "reading",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 4), preprocessor=_reading_folded, **common
                ),
            ),
            ("words", TfidfVectorizer(analyzer=content_words, **common)),
        ]
    )


def _trained_classifier(entries: Sequence[Entry]) -> Pipeline:
    """The classifier over the entries' ways of asking, from the cache when these entries were
    learned before (training takes seconds; loading, milliseconds)."""
    texts = [q for e in entries for q in e.asked]
    labels = [i for i, e in enumerate(entries) for _ in e.asked]
    key = hashlib.sha256(
        json.dumps([CACHE_VERSION, [e.id for e in entries], texts], ensure_ascii=False).encode()
    )
    cached = CACHE_DIR / f"answer-selector-{key.hexdigest()[:16]}.joblib"
    if cached.is_file():
        return joblib.load(cached)
    classifier = make_pipeline(_features(), LogisticRegression(C=20, max_iter=200, tol=1e-3))
    classifier.fit(texts, labels)
    weights = classifier[-1]
    weights.coef_ = weights.coef_.astype(np.float32)  # half the memory (190 × 29k weights), same answers
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a worker starting beside this one never reads half a file.
        with tempfile.NamedTemporaryFile(dir=CACHE_DIR, suffix=".part", delete=False) as part:
            joblib.dump(classifier, part)
        os.replace(part.name, cached)
    except OSError:
        logger.warning("the answer selector could not be cached in %s", CACHE_DIR)
    return classifier


class Selector:
    """Ranks the entries for a question; built once per version of the knowledge base."""

    def __init__(self, entries: Sequence[Entry], weights: Weights = Weights()) -> None:
        self.entries = tuple(entries)
        self.weights = weights
        self._bm25 = bm25s.BM25()
        self._bm25.index([_words(" ".join(e.asked)) for e in self.entries], show_progress=False)
        self._classifier = _trained_classifier(self.entries)

    def _bm25_scores(self, text: str) -> np.ndarray:
        scores = self._bm25.get_scores(_words(text))
        top = float(scores.max()) if len(scores) else 0.0
        # Scaled to the best, damped when even the best shares few words with the question.
        return scores / top * min(1.0, top / self.weights.bm25_saturation) if top > 0 else scores

    def _classifier_scores(self, text: str) -> np.ndarray:
        probabilities = self._classifier.predict_proba([text])[0]
        scores = np.zeros(len(self.entries))
        scores[self._classifier.classes_] = probabilities
        return scores

    def scores(self, text: str, intent: str | None = None) -> np.ndarray:
        w = self.weights
        mixed = w.bm25 * self._bm25_scores(text) + w.classifier * self._classifier_scores(text)
        if intent in TOPIC_INTENTS.values():
            mixed = mixed + w.intent_prior * np.array([e.intent == intent for e in self.entries])
        return mixed

    def ranked(self, text: str, intent: str | None = None, limit: int = 3) -> list[Choice]:
        """The best ``limit`` entries with their scores, best first."""
        scores = self.scores(text, intent)
        order = np.argsort(-scores)[:limit]
        return [Choice(self.entries[i], float(scores[i])) for i in order]

    def choose(self, text: str, intent: str | None = None) -> Entry | None:
        """The entry that answers ``text``, or None when none clearly does."""
        best = self.ranked(text, intent, limit=1)
        return best[0].entry if best and best[0].score >= self.weights.threshold else None


@lru_cache(maxsize=2)
def selector_for(entries: tuple[Entry, ...]) -> Selector:
    """The selector over ``entries`` (learned once per version of the knowledge base)."""
    return Selector(entries)


def learn_current() -> Selector:
    """The selector over the knowledge base as staff keep it now: learned at start-up and when
    staff save, so that no visitor's turn waits for it."""
    return selector_for(with_retries(store.current))


def bare_payload(intent: str | None, text: str) -> bool:
    """A button that only names its intent (``/ask_patent``, ``/ask_program``): no question to
    choose an answer for (what it gets is the caller's to say: bot/faq/menu.py)."""
    return bool(intent) and text.strip() == f"/{intent}"


def select_entry(intent: str | None, text: str, entries: tuple[Entry, ...] | None = None) -> Entry | None:
    """The entry of ``entries`` (the shipped knowledge base by default) that answers ``text``
    asked with ``intent``, or None (always for a bare payload)."""
    if bare_payload(intent, text):
        return None
    entries = load_knowledge() if entries is None else entries
    return selector_for(entries).choose(text, intent)
