"""bot.launcher: the Rasa API token goes from the environment to `rasa run`, never to argv.

The real server started through the launcher is checked in tests/e2e/test_secrets.py.
"""

from __future__ import annotations

import logging

import pytest

from bot.launcher import LaunchError, hide_in_logs, rasa_run_arguments


def test_the_token_is_added_for_rasa_run_only_inside_the_process() -> None:
    arguments = rasa_run_arguments(["--enable-api", "--port", "5005"], "-starts-with-a-dash")
    # `=` keeps a token that starts with "-" from being read as an option.
    assert arguments == [
        "run", "--enable-api", "--port", "5005", "--auth-token=-starts-with-a-dash"
    ]


@pytest.mark.parametrize("option", ["--auth-token=secret", "--auth-token", "-t"])
def test_a_token_on_the_command_line_is_refused(option: str) -> None:
    with pytest.raises(LaunchError, match="RASA_TOKEN, not as"):
        rasa_run_arguments(["--enable-api", option], "secret")


def test_an_open_api_is_refused() -> None:
    with pytest.raises(LaunchError, match="RASA_TOKEN is empty"):
        rasa_run_arguments(["--enable-api"], "")
    # Without the HTTP API there is nothing to protect.
    assert rasa_run_arguments(["--port", "5005"], "") == ["run", "--port", "5005"]


def test_log_messages_never_show_the_token(caplog: pytest.LogCaptureFixture) -> None:
    original = logging.getLogRecordFactory()
    try:
        hide_in_logs("s3cret", "action-secret", "")
        with caplog.at_level(logging.INFO):
            log = logging.getLogger("sanic.error")
            log.error("Exception occurred while handling uri: %s", "'http://rasa/model?token=s3cret'")
            log.error("Failed to run custom action: %s", "http://actions/webhook?x=1&token=other")
            log.info("endpoint token %s", "action-secret")
            log.info("nothing to hide: %d", 42)
    finally:
        logging.setLogRecordFactory(original)
    assert caplog.messages == [
        "Exception occurred while handling uri: 'http://rasa/model?token=***'",
        "Failed to run custom action: http://actions/webhook?x=1&token=***",
        "endpoint token ***",
        "nothing to hide: 42",
    ]
