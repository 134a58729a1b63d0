"""Rasa's logistic-regression intent classifier, without the per-message overhead.

Rasa 3.6's ``LogisticRegressionClassifier`` combines every featurizer's *sequence* features
(tokens × vocabulary) before using only the *sentence* row, and multiplies by a transposed,
non-contiguous coefficient matrix (a full copy per message). Together that was 40 % of a
``/model/parse`` here (docs/performance.md). This subclass builds the same input matrix from
the sentence features alone and keeps the coefficients in the layout the product needs, so the
trained model and its predictions are unchanged; training, persistence and loading are Rasa's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack


def sentence_features(message: Message) -> csr_matrix:
    """The message's sentence-level TEXT features, in featurizer order, as one row."""
    parts = [
        csr_matrix(f.features)
        for f in message.features
        if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE
    ]
    return hstack(parts, format="csr") if parts else csr_matrix((1, 0))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceLogisticRegressionClassifier(LogisticRegressionClassifier):
    """``LogisticRegressionClassifier`` reading sentence features only."""

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        if len(messages) == 1:  # every parse: skip stacking one row
            return sentence_features(messages[0])
        return vstack([sentence_features(m) for m in messages], format="csr")

    def train(self, training_data: TrainingData) -> Resource:
        resource = super().train(training_data)
        self._lay_out_coefficients()
        return resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceLogisticRegressionClassifier:
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        component._lay_out_coefficients()
        return component

    def _lay_out_coefficients(self) -> None:
        """Column-major coefficients, so ``X @ coef_.T`` reads a C-contiguous matrix."""
        if hasattr(self.clf, "coef_"):
            self.clf.coef_ = np.asfortranarray(self.clf.coef_)
