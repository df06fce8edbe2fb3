"""Command line: `python -m catalogue migrate|seed|demo-reset`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from catalogue.errors import CatalogueUnavailable
from catalogue.migrate import check_connection, upgrade
from catalogue.seed import reset_demo, seed
from catalogue.settings import database_url
from kit.clock import utc_now
from kit.database import create_engine, ensure_sqlite_folder, session_factory


def _migrate(url: str) -> str:
    ensure_sqlite_folder(url)
    asyncio.run(check_connection(url))
    upgrade(url)
    return "Catalogue schema is up to date."


class SchemaMissing(Exception):
    """The tables are not there yet."""


async def _seed(url: str, *, reset: bool = False) -> str:
    await check_connection(url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            if not await connection.run_sync(lambda c: inspect(c).has_table("products")):
                raise SchemaMissing
        sessions = session_factory(engine)
        report = await (reset_demo if reset else seed)(sessions, utc_now())
    finally:
        await engine.dispose()
    return report.summary()


def main(argv: list[str] | None = None) -> int:
    """Run one catalogue command; a database that does not answer is one clear sentence."""
    parser = argparse.ArgumentParser(prog="python -m catalogue", description=__doc__)
    parser.add_argument(
        "command",
        choices=["migrate", "seed", "demo-reset"],
        help="seed: add missing demo data and date it from today; "
        "demo-reset: put the demo orders, events and stock back as a first seeding makes them",
    )
    parser.add_argument("--database-url", help="defaults to DATABASE_URL, then var/linde.db")
    args = parser.parse_args(argv)
    url = args.database_url or database_url()
    try:
        if args.command == "migrate":
            message = _migrate(url)
        else:
            message = asyncio.run(_seed(url, reset=args.command == "demo-reset"))
    except SchemaMissing:
        print(
            "The catalogue tables do not exist yet: run `python -m catalogue migrate` first.",
            file=sys.stderr,
        )
        return 2
    except CatalogueUnavailable:
        print(
            f"The catalogue database at {_redacted(url)} does not answer; "
            "start it or set DATABASE_URL.",
            file=sys.stderr,
        )
        return 2
    print(message)
    return 0


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    raise SystemExit(main())
