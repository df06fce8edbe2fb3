"""Talking to Rasa over its HTTP API, and running a private Rasa server for evaluation."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import signal
import socket
import tempfile
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import IO, Any

import httpx

from training.paths import ProjectPaths

REPO_ROOT = Path(__file__).resolve().parent.parent


# Rasa's API token travels as `?token=...`; anything that quotes a URL must drop its value.
TOKEN_PARAMETER = re.compile(r"([?&]token=)[^&#\s'\"]+")


class RasaError(RuntimeError):
    """Rasa did not do what was asked."""


class RasaClient:
    """The few Rasa HTTP endpoints the trainer tools use.

    Rasa takes its API token only as a `token` query parameter, so no error raised here names
    a request URL: job records and logs show the method, path and status instead.
    """

    def __init__(self, base_url: str, token: str, timeout: float = 300.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._params = {"token": token} if token else {}
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def close(self) -> None:
        """Release the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> RasaClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _request(
        self, method: str, path: str, *, authorised: bool = True, json: Any = None
    ) -> httpx.Response:
        try:
            response = await self._http.request(
                method, path, params=self._params if authorised else None, json=json
            )
        except httpx.HTTPError as exc:
            # `from None`: httpx's own message and traceback would carry the token in the URL.
            raise RasaError(
                f"cannot reach Rasa at {self.base_url} ({type(exc).__name__})"
            ) from None
        return response

    async def _json(
        self, method: str, path: str, *, authorised: bool = True, json: Any = None
    ) -> Any:
        response = await self._request(method, path, authorised=authorised, json=json)
        if not response.is_success:
            raise RasaError(f"Rasa answered HTTP {response.status_code} to {method} {path}")
        return response.json()

    async def status(self) -> dict[str, Any]:
        """`GET /status`: which model is loaded."""
        result: dict[str, Any] = await self._json("GET", "/status")
        return result

    async def load_model(self, model_file: Path) -> None:
        """`PUT /model`: swap the running model (Rasa queues messages that arrive meanwhile)."""
        response = await self._request("PUT", "/model", json={"model_file": str(model_file)})
        if response.status_code != 204:
            raise RasaError(f"Rasa refused the model ({response.status_code}): {response.text}")
        status = await self.status()
        if Path(str(status.get("model_file", ""))).name != model_file.name:
            raise RasaError(f"Rasa reports model {status.get('model_file')!r} after the swap")

    async def send_message(self, sender: str, text: str) -> list[dict[str, Any]]:
        """A customer message through the REST channel; the assistant's replies."""
        replies: list[dict[str, Any]] = await self._json(
            "POST",
            "/webhooks/rest/webhook",
            authorised=False,
            json={"sender": sender, "message": text},
        )
        return replies

    async def tracker(self, sender: str) -> dict[str, Any]:
        """`GET /conversations/{id}/tracker`: the stored conversation."""
        tracker: dict[str, Any] = await self._json("GET", f"/conversations/{sender}/tracker")
        return tracker

    async def is_up(self) -> bool:
        """`GET /`: whether the server answers at all (it may have no model yet)."""
        response = await self._request("GET", "/", authorised=False)
        return response.status_code == 200

    async def parse(self, text: str) -> tuple[str, float]:
        """`POST /model/parse`: the final intent and its confidence.

        A retrieval intent comes with the ResponseSelector's topic (faq/gift_cards), as the
        held-out files label it.
        """
        result = await self._json("POST", "/model/parse", json={"text": text})
        intent = result.get("intent") or {}
        name = str(intent.get("name") or "nlu_fallback")
        selector = (result.get("response_selector") or {}).get(name) or {}
        topic = (selector.get("response") or {}).get("intent_response_key")
        return str(topic or name), float(intent.get("confidence") or 0.0)


def redact(text: str, *secrets: str) -> str:
    """`text` with each secret and any `token=` URL parameter replaced by `***`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return TOKEN_PARAMETER.sub(r"\1***", text)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rasa_environment(paths: ProjectPaths, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The child's environment: ours, plus where custom components (bot/) are imported from."""
    env = dict(os.environ)
    python_path = [str(paths.root), str(REPO_ROOT)]
    if env.get("PYTHONPATH"):
        python_path.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(python_path))
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    env.update(extra or {})
    return env


async def stop_process(process: asyncio.subprocess.Process, grace: float = 20.0) -> None:
    """Terminate a child we started (and its process group), then reap it."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), grace)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await process.wait()


def log_tail(log: Path, size: int = 2000) -> str:
    """The end of a log file, for error messages."""
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-size:]
    except FileNotFoundError:
        return ""


def open_log(log: Path) -> IO[bytes]:
    """A log file to append a child's output to."""
    log.parent.mkdir(parents=True, exist_ok=True)
    return open(log, "ab")


async def wait_until_up(
    client: RasaClient,
    process: asyncio.subprocess.Process,
    log: Path,
    limit_seconds: float,
    with_model: bool = True,
) -> None:
    """Poll until the server answers (and has a model loaded); fail early if it died."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_seconds
    while loop.time() < deadline:
        if process.returncode is not None:
            raise RasaError(f"Rasa exited with {process.returncode}:\n{log_tail(log)}")
        with contextlib.suppress(RasaError):
            if with_model and (await client.status()).get("model_file"):
                return
            if not with_model and await client.is_up():
                return
        await asyncio.sleep(1.0)
    raise RasaError(f"Rasa did not load a model within {limit_seconds:.0f} s")


@contextlib.asynccontextmanager
async def local_rasa(
    paths: ProjectPaths,
    model_file: Path | None,
    *,
    log: Path,
    endpoints: Path | None = None,
    credentials: Path | None = None,
    port: int | None = None,
    startup_timeout: float = 600.0,
) -> AsyncIterator[tuple[RasaClient, int]]:
    """A Rasa server of our own on a free port, with an API token nobody else knows.

    Without `model_file` it starts empty and waits for `PUT /model`.
    """
    port = port or free_port()
    token = secrets.token_hex(24)
    with tempfile.TemporaryDirectory(prefix="rasa-run-") as scratch:
        model = model_file or Path(scratch) / "no-model-yet"
        if endpoints is None:
            endpoints = Path(scratch) / "endpoints.yml"
            endpoints.write_text("# evaluation only: no action server needed\n", encoding="utf-8")
        if credentials is None:
            credentials = Path(scratch) / "credentials.yml"
            credentials.write_text("rest:\n", encoding="utf-8")
        with open_log(log) as log_handle:
            # bot.launcher reads the token from the environment: it never shows in `ps`.
            process = await asyncio.create_subprocess_exec(
                str(paths.rasa_executable.with_name("python")),
                "-m",
                "bot.launcher",
                "--enable-api",
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
                "--model",
                str(model),
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(credentials),
                cwd=scratch,
                env=rasa_environment(paths, {"RASA_TOKEN": token}),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log_handle,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        client = RasaClient(f"http://127.0.0.1:{port}", token)
        try:
            await wait_until_up(client, process, log, startup_timeout, model_file is not None)
            yield client, port
        finally:
            await client.close()
            await stop_process(process)
