"""Knowledge-base answers: staff read them by topic and edit one (answer, questions, next step,
whether the bot uses it) with a preview of what the visitor reads and the audit trail; an answer
stating a figure its quotes do not hold is not saved. The selector picks the edit up at once."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from bot.core.db import with_retries
from bot.faq import store
from bot.faq.knowledge import from_fields
from bot.faq.render import answer_text
from bot.faq.select import learn_current
from bot.feedback.analytics import TOPIC_NAMES
from bot.staff.web import CurrentStaff, StaffRoute, detached, form_values, redirect, render

router = APIRouter(route_class=StaffRoute)
LIST = "/staff/answers"
NEXT_STEPS = {
    "consultation": "相談の予約",
    "official_page": "公式ページ",
    "program": "支援制度",
    "none": "なし",
}
LABELS = {"answer": "回答", "questions": "質問の例", "next_step": "次の案内", "facts": "出典"}
MAX_ANSWER = 1000
MAX_FACTS = 12


@router.get(LIST)
def answer_list(request: Request, _staff: CurrentStaff) -> HTMLResponse:
    rows = with_retries(lambda s: detached(s, store.stored(s)))
    return render(request, "answers.html", {"rows": rows, "topics": TOPIC_NAMES})


def _values(form: dict[str, str]) -> tuple[dict[str, Any], bool, dict[str, str]]:
    answer = form.get("answer", "").replace("\r\n", "\n").strip()
    questions = [q.strip() for q in form.get("questions", "").splitlines() if q.strip()]
    errors = {}
    if not answer or len(answer) > MAX_ANSWER:
        errors["answer"] = f"回答を{MAX_ANSWER}文字以内で入力してください。"
    if not questions:
        errors["questions"] = "質問の例を1行に1つ入力してください。"
    if form.get("next_step") not in NEXT_STEPS:
        errors["next_step"] = "次の案内を選んでください。"
    changes: dict[str, Any] = {
        "answer": answer,
        "questions": questions,
        "next_step": form.get("next_step", ""),
    }
    if "fact-0-quote" in form:  # the form edits the facts too
        changes["facts"], problem = _facts(form)
        if problem:
            errors["facts"] = problem
    return changes, form.get("published") == "on", errors


def _facts(form: dict[str, str]) -> tuple[list[dict[str, Any]], str | None]:
    """The facts of the editor's rows (a row with no quote is left out), and what is wrong."""
    facts = []
    for i in range(MAX_FACTS):
        row = {k: form.get(f"fact-{i}-{k}", "").strip() for k in ("quote", "url", "publisher", "page_date")}
        if row["quote"]:
            official = form.get(f"fact-{i}-official") == "on"
            facts.append({**row, "page_date": row["page_date"] or "none", "official": official})
    if not store.all_complete(facts):
        return facts, "出典ごとに引用・発行元・アドレス(https://〜)を入力してください(1件以上)。"
    return facts, None


def _editor(request: Request, entry_id: str, changes: dict[str, Any] | None, published: bool | None,
            errors: dict[str, str], status: int = 200) -> HTMLResponse:  # fmt: skip
    def read(session):
        row = session.get(store.StoredEntry, entry_id)
        if row is None:
            raise LookupError(entry_id)
        return (
            row.topic,
            dict(row.fields),
            row.published,
            detached(session, store.history(session, entry_id)),
        )

    try:
        topic, fields, stored_published, history = with_retries(read)
    except LookupError as error:
        raise HTTPException(404) from error
    values = {**fields, **(changes or {})}
    preview = (
        answer_text(from_fields(entry_id, topic, values), first_topic_answer=False) if not errors else None
    )
    context = {
        "entry_id": entry_id, "topic": TOPIC_NAMES.get(topic, topic), "values": values, "errors": errors,
        "published": stored_published if published is None else published, "preview": preview,
        "previewing": changes is not None, "history": history, "next_steps": NEXT_STEPS, "labels": LABELS,
    }  # fmt: skip
    return render(request, "answer.html", context, status=status)


NEW = LIST + "/new"


def _new_fields(form: dict[str, str]) -> dict[str, Any]:
    typed = {k: form.get(f"fact_{k}", "").strip() for k in ("quote", "url", "publisher", "page_date")}
    fact: dict[str, Any] = {**typed, "page_date": typed["page_date"] or "none"}
    fact["official"] = form.get("fact_official") == "on"
    return {
        "title": form.get("title", "").strip(),
        "questions": [q.strip() for q in form.get("questions", "").splitlines() if q.strip()],
        "answer": form.get("answer", "").replace("\r\n", "\n").strip(),
        "next_step": form.get("next_step", "consultation"),
        "related_programs": [],
        "facts": [fact],
        "variants": [],
    }


def _new_page(request: Request, form: dict[str, str], errors: dict[str, str], preview: str | None,
              status: int = 200) -> HTMLResponse:  # fmt: skip
    context = {
        "form": form,
        "errors": errors,
        "preview": preview,
        "topics": TOPIC_NAMES,
        "next_steps": NEXT_STEPS,
    }
    return render(request, "answer_new.html", context, status=status)


@router.get(NEW)
def new_answer(request: Request, _staff: CurrentStaff) -> HTMLResponse:
    return _new_page(request, {}, {}, None)


@router.post(NEW)
async def create_answer(request: Request, staff: CurrentStaff) -> Response:
    form = await form_values(request)
    fields, topic, entry_id = _new_fields(form), form.get("topic", ""), form.get("entry_id", "").strip()
    errors = {k: "入力してください。" for k in ("title", "answer", "questions") if not fields[k]}
    if not errors and form.get("action") == "preview" and topic in TOPIC_NAMES:
        preview = answer_text(from_fields(entry_id or "new", topic, fields), first_topic_answer=False)
        return _new_page(request, form, {}, preview)
    actor = staff.staff.email
    try:
        if errors:
            raise store.InvalidEntry(errors)
        await to_thread.run_sync(with_retries, lambda s: store.create(s, entry_id, topic, fields, actor))
    except store.InvalidEntry as invalid:
        return _new_page(request, form, invalid.problems, None, status=400)
    await to_thread.run_sync(learn_current)
    return redirect(f"{LIST}/{entry_id}", "saved")


@router.get(LIST + "/{entry_id}")
def edit_answer(request: Request, entry_id: str, _staff: CurrentStaff) -> HTMLResponse:
    return _editor(request, entry_id, None, None, {})


@router.post(LIST + "/{entry_id}")
async def save_answer(request: Request, entry_id: str, staff: CurrentStaff) -> Response:
    form = await form_values(request)
    changes, published, errors = _values(form)
    if errors or form.get("action") == "preview":
        return await to_thread.run_sync(
            _editor, request, entry_id, changes, published, errors, 400 if errors else 200
        )
    actor = staff.staff.email
    try:
        await to_thread.run_sync(with_retries, lambda s: store.edit(s, entry_id, changes, published, actor))
    except LookupError as error:
        raise HTTPException(404) from error
    except store.UnquotedFigures as refused:
        problem = {
            "answer": f"次の数字・日付が出典の引用にありません: {refused}。引用にある内容だけを書いてください。"
        }
        return await to_thread.run_sync(_editor, request, entry_id, changes, published, problem, 400)
    await to_thread.run_sync(learn_current)
    return redirect(f"{LIST}/{entry_id}", "saved")
