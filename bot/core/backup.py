"""Consistent online backups of the gateway's database and Rasa's tracker store, and their restore.

SQLite is copied with its backup API (a snapshot taken page by page while visitors keep writing);
PostgreSQL with ``pg_dump`` (one transaction's snapshot) and restored with ``pg_restore``.
A backup is a folder of one file per database (docs/deployment.md).
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.core.config import get_settings


@dataclass(frozen=True)
class Database:
    """One database of the system: the file name its backup takes, and its SQLAlchemy URL."""

    name: str
    url: str

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite:///")

    @property
    def path(self) -> Path:
        return Path(self.url.removeprefix("sqlite:///"))

    def backup_file(self, folder: Path) -> Path:
        return folder / f"{self.name}.{'sqlite' if self.is_sqlite else 'pgdump'}"


def databases() -> list[Database]:
    """The databases a backup holds: the gateway's, and Rasa's tracker store when the gateway knows it."""
    settings = get_settings()
    found = [Database("gateway", settings.database_url)]
    if settings.rasa_tracker_url:
        found.append(Database("rasa_tracker", settings.rasa_tracker_url))
    return found


def backup(folder: Path | None = None) -> Path:
    """Copy every database into ``folder`` (default: a new timestamped folder under var/backups)."""
    folder = folder or get_settings().backup_dir / datetime.now().strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    for database in databases():
        if database.is_sqlite:
            _sqlite_backup(database.path, database.backup_file(folder))
        else:
            _postgres("pg_dump", database.url, "--format=custom", f"--file={database.backup_file(folder)}")
    return folder


def restore(folder: Path) -> list[str]:
    """Put the databases back from a backup folder (the services stopped); the names restored."""
    restored = []
    for database in databases():
        source = database.backup_file(folder)
        if not source.exists():
            continue
        if database.is_sqlite:
            database.path.parent.mkdir(parents=True, exist_ok=True)
            for stale in (
                database.path.with_name(database.path.name + suffix) for suffix in ("-wal", "-shm")
            ):
                stale.unlink(missing_ok=True)
            _sqlite_backup(source, database.path)
        else:
            _postgres("pg_restore", database.url, "--clean", "--if-exists", "--no-owner", str(source))
        restored.append(database.name)
    return restored


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    with closing(sqlite3.connect(source, timeout=30)) as reading, closing(sqlite3.connect(target)) as writing:
        reading.backup(writing, pages=256)


def _postgres(tool: str, url: str, *arguments: str) -> None:
    """Run a PostgreSQL client tool against ``url``, the password in its environment, not its arguments."""
    parsed = make_url(url)
    target = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ, **({"PGPASSWORD": str(parsed.password)} if parsed.password else {})}
    subprocess.run([postgres_program(tool), f"--dbname={target}", *arguments], env=env, check=True)


def postgres_program(name: str) -> str:
    """A PostgreSQL program: the newest of Debian's versioned folders, else the one on PATH."""
    versions = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(path.split("/")[4])
    )
    found = versions[-1] if versions else shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is missing: apt-get install postgresql-client")
    return found
