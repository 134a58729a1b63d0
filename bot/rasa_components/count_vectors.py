"""Rasa's count-vector featurizer, producing only the sentence features our classifier reads.

``CountVectorsFeaturizer`` also builds one row per token (sequence features) for classifiers
such as DIET. The logistic-regression classifier reads the sentence row alone, so the token rows
were a second sklearn ``transform`` per message for nothing. Vocabulary, training and
persistence stay Rasa's; the sentence features are the same.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from scipy.sparse import coo_matrix


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    """``CountVectorsFeaturizer`` without sequence features (feed it to a sentence classifier)."""

    def _create_features(
        self, attribute: str, all_tokens: list[list[str]]
    ) -> tuple[list[None], list[coo_matrix | None]]:
        vectorizer = self.vectorizers.get(attribute)
        if not vectorizer or attribute not in DENSE_FEATURIZABLE_ATTRIBUTES:
            return [None] * len(all_tokens), [None] * len(all_tokens)
        sentences: list[coo_matrix | None] = []
        for tokens in all_tokens:
            if not tokens:
                sentences.append(None)
                continue
            vector = vectorizer.transform([" ".join(tokens)])
            vector.sort_indices()
            sentences.append(vector.tocoo())
        return [None] * len(all_tokens), sentences
