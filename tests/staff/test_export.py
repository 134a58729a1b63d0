"""The CSV exports on the running system: the admin downloads the filtered escalation list from
its link in Chromium and sees the contacts; a staff member without the callbacks permission gets
them masked, in the booking file too; only the admin's raw export is in the audit log."""

import csv
import io
import random
import uuid

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from bot.booking.calendar import free_slots
from bot.booking.service import BookingRequest, create_booking
from bot.core.clock import now_tokyo
from bot.escalation.models import Escalation
from bot.reading.contact import Contact
from tests.staff.conftest import ADMIN, STAFF, query, sign_in

PHONE, EMAIL = "03-1234-5678", "hanako@example.jp"


def in_the_database(system, work) -> None:
    engine = create_engine(system.database_url)
    try:
        with sessionmaker(engine).begin() as session:
            work(session)
    finally:
        engine.dispose()


def escalation_with_contact(session: Session, text: str) -> None:
    session.add(
        Escalation(
            sender_id=f"web-{uuid.uuid4().hex}",
            channel="web",
            reason="requested_human",
            priority="normal",
            trigger_text=text,
            contact_name="佐藤花子",
            contact_phone=PHONE,
            contact_email=EMAIL,
        )
    )


def booking(session: Session, phone: str) -> None:
    slot = free_slots(session, "tama", "general", now_tokyo())[0]
    contact = Contact(phone=phone)
    create_booking(
        session, BookingRequest(kind_id="general", place_id="tama", slot_start=slot.start, contact=contact)
    )


def rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_the_admin_downloads_contacts_and_a_staff_member_gets_them_masked(staff, browser, system):
    marker = f"書き出し確認{uuid.uuid4().hex[:8]}"
    in_the_database(system, lambda session: escalation_with_contact(session, f"{marker} 担当者と話したい"))
    booked_phone = f"042-500-{random.randrange(10000):04d}"
    in_the_database(system, lambda session: booking(session, booked_phone))

    page = staff.goto(f"/staff/escalations?q={marker}")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSVで書き出す").click()
    [row] = rows(download.value.path().read_bytes())
    assert (row["きっかけの発言"], row["状態"], row["理由"]) == (
        f"{marker} 担当者と話したい",
        "未対応",
        "担当者希望",
    )
    assert (row["電話"], row["メール"]) == (PHONE, EMAIL)
    audited = (
        "SELECT actor, target, detail FROM staff_audit WHERE action = 'contacts_exported' AND detail LIKE ?"
    )
    assert query(system, audited, f"%q={marker}%") == [
        (ADMIN[0], "escalations", f"1件 status=active q={marker}")
    ]
    booked = page.context.request.get(f"{system.gateway_url}/staff/bookings.csv?place=tama")
    assert booked_phone in {r["電話"] for r in rows(booked.body())}

    context = browser.new_context(locale="ja-JP")
    try:
        colleague = context.new_page()
        sign_in(colleague, system, STAFF[0])
        response = context.request.get(f"{system.gateway_url}/staff/escalations.csv?q={marker}")
        assert response.status == 200
        [masked] = rows(response.body())
        assert (masked["電話"], masked["メール"]) == ("電話 末尾5678", "h***@example.jp")
        assert masked["お名前"] == "佐藤花子"
        bookings = rows(context.request.get(f"{system.gateway_url}/staff/bookings.csv?place=tama").body())
        assert f"電話 末尾{booked_phone[-4:]}" in {r["電話"] for r in bookings}
        assert booked_phone not in {r["電話"] for r in bookings}
    finally:
        context.close()
    assert len(query(system, audited, f"%q={marker}%")) == 1  # the masked download is not audited
