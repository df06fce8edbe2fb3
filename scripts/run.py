"""`make run`: prepare the data, start the three runtimes, stop them all on Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys
import time

from scripts.rasa_endpoints import rasa_stores
from scripts.stack import (
    DEMO_STAFF_EMAIL,
    ROOT,
    DemoMeta,
    Ports,
    Stack,
    StackError,
    check_stores,
    load_env_file,
    prepare_data,
    serving_model,
    wants_demo_meta,
)


def _port(variable: str, default: int) -> int:
    raw = os.environ.get(variable, str(default))
    if not raw.isdigit():
        raise StackError(f"{variable}={raw!r} is not a port number.")
    return int(raw)


def main() -> int:
    """Start the product on the embedded default (or on DATABASE_URL / REDIS_URL when set)."""
    secrets = load_env_file(ROOT / "var" / "secrets.env")
    env = {key: value for key, value in secrets.items() if key not in os.environ}
    ports = Ports(
        rasa=_port("RASA_PORT", 5005),
        actions=_port("ACTIONS_PORT", 5055),
        inbox=_port("INBOX_PORT", 8000),
    )
    # Without Meta settings the demo gets a mock brand page on a local fake of the Graph API.
    demo_meta = DemoMeta(port=_port("DEMO_GRAPH_PORT", 5099)) if wants_demo_meta(env) else None
    stack = Stack(env=env, ports=ports, model=serving_model(), demo_meta=demo_meta)
    database = os.environ.get("DATABASE_URL", "SQLite file var/linde.db (embedded default)")
    redis = "Redis at REDIS_URL" if os.environ.get("REDIS_URL") else "in-process (no REDIS_URL)"
    print(f"==> database: {database.split('@')[-1]}; scheduler and live updates: {redis}")
    stores = rasa_stores({**os.environ, **env})
    print(f"==> Rasa: tracker store {stores.tracker}, lock store {stores.lock_store}")
    print(f"==> model: {stack.model.relative_to(ROOT)}")

    stack.check_ports()
    # A DATABASE_URL or REDIS_URL that does not answer stops here, before any migration.
    check_stores({**os.environ, **env})
    prepare_data(env)
    print("==> starting the action server, the inbox API, the training worker and Rasa ...")
    started = time.monotonic()
    try:
        stack.start()
    except KeyboardInterrupt:
        stack.stop()
        print("\n==> start-up interrupted; stopped everything.")
        return 130
    password = os.environ.get("DEMO_STAFF_PASSWORD") or env.get("DEMO_STAFF_PASSWORD", "")
    meta_line = (
        f"    fake Graph API   {demo_meta.url}      (the demo's mock Facebook page and Messenger;"
        " docs/channels.md)\n"
        if demo_meta is not None
        else ""
    )
    print(
        f"""
==> Linde & Co support is up ({time.monotonic() - started:.0f} s)
    Rasa server      http://127.0.0.1:{ports.rasa}      (REST: /webhooks/rest/webhook, socket.io)
    action server    http://127.0.0.1:{ports.actions}
    staff inbox      http://127.0.0.1:{ports.inbox}/staff/    login {DEMO_STAFF_EMAIL} / {password}
    demo brand page  http://127.0.0.1:{ports.inbox}/demo/     (customer and agent side by side)
{meta_line}
    Try:  curl -s http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook \\
            -H 'Content-Type: application/json' \\
            -d '{{"sender": "me", "message": "Wat kost de Lina wikkeljurk?"}}'

    Logs in var/log/. Press Ctrl-C to stop them all.
""",
        flush=True,
    )

    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    while not stopping:
        crashed = stack.exited()
        if crashed is not None:
            stack.stop()
            raise StackError(
                f"The {crashed.name} process stopped unexpectedly (log: {crashed.log_path}):\n"
                f"{crashed.log_tail()}"
            )
        time.sleep(0.5)
    print("\n==> stopping ...", flush=True)
    stack.stop()
    print("==> stopped Rasa, the action server, the inbox API and the training worker.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except StackError as error:
        print(f"run: {error}", file=sys.stderr)
        sys.exit(1)
