"""The scaled system on one machine: PostgreSQL and Redis on loopback, two Rasa replicas, two
gateway workers.

- PostgreSQL (Debian's ``postgresql``, a cluster of our own in the work folder): the gateway's
  store (database ``chizai``) and Rasa's tracker store (database ``rasa``).
- Redis (Debian's ``redis-server``, our own instance): Rasa's lock store, and the gateway workers'
  turn locks that hand each visitor's messages to Rasa one at a time (Rasa's own lock is not safe
  across replicas: bot/services/turn_locks.py).
- Two Rasa replicas sharing both stores; the gateway takes them in turn and skips one that refuses
  connections (``CHIZAI_RASA_URL`` with two URLs), and runs the custom actions they call.
- The gateway with two uvicorn workers on one port, its schema migrated and seeded once before.

Usage:
  python scripts/scaled.py start   # what `make run-scaled` runs; state and logs in var/scaled/
  python scripts/scaled.py stop
  python scripts/scaled.py prepare # migrate and seed CHIZAI_DATABASE_URL once (docker-compose.yml)
Ports: CHIZAI_GATEWAY_PORT (8000), rasa 5005 and 5006, PostgreSQL 55432, Redis 56379 (all on loopback).
Needs: apt-get install postgresql redis-server.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.backup import postgres_program  # noqa: E402
from scripts.system import READY_TIMEOUT_SECONDS, System, free_port  # noqa: E402


def _postgres_bin() -> Path:
    """The newest Debian PostgreSQL's programs (``/usr/lib/postgresql/<version>/bin``)."""
    try:
        return Path(postgres_program("initdb")).parent
    except FileNotFoundError:
        raise SystemExit("PostgreSQL is missing: apt-get install postgresql redis-server") from None


DB_USER = "chizai"


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the ``postgres`` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], **options) -> None:
    """Run ``command``; when it fails, say what it printed."""
    done = subprocess.run(command, capture_output=True, text=True, check=False, **options)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[:6])} failed ({done.returncode}): {done.stderr or done.stdout}"
        )


