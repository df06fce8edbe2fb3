"""Command line: `python -m catalogue migrate|seed`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from catalogue.database import CatalogueUnavailable, create_engine, session_factory
from catalogue.migrate import check_connection, ensure_sqlite_folder, upgrade
from catalogue.repository import utc_now
from catalogue.seed import seed
from catalogue.settings import database_url


def _migrate(url: str) -> str:
    ensure_sqlite_folder(url)
    asyncio.run(check_connection(url))
    upgrade(url)
    return "Catalogue schema is up to date."


class SchemaMissing(Exception):
    """The tables are not there yet."""


async def _seed(url: str) -> str:
    await check_connection(url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            if not await connection.run_sync(lambda c: inspect(c).has_table("products")):
                raise SchemaMissing
        report = await seed(session_factory(engine), utc_now())
    finally:
        await engine.dispose()
    return report.summary()


def main(argv: list[str] | None = None) -> int:
    """Run one catalogue command; a database that does not answer is one clear sentence."""
    parser = argparse.ArgumentParser(prog="python -m catalogue", description=__doc__)
    parser.add_argument("command", choices=["migrate", "seed"])
    parser.add_argument("--database-url", help="defaults to DATABASE_URL, then var/linde.db")
    args = parser.parse_args(argv)
    url = args.database_url or database_url()
    try:
        message = _migrate(url) if args.command == "migrate" else asyncio.run(_seed(url))
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
