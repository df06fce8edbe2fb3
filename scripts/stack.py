"""Start, health-check and stop the three runtimes and the training worker (`make run`, e2e)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scripts.rasa_endpoints import RASA_SCHEMA, RasaStores, write_endpoints

ROOT = Path(__file__).resolve().parent.parent
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


class StackError(RuntimeError):
    """Something the person starting the product must fix; the message says what."""


@dataclass(frozen=True)
class Ports:
    rasa: int = 5005
    actions: int = 5055
    inbox: int = 8000


@dataclass
class Process:
    name: str
    args: list[str]
    # None: healthy while it runs (the training worker serves no HTTP).
    health_url: str | None
    log_path: Path
    popen: subprocess.Popen[bytes] | None = None

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def load_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a file such as var/secrets.env (missing file: nothing)."""
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError):
        return 0


def inbox_workers(env: Mapping[str, str]) -> int:
    """Inbox worker processes: WEB_CONCURRENCY if set, else two with Redis and one without.

    Workers share live updates and SLA timers only through Redis, so without it one process
    serves everything (the inbox warns loudly if told to run several anyway).
    """
    configured = env.get("WEB_CONCURRENCY", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return 2 if env.get("REDIS_URL") else 1


@dataclass(frozen=True)
class DemoMeta:
    """The demo's mock brand page: the fake Graph API (demo/graph_api.py) as a child process,
    and the Meta settings that point the real connectors at it. Never in production."""

    port: int
    page_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    whatsapp_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    app_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    verify_token: str = field(default_factory=lambda: secrets.token_hex(8))
    page_id: str = "linde-demo-page"
    instagram_id: str = "linde-demo-instagram"
    phone_number_id: str = "linde-demo-phone"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def graph_url(self) -> str:
        """META_GRAPH_URL: the fake with Meta's API version in the path."""
        return f"{self.url}/v21.0"

    def env(self) -> dict[str, str]:
        """The channels' settings for the fake, and where the demo page finds it."""
        return {
            "META_GRAPH_URL": self.graph_url,
            "META_APP_SECRET": self.app_secret,
            "META_VERIFY_TOKEN": self.verify_token,
            "META_PAGE_ID": self.page_id,
            "META_PAGE_ACCESS_TOKEN": self.page_token,
            "INSTAGRAM_ACCOUNT_ID": self.instagram_id,
            "WHATSAPP_ACCESS_TOKEN": self.whatsapp_token,
            "WHATSAPP_PHONE_NUMBER_ID": self.phone_number_id,
            "INBOX_DEMO_GRAPH_URL": self.url,
        }


def wants_demo_meta(env: Mapping[str, str]) -> bool:
    """`make run` adds the mock brand page unless real Meta settings or production are given."""
    merged = {**os.environ, **env}
    return merged.get("APP_ENV", "demo") != "production" and not merged.get("META_APP_SECRET")


@dataclass
class Stack:
    """The Rasa server, the action server, the inbox API and the training worker as children."""

    env: Mapping[str, str]
    ports: Ports = field(default_factory=Ports)
    model: Path = ROOT / "models" / "current.tar.gz"
    log_dir: Path = ROOT / "var" / "log"
    processes: list[Process] = field(default_factory=list)
    # The demo's fake Graph API and mock brand page (None: real Meta settings, or none).
    demo_meta: DemoMeta | None = None
    action_server_token: str = field(default_factory=lambda: secrets.token_hex(24))
    model_server_token: str = field(default_factory=lambda: secrets.token_hex(24))
    _env: dict[str, str] = field(default_factory=dict, repr=False)

    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.demo_meta is not None:
            env.update(self.demo_meta.env())
        env.update(self.env)
        env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{self.ports.actions}/webhook"
        env["INBOX_URL"] = f"http://127.0.0.1:{self.ports.inbox}"
        env["RASA_URL"] = f"http://127.0.0.1:{self.ports.rasa}"
        env.setdefault("RASA_TRACKER_DB", str(self.log_dir.parent / "rasa_tracker.db"))
        env["PYTHONPATH"] = str(ROOT)
        # Rasa sends it with every action call (endpoints.yml); the action server refuses calls
        # without it. A checkout set up before the token existed gets one for this run.
        env.setdefault("ACTION_SERVER_TOKEN", self.action_server_token)
        # Rasa sends it when it pulls the promoted model (RASA_MODEL_PULL_SECONDS > 0); the inbox
        # serves the model to no one else.
        env.setdefault("MODEL_SERVER_TOKEN", self.model_server_token)
        return env

    @property
    def endpoints_path(self) -> Path:
        """Rasa's endpoints for this run, generated from the settings (never edited by hand)."""
        return self.log_dir.parent / "rasa-endpoints.yml"

    def _plan(self) -> list[Process]:
        env = self._child_env()
        token = env.get("RASA_TOKEN", "")
        for name in ("RASA_TOKEN", "DELIVERY_SIGNING_SECRET"):
            if not env.get(name):
                raise StackError(
                    f"{name} is not set; run 'make setup' to add it to var/secrets.env."
                )
        fake = []
        if self.demo_meta is not None:
            demo = self.demo_meta
            webhooks = f"http://127.0.0.1:{self.ports.rasa}/webhooks"
            args = [str(APP_PYTHON), "-m", "demo.graph_api", "--port", str(demo.port),
                    # `--token=...`: a generated token may start with "-".
                    f"--token={demo.page_token}", f"--token={demo.whatsapp_token}",
                    "--webhook-base", webhooks, "--page-id", demo.page_id]
            for origin in self.inbox_origins():
                args += ["--allow-origin", origin]
            fake = [Process("fake Graph API", args, f"{demo.url}/_fake/health",
                            self.log_dir / "graph-api.log")]
        return [
            *fake,
            Process(
                "actions",
                [str(APP_PYTHON), "-m", "actions", "--port", str(self.ports.actions)],
                f"http://127.0.0.1:{self.ports.actions}/health",
                self.log_dir / "actions.log",
            ),
            Process(
                "inbox",
                [str(APP_PYTHON), "-m", "uvicorn", "--factory", "inbox_api.app:create_app",
                 "--host", "127.0.0.1", "--port", str(self.ports.inbox),
                 "--workers", str(inbox_workers(env)),
                 "--timeout-graceful-shutdown", "5"],
                f"http://127.0.0.1:{self.ports.inbox}/healthz",
                self.log_dir / "inbox.log",
            ),
            Process(
                "training worker",
                # Runs the trainer page's jobs (retrain, promote, example edits) from the database.
                [str(APP_PYTHON), "-m", "training", "worker"],
                None,
                self.log_dir / "training-worker.log",
            ),
            self._rasa_process("rasa", self.ports.rasa, token),
        ]

    def _rasa_process(self, name: str, port: int, token: str) -> Process:
        return Process(
            name,
            # The launcher hands RASA_TOKEN to `rasa run` inside the process: not in `ps`.
            [str(RASA_PYTHON), "-m", "bot.launcher", "--enable-api",
             "--cors", *self.cors_origins(),
             "--port", str(port), "--model", str(self.model),
             "--endpoints", str(self.endpoints_path), "--credentials", "credentials.yml"],
            f"http://127.0.0.1:{port}/status?token={token}",
            self.log_dir / f"{name}.log",
        )

    def add_rasa(self, port: int, timeout: float = 240.0) -> str:
        """Start one more Rasa process on the same stores and model; returns its URL.

        Several Rasa processes need the stores of production (DATABASE_URL on PostgreSQL,
        REDIS_URL): the conversations, their locks and the socket.io rooms are then shared.
        """
        name = f"rasa-{sum(p.name.startswith('rasa') for p in self.processes) + 1}"
        process = self._rasa_process(name, port, self._env.get("RASA_TOKEN", ""))
        self.processes.append(process)
        self._spawn(process)
        self._wait([process], timeout)
        return f"http://127.0.0.1:{port}"

    def cors_origins(self) -> list[str]:
        """Browser origins allowed to call Rasa: the configured ones, else the inbox's demo page."""
        configured = self.env.get("RASA_CORS_ORIGINS") or os.environ.get("RASA_CORS_ORIGINS", "")
        origins = configured.replace(",", " ").split()
        if "*" in origins:
            raise StackError(
                "RASA_CORS_ORIGINS='*' would let any web page use the assistant; name the origins."
            )
        return origins or self.inbox_origins()

    def inbox_origins(self) -> list[str]:
        """The origins of the inbox's own pages (the demo page)."""
        return [f"http://127.0.0.1:{self.ports.inbox}", f"http://localhost:{self.ports.inbox}"]

    def check_ports(self) -> None:
        """Refuse to start when a port is taken, naming the variable that moves it."""
        for name, port, variable in (
            ("Rasa server", self.ports.rasa, "RASA_PORT"),
            ("action server", self.ports.actions, "ACTIONS_PORT"),
            ("inbox API", self.ports.inbox, "INBOX_PORT"),
            *((("fake Graph API", self.demo_meta.port, "DEMO_GRAPH_PORT"),)
              if self.demo_meta is not None else ()),
        ):
            if port_in_use(port):
                raise StackError(
                    f"Port {port} for the {name} is already in use (is the product already "
                    f"running?): stop that process or start with {variable}=<another port>."
                )

    def start(self, timeout: float = 240.0) -> None:
        """Start every process and wait until each answers its health check."""
        if not self.model.exists():
            raise StackError(f"No trained model at {self.model}; run 'make train'.")
        self.check_ports()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        env = self._child_env()
        check_stores(env)
        stores: RasaStores = write_endpoints(self.endpoints_path, env)
        env.update(stores.env)
        self.processes = self._plan()
        self._env = env
        for process in self.processes:
            self._spawn(process)
        self._wait(self.processes, timeout)

    def _spawn(self, process: Process, log_mode: str = "wb") -> None:
        # Own process group: Ctrl-C reaches us once and we stop the children in order.
        # The child keeps its own copy of the log descriptor; ours closes at once.
        with process.log_path.open(log_mode) as log:
            process.popen = subprocess.Popen(
                process.args, cwd=ROOT, env=self._env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _wait(self, processes: list[Process], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        waiting = list(processes)
        while waiting:
            for process in list(waiting):
                assert process.popen is not None
                if process.popen.poll() is not None:
                    self.stop()
                    raise StackError(
                        f"The {process.name} process exited during start-up "
                        f"(log: {process.log_path}):\n{process.log_tail()}"
                    )
                if process.health_url is None or _get(process.health_url) == 200:
                    waiting.remove(process)
            if waiting and time.monotonic() > deadline:
                names = ", ".join(p.name for p in waiting)
                tails = "\n".join(f"--- {p.name}\n{p.log_tail()}" for p in waiting)
                self.stop()
                raise StackError(f"Timed out waiting for {names} to answer.\n{tails}")
            time.sleep(0.5)

    def restart(self, name: str, timeout: float = 240.0) -> None:
        """Stop one child and start it again with the same command and environment."""
        process = next(p for p in self.processes if p.name == name)
        if process.popen is not None and process.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.popen.pid, signal.SIGTERM)
            process.popen.wait(timeout=30)
        self._spawn(process, log_mode="ab")
        self._wait([process], timeout)

    def stop(self) -> None:
        """Terminate every child (SIGTERM, then SIGKILL after a grace period)."""
        for process in reversed(self.processes):
            if process.popen and process.popen.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.popen.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            if process.popen is None:
                continue
            try:
                process.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait()

    def exited(self) -> Process | None:
        """The first child that has stopped on its own, if any."""
        for process in self.processes:
            if process.popen is not None and process.popen.poll() is not None:
                return process
        return None


def _where(url: str) -> str:
    """host:port/name of a URL, without the user and password."""
    return url.split("@")[-1].split("://")[-1]


async def _check_postgresql(url: str, connect_seconds: float) -> None:
    import asyncpg

    connection = await asyncpg.connect(url, timeout=connect_seconds)
    try:
        # Rasa's tracker store lives in its own schema; Rasa creates its tables, not the schema.
        await connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{RASA_SCHEMA}"')
    finally:
        await connection.close()


def check_stores(settings: Mapping[str, str], timeout: float = 5.0) -> None:
    """Stop with one sentence naming the variable when DATABASE_URL or REDIS_URL does not answer."""
    import asyncio

    from sqlalchemy.engine import make_url

    database_url = settings.get("DATABASE_URL", "")
    if database_url and make_url(database_url).get_backend_name() == "postgresql":
        import asyncpg

        plain = make_url(database_url).set(drivername="postgresql")
        check = _check_postgresql(plain.render_as_string(hide_password=False), timeout)
        try:
            # Its own thread and event loop: the e2e fixtures start the stack from async tests.
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                pool.submit(asyncio.run, check).result()
        except (OSError, TimeoutError, asyncpg.PostgresError) as error:
            raise StackError(
                f"DATABASE_URL does not answer: no PostgreSQL at {_where(database_url)} "
                f"({type(error).__name__}); start it or point DATABASE_URL at a reachable database."
            ) from error
    redis_url = settings.get("REDIS_URL", "")
    if redis_url:
        import redis

        client = redis.Redis.from_url(
            redis_url, socket_connect_timeout=timeout, socket_timeout=timeout
        )
        try:
            client.ping()
        except (redis.RedisError, OSError) as error:
            raise StackError(
                f"REDIS_URL does not answer: no Redis at {_where(redis_url)} "
                f"({type(error).__name__}); start it or point REDIS_URL at a reachable Redis "
                "(or unset it for the in-process default)."
            ) from error
        finally:
            client.close()


def serving_model(models: Path = ROOT / "models") -> Path:
    """The model to serve: the latest of `make train`'s model and the trainers' promoted one."""
    trained = models / "current.tar.gz"
    # The trainer tools re-point this link on every promotion and rollback.
    promoted = models / "active.tar.gz"
    if promoted.exists() and (
        not trained.exists() or promoted.lstat().st_mtime >= trained.stat().st_mtime
    ):
        return promoted
    return trained


def run_step(args: list[str], env: Mapping[str, str], what: str) -> None:
    """Run one preparation command; on failure show its own message, not a traceback of ours."""
    merged = dict(os.environ)
    merged.update(env)
    merged["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(args, cwd=ROOT, env=merged, capture_output=True, text=True)
    if result.returncode != 0:
        message = (result.stderr.strip() or result.stdout.strip()).splitlines()
        raise StackError(f"{what} failed: {message[-1] if message else 'no output'}")
    if result.stdout.strip():
        print(result.stdout.strip())


def prepare_data(env: Mapping[str, str]) -> None:
    """Migrate both schemas, seed the catalogue and make sure the demo staff login and its
    team (auto-assignment on) exist."""
    py = str(APP_PYTHON)
    run_step([py, "-m", "catalogue", "migrate"], env, "Migrating the catalogue database")
    run_step([py, "-m", "inbox_api", "migrate"], env, "Migrating the inbox database")
    run_step([py, "-m", "catalogue", "seed"], env, "Seeding the catalogue")
    if os.environ.get("APP_ENV", env.get("APP_ENV", "demo")) == "production":
        # Production has no demo login: the first admin comes from `create-staff` (README).
        return
    staff_env = dict(env)
    staff_env["INBOX_NEW_STAFF_PASSWORD"] = env.get("DEMO_STAFF_PASSWORD", "")
    run_step(
        [py, "-m", "inbox_api", "create-staff", "--email", DEMO_STAFF_EMAIL, "--name", "Demo Agent",
         "--role", "admin", "--languages", "nl,en"],
        staff_env, "Creating the demo staff login",
    )
    # A team with auto-assignment, so the demo shows a handover going to an online agent.
    run_step(
        [py, "-m", "inbox_api", "demo-team", "--email", DEMO_STAFF_EMAIL],
        env, "Seeding the demo team",
    )


# The same address inbox_api.production refuses in production mode.
DEMO_STAFF_EMAIL = "demo@linde.example"


if __name__ == "__main__":  # pragma: no cover - exercised through scripts.run
    sys.exit("use: python -m scripts.run")
