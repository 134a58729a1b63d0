"""Where form answers live: in the gateway's store, never in Rasa's tracker.

Rasa's slot for a personal answer (a name, a company, a contact, a description) holds only
``FILLED``, which is all the dialogue needs to predict the next step; the answer itself is kept
here, database-backed so that any gateway worker can serve the next action call, and deleted when
the form is submitted or stopped, or after ``STALE_AFTER`` without a change (bot/privacy/retention.py).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.core.clock import utcnow
from bot.core.db import rows_changed
from bot.forms.models import FormDraft

FILLED = "入力済み"
STALE_AFTER = timedelta(hours=24)


def answers(session: Session, sender_id: str, form: str) -> dict[str, str]:
    """The answers given so far (empty when none)."""
    draft = session.get(FormDraft, (sender_id, form))
    return json.loads(draft.answers) if draft else {}


def keep(session: Session, sender_id: str, form: str, values: dict[str, str | None]) -> dict[str, str | None]:
    """Store answers (``None`` removes one, to be asked again); what Rasa's slots get instead:
    ``FILLED``, or ``None`` for an answer to ask again."""
    filled = {slot: FILLED if value is not None else None for slot, value in values.items()}
    draft = session.get(FormDraft, (sender_id, form))
    if draft is None:
        if not any(value is not None for value in values.values()):
            return filled  # nothing to keep and nothing to remove: no empty draft
        draft = FormDraft(sender_id=sender_id, form=form, answers="{}")
        session.add(draft)
    kept = {**json.loads(draft.answers), **values}
    draft.answers = json.dumps({k: v for k, v in kept.items() if v is not None}, ensure_ascii=False)
    draft.updated_at = utcnow()
    return filled


def discard(session: Session, sender_id: str, form: str) -> None:
    session.execute(delete(FormDraft).where(FormDraft.sender_id == sender_id, FormDraft.form == form))


def forget_stale(session: Session, now: datetime | None = None) -> int:
    """Delete drafts untouched for ``STALE_AFTER``; returns how many."""
    cutoff = (now or utcnow()) - STALE_AFTER
    return rows_changed(session.execute(delete(FormDraft).where(FormDraft.updated_at < cutoff)))
