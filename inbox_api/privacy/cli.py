"""`python -m inbox_api privacy erase|export|retention`: the commands behind a GDPR request."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from inbox_api.migrate import check_database
from inbox_api.privacy.erasure import erase, export, subject_for
from inbox_api.privacy.rasa_tracker import RasaTrackerStore
from inbox_api.privacy.retention import run_retention
from inbox_api.settings import Settings
from kit.clock import utc_now
from kit.database import create_engine, session_factory


def add_commands(commands: Any) -> None:
    """The `privacy` command and its three actions."""
    privacy = commands.add_parser(
        "privacy", help="erase or export one customer's data, or run the retention pass now"
    )
    actions = privacy.add_subparsers(dest="privacy_action", required=True)
    for name, what in (("erase", "remove"), ("export", "print as JSON")):
        action = actions.add_parser(name, help=f"{what} everything held about one customer")
        who = action.add_mutually_exclusive_group(required=True)
        who.add_argument("--conversation", help="<channel>:<sender id>, or a ticket id")
        who.add_argument("--email", help="the customer's e-mail address")
    actions.add_parser("retention", help="delete what is older than RETENTION_DAYS now")


async def run(settings: Settings, args: argparse.Namespace) -> str:
    """Run one privacy action; the text to print."""
    await check_database(settings.database_url)
    engine = create_engine(settings.database_url)
    rasa = RasaTrackerStore.open(settings.rasa_tracker_db, engine)
    started = time.perf_counter()
    try:
        async with session_factory(engine)() as session:
            if args.privacy_action == "retention":
                counts = await run_retention(
                    session, rasa, utc_now(), settings.retention_days, settings.retention_event_days
                )
                await session.commit()
                return _summary(f"Retention ({settings.retention_days} days)", counts, started)
            subject = await subject_for(
                session, rasa, conversation=args.conversation, email=args.email
            )
            if args.privacy_action == "export":
                return json.dumps(await export(session, rasa, subject), indent=2, default=str)
            counts = await erase(session, rasa, subject, utc_now())
            await session.commit()
            return _summary("Erased", counts, started)
    finally:
        await rasa.close()
        await engine.dispose()


def _summary(title: str, counts: dict[str, int], started: float) -> str:
    lines = [f"{title} in {time.perf_counter() - started:.2f} s:"]
    lines += [f"  {name.replace('_', ' ')}: {count}" for name, count in counts.items()]
    return "\n".join(lines)
