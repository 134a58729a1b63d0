"""Command line: ``python -m bot serve|migrate|purge|watch|backup|restore|line-rich-menu|bookings|staff-user``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import uvicorn
from pydantic import ValidationError
from sqlalchemy import select

from bot.booking.messages import slot_label
from bot.booking.models import Booking
from bot.channels import rich_menu
from bot.core import backup
from bot.core.config import get_settings
from bot.core.db import migrate, with_retries
from bot.core.logging import configure_logging
from bot.notify import watch
from bot.privacy.retention import run_purge
from bot.staff.cli import staff_user


def purge() -> None:
    """Remove personal data past its retention periods (bookings, transcripts, contact details), logged."""
    run_purge()


def list_bookings() -> None:
    """Print recent bookings for staff: new, changed and cancelled."""

    def rows(session) -> list[str]:
        bookings = session.scalars(select(Booking).order_by(Booking.updated_at.desc()).limit(50))
        return [
            f"{b.number}  {b.status:9}  {slot_label(b.slot_start)}  {b.place_id:9}  {b.kind_id:10}  "
            f"{b.company or '-'} / {b.person_name or '-'}  更新 {b.updated_at:%Y-%m-%d %H:%M}"
            for b in bookings
        ]

    print("\n".join(with_retries(rows)) or "予約はまだありません。")


def serve(host: str, port: int, workers: int) -> None:
    """Run the gateway under uvicorn with the connection limits of docs/deployment.md."""
    settings = get_settings()
    uvicorn.run(
        "bot.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=settings.access_log,
        # h11 rather than httptools: it refuses a request whose unfinished headers pass the limit
        # (httptools buffers any amount), for about 0.6 ms more per request (scripts/http_limits.py).
        http="h11",
        h11_max_incomplete_event_size=settings.max_header_bytes,
        timeout_keep_alive=settings.keep_alive_seconds,
        limit_concurrency=settings.max_connections,
        timeout_graceful_shutdown=10,
        # The client address is the socket's, unless the request came through a named proxy.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or "",
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot")
    commands = parser.add_subparsers(dest="command", required=True)
    gateway = commands.add_parser("serve", help="run the gateway")
    gateway.add_argument("--host", default="127.0.0.1")
    gateway.add_argument("--port", type=int, default=8000)
    gateway.add_argument("--workers", type=int, default=1)
    commands.add_parser("migrate", help="bring the database schema up to date")
    commands.add_parser("purge", help="remove personal data past its retention period")
    watching = commands.add_parser("watch", help="e-mail the operators when a component is down for a minute")
    watching.add_argument("--url", default="http://127.0.0.1:8000", help="the gateway to watch")
    watching.add_argument("--interval", type=float, default=10.0, help="seconds between readings")
    commands.add_parser(
        "line-rich-menu", help="create or update the LINE rich menu (data/line/rich_menu.yml)"
    )
    saved = commands.add_parser("backup", help="copy the databases while the system runs")
    saved.add_argument("--to", type=Path, help="the folder (default: a new one under var/backups)")
    restoring = commands.add_parser("restore", help="put the databases back from a backup (services stopped)")
    restoring.add_argument("folder", type=Path)
    commands.add_parser("bookings", help="list recent bookings (new, changed, cancelled)")
    account = commands.add_parser("staff-user", help="create a staff account or reset its password")
    account.add_argument("--email", required=True)
    account.add_argument("--role", choices=["staff", "admin"], default="staff")
    account.add_argument("--name", help="the name shown in the dashboard (default: the e-mail's user part)")
    args = parser.parse_args()
    try:
        get_settings()
    except ValidationError as refused:  # e.g. the production profile without its public address
        parser.exit(
            2,
            "".join(
                f"chizai-bot: {error['msg'].removeprefix('Value error, ')}\n" for error in refused.errors()
            ),
        )

    configure_logging()
    os.umask(0o077)  # the databases it creates hold conversations: readable by this user only
    if args.command == "serve":
        serve(args.host, args.port, args.workers)
        return
    if args.command == "line-rich-menu":
        print(f"LINE rich menu {rich_menu.install(rich_menu.load_menu())} is the default menu")
        return
    if args.command == "watch":
        watch.run(args.url, args.interval)
        return
    if args.command == "backup":
        print(f"backup written to {backup.backup(args.to)}")
        return
    if args.command == "restore":
        print(
            f"restored: {', '.join(backup.restore(args.folder)) or 'nothing (no database files in that folder)'}"
        )
    migrate()
    if args.command == "purge":
        purge()
    elif args.command == "bookings":
        list_bookings()
    elif args.command == "staff-user":
        staff_user(args.email, args.role, args.name)


if __name__ == "__main__":
    main()
