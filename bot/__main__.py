"""Command line: ``python -m bot serve|migrate``."""

from __future__ import annotations

import argparse

import uvicorn

from bot.core.db import migrate
from bot.core.logging import configure_logging


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the gateway")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    commands.add_parser("migrate", help="bring the database schema up to date")
    args = parser.parse_args()

    configure_logging()
    if args.command == "migrate":
        migrate()
    else:
        uvicorn.run(
            "bot.api.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_config=None,
        )


if __name__ == "__main__":
    main()
