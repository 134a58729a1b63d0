"""The program catalogue: idempotent seeding with an audit trail, and search by meaning."""

import re

import pytest
from sqlalchemy import select

from bot.catalogue.models import Program, ProgramChange
from bot.catalogue.render import program_card
from bot.catalogue.search import best, rank
from bot.catalogue.seed import SEED_AUTHOR, seed_programs
from bot.core.config import get_settings
from bot.core.db import migrate, session_factory


@pytest.fixture
def session(settings_env):
    migrate()
    with session_factory().begin() as session:
        yield session


@pytest.fixture
def programs_file():
    return get_settings().content_dir / "programs.yml"


def test_seeding_is_idempotent_and_audited(session, programs_file):
    added = seed_programs(session, programs_file)
    assert added >= 10
    assert seed_programs(session, programs_file) == 0
    changes = session.scalars(select(ProgramChange)).all()
    assert len(changes) == added
    assert {c.changed_by for c in changes} == {SEED_AUTHOR}


def test_seeding_never_overwrites_staff_edits(session, programs_file):
    seed_programs(session, programs_file)
    program = session.get(Program, "tokkyo_chosa")
    program.application_period = "staff edit"
    seed_programs(session, programs_file)
    assert session.get(Program, "tokkyo_chosa").application_period == "staff edit"


def test_third_party_figures_are_flagged(session, programs_file):
    seed_programs(session, programs_file)
    assert session.get(Program, "gaikoku_tokkyo_shutsugan").third_party
    assert not session.get(Program, "koryu_kenkyukai").third_party


@pytest.mark.parametrize(
    ("query", "program_id"),
    [
        ("海外で特許出したい 補助", "gaikoku_tokkyo_shutsugan"),
        ("模倣品の調査にお金出る？", "gaikoku_shingai_chosa"),
        ("スタートアップ向けの支援", "startup_chizai_handson"),
        ("著作権の登録を海外でしたい", "gaikoku_chosakuken_toroku"),
    ],
)
def test_search_finds_the_program_a_visitor_means(session, programs_file, query, program_id):
    seed_programs(session, programs_file)
    chosen = best(rank(query, session.scalars(select(Program)).all()))
    assert chosen is not None and chosen.id == program_id


def test_a_vague_question_matches_several_programs(session, programs_file):
    seed_programs(session, programs_file)
    matches = rank("補助金ありますか", session.scalars(select(Program)).all())
    assert len(matches) > 1
    assert best(matches) is None


def test_the_card_says_what_is_unknown_and_where_figures_come_from(session, programs_file):
    seed_programs(session, programs_file)
    card = program_card(session.get(Program, "chizai_katsuyo_seihinka"))
    assert (
        "支援内容、対象、助成率、上限額と募集期間は、このチャットでは確認できていません。公式ページでご確認ください。"
        in card["text"]
    )
    assert card["text"].count("確認できていません") == 1  # said once, in one sentence
    assert "※金額などは第三者" not in card["text"]  # no figure shown, so none to warn about
    third_party = program_card(session.get(Program, "kaigai_shohyo_taisaku"))["text"]
    assert "第三者のサイト" in third_party and "出典(第三者のサイト): https://" in third_party
    consultation_required = program_card(session.get(Program, "tokkyo_chosa"))["text"]
    assert "公社の知財相談を受けていることが要件" in consultation_required


def test_a_date_the_card_is_valid_for_is_written_the_japanese_way(session, programs_file):
    seed_programs(session, programs_file)
    dated = next(p for p in session.scalars(select(Program)) if p.as_of == "2021-10-06")
    assert "(2021年10月6日時点の情報です)" in program_card(dated)["text"]


def test_no_card_shows_english_or_a_figure_without_its_year(session, programs_file):
    seed_programs(session, programs_file)
    for program in session.scalars(select(Program)):
        text = program_card(program)["text"]
        words = re.sub(r"https?://\S+", "", text)
        assert not re.search(r"[A-Za-z]{3,}", words), (program.id, words)
        if program.rate or program.limit:
            assert "の情報です" in text or "いつの情報かは確認できていません" in text, program.id


def test_a_follow_up_on_the_program_shown_gets_the_detail_asked_for(session, programs_file):
    from bot.services.answers import program_answer

    seed_programs(session, programs_file)
    [card] = program_answer(session, "web-follow", "外国特許出願の費用の補助", "gaikoku_tokkyo_shutsugan")
    assert card["text"].startswith("【外国特許出願費用助成事業】")
    [amount] = program_answer(session, "web-follow", "それっていくらまで出るの", None)
    assert "400万円" in amount["text"] and "1/2以内" in amount["text"] and "第三者" in amount["text"]
    [deadline] = program_answer(session, "web-follow", "締切は？", None)
    assert "募集期間は、このチャットでは確認できていません" in deadline["text"]
    [eligible] = program_answer(session, "web-follow", "うちは対象？社員5人", None)
    assert "中小企業者" in eligible["text"] and "個別の判断" in eligible["text"]
    [other] = program_answer(session, "web-other", "それっていくらまで出るの", None)
    assert not other["text"].startswith("【外国特許出願費用助成事業】")  # another visitor saw no card


def test_a_vague_question_names_the_nearest_program_for_the_right_named_and_follow_ups_are_about_it(
    session, programs_file
):
    from bot.services.answers import program_answer

    seed_programs(session, programs_file)
    [listed] = program_answer(session, "web-near", "外国出願の費用の補助ってある？", None, "patent")
    assert "いちばん近い制度は「外国特許出願費用助成事業」" in listed["text"]
    assert listed["buttons"][0]["title"] == "外国特許出願費用助成"
    [amount] = program_answer(session, "web-near", "それっていくらまで出るの", None)
    assert amount["text"].startswith("【外国特許出願費用助成事業】") and "400万円" in amount["text"]


def test_a_seminar_is_no_consultation_and_what_is_not_known_about_it_is_said_so(session, programs_file):
    from bot.services.answers import EVENTS_UNKNOWN, program_answer

    seed_programs(session, programs_file)
    [answer] = program_answer(session, "web-event", "知財のセミナーって参加できますか？", None)
    assert answer["text"] == EVENTS_UNKNOWN and answer["buttons"][0]["title"] == "公式ページ"


def test_a_program_staff_add_or_rename_is_recognised_by_name_at_once(session, programs_file):
    from bot.services.answers import answer_topic, misunderstood_answer

    seed_programs(session, programs_file)
    session.add(Program(id="test_new", name="知財ミライ応援助成事業", summary="新しい制度", published=True))
    session.flush()
    [card] = misunderstood_answer(session, "web-new", "知財ミライ応援助成って何ですか")
    assert card["text"].startswith("【知財ミライ応援助成事業】")
    session.get(Program, "test_new").name = "ちざいミライ応援助成事業"
    session.flush()
    [renamed] = answer_topic(
        session, "web-new", "ask_patent", "ちざいミライ応援助成は特許にも使えますか"
    ).messages
    assert renamed["text"].startswith("【ちざいミライ応援助成事業】")
