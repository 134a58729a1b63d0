"""Start the real system (Rasa, and the gateway that runs its actions) on free ports, for tests and
benchmarks."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_SECONDS = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class System:
    """The two services of `make run`, started from the trained model in a scratch folder."""

    workdir: Path
    rasa_port: int = field(default_factory=free_port)
    gateway_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)  # merged last into every service's env
    engine_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    clock_start: str | None = None  # ISO 8601 instant the gateway's clock starts at (None = real time)
    rest_channel: bool = False  # also open Rasa's own REST channel (make bench compares against it)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.workdir / 'gateway.db'}"

    @property
    def tracker_path(self) -> Path:
        """Rasa's SQLite tracker store (``_endpoints``)."""
        return self.workdir / "tracker.db"

    @property
    def tracker_url(self) -> str:
        """The tracker store as the gateway's purge reaches it."""
        return f"sqlite:///{self.tracker_path}"

    @property
    def rasa_auth(self) -> dict[str, str]:
        """The query parameter Rasa's HTTP API wants (it runs with ``--auth-token``)."""
        return {"token": self.engine_token}

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "CHIZAI_DATABASE_URL": self.database_url,
            "CHIZAI_RASA_TRACKER_URL": self.tracker_url,
            "CHIZAI_RASA_URL": f"http://127.0.0.1:{self.rasa_port}",
            "CHIZAI_GATEWAY_URL": self.gateway_url,
            "CHIZAI_PUBLIC_URL": self.gateway_url,
            "CHIZAI_ENGINE_TOKEN": self.engine_token,
            "CHIZAI_SECRET_KEY": self.secret_key,
            **({"CHIZAI_CLOCK_START": self.clock_start} if self.clock_start else {}),
            **self.extra_env,
        }

    def _endpoints(self) -> Path:
        path = self.workdir / "endpoints.yml"
        path.write_text(
            f"action_endpoint:\n  url: {self.gateway_url}/engine/actions\n  token: {self.engine_token}\n"
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {self.tracker_path}\n",
            "utf-8",
        )
        return path

    def _credentials(self) -> Path:
        if not self.rest_channel:
            return ROOT / "credentials.yml"
        path = self.workdir / "credentials.yml"
        path.write_text((ROOT / "credentials.yml").read_text("utf-8") + "rest:\n", "utf-8")
        return path

    def _spawn(self, name: str, *command: str) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self._env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_rasa(self, model: Path = ROOT / "models/chizai.tar.gz") -> None:
        self._spawn(
            "rasa",
            str(ROOT / ".venv-rasa/bin/rasa"), "run", "--enable-api",
            "--model", str(model),
            "--port", str(self.rasa_port), "--interface", "127.0.0.1", f"--auth-token={self.engine_token}",
            "--endpoints", str(self._endpoints()), "--credentials", str(self._credentials()),
        )  # fmt: skip

    def __enter__(self) -> System:
        """Start everything; stop it all on the way out, also when starting failed."""
        try:
            self.start()
        except BaseException:
            self.stop_all()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop_all()

    def start(self) -> None:
        if "rasa" not in self.processes:
            self.start_rasa()
        self.start_gateway()
        self.wait_until_healthy()

    def start_gateway(self) -> None:
        """Spawn the gateway on its port (``wait_until_healthy`` waits for it to be ready)."""
        self._spawn(
            "gateway",
            str(ROOT / ".venv/bin/python"), "-m", "bot", "serve", "--port", str(self.gateway_port),
        )  # fmt: skip

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.gateway_url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        logs = "\n".join(p.read_text("utf-8", "replace")[-2000:] for p in self.workdir.glob("*.log"))
        raise RuntimeError(f"the system did not become healthy:\n{logs}")

    def wait_until_rasa_parses(self) -> float:
        """Seconds from now until Rasa answers ``/model/parse`` (its cold start when just spawned)."""
        started = time.monotonic()
        while time.monotonic() - started < READY_TIMEOUT_SECONDS:
            try:
                response = httpx.post(
                    f"{self.rasa_url}/model/parse", json={"text": "特許"}, params=self.rasa_auth, timeout=5
                )
                if response.status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("Rasa did not start answering /model/parse")

    def wait_for_log(self, name: str, text: str, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until the output of process ``name`` holds ``text`` ``count`` times (AssertionError
        at the deadline)."""
        log = self.workdir / f"{name}.log"
        deadline = time.monotonic() + timeout
        while log.read_text("utf-8", "replace").count(text) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not in the {name} log within {timeout} s")
            time.sleep(0.05)

    def rss_mb(self, name: str) -> float:
        """Resident memory of a service's process group leader, in MB."""
        status = Path(f"/proc/{self.processes[name].pid}/status").read_text()
        kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        return kilobytes / 1024

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)
