"""The stores' calendar day follows BUSINESS_TIMEZONE, the zone the inbox's SLA clocks use."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

# 03:00 UTC on 1 December is still 30 November in New York, already 1 December in Amsterdam.
_PROBE = (
    "from datetime import datetime, timezone\n"
    "from catalogue.return_policy import local_date\n"
    "print(local_date(datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)).isoformat())\n"
)


def _local_date(env_zone: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("BUSINESS_TIMEZONE")}
    if env_zone is not None:
        env["BUSINESS_TIMEZONE"] = env_zone
    return subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_default_zone_is_the_brands() -> None:
    result = _local_date(None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2026-12-01"


def test_business_timezone_moves_the_stores_day() -> None:
    result = _local_date("America/New_York")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2026-11-30"


def test_an_unknown_zone_is_named() -> None:
    result = _local_date("Mars/Olympus_Mons")
    assert result.returncode != 0
    assert "'Mars/Olympus_Mons' is not a known timezone" in result.stderr
