"""Start `rasa run` with the HTTP API token taken from RASA_TOKEN, never from the command line.

`python -m bot.launcher [rasa run options]` behaves like
`rasa run [options] --auth-token=$RASA_TOKEN`, but the token reaches Rasa's argument parser
inside this process: a command line is readable by every user of the machine (`ps`,
/proc/<pid>/cmdline), the environment only by the process owner.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from typing import Any, List, Optional

TOKEN_VARIABLE = "RASA_TOKEN"
TOKEN_PARAMETER = re.compile(r"([?&]token=)[^&#\s'\"]+")


class LaunchError(Exception):
    """The launcher was called in a way that would expose or drop the token."""


def rasa_run_arguments(options: List[str], token: str) -> List[str]:
    """The arguments of `rasa run`: the caller's options plus the token."""
    for option in options:
        if option == "-t" or option.startswith("--auth-token"):
            raise LaunchError(
                f"pass the API token in {TOKEN_VARIABLE}, not as {option.split('=')[0]}: "
                "a command line is visible to every user of the machine."
            )
    if "--enable-api" in options and not token:
        raise LaunchError(
            f"{TOKEN_VARIABLE} is empty: the HTTP API would accept anyone; "
            "run 'make setup' to generate var/secrets.env."
        )
    arguments = ["run", *options]
    if token:
        # `=`: a generated token may start with "-", which argparse would read as a flag.
        arguments.append(f"--auth-token={token}")
    return arguments


def hide_in_logs(*secrets: str) -> None:
    """Replace the secrets and any `token=` URL parameter in every log message of this process.

    Sanic logs the full URL of a request that failed; Rasa's API takes its token, and the
    action endpoint its token, as a `?token=` parameter. Works whoever configures logging later.
    """
    hidden = [secret for secret in secrets if secret]
    create_record = logging.getLogRecordFactory()

    def redacting_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = create_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # logging reports a bad format string itself, later
            return record
        redacted = TOKEN_PARAMETER.sub(r"\1***", message)
        for secret in hidden:
            redacted = redacted.replace(secret, "***")
        if redacted != message:
            record.msg, record.args = redacted, None
        return record

    logging.setLogRecordFactory(redacting_record)


def main(argv: Optional[List[str]] = None) -> None:
    """Hand the arguments to Rasa's own command-line entry point in this process."""
    options = list(sys.argv[1:] if argv is None else argv)
    # Rasa needs the token only here; whatever Rasa starts later does not inherit it.
    token = os.environ.pop(TOKEN_VARIABLE, "")
    try:
        arguments = rasa_run_arguments(options, token)
    except LaunchError as error:
        sys.exit(f"bot.launcher: {error}")

    hide_in_logs(token, os.environ.get("ACTION_SERVER_TOKEN", ""))
    from rasa.__main__ import main as rasa_main

    # Rasa parses sys.argv; the kernel keeps reporting the original command line.
    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    main()
