"""A learned second opinion on urgency: character n-grams and the rules' verdict, weighed by a
logistic regression trained on ``data/urgency/train*.yml`` (messages written by helpers that never
saw the evaluation sets). Trained once per process, in about a second; nothing is downloaded."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.core.config import ROOT

TRAINING = sorted((ROOT / "data" / "urgency").glob("train*.yml"))
THRESHOLD = 0.5  # the classifier's own even odds; not tuned on the evaluation sets
RULE_WEIGHT = 3.0  # the rules' verdict as one strong feature among the n-grams


class UrgencyModel:
    def __init__(self, rules: Callable[[str], bool]) -> None:
        files = [yaml.safe_load(path.read_text("utf-8")) for path in TRAINING]
        urgent = [text for data in files for text in data["urgent"]]
        not_urgent = [text for data in files for text in data["not_urgent"]]
        texts, labels = [*urgent, *not_urgent], [1] * len(urgent) + [0] * len(not_urgent)
        self._rules = rules
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
        self._vectorizer.fit(texts)
        self._classifier = LogisticRegression(C=4, max_iter=2000, class_weight="balanced")
        self._classifier.fit(self._features(texts), labels)

    def _features(self, texts: list[str]):
        rules = csr_matrix(np.array([[RULE_WEIGHT if self._rules(t) else 0.0] for t in texts]))
        return hstack([self._vectorizer.transform(texts), rules]).tocsr()

    def probability(self, text: str) -> float:
        """How likely ``text`` (already normalised) is urgent, from 0 to 1."""
        return float(self._classifier.predict_proba(self._features([text]))[0, 1])


@lru_cache(maxsize=1)
def model(rules: Callable[[str], bool]) -> UrgencyModel:
    return UrgencyModel(rules)
