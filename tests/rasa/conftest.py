"""Tests run in the Rasa environment (Python 3.10) against the built spaCy pipeline."""

from pathlib import Path

import pytest
import spacy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def nlp():
    return spacy.load(ROOT / "build" / "spacy_ja")
