"""Command line: `python -m inbox_api migrate`, `create-staff`, `disable-staff`, `demo-team`,
`privacy`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy import select

from inbox_api.assignment.service import ensure_demo_team
from inbox_api.errors import InboxError
from inbox_api.migrate import check_database, upgrade_head
from inbox_api.privacy import cli as privacy_cli
from inbox_api.production import DEMO_ADMIN_EMAIL
from inbox_api.settings import Settings
from inbox_api.staff.models import Staff
from inbox_api.staff.service import set_active, upsert_staff
from kit.clock import utc_now
from kit.database import create_engine, session_factory


async def _create_staff(settings: Settings, args: argparse.Namespace) -> str:
    if settings.production and args.email.strip().lower() == DEMO_ADMIN_EMAIL:
        raise InboxError(
            f"APP_ENV=production: {DEMO_ADMIN_EMAIL} is the demo login; use a real address."
        )
    await check_database(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            staff, created = await upsert_staff(
                session,
                email=args.email,
                name=args.name,
                role=args.role,
                languages=[x.strip() for x in args.languages.split(",") if x.strip()],
                password=settings.new_staff_password,
            )
            await session.commit()
            return (
                f"{'Created' if created else 'Updated'} {staff.role} {staff.email} (id {staff.id})."
            )
    finally:
        await engine.dispose()


async def _demo_team(settings: Settings, email: str, name: str) -> str:
    await check_database(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            done = await ensure_demo_team(session, name, email, utc_now())
            await session.commit()
            return done
    finally:
        await engine.dispose()


async def _disable_staff(settings: Settings, email: str) -> str:
    await check_database(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            staff = await session.scalar(select(Staff).where(Staff.email == email.strip().lower()))
            if staff is None:
                raise InboxError(f"No staff member with e-mail {email.strip().lower()}.")
            await set_active(session, staff, False)
            await session.commit()
            return f"Switched off {staff.role} {staff.email}; their sessions have ended."
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors end with one sentence on stderr and exit status 1."""
    parser = argparse.ArgumentParser(prog="python -m inbox_api")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the inbox's database migrations")
    staff = commands.add_parser(
        "create-staff",
        help="create or update a staff member (password from INBOX_NEW_STAFF_PASSWORD)",
    )
    staff.add_argument("--email", required=True)
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", required=True, choices=["agent", "trainer", "admin"])
    staff.add_argument("--languages", default="nl,en", help="comma-separated: nl,en")
    disable = commands.add_parser(
        "disable-staff", help="switch a staff member's account off (their tokens end at once)"
    )
    disable.add_argument("--email", required=True)
    demo_team = commands.add_parser(
        "demo-team", help="make the demo's team (auto-assignment on) with this login as its lead"
    )
    demo_team.add_argument("--email", required=True)
    demo_team.add_argument("--name", default="Klantenservice")
    privacy_cli.add_commands(commands)
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        if args.command == "migrate":
            upgrade_head(settings.database_url)
            print("Inbox database is up to date.")
        elif args.command == "privacy":
            print(asyncio.run(privacy_cli.run(settings, args)))
        elif args.command == "demo-team":
            if settings.production:
                raise InboxError("APP_ENV=production: the demo team is for demos only.")
            print(asyncio.run(_demo_team(settings, args.email, args.name)))
        elif args.command == "disable-staff":
            print(asyncio.run(_disable_staff(settings, args.email)))
        else:
            if not settings.new_staff_password:
                raise InboxError("Set INBOX_NEW_STAFF_PASSWORD to the new staff member's password.")
            print(asyncio.run(_create_staff(settings, args)))
    except InboxError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
