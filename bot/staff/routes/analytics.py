"""Analytics: charts of the last days, and the messages the bot did not understand, which staff
label with the right intent and export as Rasa NLU training data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from bot.core.clock import now_tokyo
from bot.core.db import with_retries
from bot.feedback import analytics as feedback
from bot.services.answers import NOT_IN_THIS_CHAT, NOT_IN_THIS_CHAT_CENTER
from bot.staff import analytics as work
from bot.staff import charts
from bot.staff.web import CurrentStaff, StaffRoute, redirect, render

router = APIRouter(route_class=StaffRoute)
PAGE = "/staff/analytics"
EXPORT = "/staff/analytics/training-data.yml"


def _top(items: list[tuple[str, int]], count: int) -> list[tuple[str, int]]:
    """The ``count`` largest items, the rest summed as その他."""
    if len(items) <= count:
        return items
    return [*items[: count - 1], ("その他", sum(n for _, n in items[count - 1 :]))]


def _charts(figures: work.Figures, verdicts: feedback.FeedbackFigures) -> dict[str, object]:
    days = [f"{d.month}/{d.day}" for d in figures.days]
    return {
        "chart_helpful": charts.line_chart(
            "日別の「役に立った」の割合",
            days,
            [charts.Series("役に立った割合", verdicts.daily_share)],
            percent=True,
        ),
        "chart_helpful_topics": charts.hbar_chart(
            "分野別の「役に立った」の割合(%)", [(name, round(share)) for name, share, _ in verdicts.topics]
        ),
        "chart_traffic": charts.line_chart(
            "日別の会話数と来訪者メッセージ数",
            days,
            [charts.Series("会話数", figures.conversations), charts.Series("メッセージ数", figures.messages)],
        ),
        "chart_fallback": charts.line_chart(
            "日別のフォールバック率",
            days,
            [charts.Series("理解できなかった割合", figures.fallback_rate)],
            percent=True,
        ),
        "chart_intents": charts.hbar_chart("意図(インテント)の分布", _top(figures.intents, 12)),
        "chart_escalations": charts.hbar_chart("理由別のエスカレーション数", figures.escalations),
        "chart_bookings": charts.bar_chart(
            "日別の予約受付数", days, charts.Series("予約数", figures.bookings)
        ),
    }


@router.get(PAGE)
def analytics_page(request: Request, _staff: CurrentStaff, days: int = 30) -> HTMLResponse:
    days = days if days in work.PERIODS else 30

    today = now_tokyo().date()
    day_list, since = work.period(days, today)

    def read(session):
        return {
            "figures": work.figures(session, days, today),
            "feedback": feedback.figures(session, day_list, since),
            "unanswered": feedback.unanswered(session, since, (NOT_IN_THIS_CHAT, NOT_IN_THIS_CHAT_CENTER)),
            "unlabelled": work.not_understood(session),
            "labels": work.labels(session)[:100],
        }

    context = with_retries(read)
    return render(
        request,
        "analytics.html",
        {
            **context,
            **_charts(context["figures"], context["feedback"]),
            "days": days,
            "periods": work.PERIODS,
            "intents": work.labellable_intents(),
            "intent_label": work.intent_label,
            "not_usable": work.NOT_USABLE,
        },
    )


@router.post(PAGE + "/labels")
def add_label(
    staff: CurrentStaff,
    message_id: Annotated[int, Form()],
    intent: Annotated[str, Form()] = "",
    days: Annotated[int, Form()] = 30,
) -> Response:
    actor = staff.staff.email
    try:
        with_retries(lambda s: work.label(s, message_id, intent, actor))
    except (LookupError, ValueError) as error:
        raise HTTPException(400) from error
    return redirect(PAGE, "labelled", days=days)


@router.post(PAGE + "/labels/{label_id}/delete")
def delete_label(label_id: int, _staff: CurrentStaff) -> Response:
    try:
        with_retries(lambda s: work.delete_label(s, label_id))
    except LookupError as error:
        raise HTTPException(404) from error
    return redirect(PAGE, "deleted")


@router.get(EXPORT)
def export(_staff: CurrentStaff) -> Response:
    body = with_retries(work.training_data)
    headers = {"Content-Disposition": 'attachment; filename="nlu_staff_labels.yml"'}
    return Response(body, media_type="application/x-yaml; charset=utf-8", headers=headers)
