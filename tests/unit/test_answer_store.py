"""The knowledge base staff keep: seeded once from data/faq/, edited with an audit trail and a
quote check, and used by the next answer without a redeploy or a retrain."""

import pytest

from bot.core.db import migrate, with_retries
from bot.faq import store
from bot.faq.knowledge import load_knowledge
from bot.faq.models import EntryChange, StoredEntry
from bot.services.answers import topic_answer
from bot.staff.auth import save_user
from tests.unit.test_staff_auth import PASSWORD, STAFF, form_token, sign_in

NEW_ANSWER = "特許権は出願日から起算して20年を経過した時点で終了します。詳しくは公式ページをご覧ください。"


@pytest.fixture
def db(settings_env):
    migrate()
    with_retries(lambda s: store.current(s))  # an empty store is seeded


def fields(entry_id: str) -> dict:
    return with_retries(lambda s: dict(s.get(StoredEntry, entry_id).fields))


def edit(entry_id: str, published: bool = True, **changes) -> bool:
    return with_retries(lambda s: store.edit(s, entry_id, changes, published, "staff@example.jp"))


def answer(text: str, intent: str = "ask_patent") -> str:
    return with_retries(lambda s: topic_answer(s, "v-store", intent, text))[0]["text"]


def test_the_store_is_seeded_once_and_staff_edits_are_never_overwritten(db):
    assert with_retries(lambda s: s.query(StoredEntry).count()) == len(load_knowledge())
    edit("patent_term", answer=NEW_ANSWER)
    assert with_retries(lambda s: store.seed_knowledge(s, load_knowledge())) == 0
    assert fields("patent_term")["answer"] == NEW_ANSWER


def test_an_edited_answer_is_what_the_next_visitor_reads(db):
    edit("patent_term", answer=NEW_ANSWER)
    assert answer("特許の存続期間は？").startswith(NEW_ANSWER)


def test_a_question_staff_add_is_found_at_once(db):
    asked = "ゆるキャラの着ぐるみの名前も守れますか"
    questions = [*fields("trademark_what")["questions"], asked]
    edit("trademark_what", questions=questions)
    assert "商標は、商品やサービスに付ける目印" in answer(asked, "ask_trademark")


def test_an_answer_stating_a_figure_no_quote_holds_is_refused_and_nothing_changes(db):
    before = fields("patent_term")
    with pytest.raises(store.UnquotedFigures, match="30年"):
        edit("patent_term", answer="特許権は出願日から30年で終了します。")
    assert fields("patent_term") == before


def test_an_entry_taken_out_of_use_is_not_answered(db):
    edit("patent_term", published=False)
    assert "起算して20年" not in answer("特許の存続期間は？")


def test_every_change_is_audited_with_before_and_after(db):
    edit("patent_term", answer=NEW_ANSWER)
    assert not edit("patent_term", answer=NEW_ANSWER)  # nothing changed: nothing recorded
    seed, change = with_retries(
        lambda s: [
            (c.changed_by, c.before, c.after) for c in s.query(EntryChange).filter_by(entry_id="patent_term")
        ]
    )
    assert seed[0] == store.SEED_AUTHOR and seed[1] is None
    assert change[0] == "staff@example.jp" and change[2]["answer"] == NEW_ANSWER != change[1]["answer"]


@pytest.fixture
def web(client, db):
    with_retries(lambda s: save_user(s, STAFF, "staff", PASSWORD, "職員"))
    client.follow_redirects = False
    return client


def test_staff_preview_save_and_see_the_history_of_an_answer_on_the_page(web):
    token = sign_in(web, STAFF)
    assert "特許権の存続期間" in web.get("/staff/answers").text
    form = {"answer": NEW_ANSWER, "questions": "特許は何年有効ですか", "next_step": "official_page",
            "published": "on", "csrf_token": token}  # fmt: skip
    preview = web.post("/staff/answers/patent_term", data={**form, "action": "preview"})
    assert preview.status_code == 200 and "プレビュー・未保存" in preview.text and NEW_ANSWER in preview.text
    saved = web.post("/staff/answers/patent_term", data={**form, "action": "save"})
    page = web.get(saved.headers["location"])
    assert "保存しました" in page.text and STAFF in page.text
    refused = web.post(
        "/staff/answers/patent_term",
        data={**form, "answer": "出願から30年です。", "action": "save", "csrf_token": form_token(page.text)},
    )
    assert refused.status_code == 400 and "出典の引用にありません: 30年" in refused.text
    assert web.get("/staff/answers/no_such_entry").status_code == 404


