"""Custom Rasa components: the normaliser step and the Sudachi reading featurizer."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import SPACY_DOCS, TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_components.normalizer import JapaneseNormalizer
from bot.rasa_components.reading_featurizer import SudachiReadingFeaturizer


def test_normalizer_rewrites_message_text():
    component = JapaneseNormalizer.create({}, None, None, None)
    [message] = component.process([Message(data={TEXT: "ＮＤＡ　の　ﾋﾅｶﾞﾀ"})])
    assert message.get(TEXT) == "NDA の ヒナガタ"


@pytest.fixture(scope="module")
def tokenized(nlp):
    """Messages as SpacyNLP and SpacyTokenizer leave them (doc and tokens)."""

    def make(text):
        message = Message(data={TEXT: text})
        doc = nlp(text)
        message.set(SPACY_DOCS[TEXT], doc)
        message.set(TOKENS_NAMES[TEXT], [Token(t.text, t.idx) for t in doc if t.text.strip()])
        return message

    return make


@pytest.fixture
def featurizer(tmp_path, tokenized):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("reading")
    context = ExecutionContext(graph_schema=None, model_id="test")
    config = SudachiReadingFeaturizer.get_default_config()
    component = SudachiReadingFeaturizer.create(config, storage, resource, context)
    component.train(TrainingData([tokenized("特許の費用"), tokenized("商標の登録")]))
    return SudachiReadingFeaturizer.load(config, storage, resource, context)


def sentence_vector(featurizer, message):
    featurizer.process([message])
    _, sentence = message.get_sparse_features(TEXT)
    return sentence.features.toarray()


def test_kana_spellings_get_the_same_reading_features_as_kanji(featurizer, tokenized):
    kanji = sentence_vector(featurizer, tokenized("特許"))
    assert kanji.sum() > 0
    for kana in ("とっきょ", "トッキョ"):
        assert (sentence_vector(featurizer, tokenized(kana)) == kanji).all()


def test_sequence_features_have_one_row_per_token(featurizer, tokenized):
    message = tokenized("商標の登録")
    featurizer.process([message])
    sequence, _ = message.get_sparse_features(TEXT)
    assert sequence.features.shape[0] == 3
