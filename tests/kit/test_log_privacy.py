"""Log records pass through a handler with customers' personal data masked."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from kit import log_privacy


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    logger = logging.getLogger("tests.kit.log_privacy")
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        assert log_privacy.install(extra_loggers=()) >= 1
        # Installing twice adds nothing.
        assert log_privacy.install(extra_loggers=()) == 0
        yield logger, stream
    finally:
        root.removeHandler(handler)
        logger.setLevel(old_level)


def test_messages_and_their_arguments_are_masked(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.info("escalated %s for %s", "bestelling 100234", "anna@example.nl")
    logger.warning("ordinary text, € 79,95 in maat 38 on 12-03-2025")
    written = stream.getvalue()
    assert "escalated bestelling [order] for [email]" in written
    assert "anna@example.nl" not in written and "100234" not in written
    assert "€ 79,95 in maat 38 on 12-03-2025" in written


def test_tracebacks_are_masked(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    try:
        raise ValueError("INSERT failed with parameters ('06-12345678', 'NL91ABNA0417164300')")
    except ValueError:
        logger.exception("insert failed")
    written = stream.getvalue()
    assert "ValueError" in written and "[phone]" in written and "[iban]" in written
    assert "12345678" not in written and "0417164300" not in written