NEW_ENTRY = {
    "topic": "trademark",
    "entry_id": "trademark_mascot_name",
    "title": "ゆるキャラの名前",
    "questions": "ゆるキャラの名前は商標にできますか\nマスコットの名前を登録したい",
    "answer": "キャラクターの名前も、商品やサービスの目印として使うなら商標の対象になり得ます。",
    "next_step": "consultation",
    "fact_quote": "文字、図形、記号、立体的形状若しくは色彩又はこれらの結合",
    "fact_url": "https://www.jpo.go.jp/system/trademark/gaiyo/seidogaiyo/chizai07.html",
    "fact_publisher": "特許庁",
    "fact_official": "on",
}


def test_staff_add_an_entry_and_the_next_visitor_gets_it(web):
    token = sign_in(web, STAFF)
    preview = web.post("/staff/answers/new", data={**NEW_ENTRY, "csrf_token": token, "action": "preview"})
    assert preview.status_code == 200 and "出典: 特許庁 https://www.jpo.go.jp/" in preview.text
    saved = web.post("/staff/answers/new", data={**NEW_ENTRY, "csrf_token": token, "action": "save"})
    assert saved.headers["location"] == "/staff/answers/trademark_mascot_name?done=saved"
    assert "キャラクターの名前も" in answer("マスコットキャラの名前って商標登録できる？", "ask_trademark")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"entry_id": "patent_mascot"}, "「trademark_」で始め"),
        ({"entry_id": "trademark_what"}, "すでに使われています"),
        ({"fact_url": "jpo"}, "出典の引用・発行元・アドレス"),
        ({"answer": "登録料は10万円です。"}, "出典の引用にありません: 10万円"),
    ],
)
def test_a_new_entry_that_is_not_complete_is_shown_again_with_what_to_fix(web, change, problem):
    token = sign_in(web, STAFF)
    page = web.post("/staff/answers/new", data={**NEW_ENTRY, **change, "csrf_token": token, "action": "save"})
    assert page.status_code == 400 and problem in page.text


def test_staff_edit_the_facts_and_the_answer_may_state_what_the_new_quote_holds(web):
    token = sign_in(web, STAFF)
    page = web.get("/staff/answers/patent_term")
    assert 'name="fact-0-quote"' in page.text and 'name="fact-1-quote"' in page.text
    kept = fields("patent_term")["facts"]
    form = {"answer": "実用新案権の存続期間は、出願から10年です。", "questions": "実用新案は何年", "next_step": "consultation",
            "published": "on", "csrf_token": token, "action": "save"}  # fmt: skip
    for i, fact in enumerate(kept):
        form |= {f"fact-{i}-{k}": str(fact[k]) for k in ("quote", "url", "publisher", "page_date")}
        form |= {f"fact-{i}-official": "on"} if fact["official"] else {}
    added = len(kept)
    form |= {f"fact-{added}-quote": "実用新案権の存続期間は、出願から10年をもって終了します",
             f"fact-{added}-url": "https://www.jpo.go.jp/", f"fact-{added}-publisher": "特許庁"}  # fmt: skip
    assert web.post("/staff/answers/patent_term", data=form).status_code == 303
    assert fields("patent_term")["facts"][-1]["quote"].startswith("実用新案権の存続期間")
    emptied = {**form, **{f"fact-{i}-quote": "" for i in range(added + 1)}}
    refused = web.post("/staff/answers/patent_term", data=emptied)
    assert refused.status_code == 400 and "1件以上" in refused.text