@dataclass
class ScaledSystem(System):
    """``System`` with PostgreSQL, Redis, two Rasa replicas and a gateway of two workers."""

    rasa2_port: int = field(default_factory=free_port)
    postgres_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    gateway_workers: int = 2
    postgres_dir: Path | None = None  # default: workdir/postgres (must be reachable by ``postgres``)
    remove_postgres_dir: bool = False  # a scratch cluster, removed by ``stop_all``

    def postgres_url(self, database: str) -> str:
        """SQLAlchemy's URL of ``database`` on this system's PostgreSQL cluster."""
        return f"postgresql+psycopg://{DB_USER}:{self.password}@127.0.0.1:{self.postgres_port}/{database}"

    @property
    def database_url(self) -> str:
        return self.postgres_url("chizai")

    @property
    def tracker_url(self) -> str:
        return self.postgres_url("rasa")

    @property
    def redis_url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.redis_port}/2"

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in (self.rasa_port, self.rasa2_port)]

    @property
    def pgdata(self) -> Path:
        return (self.postgres_dir or self.workdir / "postgres") / "data"

    def _env(self) -> dict[str, str]:
        return {
            **super()._env(),
            "CHIZAI_RASA_URL": ",".join(self.rasa_urls),
            # Read by deploy/endpoints.scaled.yml.
            "CHIZAI_POSTGRES_HOST": "127.0.0.1",
            "CHIZAI_POSTGRES_PORT": str(self.postgres_port),
            "CHIZAI_POSTGRES_USER": DB_USER,
            "CHIZAI_POSTGRES_PASSWORD": self.password,
            "CHIZAI_REDIS_HOST": "127.0.0.1",
            "CHIZAI_REDIS_PORT": str(self.redis_port),
            "CHIZAI_REDIS_PASSWORD": self.password,
            # The gateway workers' turn locks (Rasa's lock store is database 1).
            "CHIZAI_REDIS_URL": self.redis_url,
            **self.extra_env,
        }

    def _endpoints(self) -> Path:
        return ROOT / "deploy" / "endpoints.scaled.yml"

    # --- the stores ---

    def start_postgres(self) -> None:
        """A PostgreSQL cluster of our own on loopback, with the two databases."""
        data = self.pgdata
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            password_file = data.parent / "password"
            password_file.write_text(self.password)
            if os.geteuid() == 0:
                shutil.chown(data.parent, "postgres")
                shutil.chown(data, "postgres")
                shutil.chown(password_file, "postgres")
            _run(_as_postgres([str(_postgres_bin() / "initdb"), "-D", str(data), "-U", DB_USER, "--pwfile",
                               str(password_file), "--auth-host=scram-sha-256", "--auth-local=peer",
                               "-E", "UTF8", "--locale=C.UTF-8"]))  # fmt: skip
            password_file.unlink()
        options = f"-p {self.postgres_port} -k {data} -c listen_addresses=127.0.0.1"
        _run(_as_postgres([str(_postgres_bin() / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                           str(data.parent / "postgres.log"), "-w", "start"]))  # fmt: skip
        for database in ("chizai", "rasa"):
            self.psql(f"SELECT 'CREATE DATABASE {database}' WHERE NOT EXISTS "
                       f"(SELECT FROM pg_database WHERE datname = '{database}')\\gexec")  # fmt: skip

    def psql(self, sql: str) -> None:
        """Run ``sql`` as our database user on the cluster."""
        env = {**os.environ, "PGPASSWORD": self.password}
        _run(["psql", "-h", "127.0.0.1", "-p", str(self.postgres_port), "-U", DB_USER, "-d", "postgres",
              "-v", "ON_ERROR_STOP=1", "-q"], input=sql, env=env)  # fmt: skip

    def stop_postgres(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres(
                    [str(_postgres_bin() / "pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"]
                ),
                check=False,
                capture_output=True,
            )

    def start_redis(self) -> None:
        """A Redis of our own on loopback, for Rasa's lock store (nothing persisted)."""
        config = self.workdir / "redis.conf"
        config.write_text(
            f'port {self.redis_port}\nbind 127.0.0.1\nrequirepass {self.password}\nsave ""\n'
            f"appendonly no\ndir {self.workdir}\n",
            "utf-8",
        )
        config.chmod(0o600)
        self._spawn("redis", "redis-server", str(config))
        deadline = time.monotonic() + 30
        while subprocess.run(
            ["redis-cli", "-p", str(self.redis_port), "--no-auth-warning", "-a", self.password, "ping"],
            capture_output=True, text=True, check=False,
        ).stdout.strip() != "PONG":  # fmt: skip
            if time.monotonic() > deadline:
                raise RuntimeError("Redis did not start")
            time.sleep(0.2)

    def prepare_gateway_database(self) -> None:
        """Migrate and seed once, before the workers start (they would race to do it)."""
        command = [str(ROOT / ".venv/bin/python"), str(ROOT / "scripts/scaled.py"), "prepare"]
        subprocess.run(command, cwd=ROOT, env=self._env(), check=True)

    # --- the services ---

    def start_rasa(self, model: Path = ROOT / "models/chizai.tar.gz", name: str = "rasa") -> None:
        port = self.rasa_port if name == "rasa" else self.rasa2_port
        self._spawn(
            name,
            str(ROOT / ".venv-rasa/bin/rasa"), "run", "--enable-api",
            "--model", str(model),
            "--port", str(port), "--interface", "127.0.0.1", f"--auth-token={self.engine_token}",
            "--endpoints", str(self._endpoints()), "--credentials", str(ROOT / "credentials.yml"),
        )  # fmt: skip

    def wait_until_replica_parses(self, url: str) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                parse = httpx.post(
                    f"{url}/model/parse", json={"text": "特許"}, params=self.rasa_auth, timeout=5
                )
                if parse.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the Rasa replica at {url} did not start")

    def start_gateway(self) -> None:
        self._spawn(
            "gateway",
            str(ROOT / ".venv/bin/python"), "-m", "bot", "serve", "--port", str(self.gateway_port),
            "--workers", str(self.gateway_workers),
        )  # fmt: skip

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.start_postgres()
        self.start_redis()
        self.prepare_gateway_database()
        # One replica first: it creates the tracker tables the second one then finds.
        self.start_rasa(name="rasa")
        self.wait_until_replica_parses(self.rasa_urls[0])
        self.start_rasa(name="rasa2")
        self.start_gateway()
        self.wait_until_replica_parses(self.rasa_urls[1])
        self.wait_until_healthy()

    def stop_all(self) -> None:
        super().stop_all()
        self.stop_postgres()
        if self.remove_postgres_dir and self.postgres_dir:
            shutil.rmtree(self.postgres_dir, ignore_errors=True)


def scratch_scaled_system(workdir: Path, extra_env: dict[str, str] | None = None) -> ScaledSystem:
    """A scaled system in a scratch folder (scripts and tests), its PostgreSQL cluster in a folder
    of its own that the ``postgres`` user can reach (pytest's and tempfile's folders are private)."""
    postgres_dir = Path(tempfile.mkdtemp(prefix="chizai-pg-"))
    postgres_dir.chmod(0o755)
    return ScaledSystem(
        workdir, postgres_dir=postgres_dir, remove_postgres_dir=True, extra_env=extra_env or {}
    )


# --- `make run-scaled` ------------------------------------------------------------------------

STATE = ROOT / "var" / "scaled"


def _start(args: argparse.Namespace) -> None:
    if (STATE / "state.json").exists():
        sys.exit(f"already running (or not stopped cleanly): python {sys.argv[0]} stop")
    STATE.mkdir(parents=True, exist_ok=True)
    secret = STATE / "secret"  # the cluster's password, kept with the cluster for the next start
    if not secret.exists():
        secret.touch(mode=0o600)
        secret.write_text(secrets.token_urlsafe(18))
    system = ScaledSystem(
        STATE,
        password=secret.read_text().strip(),
        rasa_port=5005,
        rasa2_port=5006,
        gateway_port=args.port,
        postgres_port=55432,
        redis_port=56379,
    )
    try:
        system.start()
    except BaseException:
        system.stop_all()
        raise
    state = {
        "pids": {name: process.pid for name, process in system.processes.items()},
        "pgdata": str(system.pgdata),
    }
    (STATE / "state.json").write_text(json.dumps(state), "utf-8")
    print(f"chizai-bot (scaled) is ready: {system.gateway_url}/")
    print(f"  gateway: {system.gateway_workers} workers; Rasa replicas: {', '.join(system.rasa_urls)}")
    print(f"  PostgreSQL 127.0.0.1:{system.postgres_port}, Redis 127.0.0.1:{system.redis_port}")
    print(f"  logs in {STATE}/, stop with: python scripts/scaled.py stop")


def _prepare(_args: argparse.Namespace) -> None:
    """Migrate and seed the configured database (``CHIZAI_DATABASE_URL``), as each worker would."""
    from bot.core.db import migrate
    from bot.seed import seed_database

    migrate()
    seed_database()


def _stop(_args: argparse.Namespace) -> None:
    state_file = STATE / "state.json"
    if not state_file.exists():
        print("not running")
        return
    state = json.loads(state_file.read_text("utf-8"))
    for pid in state["pids"].values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
    subprocess.run(
        _as_postgres([str(_postgres_bin() / "pg_ctl"), "-D", state["pgdata"], "-m", "fast", "-w", "stop"]),
        check=False, capture_output=True,
    )  # fmt: skip
    state_file.unlink()
    print("stopped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start")
    start.add_argument("--port", type=int, default=int(os.environ.get("CHIZAI_GATEWAY_PORT", "8000")))
    start.set_defaults(run=_start)
    commands.add_parser("stop").set_defaults(run=_stop)
    commands.add_parser("prepare", help="migrate and seed the configured database").set_defaults(run=_prepare)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
