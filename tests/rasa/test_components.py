"""Custom Rasa components: the normaliser step and the Sudachi reading featurizer."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
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


def tokenized(*pieces):
    message = Message(data={TEXT: "".join(pieces)})
    tokens, start = [], 0
    for piece in pieces:
        tokens.append(Token(piece, start))
        start += len(piece)
    message.set(TOKENS_NAMES[TEXT], tokens)
    return message


@pytest.fixture
def featurizer(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("reading")
    context = ExecutionContext(graph_schema=None, model_id="test")
    config = SudachiReadingFeaturizer.get_default_config()
    component = SudachiReadingFeaturizer.create(config, storage, resource, context)
    component.train(TrainingData([tokenized("特許", "の", "費用"), tokenized("商標", "の", "登録")]))
    return SudachiReadingFeaturizer.load(config, storage, resource, context)


def sentence_vector(featurizer, message):
    featurizer.process([message])
    _, sentence = message.get_sparse_features(TEXT)
    return sentence.features.toarray()


def test_kana_spelling_gets_the_same_reading_features_as_kanji(featurizer):
    kanji = sentence_vector(featurizer, tokenized("特許"))
    hiragana = sentence_vector(featurizer, tokenized("と", "っ", "きょ"))
    assert kanji.sum() > 0
    assert (kanji == hiragana).all()


def test_sequence_features_have_one_row_per_token(featurizer):
    message = tokenized("商標", "の", "登録")
    featurizer.process([message])
    sequence, _ = message.get_sparse_features(TEXT)
    assert sequence.features.shape[0] == 3
