"""make run starts several inbox workers only when Redis lets them share events and timers."""

from __future__ import annotations

from scripts.stack import inbox_workers


def test_two_workers_with_redis_one_without_unless_configured() -> None:
    assert inbox_workers({}) == 1
    assert inbox_workers({"REDIS_URL": "redis://127.0.0.1:6379/0"}) == 2
    assert inbox_workers({"REDIS_URL": "redis://x", "WEB_CONCURRENCY": "4"}) == 4
    assert inbox_workers({"WEB_CONCURRENCY": "3"}) == 3
    assert inbox_workers({"REDIS_URL": "redis://x", "WEB_CONCURRENCY": "zero"}) == 2
